"""Demo places, things and organisations of 东嘎街道: buildings in every grid
("1号楼" …, points inside the grid), components of several kinds owned by the
demo departments — a few damaged or missing, linked to the demo appeals about
them —, service stations (a 龙行侠微e站 among them), party-building positions,
and the street's party organisations with their 联建 pairs and the 居商联盟.
Idempotent: natural keys decide, and what exists is never changed."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from shapely.geometry import Point, box, mapping, shape

from civicgrid.accounts.models import User
from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.appeals.workflow import OPEN_STATES
from civicgrid.core import clock
from civicgrid.core.demo import demo_seed
from civicgrid.org.models import Area, Department

from ..actions import components as component_actions
from ..models import (
    Building,
    Component,
    ComponentAppeal,
    Organisation,
    OrganisationMember,
    Pairing,
    Place,
)

STREET_CODE = "540103001"
BUILDINGS_PER_GRID = 6
PROPERTY_MANAGERS = ["东嘎物业", "堆龙安居物业", "雪域物业", ""]
# (subclass, owning department's code): the components every grid has.
GRID_COMPONENTS = [
    ("0120", "gongdian"),  # 路灯
    ("0120", "gongdian"),
    ("0101", "gongshui"),  # 上水井盖
    ("0102", "gongshui"),  # 污水井盖
    ("0117", "xiaofang"),  # 消火栓
    ("0302", "huanwei"),  # 垃圾箱
    ("0302", "huanwei"),
    ("0206", "jiaotong"),  # 交通标志牌
]
# The category of a demo appeal and the component it is about.
APPEAL_COMPONENTS = {
    "street-lamp": ("0120", "gongdian"),
    "manhole-cover": ("0102", "gongshui"),
    "bin-overflow": ("0302", "huanwei"),
    "public-toilet": ("0126", "huanwei"),
}
STATIONS = [
    # name, services, opening hours
    ("龙行侠微e站", ["water", "rest", "charging", "microwave", "toilet"], "全天开放"),
    ("新就业群体暖心驿站", ["water", "rest", "charging"], "08:00–22:00"),
    ("户外劳动者服务站", ["water", "rest", "microwave", "toilet"], "07:00–21:00"),
]
POSITIONS = [("党群服务中心", "党群服务中心"), ("红色学府", "红色学府")]
SHOPS = [
    # name, trade, pledge
    ("扎西甜茶馆", "餐饮", "为独居老人每周送一次甜茶和藏面"),
    ("格桑理发店", "理发", "每月为高龄老人免费理发一次"),
    ("雪域便民超市", "零售", "为骑手提供免费饮用水"),
    ("东嘎宾馆", "住宿", "为应急避险人员提供临时住宿"),
    ("卓玛藏餐馆", "餐饮", "为社区困难家庭提供节日餐食"),
]
UNIT_BRANCHES = [
    "区财政局机关党支部",
    "区住建局机关党支部",
    "区教育局机关党支部",
    "区卫健委机关党支部",
]


def _points_inside(
    polygon: Any, count: int, rng: random.Random
) -> list[tuple[float, float]]:
    """``count`` points well inside the grid (a ring around its centre)."""
    west, south, east, north = polygon.bounds
    inner = polygon.buffer(-min(east - west, north - south) * 0.08)
    area = inner if not inner.is_empty else polygon
    points: list[tuple[float, float]] = []
    for _try in range(count * 50):
        if len(points) == count:
            break
        x = rng.uniform(west, east)
        y = rng.uniform(south, north)
        if area.contains(Point(x, y)):
            points.append((round(x, 6), round(y, 6)))
    centre = polygon.representative_point()
    while len(points) < count:
        points.append((round(centre.x, 6), round(centre.y, 6)))
    return points


def _footprint(
    grid_shape: Any, lon: float, lat: float, rng: random.Random
) -> dict[str, Any] | None:
    """A building's outline around its point (some 20 to 40 metres a side),
    or None where it would reach out of its grid."""
    half_x, half_y = rng.uniform(0.0001, 0.0002), rng.uniform(0.00006, 0.00012)
    outline = box(lon - half_x, lat - half_y, lon + half_x, lat + half_y)
    if not grid_shape.contains(outline):
        return None
    ring = [[round(x, 6), round(y, 6)] for x, y in mapping(outline)["coordinates"][0]]
    return {"type": "Polygon", "coordinates": [ring]}


def _phone(n: int) -> str:
    return f"139000{n % 100000:05d}"


@demo_seed("ledger.places", after=("org.street", "appeals.appeals", "appeals.gridwork"))
def seed_places() -> str:
    street = Area.objects.filter(code=STREET_CODE).first()
    if street is None:
        return "no demo street"
    rng = random.Random(540103014)  # noqa: S311 - demo data, not security
    grids = list(
        Area.objects.filter(level=Area.Level.GRID, path__startswith=street.path)
        .select_related("parent")
        .order_by("code")
    )
    departments = {d.code: d for d in Department.objects.all()}
    shapes = {g.pk: shape(g.boundary) for g in grids if g.boundary}
    have = set(Building.objects.filter(grid__in=grids).values_list("grid_id", "name"))
    buildings, components = [], []
    codes = set(Component.objects.values_list("code", flat=True))
    spots: dict[int, list[tuple[float, float]]] = {}
    for grid in grids:
        if grid.pk not in shapes:
            continue
        points = _points_inside(shapes[grid.pk], BUILDINGS_PER_GRID + 12, rng)
        spots[grid.pk] = points[BUILDINGS_PER_GRID + len(GRID_COMPONENTS) :]
        for n in range(BUILDINGS_PER_GRID):
            name = f"{n + 1}号楼"
            if (grid.pk, name) in have:
                continue
            lon, lat = points[n]
            buildings.append(
                Building(
                    grid=grid,
                    name=name,
                    lon=lon,
                    lat=lat,
                    footprint=_footprint(shapes[grid.pk], lon, lat, rng),
                    address=f"{grid.parent.name}{name}" if grid.parent else name,
                    floors=rng.choice([2, 3, 5, 6, 7, 11]),
                    units=rng.choice([1, 2, 3]),
                    property_manager=rng.choice(PROPERTY_MANAGERS),
                )
            )
        for n, (subclass, owner) in enumerate(GRID_COMPONENTS):
            code = f"{subclass}{grid.code[len(STREET_CODE) :]}{n + 1:03d}"
            if code in codes:
                continue
            lon, lat = points[BUILDINGS_PER_GRID + n]
            components.append(
                Component(
                    grid=grid,
                    code=code,
                    subclass=subclass,
                    department=departments.get(owner),
                    lon=lon,
                    lat=lat,
                )
            )
    Building.objects.bulk_create(buildings)
    Component.objects.bulk_create(components)
    places = _seed_places(street, grids, spots)
    linked = _seed_component_appeals(street, departments)
    organisations = _seed_organisations(street, grids)
    return (
        f"{len(buildings)} buildings, {len(components)} components, {places} places, "
        f"{linked} components linked to appeals, {organisations} organisations"
    )


def _seed_places(
    street: Area, grids: list[Area], spots: dict[int, list[tuple[float, float]]]
) -> int:
    existing = set(Place.objects.filter(grid__in=grids).values_list("grid_id", "name"))
    places: list[Place] = []
    communities: dict[int, Area] = {}
    for grid in grids:
        if grid.parent_id is not None and grid.parent_id not in communities:
            communities[grid.parent_id] = grid
    first_grids = list(communities.values())

    def add(grid: Area, **values: Any) -> None:
        if (grid.pk, values["name"]) in existing or not spots.get(grid.pk):
            return
        lon, lat = spots[grid.pk].pop()
        places.append(Place(grid=grid, lon=lon, lat=lat, **values))

    for n, (name, services, hours) in enumerate(STATIONS):
        grid = first_grids[n % len(first_grids)]
        add(
            grid,
            kind=Place.Kind.SERVICE_STATION,
            name=name,
            services=services,
            opening_hours=hours,
            contact_name="次旦",
            contact_phone=_phone(700 + n),
        )
    for grid in first_grids:
        community = grid.parent.name if grid.parent else ""
        add(
            grid,
            kind=Place.Kind.PARTY_POSITION,
            name=f"{community}{POSITIONS[0][0]}",
            position_kind=POSITIONS[0][1],
            opening_hours="09:00–18:00",
        )
    add(
        first_grids[0],
        kind=Place.Kind.PARTY_POSITION,
        name=f"{street.name}{POSITIONS[1][0]}",
        position_kind=POSITIONS[1][1],
        opening_hours="09:00–17:30",
    )
    for n, (name, trade, _pledge) in enumerate(SHOPS):
        grid = grids[(n * 3) % len(grids)]
        add(
            grid,
            kind=Place.Kind.SHOP,
            name=name,
            trade=trade,
            licence_number=f"92540125MA6T{n + 1:04d}X",
            contact_name=["旺姆", "格桑", "达瓦", "尼玛", "卓玛"][n],
            contact_phone=_phone(800 + n),
            opening_hours="09:00–22:00",
        )
    taken = set(
        Place.objects.exclude(licence_number="").values_list(
            "licence_number", flat=True
        )
    )
    places = [
        p for p in places if not p.licence_number or p.licence_number not in taken
    ]
    Place.objects.bulk_create(places)
    return len(places)


def _seed_component_appeals(street: Area, departments: dict[str, Department]) -> int:
    """Each demo appeal about a lamp, a manhole cover, a bin or a toilet names
    a component at its place: damaged while the appeal is open (one missing
    cover), back in good order once it closed — moved through the action."""
    admin = User.objects.filter(username="street_admin").first()
    if (
        admin is None
        or ComponentAppeal.objects.filter(
            component__grid__path__startswith=street.path
        ).exists()
    ):
        return 0  # linked once, on the first run
    appeals = (
        appeal_selectors.appeal_list_for_user(
            User.objects.filter(is_superuser=True).first()
        )
        .filter(
            street=street,
            category__code__in=APPEAL_COMPONENTS,
            grid__isnull=False,
            latitude__isnull=False,
        )
        .order_by("pk")
    )
    linked = 0
    for n, appeal in enumerate(appeals[:12]):
        if appeal.category is None or appeal.grid is None:
            continue
        subclass, owner = APPEAL_COMPONENTS[appeal.category.code]
        code = f"{subclass}{appeal.grid.code[len(STREET_CODE) :]}9{appeal.pk:04d}"
        component, created = Component.objects.get_or_create(
            code=code,
            defaults={
                "grid": appeal.grid,
                "subclass": subclass,
                "department": departments.get(owner),
                "lon": appeal.longitude,
                "lat": appeal.latitude,
            },
        )
        if not created:
            continue
        ComponentAppeal.objects.create(
            component=component,
            appeal=appeal,
            linked_by=admin,
            linked_at=appeal.received_at,
        )
        if appeal.state in OPEN_STATES:
            lost = subclass == "0102" and n % 2 == 0
            component_actions.component_set_state(
                component=component,
                state=Component.State.LOST if lost else Component.State.DAMAGED,
                note=f"诉求 {appeal.tracking_code}",
                acting_user=admin,
            )
        linked += 1
    return linked


def _where(area: Area, shift: int = 0) -> dict[str, float]:
    """Where an organisation of ``area`` sits on the sandbox: its party
    position (党群服务中心) when the area has one, else inside the area, the
    ``shift``-th of a few spots around its centre."""
    position = (
        Place.objects.filter(
            kind=Place.Kind.PARTY_POSITION, grid__path__startswith=area.path
        )
        .exclude(lon=None)
        .order_by("pk")
        .first()
    )
    if position is not None and shift == 0 and position.lon is not None:
        return {"lon": position.lon, "lat": position.lat or 0.0}
    if not area.boundary:
        return {}
    centre = shape(area.boundary).representative_point()
    step = 0.0015 * shift
    return {"lon": round(centre.x + step, 6), "lat": round(centre.y - step / 2, 6)}


def _seed_organisations(street: Area, grids: list[Area]) -> int:
    made = 0

    def ensure(
        kind: str, name: str, area: Area, parent: Organisation | None, **extra: Any
    ) -> Organisation:
        nonlocal made
        organisation, created = Organisation.objects.get_or_create(
            area=area,
            name=name,
            defaults={"kind": kind, "parent": parent, **_where(area), **extra},
        )
        made += created
        return organisation

    committee = ensure(
        Organisation.Kind.STREET_COMMITTEE,
        f"{street.name}大工委",
        street,
        None,
        contact_name="王建国",
        contact_phone=_phone(900),
    )
    community_committees: dict[int, Organisation] = {}
    for community in Area.objects.filter(
        parent=street, level=Area.Level.COMMUNITY
    ).order_by("code"):
        community_committees[community.pk] = ensure(
            Organisation.Kind.COMMUNITY_COMMITTEE,
            f"{community.name}大党委",
            community,
            committee,
            contact_name="卓玛",
            contact_phone=_phone(910 + len(community_committees)),
        )
    branches = [
        ensure(
            Organisation.Kind.GRID_BRANCH,
            f"{grid.name}大支部",
            grid,
            community_committees.get(grid.parent_id),
        )
        for grid in grids
        if grid.parent_id in community_committees
    ]
    since = dt.date(clock.today().year, 3, 1)
    for n, name in enumerate(UNIT_BRANCHES):
        unit = ensure(
            Organisation.Kind.UNIT_BRANCH,
            name,
            street,
            committee,
            **_where(street, n + 1),
        )
        for branch in branches[n * 2 : n * 2 + 2]:
            Pairing.objects.get_or_create(
                unit_branch=unit,
                grid_branch=branch,
                until=None,
                defaults={"since": since},
            )
    ensure(Organisation.Kind.SOCIAL, f"{street.name}志愿者协会", street, committee)
    alliance = ensure(
        Organisation.Kind.ALLIANCE,
        f"{street.name}居商联盟",
        street,
        committee,
        contact_name="格桑",
        contact_phone=_phone(990),
    )
    pledges = {name: pledge for name, _trade, pledge in SHOPS}
    for shop in Place.objects.filter(
        kind=Place.Kind.SHOP, name__in=pledges, grid__path__startswith=street.path
    ):
        OrganisationMember.objects.get_or_create(
            organisation=alliance,
            place=shop,
            defaults={"pledge": pledges[shop.name], "joined_on": since},
        )
    return made
