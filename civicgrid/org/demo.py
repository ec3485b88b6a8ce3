"""The demo street: 拉萨市 → 堆龙德庆区 → 东嘎街道, its five communities and villages,
20 grids with synthetic, non-overlapping polygons near 29.65 N, 91.05 E, a dozen
departments, and one user for every role. Idempotent: running it again only adds
what is missing and never changes a row that exists, so whatever has been edited
since stays as it is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from shapely.geometry import Polygon, box
from shapely.ops import unary_union

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Membership, Role, User
from civicgrid.core.demo import DEMO_PASSWORD, demo_seed

from .actions import area_save
from .geometry import to_geojson
from .models import Area, Department

CITY = ("540100", "拉萨市")
DISTRICT = ("540103", "堆龙德庆区")
STREET = ("540103001", "东嘎街道")
COMMUNITIES = [
    ("001", "东嘎社区", Area.CommunityKind.COMMUNITY),
    ("002", "林堆社区", Area.CommunityKind.COMMUNITY),
    ("003", "东嘎村", Area.CommunityKind.VILLAGE),
    ("004", "南嘎村", Area.CommunityKind.VILLAGE),
    ("005", "桑木村", Area.CommunityKind.VILLAGE),
]
GRID_ORDINALS = ["第一网格", "第二网格", "第三网格", "第四网格"]

DEPARTMENTS = [
    # code, name, short name, anchored at the street (True) or the district
    ("chengguan", "堆龙德庆区城市管理和综合执法局", "城管", False),
    ("zhujian", "堆龙德庆区住房和城乡建设局", "住建", False),
    ("shichang", "堆龙德庆区市场监督管理局", "市场监管", False),
    ("paichusuo", "东嘎派出所", "派出所", True),
    ("gongshui", "堆龙德庆区供排水公司", "供水", False),
    ("gongdian", "国网堆龙德庆区供电公司", "供电", False),
    ("huanwei", "堆龙德庆区环境卫生管理所", "环卫", False),
    ("minzheng", "堆龙德庆区民政局", "民政", False),
    ("weijian", "堆龙德庆区卫生健康委员会", "卫健", False),
    ("jiaoyu", "堆龙德庆区教育局", "教育", False),
    ("jiaotong", "堆龙德庆区交通运输局", "交通运输", False),
    ("ziran", "堆龙德庆区自然资源局", "自然资源", False),
    # Departments the street summons when it blows the whistle (吹哨报到).
    ("shuili", "堆龙德庆区水利局", "水利", False),
    ("nongye", "堆龙德庆区农业农村局", "农业农村", False),
    ("shengtai", "拉萨市生态环境局堆龙德庆区分局", "生态环境", False),
    ("yingji", "堆龙德庆区应急管理局", "应急管理", False),
    ("xiaofang", "堆龙德庆区消防救援大队", "消防", False),
    ("renshe", "堆龙德庆区人力资源和社会保障局", "人社", False),
    ("sifa", "东嘎司法所", "司法所", True),
    ("wenlv", "堆龙德庆区文化和旅游局", "文旅", False),
    ("ranqi", "堆龙德庆区燃气公司", "燃气", False),
    ("dianxin", "中国电信堆龙德庆区分公司", "通信", False),
    ("lincao", "堆龙德庆区林业和草原局", "林草", False),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    unit: str  # an area code, a department code, or ""
    staff: bool = False
    superuser: bool = False


DEMO_USERS = [
    DemoUser("admin", "系统管理员", "", "", staff=True, superuser=True),
    DemoUser("street_admin", "格桑 (街道管理员)", Role.ADMIN, STREET[0], staff=True),
    DemoUser("dispatcher", "次仁旺堆", Role.DISPATCHER, STREET[0]),
    DemoUser("operator", "央金", Role.OPERATOR, STREET[0]),
    DemoUser("leader", "王建国", Role.LEADER, STREET[0]),
    DemoUser("community", "卓玛", Role.COMMUNITY_STAFF, STREET[0] + "001"),
    DemoUser("gridworker", "扎西", Role.GRID_WORKER, STREET[0] + "001001"),
    DemoUser("handler_cg", "李明", Role.DEPARTMENT_HANDLER, "chengguan"),
    DemoUser("handler_zj", "拉巴次仁", Role.DEPARTMENT_HANDLER, "zhujian"),
    DemoUser("volunteer", "普布", Role.VOLUNTEER, STREET[0] + "001"),
    DemoUser("discipline", "德吉", Role.DISCIPLINE_OFFICER, STREET[0]),
    DemoUser("resident", "边巴", Role.RESIDENT, ""),
]
# The grid worker keeps two grids: memberships beyond the first of DEMO_USERS.
EXTRA_MEMBERSHIPS = [("gridworker", Role.GRID_WORKER, STREET[0] + "001002")]

# Every other department has a handler too, so that whatever the demo
# dispatches or summons, someone can sign, report in and finish it
# (handler_<department code>, the same password; not listed one per role).
HANDLER_NAMES = [
    "达瓦",
    "尼玛",
    "旦增",
    "索朗",
    "洛桑",
    "米玛",
    "次旺",
    "平措",
    "格桑曲珍",
    "白玛",
    "强巴",
    "拉姆",
    "桑珠",
    "边巴次仁",
    "阿旺",
    "曲珍",
    "多吉",
    "益西",
    "仁增",
    "巴桑",
    "丹巴",
]

# Every other grid has its grid worker and every other community its staff
# too, so that whatever is sent to a grid or a community, one of its own signs
# and answers it (gridworker_<grid code>, community_<community code>, the same
# password; not listed one per role).
GRID_WORKER_NAMES = [
    "次仁卓玛",
    "扎西顿珠",
    "格桑梅朵",
    "尼玛次仁",
    "白玛央宗",
    "洛桑多吉",
    "普布次仁",
    "达娃卓嘎",
    "旺堆",
    "德庆",
    "央拉",
    "次珍",
    "拉巴卓玛",
    "边巴扎西",
    "张伟",
    "刘洋",
    "陈静",
    "赵磊",
]
COMMUNITY_STAFF_NAMES = ["索朗卓玛", "格桑旺姆", "王丽", "普琼"]
AREA_ROLES = (Role.GRID_WORKER, Role.COMMUNITY_STAFF)

STREET_ADMIN_GROUP = "街道管理员"
# (app, model, actions). The work calendar serves every street, so a street's
# administrator reads it; a superuser (the city or district) edits it.
STREET_ADMIN_PERMISSIONS = [
    ("org", "area", ("view", "add", "change", "delete")),
    ("org", "department", ("view", "add", "change", "delete")),
    ("accounts", "user", ("view", "add", "change")),
    ("accounts", "membership", ("view", "add", "change", "delete")),
    ("core", "calendarday", ("view",)),
]


def grid_lattice(
    *,
    cols: int,
    rows: int,
    west: float,
    south: float,
    width: float,
    height: float,
    seed: int,
) -> dict[tuple[int, int], Polygon]:
    """Cells of a jittered lattice: neighbours share their edges exactly, so the
    cells tile the rectangle without gaps or overlaps. Each edge gets a jittered
    midpoint too, so borders look drawn rather than ruled."""
    rng = random.Random(seed)  # noqa: S311 - synthetic shapes, not security
    dx, dy = width / cols, height / rows
    points = {}
    for i in range(cols + 1):
        for j in range(rows + 1):
            jx = 0 if i in (0, cols) else rng.uniform(-0.18, 0.18) * dx
            jy = 0 if j in (0, rows) else rng.uniform(-0.18, 0.18) * dy
            points[i, j] = (round(west + i * dx + jx, 6), round(south + j * dy + jy, 6))

    midpoints: dict[tuple[tuple[int, int], tuple[int, int]], tuple[float, float]] = {}

    def midpoint(a: tuple[int, int], b: tuple[int, int]) -> tuple[float, float]:
        key = (min(a, b), max(a, b))
        if key not in midpoints:
            (x1, y1), (x2, y2) = points[key[0]], points[key[1]]
            on_border = (a[0] == b[0] and a[0] in (0, cols)) or (
                a[1] == b[1] and a[1] in (0, rows)
            )
            wobble = 0 if on_border else rng.uniform(-0.08, 0.08)
            # push the midpoint across the edge (perpendicular to it)
            mx = (x1 + x2) / 2 - (y2 - y1) * wobble
            my = (y1 + y2) / 2 + (x2 - x1) * wobble
            midpoints[key] = (round(mx, 6), round(my, 6))
        return midpoints[key]

    cells = {}
    for i in range(cols):
        for j in range(rows):
            corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
            ring: list[tuple[float, float]] = []
            for k, corner in enumerate(corners):
                following = corners[(k + 1) % 4]
                ring += [points[corner], midpoint(corner, following)]
            cells[i, j] = Polygon(ring)
    return cells


def _ensure_area(
    *,
    code: str,
    name: str,
    level: str,
    parent: Area | None,
    boundary: Any,
    kind: str = "",
) -> Area:
    """The area with this code as it stands, or a new one. An area that exists is
    never changed: a second run keeps whatever administrators have edited."""
    existing = Area.objects.filter(code=code).first()
    if existing is not None:
        return existing
    area = Area(
        code=code,
        name=name,
        level=level,
        parent=parent,
        community_kind=kind,
        boundary=boundary,
    )
    return area_save(area=area, acting_user=None)


def seed_areas() -> dict[str, Area]:
    cells = grid_lattice(
        cols=10,
        rows=2,
        west=91.00,
        south=29.63,
        width=0.10,
        height=0.04,
        seed=540103001,
    )
    community_cells: dict[str, list[Polygon]] = {}
    for index, (suffix, _name, _kind) in enumerate(COMMUNITIES):
        community_cells[suffix] = [
            cells[2 * index, 0],
            cells[2 * index + 1, 0],
            cells[2 * index, 1],
            cells[2 * index + 1, 1],
        ]
    street_shape = unary_union([c for cs in community_cells.values() for c in cs])

    areas: dict[str, Area] = {}
    city = _ensure_area(
        code=CITY[0],
        name=CITY[1],
        level=Area.Level.CITY,
        parent=None,
        boundary=to_geojson(box(90.5, 29.3, 91.6, 30.2)),
    )
    district = _ensure_area(
        code=DISTRICT[0],
        name=DISTRICT[1],
        level=Area.Level.DISTRICT,
        parent=city,
        boundary=to_geojson(box(90.8, 29.5, 91.2, 29.9)),
    )
    street = _ensure_area(
        code=STREET[0],
        name=STREET[1],
        level=Area.Level.STREET,
        parent=district,
        boundary=to_geojson(street_shape),
    )
    areas.update({city.code: city, district.code: district, street.code: street})
    for suffix, name, kind in COMMUNITIES:
        shapes = community_cells[suffix]
        community = _ensure_area(
            code=STREET[0] + suffix,
            name=name,
            level=Area.Level.COMMUNITY,
            parent=street,
            boundary=to_geojson(unary_union(shapes)),
            kind=kind,
        )
        areas[community.code] = community
        for n, shape in enumerate(shapes):
            grid = _ensure_area(
                code=f"{community.code}{n + 1:03d}",
                name=f"{name}{GRID_ORDINALS[n]}",
                level=Area.Level.GRID,
                parent=community,
                boundary=to_geojson(shape),
            )
            areas[grid.code] = grid
    return areas


def seed_departments(areas: dict[str, Area]) -> dict[str, Department]:
    departments = {}
    for code, name, short_name, at_street in DEPARTMENTS:
        anchor = areas[STREET[0]] if at_street else areas[DISTRICT[0]]
        department, _created = Department.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short_name, "area": anchor}
        )
        departments[code] = department
    return departments


def _street_admin_group() -> Group:
    group, created = Group.objects.get_or_create(name=STREET_ADMIN_GROUP)
    if not created:
        return group
    for app_label, model, actions in STREET_ADMIN_PERMISSIONS:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )
    return group


@cache
def demo_password() -> str:
    """The demo password, hashed once: every demo account has the same, and
    hashing it (Argon2, slow on purpose) for each of fifty users would take
    most of the seed's time."""
    return make_password(DEMO_PASSWORD)


