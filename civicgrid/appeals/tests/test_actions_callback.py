"""The callback (回访): resolved and rated closes the appeal; not resolved or
unsatisfied sends it back to the lead unit (重办) with a fresh deadline."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal, Assignment
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.notifications.models import Notification

from .conftest import PHONE

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def clocks(settings):
    settings.CIVICGRID_WORKING_HOURS = "09:00-12:00,13:30-17:30"
    settings.CIVICGRID_WARN_BEFORE_WORKING_HOURS = 4
    settings.TIME_ZONE = "Asia/Shanghai"
    settings.CIVICGRID_NOTIFY_STAFF_CHANNEL = "console"


@pytest.fixture
def replied_with_co(bring, staff, departments) -> Appeal:
    """Lead 城管 replied after co-handler 住建 signed and completed its share."""
    appeal = bring("accepted")
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(department=departments["zj"])],
    )
    lead = appeal.assignments.get(role="lead")
    co = appeal.assignments.get(role="co")
    actions.assignment_sign(assignment=co, acting_user=staff["handler_zj"])
    actions.assignment_sign(assignment=lead, acting_user=staff["handler_cg"])
    actions.assignment_complete(
        assignment=co, acting_user=staff["handler_zj"], note="协办完成"
    )
    actions.appeal_reply(
        outcome="resolved",
        assignment=lead,
        acting_user=staff["handler_cg"],
        public_reply="已修好",
    )
    appeal.refresh_from_db()
    return appeal


def lead_of(appeal: Appeal) -> Assignment:
    return appeal.assignments.get(role="lead")


def queued(appeal: Appeal, event: str) -> list[Notification]:
    return list(
        Notification.objects.filter(
            event=event, subject_ref=f"appeal:{appeal.pk}"
        ).exclude(channel=Notification.Channel.WEBHOOK)
    )


@pytest.mark.parametrize("satisfaction", ["satisfied", "basic"])
def test_resolved_and_satisfied_closes_the_appeal_and_every_share(
    replied_with_co, satisfaction
):
    appeal = replied_with_co

    actions.appeal_callback(
        appeal=appeal,
        acting_user=None,
        resolved=True,
        satisfaction=satisfaction,
        comment="谢谢",
    )

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.CLOSED
    assert appeal.close_reason == Appeal.CloseReason.RATED
    assert appeal.closed_at is not None and appeal.callback_at is not None
    assert (appeal.resolved, appeal.satisfaction) == (True, satisfaction)
    assert appeal.callback_comment == "谢谢"
    assert set(appeal.assignments.values_list("state", flat=True)) == {"done"}
    event = appeal.events.get(action="callback")
    assert event.public is True
    assert event.actor is None and event.actor_role == "resident"
    assert event.data == {"resolved": True, "satisfaction": satisfaction}
    assert not appeal.events.filter(action="rehandle").exists()
    assert [n.recipient for n in queued(appeal, "appeal.closed")] == [PHONE]


@pytest.mark.parametrize(
    ("resolved", "satisfaction"),
    [
        (False, "satisfied"),
        (False, "basic"),
        (True, "unsatisfied"),
        (False, "unsatisfied"),
    ],
)
def test_unresolved_or_unsatisfied_sends_it_back_to_the_lead_with_a_fresh_deadline(
    clocks, bring, staff, resolved, satisfaction
):
    """Replied on Friday 16:30 (due was Wednesday 16:30). Re-handle from Monday
    15 June 09:00: 21 working hours → Wednesday 17:30; warn at 17 h → Wednesday
    12:00."""
    with time_machine.travel(at(6, 12, 16, 30), tick=False) as traveller:
        appeal = bring("replied")
        lead = lead_of(appeal)
        assert lead.due_at == at(6, 17, 16, 30)
        traveller.move_to(at(6, 15, 9))

        actions.appeal_callback(
            appeal=appeal,
            acting_user=None,
            resolved=resolved,
            satisfaction=satisfaction,
            comment="灯还是不亮",
        )

    appeal.refresh_from_db()
    lead.refresh_from_db()
    assert appeal.state == Appeal.State.HANDLING
    assert appeal.rehandle_count == 1
    assert (appeal.resolved, appeal.satisfaction) == (resolved, satisfaction)
    assert lead.state == Assignment.State.HANDLING
    assert lead.due_at == at(6, 17, 17, 30)
    assert lead.warn_at == at(6, 17, 12)
    assert appeal.due_at == lead.due_at
    rehandle = appeal.events.get(action="rehandle")
    assert rehandle.public is True
    assert rehandle.note == "灯还是不亮"
    assert appeal.events.get(action="callback").from_state == "replied"
    [notice] = queued(appeal, "appeal.rehandle")
    assert notice.recipient == "handler_cg"
    assert "2026-06-17 17:30" in notice.body, "the notice quotes the new deadline"


def test_a_rehandled_appeal_is_replied_again_and_can_then_close(bring, staff):
    appeal = bring("replied")
    actions.appeal_callback(
        appeal=appeal, acting_user=None, resolved=False, satisfaction="unsatisfied"
    )
    lead = lead_of(appeal)

    actions.appeal_reply(
        outcome="resolved",
        assignment=lead,
        acting_user=staff["handler_cg"],
        public_reply="重新修好了",
    )
    actions.appeal_callback(
        appeal=appeal, acting_user=None, resolved=True, satisfaction="basic"
    )

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.CLOSED
    assert appeal.rehandle_count == 1
    assert appeal.events.filter(action="reply").count() == 2


@pytest.mark.parametrize("who", ["operator", "dispatcher"])
def test_an_operator_may_record_the_callback(bring, staff, who):
    appeal = bring("replied")

    actions.appeal_callback(
        appeal=appeal, acting_user=staff[who], resolved=True, satisfaction="satisfied"
    )

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.CLOSED
    event = appeal.events.get(action="callback")
    assert event.actor == staff[who]
    assert event.actor_role == ""


@pytest.mark.parametrize("who", ["handler_cg", "gridworker", "leader", "outsider"])
def test_a_handler_or_anyone_else_may_not_record_the_callback(bring, staff, who):
    appeal = bring("replied")

    with pytest.raises(PermissionDeniedError):
        actions.appeal_callback(
            appeal=appeal,
            acting_user=staff[who],
            resolved=True,
            satisfaction="satisfied",
        )

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.REPLIED
    assert appeal.satisfaction == ""
    assert not appeal.events.filter(action="callback").exists()


@pytest.mark.parametrize("satisfaction", ["", "very", "SATISFIED"])
def test_an_unknown_satisfaction_is_refused(bring, satisfaction):
    appeal = bring("replied")

    with pytest.raises(DomainError) as caught:
        actions.appeal_callback(
            appeal=appeal, acting_user=None, resolved=True, satisfaction=satisfaction
        )

    assert caught.value.field == "satisfaction"
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.REPLIED


def test_a_too_long_comment_is_refused(bring):
    appeal = bring("replied")

    with pytest.raises(DomainError) as caught:
        actions.appeal_callback(
            appeal=appeal,
            acting_user=None,
            resolved=True,
            satisfaction="satisfied",
            comment="好" * 1001,
        )

    assert caught.value.field == "comment"


def test_an_unanswered_callback_closes_the_appeal_apart(replied_with_co):
    appeal = replied_with_co

    actions.appeal_close_unanswered(appeal=appeal)

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.CLOSED
    assert appeal.close_reason == Appeal.CloseReason.NO_ANSWER
    assert appeal.satisfaction == "" and appeal.resolved is None
    assert set(appeal.assignments.values_list("state", flat=True)) == {"done"}
    event = appeal.events.get(action="close_unanswered")
    assert event.public is True
    assert event.actor is None and event.actor_role == "system"
    assert (event.from_state, event.to_state) == ("replied", "closed")


# --- revealing the contact to call back -------------------------------------------


@pytest.mark.parametrize("who", ["operator", "dispatcher"])
def test_whoever_calls_back_may_reveal_the_contact_and_it_is_recorded(
    bring, staff, who
):
    appeal = bring("replied")

    contact = actions.appeal_reveal_contact(appeal=appeal, acting_user=staff[who])

    assert contact == {"name": "卓玛", "phone": PHONE, "email": "", "texts": {}}
    event = appeal.events.get(action="reveal_contact")
    assert event.public is False
    assert event.actor == staff[who]
    assert event.note == "" and PHONE not in str(event.data)


@pytest.mark.parametrize("who", ["handler_zj", "gridworker", "leader", "outsider"])
def test_others_may_not_reveal_the_contact(bring, staff, who):
    appeal = bring("handling")

    with pytest.raises(PermissionDeniedError):
        actions.appeal_reveal_contact(appeal=appeal, acting_user=staff[who])

    assert not appeal.events.filter(action="reveal_contact").exists()
