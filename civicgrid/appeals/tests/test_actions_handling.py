"""Handling (办): sign, return, reply, extensions, urge and supervise — by the
right people only, and nothing changes when the wrong person tries."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal, Assignment, ExtensionRequest
from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.core.images import process_image
from civicgrid.notifications.models import Notification

from .conftest import PHONE

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY_AFTERNOON = datetime(2026, 6, 12, 16, 30, tzinfo=SHANGHAI)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def clocks(settings):
    settings.CIVICGRID_WORKING_HOURS = "09:00-12:00,13:30-17:30"
    settings.CIVICGRID_WARN_BEFORE_WORKING_HOURS = 4
    settings.TIME_ZONE = "Asia/Shanghai"


@pytest.fixture
def shared(bring, staff, departments) -> Appeal:
    """Dispatched to 城管 (lead) with 住建 as co-handler."""
    appeal = bring("accepted")
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(department=departments["zj"])],
    )
    return appeal


def lead_of(appeal: Appeal) -> Assignment:
    return appeal.assignments.get(role="lead", state__in=Assignment.ACTIVE_STATES)


def co_of(appeal: Appeal) -> Assignment:
    return appeal.assignments.get(role="co")


def snapshot(appeal: Appeal) -> tuple:
    appeal.refresh_from_db()
    return (
        appeal.state,
        appeal.due_at,
        appeal.return_count,
        appeal.urge_count,
        appeal.supervised,
        sorted(appeal.assignments.values_list("id", "state", "due_at")),
        appeal.events.count(),
        ExtensionRequest.objects.filter(assignment__appeal=appeal).count(),
    )


def queued(appeal: Appeal, event: str) -> list[str]:
    return sorted(
        n.recipient
        for n in Notification.objects.filter(
            event=event, subject_ref=f"appeal:{appeal.pk}"
        ).exclude(channel=Notification.Channel.WEBHOOK)
    )


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (30, 160, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


# --- sign -------------------------------------------------------------------------


def test_the_lead_units_handler_signs_and_the_appeal_is_being_handled(bring, staff):
    appeal = bring("dispatched")
    lead = lead_of(appeal)

    actions.assignment_sign(assignment=lead, acting_user=staff["handler_cg"])

    lead.refresh_from_db()
    appeal.refresh_from_db()
    assert lead.state == Assignment.State.HANDLING
    assert lead.signed_by == staff["handler_cg"]
    assert lead.signed_at is not None
    assert appeal.state == Appeal.State.HANDLING
    event = appeal.events.get(action="sign")
    assert event.public is True
    assert event.assignment == lead
    assert event.data["late"] is False
    assert (event.from_state, event.to_state) == ("dispatched", "handling")


def test_a_sign_after_the_response_deadline_is_marked_late(
    clocks, submit, staff, departments
):
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False) as traveller:
        appeal = submit()
        actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            lead=Unit(department=departments["cg"]),
        )
        lead = lead_of(appeal)
        assert lead.response_due_at == at(6, 15, 10)
        traveller.move_to(at(6, 15, 10, 1))

        actions.assignment_sign(assignment=lead, acting_user=staff["handler_cg"])

    assert appeal.events.get(action="sign").data["late"] is True


def test_a_sign_just_in_time_is_not_late(clocks, submit, staff, departments):
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False) as traveller:
        appeal = submit()
        actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            lead=Unit(department=departments["cg"]),
        )
        traveller.move_to(at(6, 15, 10))
        actions.assignment_sign(
            assignment=lead_of(appeal), acting_user=staff["handler_cg"]
        )

    assert appeal.events.get(action="sign").data["late"] is False


@pytest.mark.parametrize("who", ["handler_zj", "gridworker", "outsider", "dispatcher"])
def test_someone_outside_the_unit_cannot_sign_and_nothing_changes(bring, staff, who):
    appeal = bring("dispatched")
    before = snapshot(appeal)

    with pytest.raises(PermissionDeniedError):
        actions.assignment_sign(assignment=lead_of(appeal), acting_user=staff[who])

    assert snapshot(appeal) == before


def test_a_co_handler_signing_does_not_move_the_appeal(shared, staff):
    co = co_of(shared)

    actions.assignment_sign(assignment=co, acting_user=staff["handler_zj"])

    co.refresh_from_db()
    shared.refresh_from_db()
    assert co.state == Assignment.State.HANDLING
    assert shared.state == Appeal.State.DISPATCHED
    assert lead_of(shared).state == Assignment.State.DISPATCHED
    event = shared.events.get(action="sign")
    assert event.public is False
    assert event.to_state == Appeal.State.DISPATCHED


def test_signing_twice_is_refused(bring, staff):
    appeal = bring("handling")

    with pytest.raises(DomainError) as caught:
        actions.assignment_sign(
            assignment=lead_of(appeal), acting_user=staff["handler_cg"]
        )

    assert caught.value.field == "state"
    assert appeal.events.filter(action="sign").count() == 1


# --- return -----------------------------------------------------------------------


def test_a_lead_return_sends_the_appeal_back_to_the_dispatcher_and_counts(
    shared, staff
):
    lead, co = lead_of(shared), co_of(shared)
    actions.assignment_sign(assignment=co, acting_user=staff["handler_zj"])

    actions.assignment_return(
        assignment=lead, acting_user=staff["handler_cg"], reason="不属于城管职责"
    )

    shared.refresh_from_db()
    lead.refresh_from_db()
    co.refresh_from_db()
    assert shared.state == Appeal.State.ACCEPTED
    assert shared.return_count == 1
    assert lead.state == Assignment.State.RETURNED
    assert lead.return_reason == "不属于城管职责"
    assert lead.returned_at is not None
    assert co.state == Assignment.State.WITHDRAWN
    event = shared.events.get(action="return")
    assert event.assignment == lead
    assert (event.from_state, event.to_state) == ("dispatched", "accepted")
    assert event.note == "不属于城管职责"
    assert event.public is False


def test_a_returned_appeal_can_be_dispatched_again(bring, staff, departments):
    appeal = bring("dispatched")
    first = lead_of(appeal)
    actions.assignment_return(
        assignment=first, acting_user=staff["handler_cg"], reason="不归我们"
    )

    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["zj"]),
    )

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.DISPATCHED
    second = lead_of(appeal)
    assert second.pk != first.pk
    assert second.department == departments["zj"]
    assert appeal.assignments.count() == 2
    actions.assignment_sign(assignment=second, acting_user=staff["handler_zj"])
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.HANDLING


def test_a_co_handler_return_leaves_the_appeal_with_the_lead(shared, staff):
    co = co_of(shared)

    actions.assignment_return(
        assignment=co, acting_user=staff["handler_zj"], reason="无需住建参与"
    )

    shared.refresh_from_db()
    co.refresh_from_db()
    assert co.state == Assignment.State.RETURNED
    assert shared.state == Appeal.State.DISPATCHED
    assert shared.return_count == 0
    assert lead_of(shared).state == Assignment.State.DISPATCHED


def test_a_return_after_signing_is_refused(bring, staff):
    appeal = bring("handling")
    before = snapshot(appeal)

    with pytest.raises(DomainError) as caught:
        actions.assignment_return(
            assignment=lead_of(appeal), acting_user=staff["handler_cg"], reason="晚了"
        )

    assert caught.value.field == "state"
    assert snapshot(appeal) == before


def test_a_return_needs_a_reason(bring, staff):
    appeal = bring("dispatched")

    with pytest.raises(DomainError) as caught:
        actions.assignment_return(
            assignment=lead_of(appeal), acting_user=staff["handler_cg"], reason=" "
        )

    assert caught.value.field == "reason"


# --- reply ------------------------------------------------------------------------


def test_the_lead_replies_in_public_with_a_separate_internal_note_and_photos(
    settings, tmp_path, bring, staff
):
    settings.MEDIA_ROOT = tmp_path
    appeal = bring("handling")
    lead = lead_of(appeal)
    photo = process_image(jpeg(), filename="after.jpg")

    actions.appeal_reply(
        outcome="resolved",
        assignment=lead,
        acting_user=staff["handler_cg"],
        public_reply="已更换灯泡，恢复照明。",
        internal_note="配件费用由街道承担",
        photos=[photo],
    )

    appeal.refresh_from_db()
    lead.refresh_from_db()
    assert appeal.state == Appeal.State.REPLIED
    assert appeal.replied_at is not None
    assert lead.state == Assignment.State.REPLIED
    reply = appeal.events.get(action="reply")
    assert reply.public is True
    assert reply.note == "已更换灯泡，恢复照明。"
    assert "配件" not in reply.note
    note = appeal.events.get(action="internal_note")
    assert note.public is False
    assert note.note == "配件费用由街道承担"
    [attachment] = reply.attachments.all()
    assert attachment.sha256 == photo.sha256
    assert Path(attachment.file.path).is_relative_to(tmp_path)
    assert Path(attachment.file.path).is_file()
    assert queued(appeal, "appeal.replied") == [PHONE]


def test_a_reply_without_an_internal_note_writes_no_note(bring, staff):
    appeal = bring("replied")

    assert appeal.events.filter(action="reply").count() == 1
    assert not appeal.events.filter(action="internal_note").exists()


def test_the_lead_cannot_reply_before_signing(shared, staff):
    before = snapshot(shared)

    with pytest.raises(DomainError) as caught:
        actions.appeal_reply(
            outcome="resolved",
            assignment=lead_of(shared),
            acting_user=staff["handler_cg"],
            public_reply="已办",
        )

    assert caught.value.field == "state"
    assert snapshot(shared) == before


def test_a_co_handler_cannot_reply(shared, staff):
    actions.assignment_sign(assignment=lead_of(shared), acting_user=staff["handler_cg"])
    co = co_of(shared)
    actions.assignment_sign(assignment=co, acting_user=staff["handler_zj"])
    before = snapshot(shared)

    with pytest.raises(DomainError) as caught:
        actions.appeal_reply(
            outcome="resolved",
            assignment=co,
            acting_user=staff["handler_zj"],
            public_reply="我们办好了",
        )

    assert caught.value.field == "state"
    assert snapshot(shared) == before


def test_another_departments_handler_cannot_reply(bring, staff):
    appeal = bring("handling")
    before = snapshot(appeal)

    with pytest.raises(PermissionDeniedError):
        actions.appeal_reply(
            outcome="resolved",
            assignment=lead_of(appeal),
            acting_user=staff["handler_zj"],
            public_reply="x",
        )

    assert snapshot(appeal) == before


def test_a_reply_needs_text(bring, staff):
    appeal = bring("handling")

    with pytest.raises(DomainError) as caught:
        actions.appeal_reply(
            outcome="resolved",
            assignment=lead_of(appeal),
            acting_user=staff["handler_cg"],
            public_reply="",
        )

    assert caught.value.field == "public_reply"


# --- extensions -------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, "0.4", "30.5", -1, "abc", "NaN", "Infinity"])
def test_an_extension_outside_half_a_day_to_thirty_days_is_refused(bring, staff, days):
    appeal = bring("handling")

    with pytest.raises(DomainError) as caught:
        actions.extension_request(
            assignment=lead_of(appeal),
            acting_user=staff["handler_cg"],
            days=days,
            reason="等配件",
        )

    assert caught.value.field == "days"
    assert not ExtensionRequest.objects.exists()


@pytest.mark.parametrize("days", ["0.5", 30])
def test_an_extension_at_the_bounds_is_accepted(bring, staff, days):
    appeal = bring("handling")

    request = actions.extension_request(
        assignment=lead_of(appeal),
        acting_user=staff["handler_cg"],
        days=days,
        reason="等配件",
    )

    assert request.state == ExtensionRequest.State.PENDING
    event = appeal.events.get(action="request_extension")
    assert event.public is False
    assert event.note == "等配件"


def test_a_second_pending_extension_request_is_refused(bring, staff):
    appeal = bring("handling")
    lead = lead_of(appeal)
    actions.extension_request(
        assignment=lead, acting_user=staff["handler_cg"], days=2, reason="等配件"
    )

    with pytest.raises(DomainError) as caught:
        actions.extension_request(
            assignment=lead, acting_user=staff["handler_cg"], days=3, reason="还要等"
        )

    assert caught.value.field == "days"
    assert ExtensionRequest.objects.count() == 1
    assert appeal.events.filter(action="request_extension").count() == 1


def test_an_extension_request_needs_a_reason(bring, staff):
    appeal = bring("handling")

    with pytest.raises(DomainError) as caught:
        actions.extension_request(
            assignment=lead_of(appeal),
            acting_user=staff["handler_cg"],
            days=2,
            reason="",
        )

    assert caught.value.field == "reason"


def test_an_approved_extension_moves_the_deadline_by_working_days_and_resets_marks(
    clocks, settings, submit, staff, departments
):
    """Due Wednesday 17 June 16:30; two more working days (14 h) are Wednesday 1 +
    Thursday 7 + Friday 09:00-12:00 3 + 13:30-16:30 3 → Friday 19 June 16:30; the
    warning 4 working hours before that is Friday 11:00."""
    settings.CIVICGRID_NOTIFY_STAFF_CHANNEL = "console"
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False) as traveller:
        appeal = submit()
        actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            lead=Unit(department=departments["cg"]),
        )
        lead = lead_of(appeal)
        assert lead.due_at == at(6, 17, 16, 30)
        traveller.move_to(at(6, 17, 12))
        Assignment.objects.filter(pk=lead.pk).update(
            warned_at=clock.now(), overdue_at=clock.now()
        )
        request = actions.extension_request(
            assignment=lead, acting_user=staff["handler_cg"], days=2, reason="等配件"
        )

        actions.extension_decide(
            request=request, acting_user=staff["dispatcher"], approve=True, note="同意"
        )

    lead.refresh_from_db()
    appeal.refresh_from_db()
    request.refresh_from_db()
    assert lead.due_at == at(6, 19, 16, 30)
    assert lead.warn_at == at(6, 19, 11)
    assert lead.warned_at is None and lead.overdue_at is None
    assert appeal.due_at == lead.due_at
    assert request.state == ExtensionRequest.State.APPROVED
    assert request.decided_by == staff["dispatcher"]
    assert request.decision_note == "同意"
    event = appeal.events.get(action="extension_approved")
    assert datetime.fromisoformat(event.data["due_at"]) == lead.due_at
    assert queued(appeal, "appeal.extension_decided") == ["handler_cg"]


def test_an_approved_extension_for_a_co_handler_leaves_the_appeals_deadline(
    shared, staff
):
    co = co_of(shared)
    before = shared.due_at
    request = actions.extension_request(
        assignment=co, acting_user=staff["handler_zj"], days=1, reason="排期"
    )

    actions.extension_decide(
        request=request, acting_user=staff["dispatcher"], approve=True
    )

    co.refresh_from_db()
    shared.refresh_from_db()
    assert co.due_at > before
    assert shared.due_at == before
    assert lead_of(shared).due_at == before


def test_a_refused_extension_leaves_the_deadline(bring, staff):
    appeal = bring("handling")
    lead = lead_of(appeal)
    due = lead.due_at
    request = actions.extension_request(
        assignment=lead, acting_user=staff["handler_cg"], days=2, reason="等配件"
    )

    actions.extension_decide(
        request=request, acting_user=staff["dispatcher"], approve=False, note="不同意"
    )

    lead.refresh_from_db()
    appeal.refresh_from_db()
    request.refresh_from_db()
    assert request.state == ExtensionRequest.State.REFUSED
    assert lead.due_at == due and appeal.due_at == due
    assert appeal.events.filter(action="extension_refused").count() == 1


def test_deciding_an_extension_twice_is_a_conflict(bring, staff):
    appeal = bring("handling")
    request = actions.extension_request(
        assignment=lead_of(appeal), acting_user=staff["handler_cg"], days=2, reason="x"
    )
    stale = ExtensionRequest.objects.get(pk=request.pk)
    actions.extension_decide(
        request=request, acting_user=staff["dispatcher"], approve=False
    )
    due = lead_of(appeal).due_at

    with pytest.raises(ConflictError):
        actions.extension_decide(
            request=stale, acting_user=staff["dispatcher"], approve=True
        )

    request.refresh_from_db()
    assert request.state == ExtensionRequest.State.REFUSED
    assert lead_of(appeal).due_at == due
    assert not appeal.events.filter(action="extension_approved").exists()


def test_only_the_dispatcher_decides_an_extension(bring, staff):
    appeal = bring("handling")
    request = actions.extension_request(
        assignment=lead_of(appeal), acting_user=staff["handler_cg"], days=2, reason="x"
    )

    with pytest.raises(PermissionDeniedError):
        actions.extension_decide(
            request=request, acting_user=staff["handler_cg"], approve=True
        )

    request.refresh_from_db()
    assert request.state == ExtensionRequest.State.PENDING


def test_an_extension_asked_for_by_a_returned_unit_cannot_move_the_new_deadline(
    bring, staff, departments
):
    appeal = bring("dispatched")
    first = lead_of(appeal)
    request = actions.extension_request(
        assignment=first, acting_user=staff["handler_cg"], days=5, reason="人手不够"
    )
    actions.assignment_return(
        assignment=first, acting_user=staff["handler_cg"], reason="不归我们"
    )
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["zj"]),
    )
    appeal.refresh_from_db()
    due = appeal.due_at

    # Returning the share refused its pending request there and then.
    request.refresh_from_db()
    assert request.state == ExtensionRequest.State.REFUSED
    with pytest.raises(DomainError):
        actions.extension_decide(
            request=request, acting_user=staff["dispatcher"], approve=True
        )
    appeal.refresh_from_db()
    assert appeal.due_at == due


# --- urge and supervise -----------------------------------------------------------


def test_an_urge_is_counted_and_the_units_are_told(settings, shared, staff):
    settings.CIVICGRID_NOTIFY_STAFF_CHANNEL = "console"

    actions.appeal_urge(appeal=shared, acting_user=staff["dispatcher"], note="请尽快")
    actions.appeal_urge(appeal=shared, acting_user=staff["dispatcher"])

    shared.refresh_from_db()
    assert shared.urge_count == 2
    assert shared.events.filter(action="urge").count() == 2
    assert queued(shared, "appeal.urged") == sorted(["handler_cg", "handler_zj"] * 2)


def test_an_urge_skips_units_that_returned_their_share(settings, shared, staff):
    settings.CIVICGRID_NOTIFY_STAFF_CHANNEL = "console"
    actions.assignment_return(
        assignment=co_of(shared), acting_user=staff["handler_zj"], reason="无关"
    )

    actions.appeal_urge(appeal=shared, acting_user=staff["dispatcher"])

    assert queued(shared, "appeal.urged") == ["handler_cg"]


@pytest.mark.parametrize("who", ["handler_cg", "leader", "operator"])
def test_only_the_dispatcher_urges(bring, staff, who):
    appeal = bring("handling")

    with pytest.raises(PermissionDeniedError):
        actions.appeal_urge(appeal=appeal, acting_user=staff[who])

    appeal.refresh_from_db()
    assert appeal.urge_count == 0


def test_a_leader_supervises(bring, staff):
    appeal = bring("handling")

    actions.appeal_supervise(appeal=appeal, acting_user=staff["leader"], note="督办")

    appeal.refresh_from_db()
    assert appeal.supervised is True
    event = appeal.events.get(action="supervise")
    assert event.actor == staff["leader"]
    assert event.note == "督办"


@pytest.mark.parametrize("who", ["dispatcher", "operator", "handler_cg", "outsider"])
def test_only_a_leader_supervises(bring, staff, who):
    appeal = bring("handling")
    before = snapshot(appeal)

    with pytest.raises(PermissionDeniedError):
        actions.appeal_supervise(appeal=appeal, acting_user=staff[who])

    assert snapshot(appeal) == before


def test_a_progress_note_is_internal_unless_made_public(bring, staff):
    appeal = bring("handling")
    lead = lead_of(appeal)

    actions.assignment_progress(
        assignment=lead, acting_user=staff["handler_cg"], note="在查"
    )
    actions.assignment_progress(
        assignment=lead, acting_user=staff["handler_cg"], note="明天修", public=True
    )

    notes = list(appeal.events.filter(action="progress").values_list("note", "public"))
    assert notes == [("在查", False), ("明天修", True)]


# --- nobody signed in -------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("received", "accept"),
        ("accepted", "dispatch"),
        ("dispatched", "sign"),
        ("handling", "reply"),
        ("handling", "urge"),
        ("handling", "supervise"),
        ("handling", "reveal_contact"),
    ],
)
def test_a_staff_action_without_a_signed_in_user_is_refused(
    bring, departments, state, action
):
    """The system or a resident with a tracking code is refused, not crashed on."""
    appeal = bring(state)
    lead = appeal.assignments.filter(role="lead").first()
    calls = {
        "accept": lambda: actions.appeal_accept(appeal=appeal, acting_user=None),
        "dispatch": lambda: actions.appeal_dispatch(
            appeal=appeal, acting_user=None, lead=Unit(department=departments["cg"])
        ),
        "sign": lambda: actions.assignment_sign(assignment=lead, acting_user=None),
        "reply": lambda: actions.appeal_reply(
            outcome="resolved", assignment=lead, acting_user=None, public_reply="x"
        ),
        "urge": lambda: actions.appeal_urge(appeal=appeal, acting_user=None),
        "supervise": lambda: actions.appeal_supervise(appeal=appeal, acting_user=None),
        "reveal_contact": lambda: actions.appeal_reveal_contact(
            appeal=appeal, acting_user=None
        ),
    }
    before = snapshot(appeal)

    with pytest.raises(PermissionDeniedError):
        calls[action]()

    assert snapshot(appeal) == before
