"""The ledger's states and their transition tables. Moving is a
compare-and-set on the row's old state: one winner, a ConflictError for the
loser (STYLE.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from civicgrid.core.errors import ConflictError, DomainError

from .models import Opinion, Patrol

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
    moved = Opinion.objects.filter(pk=opinion.pk, state=old).update(state=to, **fields)
    if moved != 1:
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
    moved = Patrol.objects.filter(pk=patrol.pk, ended_at__isnull=True).update(**fields)
    if moved != 1:
        raise ConflictError(_("This patrol has ended already."))
    for name, value in fields.items():
        setattr(patrol, name, value)
