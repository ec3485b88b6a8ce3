"""``civicgrid seed-bulk``: a realistic history of appeals for dashboards and
benchmarks — two years (by default) of every category, grid and channel, in
every state, with returns, late responses, overdue replies, callbacks,
re-handles and whistles.

A million appeals through the actions would take hours, so the rows are
written directly — appeals, shares, timeline events and the facts — in plain
batched inserts (COPY on PostgreSQL). The facts follow the same rules as
:mod:`civicgrid.metrics.facts`, so the rates over this history equal a direct
count over its timeline, as they do for real history.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from civicgrid.accounts.models import Membership, Role
from civicgrid.appeals.actions import new_tracking_code
from civicgrid.appeals.clocks import clocks_for
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
from civicgrid.core.errors import DomainError
from civicgrid.metrics.facts import rebuild_daily
from civicgrid.metrics.models import Fact
from civicgrid.org.models import Area, Department
from civicgrid.whistles.models import Summons, Whistle, WhistleType

HOUR = 3600.0
DAY = 86400.0
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
        self.rows.append([values.get(n, self.empty[n]) for n in self.names])
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # psycopg's own, for COPY
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row([_pg(v) for v in row])
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                    [[_sqlite(v) for v in row] for row in self.rows],
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
    grid: Area
    community_id: int


@dataclass
class World:
    """What the history happens in: the street, its grids, categories, units."""

    street: Area
    places: list[Place]
    categories: list[tuple[Category, int]]
    departments: list[Department]
    whistle_type: WhistleType | None
    blower_id: int | None
    contacts: list[tuple[str, str, str]] = field(default_factory=list)


def _world(rng: random.Random) -> World:
    streets = list(Area.objects.filter(level=Area.Level.STREET, is_active=True))
    if not streets:
        raise DomainError("No street yet: run `civicgrid seed-demo` first.")
    street = streets[0]
    grids = Area.objects.filter(
        level=Area.Level.GRID, is_active=True, path__startswith=street.path
    ).exclude(min_lon__isnull=True)
    places = [Place(g, g.parent_id or 0) for g in grids]
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
    blower = (
        Membership.objects.filter(role=Role.DISPATCHER)
        .values_list("user_id", flat=True)
        .first()
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
        departments=list(Department.objects.filter(is_active=True)),
        whistle_type=WhistleType.objects.filter(is_active=True).first(),
        blower_id=blower,
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
        anonymous = rng.random() < 0.35
        name, phone, index = ("", "", "") if anonymous else rng.choice(world.contacts)
        lat = rng.uniform(grid.min_lat or 0, grid.max_lat or 0)
        lon = rng.uniform(grid.min_lon or 0, grid.max_lon or 0)
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
            "description": f"{category.name}：{rng.choice(PHRASES)}",
            "answers": [],
            "latitude": lat,
            "longitude": lon,
            "anonymous": anonymous,
            "appellant_name": name,
            "appellant_phone": phone,
            "appellant_phone_index": index,
            "consented_at": received if channel == Channel.WEB else None,
            "received_at": received,
        }
        pk = self.appeals.next_id
        base = {
            "street_id": world.street.pk,
            "category_id": category.pk,
            "channel": channel,
            "appeal_id": pk,
        }
        path = _Path(self, appeal, pk, base, place, version)
        path.run(received)
        self.appeals.add(**appeal)


class _Path:
    """Walks an appeal through the loop, stopping at ``now``."""

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
        self.appeal = appeal
        self.pk = pk
        self.base = base
        self.place = place
        self.version = version
        # The clocks it runs on (appeals.clocks); the history's times around
        # them are drawn in clock time, not on the work calendar, for speed.
        self.clocks = clocks_for(
            version, appeal.get("priority", Appeal.Priority.NORMAL)
        )

    # --- writing ---------------------------------------------------------------

    def event(
        self,
        at: datetime,
        action: str,
        to_state: str,
        share: int | None = None,
        public: bool = False,
        data: dict[str, Any] | None = None,
        note: str = "",
    ) -> None:
        self.w.events.add(
            appeal_id=self.pk,
            assignment_id=share,
            action=action,
            actor_role="system",
            from_state=self.appeal["state"],
            to_state=to_state,
            note=note,
            public=public,
            data=data or {},
            created_at=at,
        )
        self.appeal["state"] = to_state
        self.appeal["updated_at"] = max(self.appeal["updated_at"], at)

    def fact(
        self, kind: str, at: datetime, unit: dict[str, Any], **values: Any
    ) -> None:
        self.w.facts.add(
            kind=kind, at=at, day=timezone.localdate(at), **self.base, **unit, **values
        )

    def past(self, at: datetime) -> bool:
        return at <= self.w.now

    # --- the loop --------------------------------------------------------------

    def run(self, received: datetime) -> None:
        rng = self.rng
        grid = self.place.grid
        self.fact(
            Fact.Kind.INTAKE,
            received,
            {"grid_id": grid.pk, "community_id": self.place.community_id},
        )
        self.event(
            received,
            "submit",
            Appeal.State.RECEIVED,
            public=True,
            data={"channel": self.appeal["channel"]},
        )
        accepted = received + timedelta(seconds=rng.uniform(300, 2 * HOUR))
        if not self.past(accepted):
            return
        if rng.random() < 0.03:
            self.appeal.update(reject_reason="不属于本街道职责范围", closed_at=accepted)
            self.event(
                accepted,
                "reject",
                Appeal.State.REJECTED,
                public=True,
                note="不属于本街道职责范围",
            )
            return
        self.appeal["accepted_at"] = accepted
        self.event(accepted, "accept", Appeal.State.ACCEPTED)
        dispatched = accepted + timedelta(seconds=rng.uniform(60, HOUR))
        lead = self._lead_unit()
        returns = 0
        while self.past(dispatched):
            share, unit, clocks = self._dispatch(dispatched, lead)
            if (
                returns == 0
                and rng.random() < 0.05
                and self._react(share, unit, clocks, returned=True)
            ):
                returns += 1
                self.appeal["return_count"] = returns
                dispatched = self.reacted + timedelta(
                    seconds=rng.uniform(600, 2 * HOUR)
                )
                lead = self._lead_unit(other_than=lead)
                self.appeal["state"] = Appeal.State.ACCEPTED
                continue
            if self._react(share, unit, clocks, returned=False):
                self._handle(share, unit, clocks)
            return

    def _lead_unit(self, other_than: dict[str, Any] | None = None) -> dict[str, Any]:
        version = self.version
        departments = self.w.world.departments
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
        self, at: datetime, unit: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, datetime]]:
        rng = self.rng
        response = float(self.clocks.response_hours) * HOUR * rng.uniform(1.2, 2.5)
        handling = float(self.clocks.handling_days) * DAY * 1.4
        clocks = {
            "response_due_at": at + timedelta(seconds=response),
            "due_at": at + timedelta(seconds=handling),
            "warn_at": at + timedelta(seconds=handling * 0.8),
        }
        self.appeal.update(
            dispatched_at=self.appeal.get("dispatched_at") or at,
            due_at=clocks["due_at"],
        )
        self.event(at, "dispatch", Appeal.State.DISPATCHED, public=True)
        share = self.w.shares.add(
            created_at=at,
            updated_at=at,
            appeal_id=self.pk,
            role=Assignment.Role.LEAD,
            area_id=unit.get("area_id"),
            department_id=unit.get("department_id"),
            state=Assignment.State.DISPATCHED,
            dispatched_at=at,
            **clocks,
        )
        self.share_row = self.w.shares.rows[-1]
        self.share_dispatched = at
        self.fact(Fact.Kind.DISPATCH, at, {**unit, "assignment_id": share})
        if rng.random() < 0.12 and self.w.world.departments:  # a co-handler
            co_unit = {"department_id": rng.choice(self.w.world.departments).pk}
            if co_unit != unit:
                co = self.w.shares.add(
                    created_at=at,
                    updated_at=at,
                    appeal_id=self.pk,
                    role=Assignment.Role.CO,
                    department_id=co_unit["department_id"],
                    state=Assignment.State.DISPATCHED,
                    dispatched_at=at,
                    **clocks,
                )
                self.fact(Fact.Kind.DISPATCH, at, {**co_unit, "assignment_id": co})
                signed = at + timedelta(
                    seconds=rng.uniform(0.1, 0.9)
                    * (clocks["response_due_at"] - at).total_seconds()
                )
                if self.past(signed):
                    self.w.shares.rows[-1][self.w.shares.names.index("state")] = (
                        Assignment.State.DONE
                    )
                    self.w.shares.rows[-1][self.w.shares.names.index("signed_at")] = (
                        signed
                    )
                    self.event(signed, "sign", self.appeal["state"], share=co)
                    self.fact(
                        Fact.Kind.RESPONSE,
                        signed,
                        {**co_unit, "assignment_id": co},
                        ok=True,
                        seconds=(signed - at).total_seconds(),
                    )
        return share, {**unit, "assignment_id": share}, clocks

    def _set(self, **values: Any) -> None:
        names = self.w.shares.names
        for name, value in values.items():
            self.share_row[names.index(name)] = value

    def _react(
        self,
        share: int,
        unit: dict[str, Any],
        clocks: dict[str, datetime],
        *,
        returned: bool,
    ) -> bool:
        """Sign or return; False if ``now`` comes first."""
        rng = self.rng
        dispatched = self.share_dispatched
        window = (clocks["response_due_at"] - dispatched).total_seconds()
        late = rng.random() < 0.08
        if late:
            marked = clocks["response_due_at"] + timedelta(seconds=60)
            if not self.past(marked):
                return False
            self._set(response_overdue_at=marked)
            self.event(marked, "late_to_sign", self.appeal["state"], share=share)
            self.fact(Fact.Kind.RESPONSE, marked, unit, ok=False)
            at = marked + timedelta(seconds=rng.uniform(HOUR, DAY))
        else:
            at = dispatched + timedelta(seconds=rng.uniform(0.05, 0.95) * window)
        if not self.past(at):
            return False
        self.reacted = at
        seconds = (at - dispatched).total_seconds()
        if returned:
            self._set(
                state=Assignment.State.RETURNED,
                returned_at=at,
                return_reason="不属于本单位职责",
            )
            self.event(
                at,
                "return",
                Appeal.State.ACCEPTED,
                share=share,
                note="不属于本单位职责",
            )
            self.fact(Fact.Kind.RETURN, at, unit)
        else:
            self._set(state=Assignment.State.HANDLING, signed_at=at)
            self.event(at, "sign", Appeal.State.HANDLING, share=share, public=True)
        if not late:
            self.fact(Fact.Kind.RESPONSE, at, unit, ok=True, seconds=seconds)
        return True

    def _handle(
        self, share: int, unit: dict[str, Any], clocks: dict[str, datetime]
    ) -> None:
        rng = self.rng
        due = clocks["due_at"]
        start = self.reacted
        for round_ in range(2):
            late = rng.random() < 0.1
            if late:
                if not self.past(due):
                    return
                self._set(overdue_at=due)
                self.event(due, "overdue", self.appeal["state"], share=share)
                self.fact(Fact.Kind.COMPLETION, due, unit, ok=False)
                replied = due + timedelta(seconds=rng.uniform(2 * HOUR, 3 * DAY))
            else:
                replied = start + timedelta(
                    seconds=rng.uniform(0.1, 0.95) * (due - start).total_seconds()
                )
            if not self.past(replied):
                return
            self._set(state=Assignment.State.REPLIED, replied_at=replied)
            self.appeal["replied_at"] = replied
            self.event(
                replied,
                "reply",
                Appeal.State.REPLIED,
                share=share,
                public=True,
                note="您好，您反映的问题已处理。",
                data={"late": late},
            )
            if not late:
                self.fact(
                    Fact.Kind.COMPLETION,
                    replied,
                    unit,
                    ok=True,
                    seconds=(replied - self.share_dispatched).total_seconds(),
                )
            called = replied + timedelta(seconds=rng.uniform(2 * HOUR, 2 * DAY))
            if not self.past(called):
                return
            if round_ == 0 and rng.random() < 0.03:
                closed = replied + timedelta(days=7)
                if self.past(closed):
                    self._set(state=Assignment.State.DONE)
                    self.appeal.update(
                        closed_at=closed, close_reason=Appeal.CloseReason.NO_ANSWER
                    )
                    self.event(
                        closed, "close_unanswered", Appeal.State.CLOSED, public=True
                    )
                return
            resolved = round_ == 1 or rng.random() < 0.85
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
            if ok:
                self._set(state=Assignment.State.DONE)
                self.appeal.update(
                    closed_at=called, close_reason=Appeal.CloseReason.RATED
                )
                self.event(
                    called,
                    "callback",
                    Appeal.State.CLOSED,
                    public=True,
                    data={"resolved": resolved, "satisfaction": satisfaction},
                )
                return
            self.event(
                called,
                "callback",
                Appeal.State.HANDLING,
                public=True,
                data={"resolved": resolved, "satisfaction": satisfaction},
            )
            self.event(called, "rehandle", Appeal.State.HANDLING, public=True)
            self.fact(Fact.Kind.REHANDLE, called, unit)
            self.appeal["rehandle_count"] = 1
            due = called + timedelta(
                seconds=float(self.clocks.handling_days) * DAY * 1.4
            )
            self.appeal["due_at"] = due
            self._set(state=Assignment.State.HANDLING, due_at=due, overdue_at=None)
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
        blown = received + timedelta(hours=rng.uniform(2, 48))
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
