"""The map editor (地图编辑, ``/ledger/map/edit/``): the street's administrator
draws its grids' boundaries and its buildings' footprints, or imports them
from GeoJSON. The page's script saves through the JSON endpoints below; anyone
who administers no grid gets 404, and so does a grid or building of a street
they do not administer."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.appeals.forms import attach_domain_error
from civicgrid.core.errors import DomainError
from civicgrid.org.models import Area

from .. import selectors
from ..actions import map as actions
from ..forms.map import MapImportForm


def _street(request: HttpRequest) -> tuple[Area, list[Area]]:
    streets = selectors.map_edit_streets(request.user)
    if not streets:
        raise Http404
    code = request.GET.get("street", "")
    chosen = next((s for s in streets if s.code == code), streets[0])
    return chosen, streets


def _grid_feature(grid: Area) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": grid.boundary,
        "properties": {
            "code": grid.code,
            "name": grid.name,
            "revision": actions.revision_of(grid),
            "url": reverse("ledger:map_edit_grid", args=[grid.code]),
        },
    }


def _building_row(building: Any) -> dict[str, Any]:
    return {
        "id": building.pk,
        "name": building.name,
        "grid": building.grid.code,
        "grid_name": building.grid.name,
        "lon": building.lon,
        "lat": building.lat,
        "footprint": building.footprint,
        "revision": actions.revision_of(building),
        "url": reverse("ledger:map_edit_building", args=[building.pk]),
    }


def _page(
    request: HttpRequest,
    form: MapImportForm,
    result: actions.MapImportResult | None = None,
    status: int = 200,
) -> HttpResponse:
    street, streets = _street(request)
    grids = selectors.map_edit_grids(request.user, street)
    buildings = selectors.map_edit_buildings(request.user, street)[
        : selectors.MAP_EDIT_BUILDINGS
    ]
    return render(
        request,
        "ledger/map_edit.html",
        {
            "street": street,
            "streets": streets,
            "form": form,
            "result": result,
            "grids": {
                "type": "FeatureCollection",
                "features": [_grid_feature(grid) for grid in grids],
            },
            "buildings": [_building_row(building) for building in buildings],
        },
        status=status,
    )


@login_required
@require_GET
def map_edit(request: HttpRequest) -> HttpResponse:
    return _page(request, MapImportForm())


@login_required
@require_POST
def map_import(request: HttpRequest) -> HttpResponse:
    _street(request)  # 404 before reading anything for who administers no grid
    form = MapImportForm(request.POST, request.FILES)
    result = None
    status = 400
    if form.is_valid():
        try:
            result = actions.map_import(
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                acting_user=request.user,
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
            status = exc.status
        else:
            status = 200 if result.ok else 400
    return _page(request, form, result, status)


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise DomainError(_("The request is not valid JSON."), field="body") from exc
    if not isinstance(data, dict):
        raise DomainError(_("The request is not valid JSON."), field="body")
    return data


def _refusal(exc: DomainError) -> JsonResponse:
    return JsonResponse({"error": exc.message, "field": exc.field}, status=exc.status)


@login_required
@require_POST
def grid_save(request: HttpRequest, code: str) -> JsonResponse:
    grid = selectors.map_edit_grid_get(request.user, code)
    try:
        data = _body(request)
        changed = actions.grid_boundary_save(
            grid=grid,
            boundary=data.get("boundary"),
            revision=data.get("revision") or "",
            acting_user=request.user,
        )
    except DomainError as exc:
        return _refusal(exc)
    label = f"{grid.name} ({grid.code})"
    return JsonResponse(
        {
            "message": (
                _("Saved the boundary of grid %(grid)s.")
                if changed
                else _("The boundary of grid %(grid)s is as it was; nothing saved.")
            )
            % {"grid": label},
            "feature": _grid_feature(grid),
        }
    )


@login_required
@require_POST
def building_save(request: HttpRequest, pk: int) -> JsonResponse:
    building = selectors.map_edit_building_get(request.user, pk)
    try:
        data = _body(request)
        changes = actions.building_footprint_save(
            building=building,
            footprint=data.get("footprint"),
            revision=data.get("revision") or "",
            acting_user=request.user,
        )
    except DomainError as exc:
        return _refusal(exc)
    return JsonResponse(
        {
            "message": (
                _("Saved the footprint of %(building)s (grid %(grid)s).")
                if changes
                else _("The footprint of %(building)s is as it was; nothing saved.")
            )
            % {"building": building.name, "grid": building.grid.name},
            "building": _building_row(building),
        }
    )
