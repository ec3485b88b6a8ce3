"""The ledger's states, one section per part: their transition tables and the
compare-and-set writes (``UPDATE … WHERE`` the row is still as it was read —
one row, or someone else got there first and the step is refused)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from civicgrid.core.db import compare_and_set
from civicgrid.core.errors import ConflictError, DomainError

from .models import Component, Opinion, Patrol

# --- components (部件): 完好 / 损坏 / 丢失 --------------------------------------

C = Component.State

COMPONENT_TRANSITIONS: dict[str, set[str]] = {
    C.GOOD: {C.DAMAGED, C.LOST},
    C.DAMAGED: {C.GOOD, C.LOST},  # repaired, or gone before it was
    C.LOST: {C.GOOD},  # replaced
}


def check_component_move(old: str, to: str) -> None:
    """Refuse a move the table does not have (a form's, an import's)."""
    if to not in C.values:
        raise DomainError(_("Choose a state."), field="state")
    if to not in COMPONENT_TRANSITIONS[old]:
        raise DomainError(
            _("A component that is %(old)s cannot become %(new)s.")
            % {"old": C(old).label, "new": C(to).label},
            field="state",
        )


def component_move(component: Component, to: str, **fields: Any) -> str:
    """Move ``component`` to state ``to`` from the state it was read in;
    returns the old state. An illegal move is a DomainError; a lost race
    (someone moved it first) a ConflictError."""
    old = component.state
    check_component_move(old, to)
    if not compare_and_set(component, {"state": old}, {"state": to, **fields}):
        raise ConflictError(
            _("Someone changed this component's state just now; look again.")
        )
    return old


# --- opinion (社情民意) -------------------------------------------------------------

# An item is turned into an appeal, put on the problem list (a later issue: the
# state is kept, nothing moves there yet) or closed with a note.
OPINION_TRANSITIONS: dict[str, set[str]] = {
    Opinion.State.OPEN: {
        Opinion.State.APPEAL,
        Opinion.State.PROBLEM,
        Opinion.State.CLOSED,
    },
    Opinion.State.APPEAL: set(),
    Opinion.State.PROBLEM: set(),
    Opinion.State.CLOSED: set(),
}


def opinion_move(opinion: Opinion, to: str, **fields: Any) -> None:
    """Move ``opinion`` to state ``to`` (writing ``fields`` with it) if it is
    still in the state it was read in."""
    old = opinion.state
    if to not in OPINION_TRANSITIONS.get(old, set()):
        raise DomainError(
            _("This item is %(state)s already; it cannot be changed.")
            % {"state": opinion.get_state_display()},
            field="state",
        )
    if not compare_and_set(opinion, {"state": old}, {"state": to, **fields}):
        raise ConflictError(
            _("Someone else decided on this item first; reload the page.")
        )
    opinion.state = to
    for name, value in fields.items():
        setattr(opinion, name, value)


# --- patrol (巡查) -----------------------------------------------------------------

# A patrol is open until it is ended (by its worker, or by the sweep).


def patrol_close(patrol: Patrol, **fields: Any) -> None:
    """End an open patrol: compare-and-set on ``ended_at`` being empty."""
    if not compare_and_set(patrol, {"ended_at__isnull": True}, fields, touch=False):
        raise ConflictError(_("This patrol has ended already."))
    for name, value in fields.items():
        setattr(patrol, name, value)
