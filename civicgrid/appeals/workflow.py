"""The appeal lifecycle (接、派、办、评) and the lifecycle of a unit's share of it
(the assignment): one transition table each, guarded moves with compare-and-set,
and the states in which each action may be taken."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.db import compare_and_set
from civicgrid.core.errors import ConflictError, DomainError

from .models import Appeal, Assignment

S = Appeal.State
A = Assignment.State

TRANSITIONS: dict[str, set[str]] = {
    # …or closed at once: a patrol finding dealt with on the spot (就地处置),
    # in the action that receives it.
    S.RECEIVED: {S.ACCEPTED, S.REJECTED, S.MERGED, S.CLOSED},
    S.ACCEPTED: {S.DISPATCHED, S.REJECTED, S.MERGED},
    S.DISPATCHED: {S.HANDLING, S.ACCEPTED},  # signed for, or returned (退单)
    S.HANDLING: {S.REPLIED},
    # the callback (or, for a patrol finding, the grid worker's verification)
    # closes it, or it is handled again (重办)
    S.REPLIED: {S.CLOSED, S.HANDLING},
    S.CLOSED: set(),
    S.REJECTED: set(),
    S.MERGED: set(),
}

OPEN_STATES = frozenset({S.RECEIVED, S.ACCEPTED, S.DISPATCHED, S.HANDLING, S.REPLIED})

# The states in which each action may be taken.
ACTION_STATES: dict[str, frozenset[str]] = {
    "accept": frozenset({S.RECEIVED}),
    "categorise": frozenset({S.RECEIVED, S.ACCEPTED}),
    "reject": frozenset({S.RECEIVED, S.ACCEPTED}),
    "merge": frozenset({S.RECEIVED, S.ACCEPTED}),
    "dispatch": frozenset({S.ACCEPTED}),
    "sign": frozenset({S.DISPATCHED, S.HANDLING}),
    "return": frozenset({S.DISPATCHED, S.HANDLING}),
    "recall": frozenset({S.DISPATCHED, S.HANDLING}),
    "reassign": frozenset({S.DISPATCHED, S.HANDLING}),
    "complete_share": frozenset({S.DISPATCHED, S.HANDLING}),
    "close_share": frozenset({S.HANDLING}),
    "progress": frozenset({S.DISPATCHED, S.HANDLING}),
    "reply": frozenset({S.HANDLING}),
    "request_extension": frozenset({S.DISPATCHED, S.HANDLING}),
    "decide_extension": frozenset({S.DISPATCHED, S.HANDLING}),
    "urge": frozenset({S.DISPATCHED, S.HANDLING}),
    "supervise": OPEN_STATES,
    "callback": frozenset({S.REPLIED}),
    "close_unanswered": frozenset({S.REPLIED}),
    "callback_unreachable": frozenset({S.REPLIED}),
    "request_verification": frozenset({S.REPLIED}),
    "verify": frozenset({S.REPLIED}),
    "add_information": OPEN_STATES,
    "reveal_contact": frozenset(s.value for s in S),
    # 听写: a voice message written down, or its transcript corrected, at any time.
    "transcribe": frozenset(s.value for s in S),
}

ACTION_LABELS = {
    "accept": _("accept"),
    "categorise": _("categorise"),
    "reject": _("reject"),
    "merge": _("merge"),
    "dispatch": _("dispatch"),
    "sign": _("sign for"),
    "return": _("return"),
    "recall": _("recall a share of"),
    "reassign": _("reassign a share of"),
    "complete_share": _("complete a co-handler's share of"),
    "close_share": _("close a co-handler's share of"),
    "progress": _("add a progress note"),
    "reply": _("reply"),
    "request_extension": _("ask for an extension"),
    "decide_extension": _("decide on an extension"),
    "urge": _("urge"),
    "supervise": _("supervise"),
    "callback": _("record the callback"),
    "close_unanswered": _("close without an answer"),
    "callback_unreachable": _("record a callback that did not reach the resident"),
    "request_verification": _("ask a grid worker to verify"),
    "verify": _("verify on site"),
    "add_information": _("add information"),
    "reveal_contact": _("reveal the contact"),
    "transcribe": _("transcribe the voice message of"),
}


def require_state(appeal: Appeal, action: str) -> None:
    """Refuse an action the appeal's state does not allow, saying why."""
    if appeal.state not in ACTION_STATES[action]:
        raise DomainError(
            _("You cannot %(action)s an appeal that is %(state)s.")
            % {
                "action": _(ACTION_LABELS[action]),
                "state": str(Appeal.State(appeal.state).label).lower(),
            },
            field="state",
        )


