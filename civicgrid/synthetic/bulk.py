"""``civicgrid seed-bulk``: a realistic history of appeals for dashboards and
benchmarks — two years (by default) of every category, grid and channel, in
every state, with returns, late responses, overdue replies, callbacks,
re-handles and whistles.

A million appeals through the actions would take hours, so the rows are
written directly — appeals, shares, timeline events and the facts — in plain
batched inserts (COPY on PostgreSQL). The facts follow the same rules as
:mod:`civicgrid.metrics.facts`, so the rates over this history equal a direct
count over its timeline, as they do for real history.

The rows are those the actions would have written: each step is taken by its
person (the street's dispatcher accepts and dispatches, a member of the unit
signs, returns and replies, the operator calls back, the sweep marks what is
late), with the data the timeline's labels read (the unit dispatched to, the
unit that signed …); the staff's steps fall in working time and every
deadline is counted on the work calendar from the appeal's clocks, as
``appeal_dispatch`` counts it; the pins fall inside their grid's outline.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import shapely
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from shapely.geometry import shape

from civicgrid.accounts import access
from civicgrid.accounts.models import Role, User
from civicgrid.api.models import ApiClient
from civicgrid.appeals.actions import new_tracking_code
from civicgrid.appeals.actions.intake import STAFF_CHANNELS
from civicgrid.appeals.clocks import clocks_for, deadlines
from civicgrid.appeals.demo import DEMO_DESCRIPTIONS
from civicgrid.appeals.models import (
    Appeal,
    Assignment,
    CaseEvent,
    Category,
    Channel,
    UnitType,
)
from civicgrid.core import clock
from civicgrid.core.crypto import blind_index, encrypt
from civicgrid.core.db import insert_rows
from civicgrid.core.errors import DomainError
from civicgrid.core.fields import sealed_fields, sealed_row
from civicgrid.core.workcalendar import WorkCalendar, get_work_calendar
from civicgrid.metrics.facts import rebuild_daily
from civicgrid.metrics.models import Fact
from civicgrid.org.models import Area, Department
from civicgrid.whistles.models import Summons, Whistle, WhistleType

HOUR = 3600.0
CHANNELS = [
    (Channel.WEB, 40),
    (Channel.PHONE, 35),
    (Channel.PATROL, 10),
    (Channel.LETTER, 4),
    (Channel.VISIT, 6),
    (Channel.API, 5),
]
PHRASES = [
    "已经好几天了，希望尽快处理。",
    "影响附近居民出行，请派人来看看。",
    "老人和孩子都不方便，麻烦了。",
    "晚上尤其严重，谢谢。",
    "之前反映过一次，还没有解决。",
]
NAMES = ["卓玛", "扎西", "次仁", "央金", "格桑", "王芳", "李强", "拉巴", "普布", "德吉"]


class Table:
    """Rows for one model, written in one statement per batch; the columns
    and their empty values come from the model."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [str(f.column) for f in self.fields]
        self.names = [f.attname for f in self.fields]
        self.empty = {f.attname: self._empty(f) for f in self.fields}
        self.sealed = bool(sealed_fields(model))
        self.rows: list[list[Any]] = []
        last = model._default_manager.aggregate(m=models.Max("pk"))["m"]
        self.next_id = (last or 0) + 1
        self.written = 0

    @staticmethod
    def _empty(f: models.Field[Any, Any]) -> Any:
        if f.has_default():
            return f.get_default()
        return None if f.null else ""

    def add(self, **values: Any) -> int:
        pk = self.next_id
        self.next_id += 1
        values["id"] = pk
        if self.sealed:  # the rows skip the fields: a typed number is sealed here
            values = sealed_row(self.model, values)
        self.rows.append([values.get(n, self.empty[n]) for n in self.names])
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        convert = _pg if connection.vendor == "postgresql" else _sqlite
        insert_rows(
            self.model._meta.db_table,
            self.columns,
            [[convert(v) for v in row] for row in self.rows],
        )
        self.written += len(self.rows)
        self.rows = []

    def reset_sequence(self) -> None:
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)


def _pg(value: Any) -> Any:
    return (
        json.dumps(value, ensure_ascii=False)
        if isinstance(value, dict | list)
        else value
    )


def _sqlite(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):  # a date
        return value.isoformat()
    return value


@dataclass
class Place:
    """A grid, its community and its outline (prepared: points are drawn in it)."""

    grid: Area
    community_id: int
    outline: Any
    inside: tuple[float, float]  # a point surely inside, (lon, lat)


Key = tuple[str, int]


