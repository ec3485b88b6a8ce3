"""From the timeline to the facts the rates count (see :class:`Fact`).

Called by the appeal actions in the transaction that writes the event, so a
fact exists exactly when its event does. What decides a fact:

- a response (响应): a share's first sign or return, in time if by its
  response deadline; or the deadline sweep's "late to sign", late. A sign
  after that mark is not counted again.
- a completion (按时办结): the lead share's reply, in time if by its due time;
  or the sweep's "overdue", late. Each round (a re-handle starts one) counts
  once.
- a callback (回访) and a re-handle (重办) count for the lead unit that replied
  (a verification on site that did not pass is a re-handle too); so does a
  close because the callback never reached the resident (未接通), counted
  apart: it is in no rate, neither its count nor its denominator.
- a recall (撤回, 改派): the street took the share back before its unit signed
  for it. It is not the unit's return, and the share counts for nothing: its
  facts so far (dispatched, a "late to sign" or "overdue" mark) are taken out.
- a patrol finding that names no resident is resolved on site (``on_site``):
  dealt with on the spot by the grid (就地处置: the grid's share is also
  answered and completed in time at that moment), or closed by the grid
  worker's check (核查结案, for the lead that replied). It counts as resolved in
  the resolution rate and stays out of the satisfaction rate: nobody was
  asked how satisfied they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.appeals.models import Appeal, Assignment, CaseEvent
from civicgrid.core import clock
from civicgrid.org.models import Area

from .models import DailyFigure, Exclusion, Fact


def _communities(area_ids: Iterable[int | None]) -> dict[int, int | None]:
    """The community of each grid or community."""
    wanted = {pk for pk in area_ids if pk}
    if not wanted:
        return {}
    return {
        pk: (pk if level == Area.Level.COMMUNITY else parent_id)
        for pk, level, parent_id in Area.objects.filter(pk__in=wanted).values_list(
            "pk", "level", "parent_id"
        )
    }


def _fact(appeal: Appeal, kind: str, at: datetime, **fields: Any) -> Fact:
    return Fact(
        kind=kind,
        at=at,
        day=timezone.localdate(at),
        street_id=appeal.street_id,
        category_id=appeal.category_id,
        channel=appeal.channel,
        appeal=appeal,
        **fields,
    )


def _unit(assignment: Assignment) -> dict[str, Any]:
    # A share its unit had excluded (核减) stays out of the reviewed figures
    # for what comes after, too.
    excluded = Exclusion.objects.filter(
        assignment=assignment, state=Exclusion.State.APPROVED
    ).exists()
    if assignment.department_id:
        return {
            "department_id": assignment.department_id,
            "assignment": assignment,
            "excluded": excluded,
        }
    community = _communities([assignment.area_id]).get(assignment.area_id or 0)
    grid = assignment.area_id if community != assignment.area_id else None
    return {
        "area_id": assignment.area_id,
        "community_id": community,
        "grid_id": grid,
        "assignment": assignment,
        "excluded": excluded,
    }


def on_intake(appeals: list[Appeal]) -> None:
    """Appeals just registered (in bulk, as the worker registers them)."""
    communities = _communities(a.grid_id for a in appeals)
    _save(
        _fact(
            appeal,
            Fact.Kind.INTAKE,
            appeal.received_at,
            grid_id=appeal.grid_id,
            community_id=communities.get(appeal.grid_id) if appeal.grid_id else None,
        )
        for appeal in appeals
    )


def on_dispatch(appeal: Appeal, assignments: list[Assignment]) -> None:
    _save(
        _fact(appeal, Fact.Kind.DISPATCH, a.dispatched_at, **_unit(a))
        for a in assignments
    )


def _seconds(assignment: Assignment, at: datetime) -> float:
    return (at - assignment.dispatched_at).total_seconds()


def _decided(share: Assignment, kind: str) -> bool:
    """Whether the share's response — or its completion in this round (a
    re-handle starts one) — was counted already: each is decided once."""
    counted = Fact.objects.filter(assignment=share, kind=kind)
    if kind == Fact.Kind.COMPLETION:
        rehandled = (
            Fact.objects.filter(assignment=share, kind=Fact.Kind.REHANDLE)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if rehandled:
            counted = counted.filter(pk__gt=rehandled)
    return counted.exists()


def _response(event: CaseEvent, share: Assignment) -> list[Fact]:
    facts = []
    if event.action == "return":
        facts.append(
            _fact(event.appeal, Fact.Kind.RETURN, event.created_at, **_unit(share))
        )
    if _decided(share, Fact.Kind.RESPONSE):
        return facts
    late = event.action == "late_to_sign"
    facts.append(
        _fact(
            event.appeal,
            Fact.Kind.RESPONSE,
            event.created_at,
            ok=not late and event.created_at <= share.response_due_at,
            seconds=None if late else _seconds(share, event.created_at),
            **_unit(share),
        )
    )
    return facts


def _completion(event: CaseEvent, share: Assignment) -> list[Fact]:
    if share.role != Assignment.Role.LEAD or _decided(share, Fact.Kind.COMPLETION):
        return []
    late = event.action == "overdue"
    return [
        _fact(
            event.appeal,
            Fact.Kind.COMPLETION,
            event.created_at,
            ok=not late and event.created_at <= share.due_at,
            seconds=None if late else _seconds(share, event.created_at),
            **_unit(share),
        )
    ]


def lead_that_replied(appeal: Appeal) -> Assignment | None:
    """The lead share a callback speaks of: the latest that was not returned."""
    return (
        appeal.assignments.filter(role=Assignment.Role.LEAD)
        .exclude(state__in=[Assignment.State.RETURNED, Assignment.State.WITHDRAWN])
        .exclude(replied_at__isnull=True)
        .order_by("-replied_at", "-pk")
        .first()
    )


def _callback(event: CaseEvent, share: Assignment | None) -> list[Fact]:
    lead = lead_that_replied(event.appeal)
    if lead is None:
        return []
    unit = _unit(lead)
    if event.action == "rehandle":
        return [_fact(event.appeal, Fact.Kind.REHANDLE, event.created_at, **unit)]
    if event.action == "close_unreachable":
        return [_fact(event.appeal, Fact.Kind.UNREACHABLE, event.created_at, **unit)]
    return [
        _fact(
            event.appeal,
            Fact.Kind.CALLBACK,
            event.created_at,
            ok=bool(event.data.get("resolved")),
            satisfaction=str(event.data.get("satisfaction", "")),
            **unit,
        )
    ]


def _on_site(event: CaseEvent, share: Assignment) -> list[Fact]:
    """就地处置: the grid's share answered and completed at the moment it was
    dispatched, and the finding resolved on site."""
    unit = _unit(share)
    return [
        _fact(event.appeal, kind, event.created_at, ok=True, seconds=seconds, **unit)
        for kind, seconds in (
            (Fact.Kind.RESPONSE, 0.0),
            (Fact.Kind.COMPLETION, 0.0),
            (Fact.Kind.ON_SITE, None),
        )
    ]


def _verified(event: CaseEvent, share: Assignment | None) -> list[Fact]:
    """核查结案: a passed check closed a patrol finding nobody is called back
    on. (A check that did not pass writes a re-handle, counted as such.)"""
    if event.to_state != Appeal.State.CLOSED:
        return []
    lead = lead_that_replied(event.appeal)
    if lead is None:
        return []
    return [
        _fact(event.appeal, Fact.Kind.ON_SITE, event.created_at, ok=True, **_unit(lead))
    ]


Handler = Callable[[CaseEvent, Any], list[Fact]]
HANDLERS: dict[str, Handler] = {
    "sign": _response,
    "return": _response,
    "late_to_sign": _response,
    "reply": _completion,
    "overdue": _completion,
    "callback": _callback,
    "rehandle": _callback,
    "close_unreachable": _callback,
    "dispose_on_site": _on_site,
    "verify": _verified,
}
NEEDS_SHARE = {"sign", "return", "late_to_sign", "reply", "overdue", "dispose_on_site"}


def _recalled(share_id: int) -> None:
    """Take a recalled share's facts out of the counts and the daily sums; a
    request that it not count (核减) is moot."""
    gone = list(Fact.objects.select_for_update().filter(assignment_id=share_id))
    roll_up(gone, -1)
    Fact.objects.filter(pk__in=[f.pk for f in gone]).delete()
    # A day's sum left at nothing is no figure: a unit the share alone had put
    # on the page leaves it again.
    if gone:
        DailyFigure.objects.filter(
            n=0, street_id=gone[0].street_id, day__in={f.day for f in gone}
        ).delete()
    Exclusion.objects.filter(
        assignment_id=share_id, state=Exclusion.State.PENDING
    ).update(
        state=Exclusion.State.REFUSED,
        decided_at=clock.now(),
        decision_note=_("The share was recalled: it does not count anyway."),
    )


def on_event(event: CaseEvent) -> None:
    """The facts of one timeline event, if it decides any."""
    if event.action == "recall" and event.assignment_id is not None:
        _recalled(event.assignment_id)
        return
    handler = HANDLERS.get(event.action)
    if handler is None:
        return
    share = None
    if event.action in NEEDS_SHARE:
        if event.assignment_id is None:
            return
        # As it stands now, in this transaction: the marks the sweep set.
        share = Assignment.objects.get(pk=event.assignment_id)
    _save(handler(event, share))


# --- the daily sums --------------------------------------------------------------

KEY = (
    "day",
    "street_id",
    "kind",
    "department_id",
    "area_id",
    "community_id",
    "grid_id",
    "is_excluded",
)
SUMS = ("n", "ok", "satisfied", "basic", "seconds", "timed")


def _save(made: Iterable[Fact]) -> None:
    made = list(made)
    if made:
        Fact.objects.bulk_create(made)
        roll_up(made)


def _key(fact: Fact) -> tuple[Any, ...]:
    return (
        fact.day,
        fact.street_id,
        fact.kind,
        fact.department_id or 0,
        fact.area_id or 0,
        fact.community_id or 0,
        fact.grid_id or 0,
        fact.excluded,
    )


def roll_up(made: Iterable[Fact], sign: int = 1) -> None:
    """Add the facts to their days' sums (or, with ``sign`` -1, take them
    out): one upsert per key, in the caller's transaction."""
    sums: dict[tuple[Any, ...], dict[str, float]] = {}
    for fact in made:
        row = sums.setdefault(_key(fact), dict.fromkeys(SUMS, 0))
        row["n"] += sign
        row["ok"] += sign * bool(fact.ok)
        row["satisfied"] += sign * (fact.satisfaction == "satisfied")
        row["basic"] += sign * (fact.satisfaction == "basic")
        if fact.seconds is not None:
            row["seconds"] += sign * fact.seconds
            row["timed"] += sign
    if not sums:
        return
    ops = connection.ops
    table = ops.quote_name(DailyFigure._meta.db_table)
    columns = [*KEY, *SUMS]
    names = ", ".join(ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    updates = ", ".join(
        f"{q} = {table}.{q} + excluded.{q}" for q in map(ops.quote_name, SUMS)
    )
    conflict = ", ".join(ops.quote_name(c) for c in KEY)
    sql = (
        f"INSERT INTO {table} ({names}) VALUES ({marks}) "  # noqa: S608 (names from the model)
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    rows = [
        [
            *(ops.adapt_datefield_value(k) if n == 0 else k for n, k in enumerate(key)),
            *(c[name] if name == "seconds" else int(c[name]) for name in SUMS),
        ]
        # In key order: two transactions touching the same days take their
        # rows in the same order, and never wait on each other in a circle.
        for key, c in sorted(sums.items(), key=lambda item: repr(item[0]))
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def rebuild_daily() -> int:
    """Sum every fact anew (after a bulk load); returns the rows written."""
    ops = connection.ops
    table = ops.quote_name(DailyFigure._meta.db_table)
    facts = ops.quote_name(Fact._meta.db_table)
    names = ", ".join(ops.quote_name(c) for c in [*KEY, *SUMS])
    sql = f"""
        INSERT INTO {table} ({names})
        SELECT day, street_id, kind, COALESCE(department_id, 0),
               COALESCE(area_id, 0), COALESCE(community_id, 0),
               COALESCE(grid_id, 0), excluded, COUNT(*),
               SUM(CASE WHEN ok THEN 1 ELSE 0 END),
               SUM(CASE WHEN satisfaction = 'satisfied' THEN 1 ELSE 0 END),
               SUM(CASE WHEN satisfaction = 'basic' THEN 1 ELSE 0 END),
               COALESCE(SUM(seconds), 0), COUNT(seconds)
        FROM {facts}
        GROUP BY day, street_id, kind, COALESCE(department_id, 0),
                 COALESCE(area_id, 0), COALESCE(community_id, 0),
                 COALESCE(grid_id, 0), excluded
    """  # noqa: S608 (names from the model)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(sql)
        return int(cursor.rowcount)
