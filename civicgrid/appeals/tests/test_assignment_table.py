"""Every move of a unit's share (the assignment) from every state: made where the
table says, refused with a clear error everywhere else; and a lost race is a
conflict, not a silent overwrite."""

from __future__ import annotations

from copy import copy

import pytest

from civicgrid.appeals.models import Assignment
from civicgrid.appeals.workflow import (
    ASSIGNMENT_TRANSITIONS,
    move_assignment,
    move_assignments,
)
from civicgrid.core.errors import ConflictError, DomainError

pytestmark = pytest.mark.django_db

STATES = [s.value for s in Assignment.State]
PAIRS = [(a, b) for a in STATES for b in STATES]


def share_in(bring, state: str) -> Assignment:
    share = bring("dispatched").assignments.get(role="lead")
    Assignment.objects.filter(pk=share.pk).update(state=state)
    share.refresh_from_db()
    return share


def test_the_table_has_every_state_and_only_known_targets():
    assert set(ASSIGNMENT_TRANSITIONS) == set(STATES)
    for targets in ASSIGNMENT_TRANSITIONS.values():
        assert targets <= set(STATES)
    for final in ("returned", "done", "withdrawn"):
        assert not ASSIGNMENT_TRANSITIONS[final]


@pytest.mark.parametrize(("from_state", "to_state"), PAIRS)
def test_a_share_moves_only_as_the_table_says(bring, from_state, to_state):
    share = share_in(bring, from_state)
    allowed = to_state in ASSIGNMENT_TRANSITIONS[from_state]
    if allowed:
        assert move_assignment(share, to_state) == from_state
    else:
        with pytest.raises(DomainError) as caught:
            move_assignment(share, to_state)
        assert caught.value.field == "state"
    expected = to_state if allowed else from_state
    assert share.state == expected
    share.refresh_from_db()
    assert share.state == expected


@pytest.mark.parametrize(("from_state", "to_state"), PAIRS)
def test_a_bulk_move_takes_only_the_shares_the_table_lets_move(
    bring, from_state, to_state
):
    share = share_in(bring, from_state)
    sources = {s for s, to in ASSIGNMENT_TRANSITIONS.items() if to_state in to}
    if not sources:
        with pytest.raises(ValueError, match="no assignment can become"):
            move_assignments(Assignment.objects.filter(pk=share.pk), to_state)
        return
    moved = move_assignments(Assignment.objects.filter(pk=share.pk), to_state)
    share.refresh_from_db()
    assert moved == (from_state in sources)
    assert share.state == (to_state if from_state in sources else from_state)


def test_a_move_on_a_copy_read_before_another_move_is_a_conflict(bring):
    share = share_in(bring, "dispatched")
    stale = copy(share)
    move_assignment(share, "handling")

    with pytest.raises(ConflictError):
        move_assignment(stale, "returned")

    share.refresh_from_db()
    assert share.state == "handling"
