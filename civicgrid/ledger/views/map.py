"""The grid map and the party-building sandbox (``/ledger/map/``): one Leaflet
map whose layers the page's script loads for the visible box from
``/ledger/map/layers/<layer>/?bbox=west,south,east,north`` (GeoJSON; a bad box
or layer is a 400 naming it, as the map editor's answers do). Who sees no
ledger and handles no department gets 404."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civicgrid.accounts import access

from .. import map_selectors, permissions, selectors


def _sees_map(user: Any) -> bool:
    return permissions.sees_ledger(user) or bool(access.handled_department_ids(user))


def _bbox(value: str) -> map_selectors.Bounds:
    """``west,south,east,north`` in degrees, or a ValueError saying why."""
    parts = value.split(",")
    if len(parts) != 4:
        raise ValueError(_("Give the box as west,south,east,north."))
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError as exc:
        raise ValueError(_("Give the box as west,south,east,north.")) from exc
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValueError(_("Give the box as west,south,east,north."))
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError(
            _(
                "The box must lie within longitude -180…180 and latitude -90…90, "
                "its west before its east and its south below its north."
            )
        )
    return west, south, east, north


@login_required
@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    if not _sees_map(request.user):
        raise Http404
    bounds = map_selectors.grids_bounds(request.user)
    layers = [
        {"name": layer.name, "label": str(layer.label), "group": layer.group}
        for layer in map_selectors.LAYERS.values()
    ]
    return render(
        request,
        "ledger/map.html",
        {
            "layers": layers,
            "groups": [
                ("grid", _("Grid map"), [x for x in layers if x["group"] == "grid"]),
                (
                    "party",
                    _("Party-building sandbox"),
                    [x for x in layers if x["group"] == "party"],
                ),
            ],
            "bounds": bounds,
            "max_features": map_selectors.MAX_FEATURES,
            "sees_ledger": permissions.sees_ledger(request.user),
            "today": selectors.grids_for_user(request.user).exists(),
        },
    )


@login_required
@require_GET
def map_layer(request: HttpRequest, layer: str) -> HttpResponse:
    if not _sees_map(request.user):
        raise Http404
    if layer not in map_selectors.LAYERS:
        return JsonResponse(
            {"error": _("There is no such layer."), "field": "layer"}, status=400
        )
    try:
        bbox = _bbox(request.GET.get("bbox", ""))
    except ValueError as exc:
        return JsonResponse({"error": str(exc), "field": "bbox"}, status=400)
    return JsonResponse(map_selectors.layer_features(request.user, layer, bbox))