def move(appeal: Appeal, to_state: str, **fields: Any) -> str:
    """Move ``appeal`` to ``to_state`` if nobody moved it first; returns the old
    state. Call inside the transaction that writes the matching CaseEvent."""
    from_state = appeal.state
    if to_state not in TRANSITIONS[from_state]:
        raise DomainError(
            _("An appeal that is %(from)s cannot become %(to)s.")
            % {
                "from": Appeal.State(from_state).label,
                "to": Appeal.State(to_state).label,
            },
            field="state",
        )
    if not compare_and_set(
        appeal, {"state": from_state}, {"state": to_state, **fields}
    ):
        raise ConflictError(
            _("Someone else changed appeal %(code)s just now; reload it and try again.")
            % {"code": appeal.tracking_code}
        )
    return from_state


def hold(appeal: Appeal, *, states: Iterable[str] | None = None, **fields: Any) -> None:
    """Compare-and-set without a move: write ``fields`` (or nothing) if the appeal
    is still in the state it was read in (or in one of ``states``); one row or a
    ``ConflictError``. The update holds the row until the transaction ends, so
    the state the caller checked cannot move under the event it writes."""
    allowed = [appeal.state] if states is None else list(states)
    if not compare_and_set(appeal, {"state__in": allowed}, fields, touch=False):
        raise ConflictError(
            _("Someone else changed appeal %(code)s just now; reload it and try again.")
            % {"code": appeal.tracking_code}
        )


# --- a unit's share of the appeal (the assignment) --------------------------------

ASSIGNMENT_TRANSITIONS: dict[str, set[str]] = {
    # signed for (签收), returned by the unit (退单), recalled by the street
    # (撤回, 改派), withdrawn with a returned or recalled lead, or — a
    # co-handler's — closed by the lead with a note before it signed
    A.DISPATCHED: {A.HANDLING, A.RETURNED, A.RECALLED, A.WITHDRAWN, A.DONE},
    # the lead replies; a co-handler completes its share (协办完成) or the lead
    # closes it with a note; either goes back with a returned lead
    A.HANDLING: {A.REPLIED, A.DONE, A.WITHDRAWN},
    A.REPLIED: {A.HANDLING, A.DONE},  # re-handle (重办), or the appeal closes
    A.RETURNED: set(),
    A.DONE: set(),
    A.WITHDRAWN: set(),
    A.RECALLED: set(),
}

# The shares still being worked on (signed for or not yet): their clocks run.
OPEN_SHARE_STATES = frozenset({A.DISPATCHED, A.HANDLING})


def _refuse_share_move(from_state: str, to_state: str) -> DomainError:
    return DomainError(
        _("An assignment that is %(from)s cannot become %(to)s.")
        % {
            "from": str(Assignment.State(from_state).label).lower(),
            "to": str(Assignment.State(to_state).label).lower(),
        },
        field="state",
    )


def move_assignment(assignment: Assignment, to_state: str, **fields: Any) -> str:
    """Move one share to ``to_state`` if nobody moved it first; returns the old
    state. Call inside the transaction that writes the matching CaseEvent."""
    from_state = assignment.state
    if to_state not in ASSIGNMENT_TRANSITIONS[from_state]:
        raise _refuse_share_move(from_state, to_state)
    if not compare_and_set(
        assignment, {"state": from_state}, {"state": to_state, **fields}
    ):
        raise ConflictError(
            _("Someone else acted on this assignment just now; reload and try again.")
        )
    return from_state


def move_assignments(shares: QuerySet[Assignment], to_state: str) -> int:
    """Move every share of ``shares`` that the table lets become ``to_state``
    (the others stay as they are); returns how many moved. For the shares an
    appeal's move takes along, in the transaction of that move."""
    sources = [s for s, to in ASSIGNMENT_TRANSITIONS.items() if to_state in to]
    if not sources:
        raise ValueError(f"no assignment can become {to_state}")
    return shares.filter(state__in=sources).update(
        state=to_state, updated_at=clock.now()
    )
