"""The grid map (网格地图) and the party-building sandbox (党建沙盘): one layer
each, read for the box the user looks at and answered as GeoJSON features.

Every layer reads what the user may see through the selectors (the ledger's
own, the appeals' and the whistles'), never more: a grid worker their grids, the
street's readers all of it, a department the components it owns and the
appeals dispatched to it. No layer carries a resident's name or number: the
appeals show their code and category, the party members a count per grid.
A layer answers at most :data:`MAX_FEATURES` features and says when it stopped
(``truncated``): zoomed out over a whole street, the page asks to zoom in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.org.models import Area
from civicgrid.whistles import selectors as whistle_selectors
from civicgrid.whistles.models import Whistle

from . import permissions, selectors
from .catalogue import SUBCLASS_NAMES
from .models import Opinion, Organisation, Pairing, Person, PersonTag, Place

MAX_FEATURES = 2000

Bounds = selectors.Bounds


@dataclass(frozen=True)
class Layer:
    name: str
    label: Any
    group: str  # "grid" (网格地图) or "party" (党建沙盘)
    read: Callable[[Any, Bounds], list[dict[str, Any]]]


def _page_of(name: str) -> Callable[[int], str]:
    """``pk → the page's URL`` for a URL taking one number, reversed once (a
    layer of 2,000 features would otherwise reverse 2,000 times)."""
    marker = 987654321
    head, tail = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{head}{int(pk)}{tail}"


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _in_box(queryset: QuerySet[Any], bbox: Bounds, lon: str, lat: str) -> Any:
    west, south, east, north = bbox
    return queryset.filter(
        **{
            f"{lon}__gte": west,
            f"{lon}__lte": east,
            f"{lat}__gte": south,
            f"{lat}__lte": north,
        }
    )


def _areas_in_box(areas: QuerySet[Area], bbox: Bounds) -> QuerySet[Area]:
    """Areas whose bounding box meets the view."""
    west, south, east, north = bbox
    return areas.filter(
        boundary__isnull=False,
        max_lon__gte=west,
        min_lon__lte=east,
        max_lat__gte=south,
        min_lat__lte=north,
    )


def _map_grids(user: Any) -> QuerySet[Area]:
    """The grids drawn for the user: those whose ledger they read; for a
    department, the grids its components stand in."""
    grids = selectors.grids_for_user(user)
    if not permissions.sees_ledger(user) and access.handled_department_ids(user):
        held = selectors.components_for_user(user).values("grid_id")
        grids = Area.objects.filter(pk__in=held, is_active=True)
    return grids


def grids_bounds(user: Any) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the grids drawn for the user, for
    the map to open on; None when there are none."""
    box = (
        _map_grids(user)
        .filter(boundary__isnull=False)
        .aggregate(
            west=Min("min_lon"),
            south=Min("min_lat"),
            east=Max("max_lon"),
            north=Max("max_lat"),
        )
    )
    if box["west"] is None:
        return None
    return [[box["south"], box["west"]], [box["north"], box["east"]]]


def _centre(area: Area) -> tuple[float, float] | None:
    if not area.boundary:
        return None
    point = shape(area.boundary).representative_point()
    return point.x, point.y


# --- 网格地图 -------------------------------------------------------------------------


def grid_features(user: Any, bbox: Bounds) -> list[dict[str, Any]]:
    """Grids with their 15-digit code and their grid workers' names."""
    grids = list(_areas_in_box(_map_grids(user), bbox).order_by("code"))
    workers = access.holders_on(grids, (Role.GRID_WORKER,))
    return [
        _feature(
            grid.boundary or {},
            label=grid.name,
            code=grid.code,
            workers=workers.get(grid.pk, []),
            url=reverse("metrics:area", args=[grid.code]),
        )
        for grid in grids
    ]


def building_features(user: Any, bbox: Bounds) -> list[dict[str, Any]]:
    """Buildings: the footprint where drawn, else the point."""
    page = _page_of("ledger:building")
    return [
        _feature(
            b["footprint"] or _point(b["lon"], b["lat"]),
            label=b["name"],
            floors=b["floors"],
            url=page(b["pk"]),
        )
        for b in selectors.buildings_in_bounds(user, bbox)[: MAX_FEATURES + 1]
    ]


