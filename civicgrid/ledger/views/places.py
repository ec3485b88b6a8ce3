"""Pages of places (地): buildings, shops and enterprises, service stations and
party-building positions, listed per grid (cards on a phone), each with its
page and history; added and changed through actions/places.py."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civicgrid.core.errors import DomainError

from .. import permissions, selectors
from ..actions import places as actions
from ..forms import places as forms
from ..models import Building, Place
from ._common import attach, history_rows, paged

PAGE_SIZE = 50


def _require_ledger(request: HttpRequest) -> None:
    if not permissions.sees_ledger(request.user):
        raise Http404


@login_required
def place_list(request: HttpRequest) -> HttpResponse:
    """Buildings and places of the user's grids, filtered by grid and kind."""
    _require_ledger(request)
    grids = selectors.grids_for_user(request.user)
    form = forms.PlaceFilterForm(request.GET or None, grids=grids)
    filters = form.cleaned_data if form.is_valid() else {}
    buildings = selectors.buildings_for_user(request.user)
    places = selectors.places_for_user(request.user)
    if grid := filters.get("grid"):
        buildings, places = buildings.filter(grid=grid), places.filter(grid=grid)
    if not filters.get("closed"):
        buildings = buildings.filter(is_active=True)
        places = places.filter(is_active=True)
    kind = filters.get("kind")
    if kind == "building":
        places = places.none()
    elif kind:
        buildings, places = buildings.none(), places.filter(kind=kind)
    return render(
        request,
        "ledger/places/list.html",
        {
            "form": form,
            "buildings": paged(request, buildings, size=PAGE_SIZE, param="buildings"),
            "places": paged(request, places, size=PAGE_SIZE),
            "may_add": grids.filter(
                permissions.editable_q(request.user, "path")
            ).exists(),
        },
    )


def _building_input(data: dict[str, Any]) -> actions.BuildingInput:
    return actions.BuildingInput(
        name=data["name"],
        lon=data.get("lon"),
        lat=data.get("lat"),
        footprint=data.get("footprint") or None,
        address=data.get("address", ""),
        floors=data.get("floors"),
        units=data.get("units"),
        property_manager=data.get("property_manager", ""),
        is_active=data.get("is_active", True),
    )


@login_required
def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    building = selectors.building_get_for_user(request.user, pk)
    return render(
        request,
        "ledger/places/building.html",
        {
            "building": building,
            "footprint": json.dumps(building.footprint) if building.footprint else "",
            "places": selectors.places_for_user(request.user).filter(building=building),
            "changes": history_rows(selectors.changes_of(building)[:50], Building),
            "may_edit": permissions.may_edit(request.user, building.grid),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def building_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    building = selectors.building_get_for_user(request.user, pk) if pk else None
    if building is not None and not permissions.may_edit(request.user, building.grid):
        raise Http404
    if building is None:
        _require_ledger(request)
    form = forms.BuildingForm(
        request.POST or None,
        initial=forms.BuildingForm.initial_of(building) if building else None,
    )
    if request.method == "POST" and form.is_valid():
        data = _building_input(form.cleaned_data)
        try:
            if building is None:
                building = actions.building_create(data=data, acting_user=request.user)
                messages.success(
                    request,
                    _("Building %(name)s added to %(grid)s.")
                    % {"name": building.name, "grid": building.grid.name},
                )
            else:
                changes = actions.building_update(
                    building=building, data=data, acting_user=request.user
                )
                messages.success(
                    request,
                    _("Building %(name)s saved.") % {"name": building.name}
                    if changes
                    else _("Nothing was changed."),
                )
            return redirect("ledger:building", building.pk)
        except DomainError as exc:
            attach(form, exc)
    return render(
        request,
        "ledger/places/edit.html",
        {
            "form": form,
            "object": building,
            "title": _("Change the building") if building else _("Add a building"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_get_for_user(request.user, pk)
    return render(
        request,
        "ledger/places/place.html",
        {
            "place": place,
            "services": [
                Place.Service(s).label
                for s in place.services
                if s in Place.Service.values
            ],
            "changes": history_rows(selectors.changes_of(place)[:50], Place),
            "may_edit": permissions.may_edit(request.user, place.grid),
        },
    )


def _place_input(data: dict[str, Any], place: Place | None) -> actions.PlaceInput:
    # The contact is never shown whole on the form: left empty, it is kept.
    contact_name = data.get("contact_name") or (place.contact_name if place else "")
    contact_phone = data.get("contact_phone") or (place.contact_phone if place else "")
    return actions.PlaceInput(
        kind=data["kind"],
        name=data["name"],
        lon=data.get("lon"),
        lat=data.get("lat"),
        building=data.get("building"),
        address=data.get("address", ""),
        licence_number=data.get("licence_number", ""),
        trade=data.get("trade", ""),
        contact_name=contact_name,
        contact_phone=contact_phone,
        services=list(data.get("services") or []),
        opening_hours=data.get("opening_hours", ""),
        position_kind=data.get("position_kind", ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    place = selectors.place_get_for_user(request.user, pk) if pk else None
    if place is not None and not permissions.may_edit(request.user, place.grid):
        raise Http404
    if place is None:
        _require_ledger(request)
    buildings = Building.objects.filter(
        permissions.editable_q(request.user), is_active=True
    ).select_related("grid")
    initial = (
        forms.PlaceForm.initial_of(place)
        if place
        else {"kind": request.GET.get("kind", "")}
    )
    form = forms.PlaceForm(request.POST or None, initial=initial, buildings=buildings)
    if place is not None:
        form.fields["contact_name"].help_text = _("Leave empty to keep it.")
        form.fields["contact_phone"].help_text = _("Leave empty to keep it.")
    if request.method == "POST" and form.is_valid():
        data = _place_input(form.cleaned_data, place)
        try:
            if place is None:
                place = actions.place_create(data=data, acting_user=request.user)
                messages.success(
                    request,
                    _("%(name)s added to %(grid)s.")
                    % {"name": place.name, "grid": place.grid.name},
                )
            else:
                changes = actions.place_update(
                    place=place, data=data, acting_user=request.user
                )
                messages.success(
                    request,
                    _("%(name)s saved.") % {"name": place.name}
                    if changes
                    else _("Nothing was changed."),
                )
            return redirect("ledger:place", place.pk)
        except DomainError as exc:
            attach(form, exc)
    return render(
        request,
        "ledger/places/edit.html",
        {
            "form": form,
            "object": place,
            "title": _("Change the place") if place else _("Add a place"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def place_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a place (kept in the ledger) or open it again."""
    place = selectors.place_get_for_user(request.user, pk)
    is_open = request.POST.get("open") == "1"
    try:
        changed = actions.place_set_open(
            place=place,
            is_open=is_open,
            acting_user=request.user,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if not changed:
            messages.info(request, _("Nothing was changed."))
        elif is_open:
            messages.success(
                request, _("%(name)s is open again.") % {"name": place.name}
            )
        else:
            messages.success(
                request,
                _("%(name)s is closed; it stays in the ledger.") % {"name": place.name},
            )
    return redirect("ledger:place", place.pk)
