"""Every action in every state: allowed where the table says, refused with a clear
error everywhere else — through the real actions."""

from __future__ import annotations

from typing import Any

import pytest

from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal, Assignment, ExtensionRequest
from civicgrid.appeals.workflow import ACTION_STATES, TRANSITIONS
from civicgrid.core.errors import DomainError

STATES = [s.value for s in Appeal.State]


def _lead(appeal: Appeal) -> Assignment:
    found = appeal.assignments.filter(role="lead").order_by("-id").first()
    if found is None:  # no unit yet: a fake share to hand the action
        return Assignment(appeal=appeal, role="lead", state="dispatched")
    return found


def call(action: str, appeal: Appeal, staff: dict[str, Any], departments: dict) -> Any:
    dispatcher, handler = staff["dispatcher"], staff["handler_cg"]
    lead = _lead(appeal)
    calls = {
        "accept": lambda: actions.appeal_accept(appeal=appeal, acting_user=dispatcher),
        "categorise": lambda: actions.appeal_categorise(
            appeal=appeal, acting_user=dispatcher, priority="urgent"
        ),
        "reject": lambda: actions.appeal_reject(
            appeal=appeal, acting_user=dispatcher, reason="x"
        ),
        "merge": lambda: actions.appeal_merge(
            appeal=appeal,
            into=Appeal.objects.exclude(pk=appeal.pk).first() or appeal,
            acting_user=dispatcher,
        ),
        "dispatch": lambda: actions.appeal_dispatch(
            appeal=appeal,
            acting_user=dispatcher,
            lead=Unit(department=departments["cg"]),
        ),
        "sign": lambda: actions.assignment_sign(assignment=lead, acting_user=handler),
        "return": lambda: actions.assignment_return(
            assignment=lead, acting_user=handler, reason="不归我们管"
        ),
        "recall": lambda: actions.assignment_recall(
            assignment=lead, acting_user=dispatcher, reason="派错了"
        ),
        "reassign": lambda: actions.assignment_reassign(
            assignment=lead,
            acting_user=dispatcher,
            to=Unit(department=departments["zj"]),
            reason="派错了",
        ),
        "complete_share": lambda: actions.assignment_complete(
            assignment=lead, acting_user=handler, note="协办完成"
        ),
        "close_share": lambda: actions.assignment_close(
            assignment=lead, acting_user=handler, note="无需协办"
        ),
        "progress": lambda: actions.assignment_progress(
            assignment=lead, acting_user=handler, note="在办"
        ),
        "reply": lambda: actions.appeal_reply(
            outcome="resolved",
            assignment=lead,
            acting_user=handler,
            public_reply="已办结",
        ),
        "request_extension": lambda: actions.extension_request(
            assignment=lead, acting_user=handler, days=2, reason="等配件"
        ),
        "decide_extension": lambda: actions.extension_decide(
            request=ExtensionRequest(
                assignment=lead, requested_by=handler, days=1, reason="x", pk=-1
            ),
            acting_user=dispatcher,
            approve=True,
        ),
        "urge": lambda: actions.appeal_urge(appeal=appeal, acting_user=dispatcher),
        "supervise": lambda: actions.appeal_supervise(
            appeal=appeal, acting_user=staff["leader"]
        ),
        "callback": lambda: actions.appeal_callback(
            appeal=appeal, acting_user=None, resolved=True, satisfaction="satisfied"
        ),
        "close_unanswered": lambda: actions.appeal_close_unanswered(appeal=appeal),
        "callback_unreachable": lambda: actions.appeal_callback_unreachable(
            appeal=appeal, acting_user=staff["operator"]
        ),
        "request_verification": lambda: actions.verification_request(
            appeal=appeal, acting_user=dispatcher, grid_worker=staff["gridworker"]
        ),
        "verify": lambda: actions.appeal_verify(
            appeal=appeal, acting_user=staff["gridworker"], passed=True
        ),
        "add_information": lambda: actions.appeal_add_information(
            appeal=appeal, acting_user=None, text="补充"
        ),
        "reveal_contact": lambda: actions.appeal_reveal_contact(
            appeal=appeal, acting_user=dispatcher
        ),
    }
    return calls[action]()


PAIRS = [
    (state, action)
    for state in STATES
    for action in ACTION_STATES
    if state not in ACTION_STATES[action]
]


@pytest.mark.parametrize(("state", "action"), PAIRS)
def test_an_action_the_state_does_not_allow_is_refused(
    bring, staff, departments, state, action
):
    appeal = bring(state)
    events = appeal.events.count()
    with pytest.raises(DomainError) as excinfo:
        call(action, appeal, staff, departments)
    # Once dispatched, the new priority itself is what is refused: the units'
    # deadlines run (test_priority_clocks.py).
    dispatched = appeal.dispatched_at is not None
    refused = "priority" if action == "categorise" and dispatched else "state"
    assert excinfo.value.field == refused
    assert str(Appeal.State(state).label).lower() in str(excinfo.value)
    appeal.refresh_from_db()
    assert appeal.state == state
    assert appeal.events.count() == events


def test_the_table_has_every_state_and_only_known_targets():
    assert set(TRANSITIONS) == set(STATES)
    for targets in TRANSITIONS.values():
        assert targets <= set(STATES)
    assert not TRANSITIONS["closed"] and not TRANSITIONS["rejected"]


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        ("received", "accept", "accepted"),
        ("received", "reject", "rejected"),
        ("accepted", "dispatch", "dispatched"),
        ("dispatched", "sign", "handling"),
        ("dispatched", "return", "accepted"),
        ("dispatched", "recall", "accepted"),
        ("dispatched", "reassign", "dispatched"),
        ("handling", "reply", "replied"),
        ("replied", "callback", "closed"),
        ("replied", "close_unanswered", "closed"),
        ("handling", "urge", "handling"),
        ("replied", "supervise", "replied"),
        ("received", "categorise", "received"),
        ("handling", "progress", "handling"),
        ("dispatched", "request_extension", "dispatched"),
        ("closed", "reveal_contact", "closed"),
        ("replied", "add_information", "replied"),
        ("replied", "request_verification", "replied"),
    ],
)
def test_an_allowed_action_moves_as_the_table_says(
    bring, staff, departments, state, action, expected
):
    appeal = bring(state)
    events = appeal.events.count()
    call(action, appeal, staff, departments)
    appeal.refresh_from_db()
    assert appeal.state == expected
    assert appeal.events.count() > events
