"""Demo people (人): every demo grid gets 20–60 households of synthetic
residents — Tibetan and Han names, ID numbers of 堆龙德庆区 with valid check
digits, phones 139000xxxxx —, their tags (独居老人, 高龄, 党员, 新就业群体 …),
some who moved away, and visits by the grid's worker over the past months, so
that "people to visit" holds some, not all. Written in bulk to stay fast;
idempotent: a grid that has households is left as it is."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import random
from typing import Any

from shapely.geometry import Point, shape

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.core import clock, crypto
from civicgrid.core.demo import demo_seed
from civicgrid.org.models import Area

from ..models import (
    Building,
    Change,
    Household,
    Person,
    PersonTag,
    Residence,
    Visit,
)
from ..rules import id_number_check_digit
from .moments import working_moment

# The places' seed writes the grids' buildings first, where it is present.
AFTER: tuple[str, ...] = ("org.street",)
if importlib.util.find_spec(f"{__package__}.places") is not None:
    importlib.import_module(f"{__package__}.places")
    AFTER += ("ledger.places",)

TIBETAN = [
    "扎西", "卓玛", "次仁", "央金", "格桑", "德吉", "尼玛", "拉姆", "多吉", "白玛",
    "达瓦", "曲珍", "旦增", "央宗", "平措", "次珍", "洛桑", "措姆", "边巴", "普布",
]  # fmt: skip
HAN_FAMILY = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
HAN_GIVEN = ["建国", "秀英", "伟", "芳", "军", "丽", "强", "敏", "磊", "静", "洋", "娟"]
MOVED_TO = ["拉萨市城关区", "日喀则市", "堆龙德庆区乃琼镇", "林芝市", "四川省成都市"]
NOTES = [
    "身体状况良好，生活能自理",
    "询问了近期用水用电情况，无异常",
    "宣传了防诈骗知识",
    "了解家庭就业情况",
    "送去了米面油",
    "提醒冬季取暖注意用火安全",
]
FINDINGS = ["楼道灯不亮", "家中老人行动不便，希望有人定期看望", "下水道有异味"]
DISTRICT_CODE = "540103"


def _grid_worker(grid: Area) -> Any:
    return access.holders_over(grid, (Role.GRID_WORKER,)).order_by("pk").first()


def _buildings(grid: Area, rng: random.Random) -> list[Building]:
    """The grid's buildings; a few simple ones when none were written yet."""
    buildings = list(Building.objects.filter(grid=grid, is_active=True))
    if buildings:
        return buildings
    polygon = shape(grid.boundary)
    point = polygon.representative_point()
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    for number in range(1, rng.randint(3, 6) + 1):
        spot = point
        for _attempt in range(20):
            candidate = Point(
                rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
            )
            if polygon.contains(candidate):
                spot = candidate
                break
        building, _created = Building.objects.get_or_create(
            grid=grid,
            name=f"{number}号楼",
            defaults={"lon": spot.x, "lat": spot.y, "floors": 6, "units": 2},
        )
        buildings.append(building)
    return buildings


class _Numbers:
    """Unique synthetic ID numbers and phones for the whole run."""

    def __init__(self) -> None:
        self.taken = set(
            Person.objects.exclude(id_number_index="").values_list(
                "id_number_index", flat=True
            )
        )
        self.phone = 10000 + Person.objects.exclude(phone="").count()

    def id_number(self, born: dt.date, male: bool, rng: random.Random) -> str:
        while True:
            serial = rng.randrange(0, 100) * 10 + rng.choice(
                (1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8)
            )
            first = f"{DISTRICT_CODE}{born:%Y%m%d}{serial:03d}"
            number = first + id_number_check_digit(first)
            index = crypto.blind_index(number)
            if index not in self.taken:
                self.taken.add(index)
                return number

    def next_phone(self) -> str:
        self.phone += 1
        return f"139000{self.phone % 100000:05d}"


def _name(rng: random.Random, tibetan: bool) -> str:
    if tibetan:
        return rng.choice(TIBETAN) + rng.choice(TIBETAN)
    return rng.choice(HAN_FAMILY) + rng.choice(HAN_GIVEN)


def _born(rng: random.Random, today: dt.date, low: int, high: int) -> dt.date:
    return today - dt.timedelta(days=rng.randint(low * 365, high * 365))


