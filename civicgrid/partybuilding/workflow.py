"""The states of party building and their transition tables, moved by
compare-and-set (``UPDATE … WHERE`` the row is still as it was read: one row,
or someone else got there first and the step is refused)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from civicgrid.core.db import compare_and_set
from civicgrid.core.errors import ConflictError, DomainError

from .models import Registration, Wish

# --- 双报到 ----------------------------------------------------------------------

REGISTRATION_TRANSITIONS: dict[str, set[str]] = {
    Registration.PENDING: {Registration.CONFIRMED, Registration.REFUSED},
    Registration.CONFIRMED: {Registration.ENDED},
    Registration.REFUSED: set(),
    Registration.ENDED: set(),
}


def registration_move(registration: Any, to: str, **fields: Any) -> str:
    """Move a unit's or a volunteer's registration; returns the old state."""
    old = registration.state
    if to not in REGISTRATION_TRANSITIONS[old]:
        raise DomainError(
            _("A registration that is %(old)s cannot become %(new)s.")
            % {"old": Registration(old).label, "new": Registration(to).label},
            field="state",
        )
    if not compare_and_set(registration, {"state": old}, {"state": to, **fields}):
        raise ConflictError(_("Someone decided on this registration just now."))
    return old


# --- 微心愿 ------------------------------------------------------------------------

W = Wish.State
OPEN_WISHES = (W.GATHERED, W.VERIFIED, W.PUBLISHED, W.CLAIMED)

WISH_TRANSITIONS: dict[str, set[str]] = {
    W.GATHERED: {W.VERIFIED, W.REFUSED, W.CANCELLED},
    W.VERIFIED: {W.PUBLISHED, W.CANCELLED},
    # A claim that is not fulfilled in time returns the wish to the wall.
    W.PUBLISHED: {W.CLAIMED, W.CANCELLED},
    W.CLAIMED: {W.FULFILLED, W.PUBLISHED, W.CANCELLED},
    W.FULFILLED: {W.CONFIRMED},
    W.CONFIRMED: set(),
    W.REFUSED: set(),
    W.CANCELLED: set(),
}


def wish_move(wish: Wish, to: str, **fields: Any) -> str:
    """Move ``wish`` to ``to`` from the state it was read in; returns the old
    state. An illegal move is a DomainError, a lost race a ConflictError."""
    old = wish.state
    if to not in WISH_TRANSITIONS[old]:
        raise DomainError(
            _("This wish is %(state)s; it cannot be %(step)s.")
            % {"state": W(old).label, "step": W(to).label.lower()},
            field="state",
        )
    if not compare_and_set(wish, {"state": old}, {"state": to, **fields}):
        raise ConflictError(_("Someone else acted on this wish just now; look again."))
    return old