def seed_users(
    areas: dict[str, Area], departments: dict[str, Department]
) -> list[DemoUser]:
    group = _street_admin_group()
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                full_name=spec.full_name,
                is_staff=spec.staff,
                is_superuser=spec.superuser,
            )
            user.password = demo_password()
            user.save()
            if spec.role == Role.ADMIN:
                user.groups.add(group)
        _ensure_membership(user, spec.role, spec.unit, areas, departments)
    for username, role, unit in EXTRA_MEMBERSHIPS:
        _ensure_membership(
            User.objects.get(username=username), role, unit, areas, departments
        )
    for code, full_name in department_handlers():
        user = User.objects.filter(username=f"handler_{code}").first()
        if user is None:
            user = User(username=f"handler_{code}", full_name=full_name)
            user.password = demo_password()
            user.save()
        _ensure_membership(user, Role.DEPARTMENT_HANDLER, code, areas, departments)
    for username, full_name, area_role, code in area_members():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name)
            user.password = demo_password()
            user.save()
        _ensure_membership(user, area_role, code, areas, departments)
    return DEMO_USERS


def area_members() -> list[tuple[str, str, str, str]]:
    """(username, name, role, area code) of a grid worker for each grid and a
    community staff member for each community that no demo user works for."""
    held = {u.unit for u in DEMO_USERS if u.role in AREA_ROLES}
    held |= {unit for _user, role, unit in EXTRA_MEMBERSHIPS if role in AREA_ROLES}
    communities = [STREET[0] + suffix for suffix, _name, _kind in COMMUNITIES]
    grids = [f"{c}{n + 1:03d}" for c in communities for n in range(len(GRID_ORDINALS))]
    return [
        (f"gridworker_{code[len(STREET[0]) :]}", name, Role.GRID_WORKER.value, code)
        for code, name in zip(
            [g for g in grids if g not in held], GRID_WORKER_NAMES, strict=True
        )
    ] + [
        (f"community_{code[len(STREET[0]) :]}", name, Role.COMMUNITY_STAFF.value, code)
        for code, name in zip(
            [c for c in communities if c not in held],
            COMMUNITY_STAFF_NAMES,
            strict=True,
        )
    ]


def department_handlers() -> list[tuple[str, str]]:
    """(department code, handler's name) of the departments no demo user
    handles."""
    handled = {u.unit for u in DEMO_USERS if u.role == Role.DEPARTMENT_HANDLER}
    codes = [code for code, *_rest in DEPARTMENTS if code not in handled]
    return list(zip(codes, HANDLER_NAMES, strict=True))


def _ensure_membership(
    user: User,
    role: str,
    unit: str,
    areas: dict[str, Area],
    departments: dict[str, Department],
) -> None:
    if not role:
        return
    area = areas.get(unit)
    department = departments.get(unit)
    if Membership.objects.filter(
        user=user, role=role, area=area, department=department
    ).exists():
        return
    membership_add(
        user=user, role=role, area=area, department=department, acting_user=None
    )


@demo_seed("org.street")
def seed_street() -> str:
    areas = seed_areas()
    departments = seed_departments(areas)
    seed_users(areas, departments)
    grids = sum(1 for a in areas.values() if a.level == Area.Level.GRID)
    return (
        f"{len(areas)} areas ({grids} grids), {len(departments)} departments, "
        f"{len(DEMO_USERS)} demo users"
    )
