"""The patrol log on the grid worker's phone (巡查): start, the route's points,
findings in two taps, end; and a patrol's page with its route."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civicgrid.api.idempotency import once_per_key
from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.core.errors import DomainError

from .. import selectors
from ..actions import patrol as actions
from ..forms import opinion as forms
from ..models import Patrol
from ..opinion_steps import STEPS, describe
from ._common import paged
from .opinion import ledger_required

PAGE_SIZE = 30


def _route_geojson(patrol: Patrol) -> dict[str, Any]:
    points = [p[:2] for p in patrol.route or []]
    features: list[dict[str, Any]] = []
    if patrol.grid.boundary:
        features.append(
            {
                "type": "Feature",
                "geometry": patrol.grid.boundary,
                "properties": {"kind": "grid"},
            }
        )
    if len(points) > 1:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": points},
                "properties": {"kind": "route"},
            }
        )
    elif points:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": points[0]},
                "properties": {"kind": "route"},
            }
        )
    features.extend(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [o.lon, o.lat]},
            "properties": {"kind": "opinion", "risk": o.risk},
        }
        for o in patrol.opinions.all()
        if o.lon is not None
    )
    return {"type": "FeatureCollection", "features": features}


@ledger_required
def patrol_list(request: HttpRequest) -> HttpResponse:
    """My patrol now (or a button to start one) and the patrols I may read."""
    user = request.user
    grids = appeal_selectors.grids_of_grid_worker(user)
    patrols = selectors.patrols_for_user(user)
    page = _page(request, patrols)
    return render(
        request,
        "ledger/patrol/list.html",
        {
            "open_patrol": selectors.open_patrol_of(user),
            "start_form": forms.StartPatrolForm(grids=grids) if grids else None,
            "page": page,
        },
    )


def _page(request: HttpRequest, patrols: Any) -> Any:
    return paged(request, patrols, size=PAGE_SIZE)


@ledger_required
@require_POST
def patrol_start(request: HttpRequest) -> HttpResponse:
    user = request.user
    grids = appeal_selectors.grids_of_grid_worker(user)
    if not grids.exists():
        raise Http404
    form = forms.StartPatrolForm(request.POST, grids=grids)
    if form.is_valid():
        data = form.cleaned_data
        try:
            patrol = actions.patrol_start(
                grid=data["grid"], acting_user=user, lon=data["lon"], lat=data["lat"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("ledger:patrols")
        messages.success(
            request,
            _("Patrol started in %(grid)s.") % {"grid": patrol.grid.name},
        )
        return redirect("ledger:patrol", pk=patrol.pk)
    messages.error(request, _("Choose one of your grids."))
    return redirect("ledger:patrols")


def _detail_context(
    request: HttpRequest, patrol: Patrol, **bound: Any
) -> dict[str, Any]:
    mine = patrol.worker_id == request.user.pk and patrol.ended_at is None
    return {
        "patrol": patrol,
        "mine": mine,
        "route": _route_geojson(patrol),
        "points": len(patrol.route or []),
        "opinions": list(patrol.opinions.all()),
        "appeals": list(
            appeal_selectors.appeal_list_for_user(request.user).filter(
                pk__in=patrol.appeals.values("pk")
            )
        ),
        "opinion_form": bound.get("opinion") or forms.OpinionFindingForm(),
        "appeal_form": bound.get("appeal")
        or forms.AppealFindingForm(initial={"idempotency_key": _new_key()}),
        "end_form": bound.get("end") or forms.EndPatrolForm(),
        "point_url": reverse("ledger:patrol_step", args=[patrol.pk, "point"]),
    }


def _new_key() -> str:
    return uuid.uuid4().hex


@ledger_required
def patrol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patrol = selectors.patrol_get_for_user(request.user, pk)
    return render(
        request, "ledger/patrol/detail.html", _detail_context(request, patrol)
    )


STEP_FORMS: dict[str, type[Any]] = {
    "opinion": forms.OpinionFindingForm,
    "appeal": forms.AppealFindingForm,
    "end": forms.EndPatrolForm,
}


@ledger_required
@require_http_methods(["POST"])
@once_per_key
def patrol_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """A point (answered in JSON, for the page's script), a finding, the end.
    A finding or the end sent again under its key (the phone's outbox, once
    the signal is back) is recorded once; a point carries the time the phone
    took it."""
    patrol = selectors.patrol_get_for_user(request.user, pk)
    if step == "point":
        try:
            count = STEPS["point"](request.user, patrol, request.POST)
        except DomainError as exc:
            return JsonResponse(
                {"error": exc.message, "field": exc.field}, status=exc.status
            )
        return JsonResponse({"points": count})
    form_class = STEP_FORMS.get(step)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES or None)
    status = 400
    if form.is_valid():
        try:
            result = STEPS[step](request.user, patrol, form.cleaned_data)
        except DomainError as exc:
            forms.attach_domain_error(form, exc)
            status = exc.status
            patrol.refresh_from_db()
        else:
            messages.success(request, describe(step, result))
            return redirect("ledger:patrol", pk=patrol.pk)
    return render(
        request,
        "ledger/patrol/detail.html",
        _detail_context(request, patrol, **{step: form}),
        status=status,
    )