def _key(unit: dict[str, Any]) -> Key:
    if unit.get("department_id"):
        return ("department", unit["department_id"])
    return ("area", unit["area_id"])


def in_working_time(calendar: WorkCalendar, moment: datetime) -> bool:
    """Whether ``moment`` falls in a working period of a working day."""
    local = moment.astimezone(calendar.tz)
    return calendar.is_working_day(local.date()) and any(
        p.start <= local.time() <= p.end for p in calendar.periods
    )


@dataclass
class World:
    """What the history happens in: the street, its grids, categories and units,
    the work calendar, and the people who take the steps — picked once."""

    street: Area
    places: list[Place]
    categories: list[tuple[Category, int]]
    departments: list[Department]
    whistle_type: WhistleType | None
    calendar: WorkCalendar
    dispatcher_id: int | None
    operator_id: int | None
    # The client system that files API appeals (the 12345 platform), by name.
    client: tuple[int, str] | None
    # Each unit by its key: its name as the actions write it, and who acts for
    # it (one of its members; a superuser, who acts for every unit, if it has none).
    unit_names: dict[Key, str]
    members: dict[Key, int | None]
    contacts: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def blower_id(self) -> int | None:
        return self.dispatcher_id

    def name(self, unit: dict[str, Any]) -> str:
        return self.unit_names[_key(unit)]

    def member(self, unit: dict[str, Any]) -> int | None:
        return self.members[_key(unit)]


def _member(fallback: int | None, **unit: Any) -> int | None:
    member = (
        access.unit_members(**unit)
        .filter(user__is_active=True, user__api_client__isnull=True)
        .order_by("pk")
        .values_list("user_id", flat=True)
        .first()
    )
    return member or fallback