def component_features(user: Any, bbox: Bounds) -> list[dict[str, Any]]:
    """Components by the state they show (damaged while an appeal about them
    is open)."""
    page = _page_of("ledger:component")
    return [
        _feature(
            _point(c["lon"], c["lat"]),
            label=f"{SUBCLASS_NAMES.get(c['subclass'], c['subclass'])} {c['code']}",
            state=c["shown_state"],
            url=page(c["pk"]),
        )
        for c in selectors.components_in_bounds(user, bbox).order_by("pk")[
            : MAX_FEATURES + 1
        ]
    ]


def _appeal_features(user: Any, bbox: Bounds, *, overdue: bool) -> list[dict]:
    page = _page_of("appeals:detail")
    appeals = _in_box(
        appeal_selectors.open_appeals_marked(user), bbox, "longitude", "latitude"
    )
    if overdue:
        appeals = appeals.filter(overdue=True)
    return [
        _feature(
            _point(a["longitude"], a["latitude"]),
            label=f"{a['tracking_code']} {a['category__name'] or ''}".strip(),
            state=a["state"],
            overdue=a["overdue"],
            url=page(a["pk"]),
        )
        for a in appeals.order_by("-received_at").values(
            "pk",
            "tracking_code",
            "category__name",
            "state",
            "overdue",
            "longitude",
            "latitude",
        )[: MAX_FEATURES + 1]
    ]


def open_appeal_features(user: Any, bbox: Bounds) -> list[dict[str, Any]]:
    """Open appeals (code and category only), the overdue ones marked."""
    return _appeal_features(user, bbox, overdue=False)


def overdue_appeal_features(user: Any, bbox: Bounds) -> list[dict[str, Any]]:
    """The open appeals a running share of which is past its deadline."""
    return _appeal_features(user, bbox, overdue=True)


def whistle_features(user: Any, bbox: Bounds) -> list[dict[str, Any]]:
    """Whistles still open, at the place of the appeal they were blown on."""
    page = _page_of("whistles:detail")
    whistles = _in_box(
        whistle_selectors.whistles_for_user(user).filter(state=Whistle.State.OPEN),
        bbox,
        "appeal__longitude",
        "appeal__latitude",
    )
    return [
        _feature(
            _point(w["appeal__longitude"], w["appeal__latitude"]),
            label=w["title"],
            url=page(w["pk"]),
        )
        for w in whistles.order_by("-pk").values(
            "pk", "title", "appeal__longitude", "appeal__latitude"
        )[: MAX_FEATURES + 1]
    ]


def opinion_features(user: Any, bbox: Bounds) -> list[dict[str, Any]]:
    """社情民意 still open, by risk (the text is not on the map: its page has it)."""
    page = _page_of("ledger:opinion")
    opinions = _in_box(
        selectors.opinions_for_user(user).filter(state=Opinion.State.OPEN),
        bbox,
        "lon",
        "lat",
    )
    risks = dict(Opinion.Risk.choices)
    return [
        _feature(
            _point(o["lon"], o["lat"]),
            label=f"{o['topic'] or _('Public opinion')} · {risks[o['risk']]}",
            risk=o["risk"],
            url=page(o["pk"]),
        )
        for o in opinions.order_by("-pk").values("pk", "topic", "risk", "lon", "lat")[
            : MAX_FEATURES + 1
        ]
    ]


def _place_features(user: Any, bbox: Bounds, kind: str) -> list[dict[str, Any]]:
    page = _page_of("ledger:place")
    return [
        _feature(
            _point(p["lon"], p["lat"]),
            label=p["name"],
            services=p["services"],
            opening_hours=p["opening_hours"],
            url=page(p["pk"]),
        )
        for p in selectors.places_in_bounds(user, bbox, kind=kind).order_by("pk")[
            : MAX_FEATURES + 1
        ]
    ]


def station_features(user: Any, bbox: Bounds) -> list[dict[str, Any]]:
    """Service stations (such as 龙行侠微e站) with what they offer."""
    return _place_features(user, bbox, Place.Kind.SERVICE_STATION)


# --- 党建沙盘 -------------------------------------------------------------------------


def _organisations(user: Any) -> QuerySet[Organisation]:
    return selectors.organisations_for_user(user).filter(is_active=True)