def _seed_grid(grid: Area, numbers: _Numbers) -> tuple[int, int, int]:
    rng = random.Random(f"ledger.people {grid.code}")  # noqa: S311 — synthetic
    today = clock.today()
    now = clock.now()
    worker = _grid_worker(grid)
    buildings = _buildings(grid, rng)
    households = []
    for index in range(rng.randint(20, 60)):
        building = buildings[index % len(buildings)]
        floor, door = divmod(index // len(buildings), 2)
        households.append(
            Household(
                building=building,
                grid=grid,
                unit=str(door + 1),
                room=f"{floor + 1}0{rng.randint(1, 2)}",
            )
        )
    unique: dict[tuple[Any, str, str], Household] = {}
    for household in households:
        unique.setdefault(
            (household.building_id, household.unit, household.room), household
        )
    households = Household.objects.bulk_create(list(unique.values()))

    people: list[Person] = []
    plans: list[tuple[Person, Household, dt.date, bool]] = []
    tags: list[tuple[Person, str]] = []
    for household in households:
        shape_of = rng.random()
        tibetan = rng.random() < 0.8
        if shape_of < 0.18:  # an elderly person living alone
            members = [("", 72, 92)]
        elif shape_of < 0.35:  # an elderly couple
            members = [("户主", 65, 88), ("配偶", 63, 85)]
        else:
            members = [("户主", 30, 60), ("配偶", 28, 58)]
            members += [("子女", 1, 25)] * rng.randint(0, 3)
            if rng.random() < 0.3:
                members.append(("父母", 70, 90))
        for relation, low, high in members:
            male = rng.random() < 0.5
            born = _born(rng, today, low, high)
            number = numbers.id_number(born, male, rng) if rng.random() < 0.9 else ""
            phone = numbers.next_phone() if born.year < today.year - 16 else ""
            person = Person(
                household=household,
                name=_name(rng, tibetan),
                id_number=number,
                id_number_index=crypto.blind_index(number) if number else "",
                phone=phone,
                phone_index=crypto.blind_index(phone) if phone else "",
                gender=Person.Gender.MALE if male else Person.Gender.FEMALE,
                birth_date=born,
                ethnicity="藏族" if tibetan else "汉族",
                relation=relation or "户主",
            )
            age = (today - born).days // 365
            moved_away = relation == "子女" and age > 18 and rng.random() < 0.35
            if moved_away:
                person.household = None
            people.append(person)
            plans.append((person, household, born, moved_away))
            if len(members) == 1 and age >= 70:
                tags.append((person, PersonTag.Tag.LIVES_ALONE))
            if age >= 80:
                tags.append((person, PersonTag.Tag.ADVANCED_AGE))
            if age >= 18 and rng.random() < 0.08:
                tags.append((person, PersonTag.Tag.PARTY_MEMBER))
            if 20 <= age <= 40 and not moved_away and rng.random() < 0.1:
                tags.append((person, PersonTag.Tag.NEW_EMPLOYMENT))
            if age >= 18 and rng.random() < 0.02:
                tags.append(
                    (
                        person,
                        rng.choice(
                            [
                                PersonTag.Tag.VETERAN,
                                PersonTag.Tag.DISABILITY,
                                PersonTag.Tag.SUBSISTENCE,
                                PersonTag.Tag.FLOATING,
                            ]
                        ),
                    )
                )
    Person.objects.bulk_create(people)

    residences = []
    for person, household, born, moved_away in plans:
        moved_in = max(born, today - dt.timedelta(days=rng.randint(400, 6000)))
        out = None
        if moved_away:
            out = today - dt.timedelta(days=rng.randint(30, 360))
            out = max(out, moved_in)
        residences.append(
            Residence(
                person=person,
                household=household,
                moved_in_on=moved_in,
                moved_out_on=out,
                moved_out_to=rng.choice(MOVED_TO) if out else "",
            )
        )
    Residence.objects.bulk_create(residences)
    PersonTag.objects.bulk_create(
        PersonTag(
            person=person,
            tag=tag,
            since=today - dt.timedelta(days=rng.randint(60, 1500)),
            note="外卖骑手" if tag == PersonTag.Tag.NEW_EMPLOYMENT else "",
        )
        for person, tag in tags
    )

    visits = []
    met = []
    if worker is not None:
        current: dict[int, list[Person]] = {}
        for person, household, _born_on, moved_away in plans:
            if not moved_away:
                current.setdefault(household.pk, []).append(person)
        for household in households:
            # Some households were seen lately, some long ago, some never.
            if rng.random() < 0.25:
                continue
            for _time in range(rng.randint(1, 3)):
                when = min(
                    working_moment(now - dt.timedelta(days=rng.randint(1, 150)), rng),
                    now,
                )
                found = rng.random() < 0.1
                visit = Visit(
                    household=household,
                    visitor=worker,
                    visited_at=when,
                    notes=rng.choice(NOTES),
                    findings=rng.choice(FINDINGS) if found else "",
                )
                visits.append(visit)
                met.append((visit, current.get(household.pk, [])[:2]))
        Visit.objects.bulk_create(visits)
        Through = Visit.people_met.through
        Through.objects.bulk_create(
            Through(visit_id=visit.pk, person_id=person.pk)
            for visit, persons in met
            for person in persons
        )
    # The street opened its ledger a little over a year ago, from its paper one.
    opened = working_moment(now - dt.timedelta(days=380), rng)
    Change.objects.bulk_create(
        Change(
            grid=grid,
            model="household",
            object_id=household.pk,
            action=Change.Action.IMPORT,
            actor=None,
            changes={"room": [None, household.room]},
            reason="网格台账建账",
            created_at=opened,
        )
        for household in households
    )
    return len(households), len(people), len(visits)


@demo_seed("ledger.people", after=AFTER)
def seed_people() -> str:
    numbers = _Numbers()
    households = people = visits = 0
    grids = Area.objects.filter(level=Area.Level.GRID, is_active=True).order_by("code")
    kept = set(Household.objects.values_list("grid_id", flat=True).distinct())
    for grid in grids:
        if grid.pk in kept or not grid.boundary:
            continue
        h, p, v = _seed_grid(grid, numbers)
        households += h
        people += p
        visits += v
    if not households:
        return ""
    return f"{households} households, {people} people, {visits} visits"
