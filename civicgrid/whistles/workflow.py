"""吹哨报到's states: the whistle's and each summons' (a department's share), their
transition tables, the states in which each step may be taken, and the
compare-and-set writes — ``UPDATE … WHERE`` the row is still as we read it: one
row, or someone else got there first and the step is refused."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from civicgrid.core.db import compare_and_set
from civicgrid.core.errors import ConflictError, DomainError

from .models import Summons, Whistle

W = Whistle.State
S = Summons.State

WHISTLE_TRANSITIONS: dict[str, set[str]] = {
    W.OPEN: {W.CLOSED},  # 事不完、人不撤: only once every share is done
    W.CLOSED: set(),
}

SHARE_TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.DONE},  # after the department reported in
    S.DONE: set(),
}

ALL_WHISTLE_STATES = frozenset(s.value for s in W)

# The whistle's states in which each step may be taken. Scoring and feedback
# come after a share is done, also once the whistle is closed.
ACTION_STATES: dict[str, frozenset[str]] = {
    "check_in": frozenset({W.OPEN}),
    "task": frozenset({W.OPEN}),
    "share_done": frozenset({W.OPEN}),
    "progress": frozenset({W.OPEN}),
    "reply": frozenset({W.OPEN}),
    "meeting": frozenset({W.OPEN}),
    "close": frozenset({W.OPEN}),
    "score": ALL_WHISTLE_STATES,
    "feedback": ALL_WHISTLE_STATES,
}

# The steps taken on one department's share, and the share's states they need.
SHARE_STATES: dict[str, frozenset[str]] = {
    "check_in": frozenset({S.OPEN}),
    "task": frozenset({S.OPEN}),
    "share_done": frozenset({S.OPEN}),
    "score": frozenset({S.DONE}),
    "feedback": frozenset({S.DONE}),
}


def allows(step: str, whistle: Whistle, summons: Summons | None = None) -> bool:
    """Whether the states allow ``step`` now (on ``summons``, for a step on a
    share): reporting in happens once and before the share is done; each side
    scores once."""
    if whistle.state not in ACTION_STATES[step]:
        return False
    if summons is None:
        return step not in SHARE_STATES
    if summons.state not in SHARE_STATES[step]:
        return False
    if step == "check_in":
        return summons.checked_in_at is None
    if step == "share_done":
        return summons.checked_in_at is not None
    if step == "score":
        return not hasattr(summons, "street_score")
    if step == "feedback":
        return not hasattr(summons, "feedback")
    return True


def require_state(whistle: Whistle, step: str) -> None:
    """Refuse a step the whistle's state does not allow (it is closed)."""
    if whistle.state not in ACTION_STATES[step]:
        raise DomainError(_("This whistle is closed."), field="state")


def move_whistle(whistle: Whistle, to_state: str, **fields: Any) -> str:
    """Move ``whistle`` to ``to_state`` if nobody moved it first; returns the
    old state. Call inside the transaction that writes the matching event."""
    from_state = whistle.state
    if to_state not in WHISTLE_TRANSITIONS[from_state] or not compare_and_set(
        whistle, {"state": from_state}, {"state": to_state, **fields}
    ):
        raise ConflictError(_("This whistle is closed already."))
    return from_state


def move_share(summons: Summons, to_state: str, **fields: Any) -> str:
    """Move a department's share to ``to_state`` while it is as read; returns
    the old state. The whistle need not be checked: it closes only once every
    share is done, so an open share is on an open whistle."""
    from_state = summons.state
    if to_state not in SHARE_TRANSITIONS[from_state] or not compare_and_set(
        summons, {"state": from_state}, {"state": to_state, **fields}
    ):
        raise ConflictError(_("This share is done already."))
    return from_state


def change_whistle(whistle: Whistle, **fields: Any) -> None:
    """Write ``fields`` to a whistle that is still open."""
    if not compare_and_set(whistle, {"state": W.OPEN}, fields):
        raise DomainError(_("This whistle is closed."), field="state")


def change_share(summons: Summons, **fields: Any) -> None:
    """Write ``fields`` to a share that is still open (so on an open whistle:
    see :func:`move_share`)."""
    if not compare_and_set(summons, {"state": S.OPEN}, fields):
        raise ConflictError(_("This share is done already."))


def report_in(summons: Summons, **fields: Any) -> None:
    """报到, once per department: of two handlers at once, one wins."""
    if not compare_and_set(summons, {"checked_in_at__isnull": True}, fields):
        raise ConflictError(_("Your department has reported in already."))


def mark_escalated(summons: Summons, at: Any) -> bool:
    """Mark a missing report-in as escalated, once; False if it was escalated or
    the department reported in meanwhile (another worker, or just in time)."""
    return compare_and_set(
        summons,
        {"escalated_at__isnull": True, "checked_in_at__isnull": True},
        {"escalated_at": at},
    )
