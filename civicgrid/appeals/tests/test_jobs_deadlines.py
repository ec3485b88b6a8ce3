"""The deadline sweep: warn before the due time, mark overdue, mark late to sign,
close replies nobody rated — each once, each on the timeline."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.jobs import sweep_deadlines
from civicgrid.appeals.models import Appeal, Assignment, CaseEvent
from civicgrid.notifications.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOTHING = {"warned": 0, "overdue": 0, "late_to_sign": 0, "closed_unanswered": 0}


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


FRIDAY_AFTERNOON = at(6, 12, 16, 30)


@pytest.fixture
def clocks(settings):
    settings.CIVICGRID_WORKING_HOURS = "09:00-12:00,13:30-17:30"
    settings.CIVICGRID_WARN_BEFORE_WORKING_HOURS = 4
    settings.CIVICGRID_CALLBACK_DAYS = 3
    settings.TIME_ZONE = "Asia/Shanghai"
    settings.CIVICGRID_NOTIFY_STAFF_CHANNEL = "console"


@pytest.fixture
def traveller(clocks):
    """The clock stands still on Friday 12 June 2026, 16:30."""
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def shared(traveller, bring, staff, departments) -> Appeal:
    """Dispatched on Friday 16:30 to 城管 (lead) and 住建 (co-handler): sign by
    Monday 10:00, warn on Wednesday 11:00, due on Wednesday 16:30."""
    appeal = bring("accepted")
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(department=departments["zj"])],
    )
    for assignment in appeal.assignments.all():
        assert assignment.response_due_at == at(6, 15, 10)
        assert assignment.warn_at == at(6, 17, 11)
        assert assignment.due_at == at(6, 17, 16, 30)
    return appeal


def sign_both(appeal: Appeal, staff) -> None:
    actions.assignment_sign(
        assignment=appeal.assignments.get(role="lead"), acting_user=staff["handler_cg"]
    )
    actions.assignment_sign(
        assignment=appeal.assignments.get(role="co"), acting_user=staff["handler_zj"]
    )


def marks(appeal: Appeal, action: str) -> list[CaseEvent]:
    return list(appeal.events.filter(action=action))


def notices(appeal: Appeal, event: str) -> list[str]:
    return sorted(
        n.recipient
        for n in Notification.objects.filter(
            event=event, subject_ref=f"appeal:{appeal.pk}"
        ).exclude(channel=Notification.Channel.WEBHOOK)
    )


def test_nothing_is_marked_before_its_time(traveller, shared, staff):
    sign_both(shared, staff)
    traveller.move_to(at(6, 17, 10, 59))

    assert sweep_deadlines() == NOTHING
    assert not shared.events.filter(
        action__in=["due_soon", "overdue", "late_to_sign"]
    ).exists()


def test_the_sweep_warns_each_open_share_once(traveller, shared, staff):
    sign_both(shared, staff)
    traveller.move_to(at(6, 17, 11))

    assert sweep_deadlines() == {**NOTHING, "warned": 2}

    warnings = marks(shared, "due_soon")
    assert {e.assignment.role for e in warnings if e.assignment} == {"lead", "co"}
    for event in warnings:
        assert event.actor is None and event.actor_role == "system"
        assert event.public is False
        assert datetime.fromisoformat(event.data["due_at"]) == at(6, 17, 16, 30)
    assert notices(shared, "appeal.due_soon") == ["handler_cg", "handler_zj"]
    for assignment in shared.assignments.all():
        assert assignment.warned_at == at(6, 17, 11)

    traveller.move_to(at(6, 17, 14))
    assert sweep_deadlines() == NOTHING
    assert len(marks(shared, "due_soon")) == 2
    assert notices(shared, "appeal.due_soon") == ["handler_cg", "handler_zj"]


def test_the_sweep_marks_overdue_once(traveller, shared, staff):
    sign_both(shared, staff)
    traveller.move_to(at(6, 17, 16, 30))

    assert sweep_deadlines() == {**NOTHING, "overdue": 2}

    assert len(marks(shared, "overdue")) == 2
    assert not marks(shared, "due_soon"), "past due is overdue, not due soon"
    assert notices(shared, "appeal.overdue") == ["handler_cg", "handler_zj"]
    traveller.move_to(at(6, 18, 9))
    assert sweep_deadlines() == NOTHING
    assert len(marks(shared, "overdue")) == 2
    assert len(notices(shared, "appeal.overdue")) == 2


def test_the_sweep_marks_an_unsigned_share_late_to_sign_once(traveller, shared, staff):
    co = shared.assignments.get(role="co")
    actions.assignment_sign(assignment=co, acting_user=staff["handler_zj"])
    traveller.move_to(at(6, 15, 10))

    assert sweep_deadlines() == {**NOTHING, "late_to_sign": 1}

    [event] = marks(shared, "late_to_sign")
    assert event.assignment is not None and event.assignment.role == "lead"
    assert event.actor_role == "system"
    lead = shared.assignments.get(role="lead")
    assert lead.response_overdue_at == at(6, 15, 10)
    co.refresh_from_db()
    assert co.response_overdue_at is None
    traveller.move_to(at(6, 15, 15))
    assert sweep_deadlines() == NOTHING
    assert len(marks(shared, "late_to_sign")) == 1


def test_the_sweep_leaves_shares_that_are_no_longer_open(traveller, shared, staff):
    sign_both(shared, staff)
    actions.assignment_complete(
        assignment=shared.assignments.get(role="co"),
        acting_user=staff["handler_zj"],
        note="协办完成",
    )
    actions.appeal_reply(
        outcome="resolved",
        assignment=shared.assignments.get(role="lead"),
        acting_user=staff["handler_cg"],
        public_reply="已修好",
    )
    actions.appeal_callback(
        appeal=shared, acting_user=None, resolved=True, satisfaction="satisfied"
    )
    traveller.move_to(at(6, 20, 9))

    assert sweep_deadlines() == NOTHING
    assert not shared.events.filter(action__in=["due_soon", "overdue"]).exists()


def test_an_approved_extension_warns_again_before_the_new_deadline(
    traveller, shared, staff
):
    sign_both(shared, staff)
    lead = shared.assignments.get(role="lead")
    traveller.move_to(at(6, 17, 11))
    sweep_deadlines()
    request = actions.extension_request(
        assignment=lead, acting_user=staff["handler_cg"], days=2, reason="等配件"
    )
    actions.extension_decide(
        request=request, acting_user=staff["dispatcher"], approve=True
    )
    lead.refresh_from_db()
    assert lead.warn_at == at(6, 19, 11)

    traveller.move_to(at(6, 17, 17))
    assert sweep_deadlines() == {**NOTHING, "overdue": 1}, "only the co-handler"
    assert shared.events.get(action="overdue").assignment.role == "co"
    traveller.move_to(at(6, 19, 11))
    assert sweep_deadlines() == {**NOTHING, "warned": 1}

    assert notices(shared, "appeal.due_soon") == sorted(
        ["handler_cg", "handler_cg", "handler_zj"]
    )


def test_the_sweep_closes_a_reply_unanswered_after_the_callback_days(traveller, bring):
    appeal = bring("replied")
    assert appeal.replied_at == FRIDAY_AFTERNOON
    traveller.move_to(at(6, 15, 16, 29))
    assert sweep_deadlines()["closed_unanswered"] == 0

    traveller.move_to(at(6, 15, 16, 30))
    assert sweep_deadlines()["closed_unanswered"] == 1

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.CLOSED
    assert appeal.close_reason == Appeal.CloseReason.NO_ANSWER
    assert appeal.assignments.get().state == Assignment.State.DONE
    [event] = marks(appeal, "close_unanswered")
    assert event.public is True
    assert event.actor_role == "system"
    assert sweep_deadlines()["closed_unanswered"] == 0
    assert len(marks(appeal, "close_unanswered")) == 1


def test_a_reply_rated_in_time_is_not_closed_by_the_sweep(traveller, bring):
    appeal = bring("replied")
    actions.appeal_callback(
        appeal=appeal, acting_user=None, resolved=False, satisfaction="unsatisfied"
    )
    traveller.move_to(at(6, 16, 9))

    assert sweep_deadlines()["closed_unanswered"] == 0
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.HANDLING