def _world(rng: random.Random) -> World:
    streets = list(Area.objects.filter(level=Area.Level.STREET, is_active=True))
    if not streets:
        raise DomainError("No street yet: run `civicgrid seed-demo` first.")
    street = streets[0]
    grids = list(
        Area.objects.filter(
            level=Area.Level.GRID, is_active=True, path__startswith=street.path
        )
        .exclude(min_lon__isnull=True)
        .exclude(boundary__isnull=True)
        .order_by("code")
    )
    places = []
    for grid in grids:
        outline = shape(grid.boundary)
        shapely.prepare(outline)
        inside = outline.representative_point()
        places.append(Place(grid, grid.parent_id or 0, outline, (inside.x, inside.y)))
    leaves = list(
        Category.objects.filter(is_active=True, current_version__isnull=False)
        .select_related("current_version")
        .order_by("pk")
    )
    if not places or not leaves:
        raise DomainError("The street needs grids and categories: run seed-demo.")
    # A few categories take most appeals, as in any city.
    weights = [max(1, int(100 / (n + 1))) for n in range(len(leaves))]
    rng.shuffle(weights)
    superuser = (
        User.objects.filter(is_superuser=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )

    def holder(role: str) -> int | None:
        found = access.holders_over(street, (role,)).order_by("pk").first()
        return found.pk if found else superuser

    departments = list(Department.objects.filter(is_active=True).order_by("pk"))
    communities = Area.objects.filter(pk__in={p.community_id for p in places})
    unit_names: dict[Key, str] = {}
    members: dict[Key, int | None] = {}
    for department in departments:
        unit_names["department", department.pk] = str(department)
        members["department", department.pk] = _member(
            superuser, department_id=department.pk, area_id=None
        )
    for area in [*grids, *communities]:
        unit_names["area", area.pk] = str(area)
        members["area", area.pk] = _member(
            superuser, department_id=None, area_id=area.pk
        )
    # The platform that files appeals, not a department's own case system.
    client = next(
        (
            (c.user_id, c.name)
            for c in ApiClient.objects.filter(
                is_active=True, revoked_at__isnull=True, user__is_active=True
            )
            .select_related("user")
            .order_by("name")
            if not access.handled_department_ids(c.user)
        ),
        None,
    )
    contacts = []
    for n in range(200):  # encrypted once, reused: the history is not about them
        phone = f"139{rng.randrange(10**8):08d}"
        contacts.append(
            (encrypt(NAMES[n % len(NAMES)]), encrypt(phone), blind_index(phone))
        )
    return World(
        street=street,
        places=places,
        categories=list(zip(leaves, weights, strict=True)),
        departments=departments,
        whistle_type=WhistleType.objects.filter(is_active=True).first(),
        calendar=get_work_calendar(),
        dispatcher_id=holder(Role.DISPATCHER),
        operator_id=holder(Role.OPERATOR),
        client=client,
        unit_names=unit_names,
        members=members,
        contacts=contacts,
    )


class Writer:
    """One appeal's path, written as rows of all four tables."""

    def __init__(self, world: World, rng: random.Random, now: datetime) -> None:
        self.world = world
        self.rng = rng
        self.now = now
        self.appeals = Table(Appeal)
        self.shares = Table(Assignment)
        self.events = Table(CaseEvent)
        self.facts = Table(Fact)
        self.codes = set(Appeal.objects.values_list("tracking_code", flat=True))
        self.whistles: list[tuple[int, datetime]] = []

    def tables(self) -> list[Table]:
        return [self.appeals, self.shares, self.events, self.facts]

    def flush(self) -> None:
        for table in self.tables():
            table.flush()

    def _code(self) -> str:
        while (code := new_tracking_code()) in self.codes:
            pass
        self.codes.add(code)
        return code

    def _point(self, place: Place) -> tuple[float, float]:
        """(lat, lon) inside the grid's outline, as a pin would be dropped."""
        west, south, east, north = place.outline.bounds
        for _try in range(10):
            lon = round(self.rng.uniform(west, east), 6)
            lat = round(self.rng.uniform(south, north), 6)
            if shapely.contains_xy(place.outline, lon, lat):
                return lat, lon
        lon, lat = place.inside
        return lat, lon

    def _office_hours(self, moment: datetime) -> datetime:
        """A call, a visit or a letter is taken in office hours: ``moment`` if
        it is in working time, else a moment in the working periods of that
        day (or the last working day before it), never after ``now``."""
        calendar = self.world.calendar
        if in_working_time(calendar, moment):
            return moment
        day = timezone.localtime(moment, calendar.tz).date()
        for _try in range(30):
            if calendar.is_working_day(day):
                period = self.rng.choice(calendar.periods)
                start = datetime.combine(day, period.start, tzinfo=calendar.tz)
                at = start + timedelta(seconds=self.rng.uniform(0, period.seconds))
                if at <= self.now:
                    return at
            day -= timedelta(days=1)
        return moment

    def _description(self, category: Category) -> str:
        words = DEMO_DESCRIPTIONS.get(category.code)
        return words or f"{category.name}：{self.rng.choice(PHRASES)}"

    def appeal(self, received: datetime) -> None:
        rng, world = self.rng, self.world
        category, _w = rng.choices(
            world.categories, weights=[w for _c, w in world.categories]
        )[0]
        version: Any = category.current_version  # a leaf: it has one
        place = rng.choice(world.places)
        grid = place.grid
        channel = rng.choices(
            [c for c, _w in CHANNELS], weights=[w for _c, w in CHANNELS]
        )[0]
        # Who entered it: the resident themself on the web page, the client
        # system for the API, the operator for a call, a visit or a letter, the
        # grid's own worker for a patrol finding.
        entered_by: int | None = None
        source: dict[str, str] = {}
        if channel == Channel.PATROL:
            entered_by = world.member({"area_id": grid.pk})
            if entered_by is None:
                channel = Channel.PHONE
        if channel == Channel.API:
            if world.client is None:
                channel = Channel.WEB
            else:
                entered_by, name = world.client
                source = {"client": name}
        if channel in STAFF_CHANNELS:
            received = self._office_hours(received)
            if channel != Channel.PATROL:
                entered_by = world.operator_id
        # A patrol finding is the grid worker's own, never anonymous.
        anonymous = channel != Channel.PATROL and rng.random() < 0.35
        name, phone, index = ("", "", "") if anonymous else rng.choice(world.contacts)
        lat, lon = self._point(place)
        appeal: dict[str, Any] = {
            "created_at": received,
            "updated_at": received,
            "tracking_code": self._code(),
            "state": Appeal.State.RECEIVED,
            "kind": version.kind,
            "channel": channel,
            "street_id": world.street.pk,
            "grid_id": grid.pk,
            "category_id": category.pk,
            "category_version_id": version.pk,
            "description": self._description(category),
            "answers": [],
            "latitude": lat,
            "longitude": lon,
            "anonymous": anonymous,
            "appellant_name": name,
            "appellant_phone": phone,
            "appellant_phone_index": index,
            "consented_at": received if channel == Channel.WEB else None,
            "received_at": received,
            "entered_by_id": entered_by,
        }
        pk = self.appeals.next_id
        base = {
            "street_id": world.street.pk,
            "category_id": category.pk,
            "channel": channel,
            "appeal_id": pk,
        }
        path = _Path(self, appeal, pk, base, place, version)
        path.run(received, source)
        self.appeals.add(**appeal)


# What the units and the street write, in their words.
REJECTIONS = [
    ("属于区级信访事项，不属于本街道受理范围。", "区信访局"),
    ("属于劳动仲裁事项，请通过仲裁途径解决。", "区劳动人事争议仲裁委员会"),
    ("属于法院已受理的民事纠纷。", ""),
]
RETURN_REASON = "不属于本单位职责"
REPLIES = [
    # outcome, weight, the public reply, the reason (not resolved)
    ("resolved", 88, "您好，您反映的问题已到现场核实并处理完毕，感谢您的监督。", ""),
    ("partly_resolved", 8, "您好，问题已部分处理，剩余部分已列入近期计划。", ""),
    (
        "not_resolved",
        4,
        "您好，经现场核实，该问题需产权单位配合，我们已发函协调。",
        "需产权单位配合，暂无法解决",
    ),
]
CO_DONE = "已配合完成现场处置。"
CO_CLOSED = "主办单位已处理完毕，协办事项无需继续。"
SWEEP_LAG = timedelta(minutes=1)  # the worker's sweep comes round after a deadline
# The share's field each sweep mark sets.
MARKED = {
    "due_soon": "warned_at",
    "overdue": "overdue_at",
    "late_to_sign": "response_overdue_at",
}


@dataclass
class _Co:
    """A co-handler's share (协办): its steps are written once the lead's
    reply (or ``now``) says how far it got."""

    pk: int
    row: list[Any]
    unit: dict[str, Any]
    clocks: dict[str, datetime]
    dispatched: datetime
    signed: datetime


class _Path:
    """Walks an appeal through the loop, stopping at ``now``: each staff step
    taken by its person in working time, each deadline on the work calendar."""

    def __init__(
        self,
        writer: Writer,
        appeal: dict[str, Any],
        pk: int,
        base: dict[str, Any],
        place: Place,
        version: Any,
    ) -> None:
        self.w = writer
        self.rng = writer.rng
        self.world = writer.world
        self.calendar = writer.world.calendar
        self.appeal = appeal
        self.pk = pk
        self.base = base
        self.place = place
        self.version = version
        self.clocks = clocks_for(
            version, appeal.get("priority", Appeal.Priority.NORMAL)
        )
        self.co: _Co | None = None
        self.lead_signed: datetime | None = None

    # --- writing ---------------------------------------------------------------

    def deadlines(self, start: datetime) -> dict[str, datetime]:
        return deadlines(self.clocks, start, calendar=self.calendar)

    def later(self, after: datetime, seconds: float) -> datetime:
        """A staff step ``seconds`` of working time after ``after``."""
        return self.calendar.add_working_seconds(after, max(1.0, seconds))

    def row(
        self,
        at: datetime,
        action: str,
        *,
        to_state: str,
        from_state: str = "",
        share: int | None = None,
        by: int | None = None,
        public: bool = False,
        data: dict[str, Any] | None = None,
        note: str = "",
        role: str = "",
    ) -> None:
        """A timeline event as ``timeline.row`` makes it: by a person, or by
        the system (the sweep, the re-handle) when ``by`` is None."""
        self.w.events.add(
            appeal_id=self.pk,
            assignment_id=share,
            action=action,
            actor_id=by,
            actor_role=role or ("system" if by is None else ""),
            from_state=from_state,
            to_state=to_state,
            note=note,
            public=public,
            data=data or {},
            created_at=at,
        )
        self.appeal["updated_at"] = max(self.appeal["updated_at"], at)

    def event(self, at: datetime, action: str, to_state: str, **fields: Any) -> None:
        """A step that moves the appeal (from the state it is in)."""
        self.row(
            at, action, from_state=self.appeal["state"], to_state=to_state, **fields
        )
        self.appeal["state"] = to_state

    def mark(
        self,
        at: datetime,
        action: str,
        unit: dict[str, Any],
        due: datetime,
        row: list[Any] | None = None,
    ) -> None:
        """The sweep's mark on a share (临期, 超期, 超时未签收), by the system,
        as ``handling._mark`` writes it; ``unit`` names the share."""
        self._set(row, **{MARKED[action]: at})
        self.row(
            at,
            action,
            to_state=self._state_at(at),
            share=unit["assignment_id"],
            data={"unit": self.world.name(unit), "due_at": due.isoformat()},
        )

    def _state_at(self, at: datetime) -> str:
        """The appeal's state at ``at`` while its shares are open."""
        if self.appeal["state"] not in (Appeal.State.DISPATCHED, Appeal.State.HANDLING):
            return self.appeal["state"]
        if self.lead_signed is not None and self.lead_signed <= at:
            return Appeal.State.HANDLING
        return Appeal.State.DISPATCHED

    def fact(
        self, kind: str, at: datetime, unit: dict[str, Any], **values: Any
    ) -> None:
        self.w.facts.add(
            kind=kind, at=at, day=timezone.localdate(at), **self.base, **unit, **values
        )

    def past(self, at: datetime) -> bool:
        return at <= self.w.now

    # --- the loop --------------------------------------------------------------

    def run(self, received: datetime, source: dict[str, str]) -> None:
        rng = self.rng
        grid = self.place.grid
        dispatcher = self.world.dispatcher_id
        entered_by = self.appeal["entered_by_id"]
        self.fact(
            Fact.Kind.INTAKE,
            received,
            {"grid_id": grid.pk, "community_id": self.place.community_id},
        )
        self.row(
            received,
            "submit",
            to_state=Appeal.State.RECEIVED,
            by=entered_by,
            role="" if entered_by else "resident",
            public=True,
            data={**source, "channel": self.appeal["channel"]},
        )
        # Until dispatch its due time counts from receipt (the resident's clock).
        self.appeal["due_at"] = self.deadlines(received)["due_at"]
        accepted = self.later(received, rng.uniform(300, 2 * HOUR))
        if not self.past(accepted):
            return
        if rng.random() < 0.03:
            reason, redirect_to = rng.choice(REJECTIONS)
            self.appeal.update(
                reject_reason=reason, redirect_to=redirect_to, closed_at=accepted
            )
            self.event(
                accepted,
                "reject",
                Appeal.State.REJECTED,
                by=dispatcher,
                public=True,
                note=reason,
                data={"redirect_to": redirect_to},
            )
            return
        self.appeal["accepted_at"] = accepted
        self.event(
            accepted, "accept", Appeal.State.ACCEPTED, by=dispatcher, public=True
        )
        dispatched = self.later(accepted, rng.uniform(60, HOUR))
        lead = self._lead_unit()
        returns = 0
        while self.past(dispatched):
            returning = returns == 0 and rng.random() < 0.05
            share, unit, clocks = self._dispatch(dispatched, lead, co=not returning)
            if returning:
                if not self._react(share, unit, clocks, returned=True):
                    break
                returns += 1
                self.appeal["return_count"] = returns
                dispatched = self.later(self.reacted, rng.uniform(600, 2 * HOUR))
                lead = self._lead_unit(other_than=lead)
                continue
            if self._react(share, unit, clocks, returned=False):
                self._handle(share, unit, clocks)
            break
        self._settle_co(None)

    def _lead_unit(self, other_than: dict[str, Any] | None = None) -> dict[str, Any]:
        version = self.version
        departments = self.world.departments
        if version.default_unit_type == UnitType.DEPARTMENT and other_than is None:
            return {"department_id": version.default_department_id}
        if version.default_unit_type == UnitType.GRID and other_than is None:
            grid = self.place.grid
            return {
                "area_id": grid.pk,
                "grid_id": grid.pk,
                "community_id": self.place.community_id,
            }
        if version.default_unit_type == UnitType.COMMUNITY and other_than is None:
            return {
                "area_id": self.place.community_id,
                "community_id": self.place.community_id,
            }
        choices = [d for d in departments if {"department_id": d.pk} != other_than]
        return {"department_id": self.rng.choice(choices).pk}

    def _dispatch(
        self, at: datetime, unit: dict[str, Any], *, co: bool
    ) -> tuple[int, dict[str, Any], dict[str, datetime]]:
        """派单: the lead's share (and a co-handler's, now and then), each on the
        appeal's clocks from now, in working time, as ``appeal_dispatch`` does."""
        rng, world = self.rng, self.world
        clocks = self.deadlines(at)
        co_unit = None
        if co and rng.random() < 0.12 and world.departments:
            candidate = {"department_id": rng.choice(world.departments).pk}
            co_unit = candidate if candidate != unit else None
        self.appeal.update(
            dispatched_at=self.appeal.get("dispatched_at") or at,
            due_at=clocks["due_at"],
        )
        self.lead_signed = None
        share = self.w.shares.add(
            created_at=at,
            updated_at=at,
            appeal_id=self.pk,
            role=Assignment.Role.LEAD,
            area_id=unit.get("area_id"),
            department_id=unit.get("department_id"),
            state=Assignment.State.DISPATCHED,
            dispatched_at=at,
            dispatched_by_id=world.dispatcher_id,
            **clocks,
        )
        self.share_row = self.w.shares.rows[-1]
        self.share_dispatched = at
        self.lead = {**unit, "assignment_id": share}
        self.fact(Fact.Kind.DISPATCH, at, {**unit, "assignment_id": share})
        if co_unit is not None:
            co_share = self.w.shares.add(
                created_at=at,
                updated_at=at,
                appeal_id=self.pk,
                role=Assignment.Role.CO,
                department_id=co_unit["department_id"],
                state=Assignment.State.DISPATCHED,
                dispatched_at=at,
                dispatched_by_id=world.dispatcher_id,
                **clocks,
            )
            response = float(self.clocks.response_hours) * HOUR
            self.co = _Co(
                pk=co_share,
                row=self.w.shares.rows[-1],
                unit={**co_unit, "assignment_id": co_share},
                clocks=clocks,
                dispatched=at,
                signed=self.later(at, rng.uniform(0.1, 0.9) * response),
            )
            self.fact(Fact.Kind.DISPATCH, at, self.co.unit)
        self.event(
            at,
            "dispatch",
            Appeal.State.DISPATCHED,
            by=world.dispatcher_id,
            public=True,
            data={
                "lead": world.name(unit),
                "co_handlers": [world.name(co_unit)] if co_unit else [],
                "due_at": clocks["due_at"].isoformat(),
            },
        )
        return share, {**unit, "assignment_id": share}, clocks

    def _set(self, row: list[Any] | None = None, **values: Any) -> None:
        names = self.w.shares.names
        row = self.share_row if row is None else row
        for name, value in values.items():
            row[names.index(name)] = value

    def _settle_co(self, reply: datetime | None) -> None:
        """The co-handler's steps before the lead's reply at ``reply`` (which
        waits for them), or as far as they got by ``now``: it signs and
        completes its share; one not signed for by the reply the lead closes."""
        co, self.co = self.co, None
        if co is None:
            return
        rng, world = self.rng, self.world
        limit = reply or self.w.now
        handler = world.member(co.unit)
        unit_name = world.name(co.unit)
        done: datetime | None = None
        if co.signed < limit:
            self._set(
                co.row,
                state=Assignment.State.HANDLING,
                signed_at=co.signed,
                signed_by_id=handler,
            )
            self.row(
                co.signed,
                "sign",
                from_state=self._state_at(co.signed),
                to_state=self._state_at(co.signed),
                share=co.pk,
                by=handler,
                data={
                    "unit": unit_name,
                    "late": co.signed > co.clocks["response_due_at"],
                },
            )
            self.fact(
                Fact.Kind.RESPONSE,
                co.signed,
                co.unit,
                ok=co.signed <= co.clocks["response_due_at"],
                seconds=(co.signed - co.dispatched).total_seconds(),
            )
            if reply is not None:
                window = self.calendar.working_seconds_between(co.signed, reply)
                done = self.later(co.signed, rng.uniform(0.2, 0.9) * window)
            else:
                done = self.later(
                    co.signed, rng.uniform(2 * HOUR, 2 * self.calendar.seconds_per_day)
                )
            if done >= limit:
                done = None
        open_until = done or limit
        for field_name, action in (("warn_at", "due_soon"), ("due_at", "overdue")):
            marked = co.clocks[field_name] + SWEEP_LAG
            if marked < open_until:
                self.mark(marked, action, co.unit, co.clocks["due_at"], co.row)
        if done is not None:
            self._set(co.row, state=Assignment.State.DONE, completed_at=done)
            self.row(
                done,
                "complete_share",
                to_state=self._state_at(done),
                share=co.pk,
                by=handler,
                note=CO_DONE,
                data={"unit": unit_name},
            )
        elif reply is not None:
            self._set(co.row, state=Assignment.State.DONE, completed_at=reply)
            self.row(
                reply,
                "close_share",
                to_state=self.appeal["state"],
                # The lead acted, for its own share: the event is the lead's.
                share=self.lead["assignment_id"],
                by=world.member(self.lead),
                note=CO_CLOSED,
                data={"unit": unit_name, "share": co.pk},
            )

    def _react(
        self,
        share: int,
        unit: dict[str, Any],
        clocks: dict[str, datetime],
        *,
        returned: bool,
    ) -> bool:
        """Sign or return (by a member of the unit); False if ``now`` comes first."""
        rng = self.rng
        dispatched = self.share_dispatched
        handler = self.world.member(unit)
        late = rng.random() < 0.08
        if late:
            marked = clocks["response_due_at"] + SWEEP_LAG
            if not self.past(marked):
                return False
            self.mark(marked, "late_to_sign", unit, clocks["due_at"])
            self.fact(Fact.Kind.RESPONSE, marked, unit, ok=False)
            at = self.later(marked, rng.uniform(HOUR, 7.5 * HOUR))
        else:
            response = float(self.clocks.response_hours) * HOUR
            at = self.later(dispatched, rng.uniform(0.05, 0.95) * response)
        if not self.past(at):
            return False
        self.reacted = at
        seconds = (at - dispatched).total_seconds()
        data = {"unit": self.world.name(unit)}
        if returned:
            self._set(
                state=Assignment.State.RETURNED,
                returned_at=at,
                return_reason=RETURN_REASON,
            )
            self.event(
                at,
                "return",
                Appeal.State.ACCEPTED,
                share=share,
                by=handler,
                note=RETURN_REASON,
                data=data,
            )
            self.fact(Fact.Kind.RETURN, at, unit)
        else:
            self._set(
                state=Assignment.State.HANDLING, signed_at=at, signed_by_id=handler
            )
            self.lead_signed = at
            self.event(
                at,
                "sign",
                Appeal.State.HANDLING,
                share=share,
                by=handler,
                public=True,
                data={**data, "late": at > clocks["response_due_at"]},
            )
        if not late:
            self.fact(Fact.Kind.RESPONSE, at, unit, ok=True, seconds=seconds)
        return True

    def _handle(
        self, share: int, unit: dict[str, Any], clocks: dict[str, datetime]
    ) -> None:
        """办: the unit's reply (in time, or after the sweep marked it overdue),
        the operator's callback (回访) and, if it was not resolved, a re-handle
        (重办) on fresh clocks; or the sweep's close when nobody answered."""
        rng, world = self.rng, self.world
        handler = world.member(unit)
        due, warn = clocks["due_at"], clocks["warn_at"]
        start = self.reacted
        for round_ in range(2):
            late = rng.random() < 0.1
            if late:
                replied = self.later(
                    due, rng.uniform(2 * HOUR, 3 * self.calendar.seconds_per_day)
                )
            else:
                window = self.calendar.working_seconds_between(start, due)
                replied = self.later(start, rng.uniform(0.1, 0.95) * window)
            open_until = min(replied, self.w.now)
            if warn + SWEEP_LAG < min(open_until, due):
                self.mark(warn + SWEEP_LAG, "due_soon", unit, due)
            if late:
                if not self.past(due + SWEEP_LAG):
                    return
                self.mark(due + SWEEP_LAG, "overdue", unit, due)
                self.fact(Fact.Kind.COMPLETION, due + SWEEP_LAG, unit, ok=False)
            if not self.past(replied):
                return
            if round_ == 0:
                self._settle_co(replied)  # the reply waits for the co-handler
            outcome, _weight, reply, reason = rng.choices(
                REPLIES, weights=[r[1] for r in REPLIES]
            )[0]
            late = replied > due
            self._set(state=Assignment.State.REPLIED, replied_at=replied)
            self.appeal.update(
                replied_at=replied,
                reply_outcome=outcome,
                reply_outcome_reason=reason,
            )
            self.event(
                replied,
                "reply",
                Appeal.State.REPLIED,
                share=share,
                by=handler,
                public=True,
                note=reply,
                data={"late": late, "outcome": outcome, "outcome_reason": reason},
            )
            if not late:
                self.fact(
                    Fact.Kind.COMPLETION,
                    replied,
                    unit,
                    ok=True,
                    seconds=(replied - self.share_dispatched).total_seconds(),
                )
            # The operator calls back within the day or so; the sweep closes
            # what nobody answered for CIVICGRID_CALLBACK_DAYS.
            called = self.later(replied, rng.uniform(HOUR, 7.5 * HOUR))
            closes = replied + timedelta(days=settings.CIVICGRID_CALLBACK_DAYS)
            if called >= closes or (round_ == 0 and rng.random() < 0.03):
                closed = closes + SWEEP_LAG
                if self.past(closed):
                    self._set(state=Assignment.State.DONE)
                    self.appeal.update(
                        closed_at=closed, close_reason=Appeal.CloseReason.NO_ANSWER
                    )
                    self.event(
                        closed, "close_unanswered", Appeal.State.CLOSED, public=True
                    )
                return
            if not self.past(called):
                return
            resolved = outcome != "not_resolved" and (
                round_ == 1 or rng.random() < 0.87
            )
            if resolved:
                satisfaction = rng.choices(
                    ["satisfied", "basic", "unsatisfied"],
                    weights=[75, 20, 5 if round_ == 0 else 0],
                )[0]
            else:
                satisfaction = rng.choices(["basic", "unsatisfied"], weights=[20, 80])[
                    0
                ]
            ok = resolved and satisfaction != "unsatisfied"
            self.appeal.update(
                resolved=resolved, satisfaction=satisfaction, callback_at=called
            )
            self.fact(
                Fact.Kind.CALLBACK, called, unit, ok=resolved, satisfaction=satisfaction
            )
            answer = {"resolved": resolved, "satisfaction": satisfaction}
            if ok:
                self._set(state=Assignment.State.DONE)
                self.appeal.update(
                    closed_at=called, close_reason=Appeal.CloseReason.RATED
                )
                self.event(
                    called,
                    "callback",
                    Appeal.State.CLOSED,
                    by=world.operator_id,
                    public=True,
                    data=answer,
                )
                return
            self.event(
                called,
                "callback",
                Appeal.State.HANDLING,
                by=world.operator_id,
                public=True,
                data=answer,
            )
            # 重办: back to the lead unit, its clocks from now (callback.rehandle).
            self.row(called, "rehandle", to_state=Appeal.State.HANDLING, public=True)
            self.fact(Fact.Kind.REHANDLE, called, unit)
            self.appeal["rehandle_count"] = 1
            clocks = self.deadlines(called)
            due, warn = clocks["due_at"], clocks["warn_at"]
            self.appeal["due_at"] = due
            self._set(
                state=Assignment.State.HANDLING,
                due_at=due,
                warn_at=warn,
                warned_at=None,
                overdue_at=None,
            )
            start = called


def seed_bulk(
    *,
    appeals: int,
    months: int = 24,
    seed: int = 1,
    batch: int = 20_000,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write ``appeals`` appeals received evenly over the last ``months``."""
    rng = random.Random(seed)  # noqa: S311 (made-up history, not secrets)
    world = _world(rng)
    now = clock.now()
    span = timedelta(days=months * 30.44).total_seconds()
    start = now - timedelta(seconds=span)
    writer = Writer(world, rng, now)
    step = span / max(1, appeals)
    for n in range(appeals):
        received = start + timedelta(seconds=n * step + rng.uniform(0, step))
        writer.appeal(received)
        if rng.random() < 0.002:
            writer.whistles.append((writer.appeals.next_id - 1, received))
        if (n + 1) % batch == 0:
            with transaction.atomic():
                writer.flush()
            if progress:
                progress(n + 1)
    with transaction.atomic():
        writer.flush()
        for table in writer.tables():
            table.reset_sequence()
        whistles = _whistles(world, writer.whistles, rng, now)
        rebuild_daily()
    return {
        "appeals": writer.appeals.written,
        "assignments": writer.shares.written,
        "events": writer.events.written,
        "facts": writer.facts.written,
        "whistles": whistles,
    }


def _whistles(
    world: World, on: Iterable[tuple[int, datetime]], rng: random.Random, now: datetime
) -> int:
    """Whistles blown on a few of the appeals, most closed, each summoning two
    or three departments that reported in (a few late)."""
    if (
        world.whistle_type is None
        or world.blower_id is None
        or len(world.departments) < 2
    ):
        return 0
    made = 0
    for appeal_id, received in on:
        blown = world.calendar.add_working_hours(received, rng.uniform(2, 14))
        if blown > now:
            continue
        closed = blown + timedelta(days=rng.uniform(1, 10))
        whistle = Whistle.objects.create(
            street=world.street,
            appeal_id=appeal_id,
            type=world.whistle_type,
            title="联合处置",
            reason="涉及多个部门，需要联合处置。",
            state=Whistle.State.CLOSED if closed <= now else Whistle.State.OPEN,
            blown_by_id=world.blower_id,
            blown_at=blown,
            report_in_due_at=blown + timedelta(minutes=30),
            closed_at=closed if closed <= now else None,
        )
        summoned = rng.sample(
            world.departments, k=min(len(world.departments), rng.choice([2, 3]))
        )
        Summons.objects.bulk_create(
            Summons(
                whistle=whistle,
                department=department,
                is_lead=n == 0,
                checked_in_at=blown + timedelta(minutes=rng.uniform(5, 50)),
                late=rng.random() < 0.15,
                state=Summons.State.DONE if closed <= now else Summons.State.OPEN,
                done_at=closed if closed <= now else None,
            )
            for n, department in enumerate(summoned)
        )
        made += 1
    return made