def organisation_features(user: Any, bbox: Bounds) -> list[dict[str, Any]]:
    """The party organisations, 联建 units and alliances that have a place."""
    page = _page_of("ledger:organisation")
    kinds = dict(Organisation.Kind.choices)
    return [
        _feature(
            _point(o["lon"], o["lat"]),
            label=o["name"],
            kind=o["kind"],
            kind_label=str(kinds[o["kind"]]),
            url=page(o["pk"]),
        )
        for o in _in_box(_organisations(user), bbox, "lon", "lat")
        .order_by("pk")
        .values("pk", "name", "kind", "lon", "lat")[: MAX_FEATURES + 1]
    ]


def position_features(user: Any, bbox: Bounds) -> list[dict[str, Any]]:
    """Party-building positions (党群服务中心, 红色学府)."""
    return _place_features(user, bbox, Place.Kind.PARTY_POSITION)


def party_member_features(user: Any, bbox: Bounds) -> list[dict[str, Any]]:
    """How many party members live in each grid: a count at the grid's
    centre, never a name. (Members registered to the community under 双报到
    join the count when the party-building app records them.)"""
    grids = {g.pk: g for g in _areas_in_box(selectors.grids_for_user(user), bbox)}
    counts = (
        Person.objects.filter(
            household__grid_id__in=grids,
            tags__tag=PersonTag.Tag.PARTY_MEMBER,
            tags__until__isnull=True,
        )
        .values("household__grid_id")
        .annotate(n=Count("pk", distinct=True))
    )
    features = []
    for row in counts:
        grid = grids[row["household__grid_id"]]
        centre = _centre(grid)
        if centre is not None:
            features.append(
                _feature(
                    _point(*centre),
                    label=grid.name,
                    count=row["n"],
                    url=reverse("ledger:household_list", args=[grid.code])
                    + f"?tag={PersonTag.Tag.PARTY_MEMBER}",
                )
            )
    return features


def pairing_features(user: Any, bbox: Bounds) -> list[dict[str, Any]]:
    """党建联建: a line from each unit branch to the grid branch it is paired
    with (each at its place, or its grid's centre)."""
    visible = _organisations(user).values("pk")
    pairs = (
        Pairing.objects.filter(
            Q(unit_branch__in=visible) | Q(grid_branch__in=visible),
            until__isnull=True,
        )
        .select_related("unit_branch__area", "grid_branch__area")
        .order_by("pk")
    )
    west, south, east, north = bbox

    def where(org: Organisation) -> tuple[float, float] | None:
        if org.lon is not None and org.lat is not None:
            return org.lon, org.lat
        return _centre(org.area)

    features = []
    for pair in pairs[: MAX_FEATURES + 1]:
        unit, grid = where(pair.unit_branch), where(pair.grid_branch)
        if unit is None or grid is None:
            continue
        if not any(west <= x <= east and south <= y <= north for x, y in (unit, grid)):
            continue
        features.append(
            _feature(
                {"type": "LineString", "coordinates": [list(unit), list(grid)]},
                label=f"{pair.unit_branch.name} — {pair.grid_branch.name}",
                url=reverse("ledger:organisation", args=[pair.grid_branch_id]),
            )
        )
    return features


LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in (
        Layer("grids", _("Grids"), "grid", grid_features),
        Layer("buildings", _("Buildings"), "grid", building_features),
        Layer("components", _("Components"), "grid", component_features),
        Layer("appeals", _("Open appeals"), "grid", open_appeal_features),
        Layer("overdue", _("Overdue appeals"), "grid", overdue_appeal_features),
        Layer("whistles", _("Whistles"), "grid", whistle_features),
        Layer("opinions", _("Public opinion"), "grid", opinion_features),
        Layer("stations", _("Service stations"), "grid", station_features),
        Layer(
            "organisations", _("Party organisations"), "party", organisation_features
        ),
        Layer("positions", _("Party-building positions"), "party", position_features),
        Layer("members", _("Party members per grid"), "party", party_member_features),
        Layer("pairings", _("Joint-building pairs"), "party", pairing_features),
    )
}


def layer_features(user: Any, name: str, bbox: Bounds) -> dict[str, Any]:
    """A layer for the box as a FeatureCollection, cut at :data:`MAX_FEATURES`."""
    features = LAYERS[name].read(user, bbox)
    truncated = len(features) > MAX_FEATURES
    return {
        "type": "FeatureCollection",
        "features": features[:MAX_FEATURES],
        "truncated": truncated,
    }
