"""From the timeline to the facts the rates count (see :class:`Fact`).

Called by the appeal actions in the transaction that writes the event, so a
fact exists exactly when its event does. What decides a fact:

- a response (响应): a share's first sign or return, in time if by its
  response deadline; or the deadline sweep's "late to sign", late. A sign
  after that mark is not counted again.
- a completion (按时办结): the lead share's reply, in time if by its due time;
  or the sweep's "overdue", late. Each round (a re-handle starts one) counts
  once.
- a callback (回访) and a re-handle (重办) count for the lead unit that replied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

from civicgrid.appeals.models import Appeal, Assignment, CaseEvent
from civicgrid.org.models import Area

from .models import Fact


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
    if assignment.department_id:
        return {"department_id": assignment.department_id, "assignment": assignment}
    community = _communities([assignment.area_id]).get(assignment.area_id or 0)
    grid = assignment.area_id if community != assignment.area_id else None
    return {
        "area_id": assignment.area_id,
        "community_id": community,
        "grid_id": grid,
        "assignment": assignment,
    }


def on_intake(appeals: list[Appeal]) -> None:
    """Appeals just registered (in bulk, as the worker registers them)."""
    communities = _communities(a.grid_id for a in appeals)
    Fact.objects.bulk_create(
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
    Fact.objects.bulk_create(
        _fact(appeal, Fact.Kind.DISPATCH, a.dispatched_at, **_unit(a))
        for a in assignments
    )


def _seconds(assignment: Assignment, at: datetime) -> float:
    return (at - assignment.dispatched_at).total_seconds()


def _response(event: CaseEvent, share: Assignment) -> list[Fact]:
    if event.action == "late_to_sign":
        return [
            _fact(
                event.appeal,
                Fact.Kind.RESPONSE,
                event.created_at,
                ok=False,
                **_unit(share),
            )
        ]
    facts = []
    if event.action == "return":
        facts.append(
            _fact(event.appeal, Fact.Kind.RETURN, event.created_at, **_unit(share))
        )
    late_marked = share.response_overdue_at is not None
    if not late_marked:
        facts.append(
            _fact(
                event.appeal,
                Fact.Kind.RESPONSE,
                event.created_at,
                ok=event.created_at <= share.response_due_at,
                seconds=_seconds(share, event.created_at),
                **_unit(share),
            )
        )
    return facts


def _completion(event: CaseEvent, share: Assignment) -> list[Fact]:
    if share.role != Assignment.Role.LEAD:
        return []
    if event.action == "overdue":
        return [
            _fact(
                event.appeal,
                Fact.Kind.COMPLETION,
                event.created_at,
                ok=False,
                **_unit(share),
            )
        ]
    if share.overdue_at is not None:  # this round was counted late already
        return []
    return [
        _fact(
            event.appeal,
            Fact.Kind.COMPLETION,
            event.created_at,
            ok=event.created_at <= share.due_at,
            seconds=_seconds(share, event.created_at),
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


Handler = Callable[[CaseEvent, Any], list[Fact]]
HANDLERS: dict[str, Handler] = {
    "sign": _response,
    "return": _response,
    "late_to_sign": _response,
    "reply": _completion,
    "overdue": _completion,
    "callback": _callback,
    "rehandle": _callback,
}
NEEDS_SHARE = {"sign", "return", "late_to_sign", "reply", "overdue"}


def on_event(event: CaseEvent) -> None:
    """The facts of one timeline event, if it decides any."""
    handler = HANDLERS.get(event.action)
    if handler is None:
        return
    share = None
    if event.action in NEEDS_SHARE:
        if event.assignment_id is None:
            return
        # As it stands now, in this transaction: the marks the sweep set.
        share = Assignment.objects.get(pk=event.assignment_id)
    Fact.objects.bulk_create(handler(event, share))
