"""吹哨报到 through its actions: blow, report in (on time, late, twice, at once),
shares, closing only when every share is done, escalation, and the counters."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.notifications.models import Notification
from civicgrid.org.models import Department
from civicgrid.whistles import actions
from civicgrid.whistles.models import Summons, Whistle, WhistleType
from civicgrid.whistles.selectors import whistle_counters
from conftest import make_user

TZ = ZoneInfo("Asia/Shanghai")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


@pytest.fixture
def emergency(db) -> WhistleType:
    return WhistleType.objects.create(
        code="emergency", name="应急处置", report_in_minutes=30
    )


@pytest.fixture
def police(street, people):
    department = Department.objects.create(
        code="paichusuo", name="派出所", area=street.street
    )
    officer = make_user("officer", "警官")
    membership_add(
        user=officer,
        role=Role.DEPARTMENT_HANDLER,
        department=department,
        acting_user=None,
    )
    people["officer"] = officer
    leader = make_user("leader", "王建国")
    membership_add(user=leader, role=Role.LEADER, area=street.street, acting_user=None)
    people["leader"] = leader
    return department


@pytest.fixture
def blown(street, departments, police, people, emergency):
    with time_machine.travel(MONDAY_10, tick=False):
        return actions.whistle_blow(
            street=street.street,
            whistle_type=emergency,
            title="东嘎村河道淤堵，汛期前必须清理",
            reason="涉及水利、城管和村民协调，单靠社区解决不了",
            departments=[departments["cg"], departments["zj"], police],
            lead=departments["cg"],
            acting_user=people["dispatcher"],
        )


def share(whistle: Whistle, code: str) -> Summons:
    return whistle.summonses.get(department__code=code)


def test_blowing_summons_each_department_and_tells_its_handlers(blown, people):
    assert blown.report_in_due_at == MONDAY_10 + timedelta(minutes=30)
    assert blown.summonses.count() == 3
    assert share(blown, "chengguan").is_lead
    told = set(
        Notification.objects.filter(event="whistle.summoned").values_list(
            "recipient", flat=True
        )
    )
    assert told == {"handler_cg", "handler_zj", "officer"}
    assert blown.events.get(action="blow").actor == people["dispatcher"]


def test_no_departments_is_refused(street, departments, people, emergency):
    with pytest.raises(DomainError) as caught:
        actions.whistle_blow(
            street=street.street,
            whistle_type=emergency,
            title="x",
            reason="y",
            departments=[],
            lead=departments["cg"],
            acting_user=people["dispatcher"],
        )
    assert caught.value.field == "departments"
    assert not Whistle.objects.exists()


def test_a_lead_that_was_not_summoned_is_refused(
    street, departments, people, emergency
):
    with pytest.raises(DomainError) as caught:
        actions.whistle_blow(
            street=street.street,
            whistle_type=emergency,
            title="x",
            reason="y",
            departments=[departments["zj"]],
            lead=departments["cg"],
            acting_user=people["dispatcher"],
        )
    assert caught.value.field == "lead"
    assert not Whistle.objects.exists()


def test_only_a_dispatcher_of_the_street_blows(street, departments, people, emergency):
    with pytest.raises(PermissionDeniedError):
        actions.whistle_blow(
            street=street.street,
            whistle_type=emergency,
            title="x",
            reason="y",
            departments=[departments["cg"]],
            lead=departments["cg"],
            acting_user=people["handler_cg"],
        )


def test_the_whole_lifecycle_and_the_counters(blown, people, street):
    with time_machine.travel(MONDAY_10 + timedelta(minutes=12), tick=False):
        actions.summons_check_in(
            summons=share(blown, "chengguan"),
            acting_user=people["handler_cg"],
            attendees="李明等3人",
        )
    with time_machine.travel(MONDAY_10 + timedelta(minutes=20), tick=False):
        actions.summons_check_in(
            summons=share(blown, "zhujian"), acting_user=people["handler_zj"]
        )
    with time_machine.travel(MONDAY_10 + timedelta(minutes=50), tick=False):
        late = actions.summons_check_in(
            summons=share(blown, "paichusuo"), acting_user=people["officer"]
        )
    assert late.late is True
    assert not share(blown, "chengguan").late

    actions.summons_complete(
        summons=share(blown, "zhujian"),
        acting_user=people["handler_zj"],
        note="清淤方案已定",
    )
    with pytest.raises(DomainError) as refused:
        actions.whistle_close(
            whistle=blown, acting_user=people["dispatcher"], reply="已清理"
        )
    assert "城管局" in str(refused.value) and "派出所" in str(refused.value)
    assert "住建局" not in str(refused.value)

    actions.summons_complete(
        summons=share(blown, "chengguan"),
        acting_user=people["handler_cg"],
        note="已清运",
    )
    actions.summons_complete(
        summons=share(blown, "paichusuo"),
        acting_user=people["officer"],
        note="现场秩序维护",
    )
    with time_machine.travel(MONDAY_10 + timedelta(hours=2), tick=False):
        actions.whistle_close(
            whistle=blown, acting_user=people["dispatcher"], reply="河道已清理完毕"
        )
    blown.refresh_from_db()
    assert blown.state == "closed"

    counters = whistle_counters(
        street=street.street,
        start=MONDAY_10 - timedelta(days=1),
        end=MONDAY_10 + timedelta(days=1),
    )
    assert counters.blown == 1
    assert counters.resolved == 1
    assert counters.departments_reported == 3
    assert counters.late_check_ins == 1
    assert counters.missing_check_ins == 0
    assert counters.average_report_in_minutes == pytest.approx(
        (12 + 20 + 50) / 3, abs=0.1
    )


def test_a_department_reports_in_once(blown, people):
    summons = share(blown, "chengguan")
    actions.summons_check_in(summons=summons, acting_user=people["handler_cg"])
    with pytest.raises(ConflictError):
        actions.summons_check_in(
            summons=Summons.objects.get(pk=summons.pk), acting_user=people["handler_cg"]
        )
    assert blown.events.filter(action="check_in").count() == 1


def test_two_handlers_checking_in_with_stale_copies_make_one_check_in(blown, people):
    second = make_user("second_cg")
    membership_add(
        user=second,
        role=Role.DEPARTMENT_HANDLER,
        department=share(blown, "chengguan").department,
        acting_user=None,
    )
    copy_a, copy_b = share(blown, "chengguan"), share(blown, "chengguan")
    actions.summons_check_in(summons=copy_a, acting_user=people["handler_cg"])
    with pytest.raises(ConflictError):
        actions.summons_check_in(summons=copy_b, acting_user=second)
    assert Summons.objects.get(pk=copy_a.pk).checked_in_by == people["handler_cg"]


def test_a_department_not_summoned_cannot_report_in(blown, people, street):
    outsider_department = Department.objects.create(
        code="jiaoyu", name="教育局", area=street.district
    )
    teacher = make_user("teacher")
    membership_add(
        user=teacher,
        role=Role.DEPARTMENT_HANDLER,
        department=outsider_department,
        acting_user=None,
    )
    with pytest.raises(PermissionDeniedError):
        actions.summons_check_in(summons=share(blown, "chengguan"), acting_user=teacher)


def test_no_check_in_after_the_whistle_closed(blown, people):
    for code, who in (("chengguan", "handler_cg"), ("zhujian", "handler_zj")):
        actions.summons_check_in(summons=share(blown, code), acting_user=people[who])
        actions.summons_complete(
            summons=share(blown, code), acting_user=people[who], note="好"
        )
    Summons.objects.filter(pk=share(blown, "paichusuo").pk).update(state="done")
    actions.whistle_close(whistle=blown, acting_user=people["dispatcher"], reply="完")
    with pytest.raises(DomainError):
        actions.summons_check_in(
            summons=share(blown, "paichusuo"), acting_user=people["officer"]
        )


def test_the_worker_escalates_a_missing_check_in_once(blown, people):
    actions.summons_check_in(
        summons=share(blown, "chengguan"), acting_user=people["handler_cg"]
    )
    with time_machine.travel(MONDAY_10 + timedelta(minutes=29), tick=False):
        assert actions.escalate_missing_check_ins() == 0
    with time_machine.travel(MONDAY_10 + timedelta(minutes=31), tick=False):
        assert actions.escalate_missing_check_ins() == 2
        assert actions.escalate_missing_check_ins() == 0
    assert blown.events.filter(action="missing_check_in").count() == 2
    told = Notification.objects.filter(event="whistle.missing_check_in")
    assert told.count() == 2 and {n.recipient for n in told} == {"leader"}


def test_working_hour_deadlines_follow_the_calendar(street, departments, people):
    difficult = WhistleType.objects.create(
        code="difficult", name="疑难问题", report_in_working_hours=2
    )
    friday_17 = datetime(2026, 11, 27, 17, 0, tzinfo=TZ)
    with time_machine.travel(friday_17, tick=False):
        whistle = actions.whistle_blow(
            street=street.street,
            whistle_type=difficult,
            title="x",
            reason="y",
            departments=[departments["cg"]],
            lead=departments["cg"],
            acting_user=people["dispatcher"],
        )
    # Half an hour on Friday, an hour and a half on Monday morning.
    assert whistle.report_in_due_at == datetime(2026, 11, 30, 10, 30, tzinfo=TZ)


def _finish(blown, people):
    for code, who in (
        ("chengguan", "handler_cg"),
        ("zhujian", "handler_zj"),
        ("paichusuo", "officer"),
    ):
        actions.summons_check_in(summons=share(blown, code), acting_user=people[who])
        actions.summons_complete(
            summons=share(blown, code), acting_user=people[who], note="好"
        )


def test_a_joint_meeting_is_recorded_by_the_street_or_the_lead(blown, people):
    with time_machine.travel(MONDAY_10 + timedelta(hours=2), tick=False):
        meeting = actions.meeting_record(
            whistle=blown,
            acting_user=people["handler_cg"],
            held_at=MONDAY_10 + timedelta(hours=1),
            attendees="城管、住建、派出所、东嘎村",
            decisions="周三前清淤，派出所维持秩序",
        )
    assert meeting.recorded_by == people["handler_cg"]
    assert blown.events.filter(action="meeting").exists()
    with pytest.raises(PermissionDeniedError):
        actions.meeting_record(
            whistle=blown,
            acting_user=people["handler_zj"],
            held_at=MONDAY_10,
            attendees="x",
            decisions="y",
        )
    with pytest.raises(DomainError) as caught:
        actions.meeting_record(
            whistle=blown,
            acting_user=people["dispatcher"],
            held_at=MONDAY_10,
            attendees="x",
            decisions="",
        )
    assert caught.value.field == "decisions"


def test_two_way_scoring_once_each_after_the_share_is_done(blown, people):
    summons = share(blown, "chengguan")
    with pytest.raises(DomainError):
        actions.street_score(
            summons=summons, acting_user=people["dispatcher"], report_in=5, handling=4
        )
    _finish(blown, people)
    summons = share(blown, "chengguan")
    score = actions.street_score(
        summons=summons, acting_user=people["dispatcher"], report_in=5, handling=4
    )
    assert (score.report_in, score.handling) == (5, 4)
    with pytest.raises(ConflictError):
        actions.street_score(
            summons=summons, acting_user=people["dispatcher"], report_in=1, handling=1
        )
    with pytest.raises(DomainError) as caught:
        actions.street_score(
            summons=share(blown, "zhujian"),
            acting_user=people["dispatcher"],
            report_in=6,
            handling=3,
        )
    assert caught.value.field == "report_in"
    feedback = actions.department_feedback(
        summons=summons, acting_user=people["handler_cg"], justified=True, well_run=4
    )
    assert feedback.justified and feedback.well_run == 4
    with pytest.raises(PermissionDeniedError):
        actions.department_feedback(
            summons=summons,
            acting_user=people["handler_zj"],
            justified=False,
            well_run=1,
        )
    with pytest.raises(ConflictError):
        actions.department_feedback(
            summons=summons,
            acting_user=people["handler_cg"],
            justified=False,
            well_run=1,
        )


def test_a_whistle_on_an_appeal_answers_it_when_it_closes(
    bring, staff, departments, emergency
):
    appeal = bring("handling")
    whistle = actions.whistle_blow(
        street=appeal.street,
        whistle_type=emergency,
        title="路灯线路老化，需供电和城管联合处置",
        reason="单一部门无法解决",
        departments=[departments["cg"], departments["zj"]],
        lead=departments["cg"],
        acting_user=staff["dispatcher"],
        appeal=appeal,
    )
    assert appeal.events.filter(action="whistle", public=True).exists()
    for code, who in (("chengguan", "handler_cg"), ("zhujian", "handler_zj")):
        actions.summons_check_in(summons=share(whistle, code), acting_user=staff[who])
        actions.summons_complete(
            summons=share(whistle, code), acting_user=staff[who], note="完成"
        )
    actions.whistle_close(
        whistle=whistle, acting_user=staff["dispatcher"], reply="已联合更换线路。"
    )
    appeal.refresh_from_db()
    assert appeal.state == "replied"
    reply = appeal.events.get(action="reply")
    assert reply.note == "已联合更换线路。" and reply.data["whistle"] == whistle.pk
    # Every share done (事不完、人不撤): the consolidated reply says resolved.
    assert appeal.reply_outcome == "resolved" and reply.data["outcome"] == "resolved"


def test_a_consolidated_reply_with_a_blank_left_does_not_close_the_whistle(
    bring, staff, departments, emergency
):
    appeal = bring("handling")
    whistle = actions.whistle_blow(
        street=appeal.street,
        whistle_type=emergency,
        title="路灯线路老化",
        reason="单一部门无法解决",
        departments=[departments["cg"]],
        lead=departments["cg"],
        acting_user=staff["dispatcher"],
        appeal=appeal,
    )
    summons = share(whistle, "chengguan")
    actions.summons_check_in(summons=summons, acting_user=staff["handler_cg"])
    actions.summons_complete(
        summons=summons, acting_user=staff["handler_cg"], note="完成"
    )
    with pytest.raises(DomainError) as caught:
        actions.whistle_close(
            whistle=whistle,
            acting_user=staff["dispatcher"],
            reply="已于【 】联合更换线路。",
        )
    assert caught.value.field == "reply" and "已于【 】联合更换" in caught.value.message
    whistle.refresh_from_db()
    appeal.refresh_from_db()
    assert whistle.state == Whistle.State.OPEN and appeal.state == "handling"


def test_no_whistle_on_a_closed_appeal(bring, staff, departments, emergency):
    appeal = bring("closed")
    with pytest.raises(DomainError) as caught:
        actions.whistle_blow(
            street=appeal.street,
            whistle_type=emergency,
            title="x",
            reason="y",
            departments=[departments["cg"]],
            lead=departments["cg"],
            acting_user=staff["dispatcher"],
            appeal=appeal,
        )
    assert caught.value.field == "appeal"
    assert not Whistle.objects.exists()


def test_departments_blow_only_where_the_street_allows_it(
    street, departments, people, emergency, settings
):
    arguments = {
        "street": street.street,
        "whistle_type": emergency,
        "title": "x",
        "reason": "y",
        "departments": [departments["cg"], departments["zj"]],
        "lead": departments["zj"],
        "acting_user": people["handler_cg"],
    }
    settings.CIVICGRID_WHISTLE_BLOWERS = []
    with pytest.raises(PermissionDeniedError):
        actions.whistle_blow(**arguments)
    settings.CIVICGRID_WHISTLE_BLOWERS = ["department_handler"]
    whistle = actions.whistle_blow(**arguments)
    assert whistle.blown_by == people["handler_cg"]
    settings.CIVICGRID_WHISTLE_BLOWERS = ["community_staff"]
    with pytest.raises(PermissionDeniedError):
        actions.whistle_blow(**arguments)


def test_shares_meetings_and_feedback_follow_the_whistles_state(blown, people):
    summons = share(blown, "chengguan")
    actions.summons_check_in(summons=summons, acting_user=people["handler_cg"])
    with pytest.raises(DomainError):  # feedback comes after the share is done
        actions.department_feedback(
            summons=summons,
            acting_user=people["handler_cg"],
            justified=True,
            well_run=5,
        )
    actions.summons_complete(
        summons=summons, acting_user=people["handler_cg"], note="好"
    )
    with pytest.raises(ConflictError):  # no new task on a done share
        actions.summons_set_task(
            summons=summons, acting_user=people["dispatcher"], task="再做一件"
        )
    with pytest.raises(DomainError) as caught:  # a meeting before the whistle
        actions.meeting_record(
            whistle=blown,
            acting_user=people["dispatcher"],
            held_at=MONDAY_10 - timedelta(days=30),
            attendees="x",
            decisions="y",
        )
    assert caught.value.field == "held_at"


def test_no_whistle_on_an_appeal_no_unit_has_taken_on(
    bring, staff, departments, emergency
):
    appeal = bring("dispatched")  # not yet taken on by a unit
    with pytest.raises(DomainError) as refused:
        actions.whistle_blow(
            street=appeal.street,
            whistle_type=emergency,
            title="x",
            reason="y",
            departments=[departments["cg"]],
            lead=departments["cg"],
            acting_user=staff["dispatcher"],
            appeal=appeal,
        )
    assert refused.value.field == "appeal"


# --- where and with what a department reports in; other systems told ------------


def _jpeg() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_check_in_keeps_the_place_and_a_clean_photo(
    blown, people, settings, tmp_path
):
    from civicgrid.core.images import process_image

    settings.MEDIA_ROOT = tmp_path
    photo = process_image(_jpeg(), filename="scene.jpg")

    summons = actions.summons_check_in(
        summons=share(blown, "chengguan"),
        acting_user=people["handler_cg"],
        latitude=29.6451,
        longitude=91.0052,
        photo=photo,
    )

    assert (summons.latitude, summons.longitude) == (29.6451, 91.0052)
    name, thumbnail = str(summons.check_in_photo), str(summons.check_in_thumbnail)
    assert name.startswith(f"whistles/{blown.pk}/{summons.pk}/")
    assert (tmp_path / name).read_bytes() == photo.content
    assert (tmp_path / thumbnail).is_file()
    event = blown.events.get(action="check_in")
    assert event.data["located"] is True


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(29.6, None), (None, 91.0), (95.0, 91.0)]
)
def test_a_half_or_impossible_location_is_refused(blown, people, latitude, longitude):
    with pytest.raises(DomainError) as caught:
        actions.summons_check_in(
            summons=share(blown, "chengguan"),
            acting_user=people["handler_cg"],
            latitude=latitude,
            longitude=longitude,
        )
    assert caught.value.field == "location"
    assert share(blown, "chengguan").checked_in_at is None


def test_a_second_check_in_leaves_no_photo_behind(blown, people, settings, tmp_path):
    from civicgrid.core.images import process_image

    settings.MEDIA_ROOT = tmp_path
    summons = share(blown, "chengguan")
    actions.summons_check_in(summons=summons, acting_user=people["handler_cg"])

    with pytest.raises(ConflictError):
        actions.summons_check_in(
            summons=share(blown, "chengguan"),
            acting_user=people["handler_cg"],
            photo=process_image(_jpeg(), filename="again.jpg"),
        )

    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_other_systems_hear_of_every_step_by_webhook(
    street, departments, police, people, emergency, settings
):
    settings.CIVICGRID_WEBHOOK_URLS = ["https://district.example/hooks"]
    whistle = actions.whistle_blow(
        street=street.street,
        whistle_type=emergency,
        title="河道淤堵",
        reason="需多部门联合处置",
        departments=[departments["cg"], police],
        lead=departments["cg"],
        acting_user=people["dispatcher"],
    )
    actions.summons_check_in(
        summons=share(whistle, "chengguan"), acting_user=people["handler_cg"]
    )

    hooks = list(
        Notification.objects.filter(channel=Notification.Channel.WEBHOOK).order_by("id")
    )
    assert [h.event for h in hooks] == ["whistle.blow", "whistle.check_in"]
    assert {h.recipient for h in hooks} == {"https://district.example/hooks"}
    assert hooks[1].payload["whistle"] == whistle.pk
    assert hooks[1].payload["department"] == "城管局"
    assert hooks[1].payload["late"] is False
    assert hooks[0].subject_ref == f"whistle:{whistle.pk}"


# --- progress notes and the lead's consolidated reply ------------------------------


def finish_every_share(whistle: Whistle, people) -> None:
    for code, user in (
        ("chengguan", "handler_cg"),
        ("zhujian", "handler_zj"),
        ("paichusuo", "officer"),
    ):
        actions.summons_check_in(summons=share(whistle, code), acting_user=people[user])
        actions.summons_complete(
            summons=share(whistle, code), acting_user=people[user], note="完成"
        )


def test_summoned_departments_and_the_street_write_progress_notes(blown, people):
    event = actions.whistle_progress(
        whistle=blown, acting_user=people["handler_zj"], note="已调来两台挖掘机"
    )
    assert event.action == "progress" and event.summons == share(blown, "zhujian")
    street_note = actions.whistle_progress(
        whistle=blown, acting_user=people["dispatcher"], note="村委会已通知村民"
    )
    assert street_note.summons is None

    with pytest.raises(PermissionDeniedError):
        actions.whistle_progress(
            whistle=blown, acting_user=people["outsider"], note="看热闹"
        )
    with pytest.raises(DomainError) as caught:
        actions.whistle_progress(
            whistle=blown, acting_user=people["handler_cg"], note="  "
        )
    assert caught.value.field == "note"
    assert blown.events.filter(action="progress").count() == 2


def test_the_lead_writes_the_reply_and_the_street_closes_with_it(blown, people):
    with pytest.raises(PermissionDeniedError):
        actions.whistle_consolidated_reply(
            whistle=blown, acting_user=people["handler_zj"], reply="不是牵头部门"
        )
    actions.whistle_consolidated_reply(
        whistle=blown, acting_user=people["handler_cg"], reply="初稿"
    )
    actions.whistle_consolidated_reply(
        whistle=blown, acting_user=people["handler_cg"], reply="河道已清理，淤泥已外运"
    )
    finish_every_share(blown, people)

    closed = actions.whistle_close(whistle=blown, acting_user=people["dispatcher"])

    assert closed.state == Whistle.State.CLOSED
    closed.refresh_from_db()
    assert closed.consolidated_reply == "河道已清理，淤泥已外运"
    assert blown.events.filter(action="consolidated_reply").count() == 2
    with pytest.raises(DomainError):
        actions.whistle_consolidated_reply(
            whistle=closed, acting_user=people["handler_cg"], reply="太迟了"
        )


def test_closing_without_any_reply_is_refused(blown, people):
    finish_every_share(blown, people)
    with pytest.raises(DomainError) as caught:
        actions.whistle_close(whistle=blown, acting_user=people["dispatcher"])
    assert caught.value.field == "reply"


def test_a_guarded_write_compares_the_rows_own_columns_only():
    """See test_races: a condition through another table would lose races on
    PostgreSQL silently, so the guard refuses to be written that way."""
    from civicgrid.core.db import compare_and_set
    from civicgrid.whistles.models import Summons

    summons = Summons(pk=1)
    with pytest.raises(ValueError, match="whistle__state"):
        compare_and_set(summons, {"whistle__state": "open"}, {"state": "done"})
    with pytest.raises(ValueError, match="whistle__street__path"):
        compare_and_set(summons, {"whistle__street__path": "x"}, {"state": "done"})
