"""The ledger's states, one section per part: their transition tables and the
compare-and-set writes (``UPDATE … WHERE`` the row is still as it was read —
one row, or someone else got there first and the step is refused)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from civicgrid.core.db import compare_and_set
from civicgrid.core.errors import ConflictError, DomainError

from .models import Component

# --- components (部件): 完好 / 损坏 / 丢失 --------------------------------------

C = Component.State

COMPONENT_TRANSITIONS: dict[str, set[str]] = {
    C.GOOD: {C.DAMAGED, C.LOST},
    C.DAMAGED: {C.GOOD, C.LOST},  # repaired, or gone before it was
    C.LOST: {C.GOOD},  # replaced
}


def component_move(component: Component, to: str, **fields: Any) -> str:
    """Move ``component`` to state ``to`` from the state it was read in;
    returns the old state. An illegal move is a DomainError; a lost race
    (someone moved it first) a ConflictError."""
    old = component.state
    if to not in C.values:
        raise DomainError(_("Choose a state."), field="state")
    if to not in COMPONENT_TRANSITIONS[old]:
        raise DomainError(
            _("A component that is %(old)s cannot become %(new)s.")
            % {"old": C(old).label, "new": C(to).label},
            field="state",
        )
    if not compare_and_set(component, {"state": old}, {"state": to, **fields}):
        raise ConflictError(
            _("Someone changed this component's state just now; look again.")
        )
    return old
