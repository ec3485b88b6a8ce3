"""Handling a report under the 2020 rules: register, accept or not (with the
notice the reporter reads), send up a level, the four disposals, conclude,
feed back, and the reporter's objection answered by reopening or upholding.
Each step writes its Step (its words sealed) and its audit entry."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.core.workcalendar import add_working_days
from civicgrid.discipline import actions, permissions, selectors
from civicgrid.discipline.models import AuditEntry, Disposal, Grant, Report, Step

from .conftest import bring, granted, kinds, last_step, pdf, submit, trail, words

S = Report.State
K = Step.Kind
LHASA = ZoneInfo("Asia/Shanghai")


def assert_step(report, kind, *, actor, old, new, shown, said=None):
    step = last_step(report)
    assert step.kind == kind
    assert step.actor == actor
    assert (step.from_state, step.to_state) == (old, new)
    assert step.shown_to_reporter is shown
    assert step.body == report.body
    if said is not None:
        assert words(report, step) == said
    entry = AuditEntry.objects.filter(report=report).order_by("-seq").first()
    assert entry is not None
    assert entry.action == f"step.{kind}"
    assert entry.actor == actor
    assert entry.detail == {"step": step.pk, **({"to": new} if new else {})}
    return step


def test_registering_confirms_the_kind_of_matter(sealed):
    report = bring(sealed, S.RECEIVED)
    officer = sealed["officer"]
    actions.report_register(
        report=report, matter="party_discipline", note=" 已核对 ", acting_user=officer
    )
    report.refresh_from_db()
    assert (report.state, report.matter) == (S.REGISTERED, "party_discipline")
    assert_step(
        report,
        K.REGISTERED,
        actor=officer,
        old=S.RECEIVED,
        new=S.REGISTERED,
        shown=False,
        said={"note": "已核对"},
    )


def test_registering_without_a_note_seals_no_words(sealed):
    report = bring(sealed, S.REGISTERED)
    assert bytes(last_step(report).sealed) == b""


def test_registering_needs_a_known_matter(sealed):
    report = bring(sealed, S.RECEIVED)
    with pytest.raises(DomainError) as refused:
        actions.report_register(
            report=report, matter="gossip", acting_user=sealed["officer"]
        )
    assert refused.value.field == "matter"


def test_accepting_records_the_notice_the_reporter_reads(sealed, time_machine):
    moment = dt.datetime(2026, 5, 6, 10, tzinfo=LHASA)
    time_machine.move_to(moment, tick=False)
    report = bring(sealed, S.REGISTERED)
    officer = sealed["officer"]
    actions.report_accept(
        report=report, notice="您的举报已受理", told_by=" 电话 ", acting_user=officer
    )
    report.refresh_from_db()
    assert report.state == S.ACCEPTED and report.decided_at == moment
    step = assert_step(
        report,
        K.ACCEPTED,
        actor=officer,
        old=S.REGISTERED,
        new=S.ACCEPTED,
        shown=True,
        said={"notice": "您的举报已受理", "told_by": "电话"},
    )
    assert step in selectors.steps_for_reporter(report)


def test_accepting_needs_a_notice(sealed):
    report = bring(sealed, S.REGISTERED)
    with pytest.raises(DomainError) as refused:
        actions.report_accept(report=report, notice=" ", acting_user=sealed["officer"])
    assert refused.value.field == "notice"


def test_not_accepting_tells_the_reason_and_where_to_go(sealed):
    report = bring(sealed, S.REGISTERED)
    officer = sealed["officer"]
    actions.report_not_accept(
        report=report,
        reason="属于劳动争议",
        go_to="other_body",
        go_to_detail=" 区劳动仲裁委 ",
        told_by="书面",
        acting_user=officer,
    )
    report.refresh_from_db()
    assert report.state == S.NOT_ACCEPTED and report.decided_at is not None
    step = assert_step(
        report,
        K.NOT_ACCEPTED,
        actor=officer,
        old=S.REGISTERED,
        new=S.NOT_ACCEPTED,
        shown=True,
        said={
            "reason": "属于劳动争议",
            "go_to": "other_body",
            "go_to_detail": "区劳动仲裁委",
            "told_by": "书面",
        },
    )
    assert step in selectors.steps_for_reporter(report)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reason": "", "go_to": "litigation"}, "reason"),
        ({"reason": "不属范围", "go_to": "nowhere"}, "go_to"),
        ({"reason": "不属范围", "go_to": ""}, "go_to"),
        ({"reason": "不属范围", "go_to": "other_body"}, "go_to_detail"),
        (
            {"reason": "不属范围", "go_to": "other_body", "go_to_detail": "  "},
            "go_to_detail",
        ),
    ],
)
def test_not_accepting_needs_a_reason_and_somewhere_to_go(sealed, fields, field):
    report = bring(sealed, S.REGISTERED)
    with pytest.raises(DomainError) as refused:
        actions.report_not_accept(
            report=report, acting_user=sealed["officer"], **fields
        )
    assert refused.value.field == field
    report.refresh_from_db()
    assert report.state == S.REGISTERED


@pytest.mark.parametrize("go_to", ["litigation", "arbitration", "review", "none"])
def test_the_other_ways_need_no_name(sealed, go_to):
    report = bring(sealed, S.REGISTERED)
    actions.report_not_accept(
        report=report, reason="不属范围", go_to=go_to, acting_user=sealed["officer"]
    )
    report.refresh_from_db()
    assert report.state == S.NOT_ACCEPTED


@pytest.mark.parametrize("state", [S.RECEIVED, S.REGISTERED])
def test_sending_up_moves_it_to_the_parent_with_fresh_timers_and_ends_the_grants(
    sealed, time_machine, state
):
    time_machine.move_to(dt.datetime(2026, 5, 6, 10, tzinfo=LHASA), tick=False)
    report = bring(sealed, state)
    granted(sealed, report, "officer2")
    old_refer, old_decide = report.refer_due_at, report.decide_due_at
    arrived = dt.datetime(2026, 5, 8, 15, tzinfo=LHASA)
    time_machine.move_to(arrived, tick=False)
    officer = sealed["officer"]
    steps_before = report.steps.count()

    actions.report_refer(report=report, reason="涉及市管干部", acting_user=officer)

    report.refresh_from_db()
    assert (report.body, report.state) == (sealed.city, S.RECEIVED)
    assert report.lodged_with == sealed.district
    assert report.refer_due_at == add_working_days(arrived, 5) != old_refer
    assert report.decide_due_at == add_working_days(arrived, 15) != old_decide
    # The step is the sending body's, and the reporter is told.
    step = report.steps.get(kind=K.REFERRED)
    assert report.steps.count() == steps_before + 1
    assert step.body == sealed.district and step.actor == officer
    assert step.shown_to_reporter
    assert words(report, step) == {"reason": "涉及市管干部", "to": sealed.city.name}
    assert step in selectors.steps_for_reporter(report)
    # Every grant here ended with it; nobody at the district holds it.
    assert not Grant.objects.filter(report=report, revoked_at__isnull=True).exists()
    assert set(
        Grant.objects.filter(report=report).values_list("revoked_at", "revoked_by")
    ) == {(arrived, officer.pk)}
    for who in ("officer", "officer2", "head"):
        assert selectors.report_for(sealed[who], report.number) is None
        assert not permissions.may_read(sealed[who], report)
    assert report not in selectors.docket(sealed["head"], sealed.district)
    assert report in selectors.docket(sealed["city_head"], sealed.city)
    entry = AuditEntry.objects.get(report=report, action="report.referred")
    assert entry.detail == {
        "from_body": sealed.district.pk,
        "to_body": sealed.city.pk,
        "grants_ended": 2,
        "requests_withdrawn": 0,
    }
    # At the city it is a new report to handle, from the start.
    report = granted(sealed, report, "city_officer")
    actions.report_register(
        report=report, matter=report.matter, acting_user=sealed["city_officer"]
    )


def test_sending_up_needs_a_reason(sealed):
    report = bring(sealed, S.RECEIVED)
    with pytest.raises(DomainError) as refused:
        actions.report_refer(report=report, reason="", acting_user=sealed["officer"])
    assert refused.value.field == "reason"


def test_the_top_body_has_no_level_to_send_up_to(sealed):
    report = granted(sealed, submit(sealed.city).report, "city_officer")
    steps = report.steps.count()
    with pytest.raises(DomainError):
        actions.report_refer(
            report=report, reason="上报", acting_user=sealed["city_officer"]
        )
    report.refresh_from_db()
    assert report.body == sealed.city and report.steps.count() == steps


def test_a_street_report_goes_up_to_the_district(sealed):
    report = granted(sealed, submit(sealed.street).report, "street_officer")
    actions.report_refer(
        report=report, reason="属区管辖", acting_user=sealed["street_officer"]
    )
    report.refresh_from_db()
    assert report.body == sealed.district


@pytest.mark.parametrize("disposal", Disposal.values)
def test_each_of_the_four_disposals_is_recorded(sealed, disposal):
    report = bring(sealed, S.ACCEPTED)
    officer = sealed["officer"]
    actions.report_dispose(
        report=report, disposal=disposal, note=" 谈话 ", acting_user=officer
    )
    report.refresh_from_db()
    assert (report.state, report.disposal) == (S.DISPOSED, disposal)
    assert_step(
        report,
        K.DISPOSED,
        actor=officer,
        old=S.ACCEPTED,
        new=S.DISPOSED,
        shown=False,
        said={"disposal": disposal, "note": "谈话"},
    )


def test_a_disposal_must_be_one_of_the_four(sealed):
    report = bring(sealed, S.ACCEPTED)
    with pytest.raises(DomainError) as refused:
        actions.report_dispose(
            report=report, disposal="jail", acting_user=sealed["officer"]
        )
    assert refused.value.field == "disposal"


@pytest.mark.parametrize("first", [Disposal.TALK, Disposal.VERIFY, Disposal.CLOSE])
def test_only_a_report_held_for_later_is_disposed_of_again(sealed, first):
    report = bring(sealed, S.ACCEPTED)
    officer = sealed["officer"]
    actions.report_dispose(report=report, disposal=first, acting_user=officer)
    with pytest.raises(DomainError) as refused:
        actions.report_dispose(
            report=report, disposal=Disposal.VERIFY, acting_user=officer
        )
    assert refused.value.field == "disposal"
    report.refresh_from_db()
    assert report.disposal == first


def test_a_report_held_for_later_is_taken_up_again(sealed):
    report = bring(sealed, S.ACCEPTED)
    officer = sealed["officer"]
    actions.report_dispose(report=report, disposal=Disposal.HOLD, acting_user=officer)
    actions.report_dispose(
        report=report, disposal=Disposal.VERIFY, note="线索增加", acting_user=officer
    )
    report.refresh_from_db()
    assert (report.state, report.disposal) == (S.DISPOSED, Disposal.VERIFY)
    assert_step(
        report,
        K.DISPOSED,
        actor=officer,
        old=S.DISPOSED,
        new=S.DISPOSED,
        shown=False,
        said={"disposal": Disposal.VERIFY, "note": "线索增加"},
    )
    assert report.steps.filter(kind=K.DISPOSED).count() == 2


def test_concluding_sets_when_the_result_is_due(sealed, time_machine):
    moment = dt.datetime(2026, 5, 6, 10, tzinfo=LHASA)
    time_machine.move_to(moment, tick=False)
    report = bring(sealed, S.DISPOSED)
    officer = sealed["officer"]
    actions.report_conclude(report=report, result="问题属实", acting_user=officer)
    report.refresh_from_db()
    assert report.state == S.CONCLUDED
    assert report.concluded_at == moment
    assert report.feedback_due_at == add_working_days(moment, 15)
    step = assert_step(
        report,
        K.CONCLUDED,
        actor=officer,
        old=S.DISPOSED,
        new=S.CONCLUDED,
        shown=False,
        said={"result": "问题属实"},
    )
    # The findings are the officers'; the reporter reads the result fed back.
    assert step not in selectors.steps_for_reporter(report)


def test_concluding_needs_the_findings(sealed):
    report = bring(sealed, S.DISPOSED)
    with pytest.raises(DomainError) as refused:
        actions.report_conclude(report=report, result="", acting_user=sealed["officer"])
    assert refused.value.field == "result"


def test_feeding_back_gives_the_reporter_the_result(sealed):
    report = bring(sealed, S.CONCLUDED)
    officer = sealed["officer"]
    actions.report_feed_back(
        report=report, result="已给予党内警告", told_by="短信", acting_user=officer
    )
    report.refresh_from_db()
    assert report.state == S.FED_BACK and report.fed_back_at is not None
    step = assert_step(
        report,
        K.FED_BACK,
        actor=officer,
        old=S.CONCLUDED,
        new=S.FED_BACK,
        shown=True,
        said={"result": "已给予党内警告", "told_by": "短信"},
    )
    assert step in selectors.steps_for_reporter(report)


def test_the_reporter_objects_to_the_result_with_new_evidence(sealed, media):
    report = bring(sealed, S.FED_BACK)
    actions.reporter_object(report=report, text="处理太轻", uploads=[pdf()])
    report.refresh_from_db()
    assert report.state == S.OBJECTED
    step = assert_step(
        report,
        K.OBJECTED,
        actor=None,
        old=S.FED_BACK,
        new=S.OBJECTED,
        shown=True,
        said={"text": "处理太轻", "files": 1},
    )
    assert step in selectors.steps_for_reporter(report)
    assert report.attachments.get().from_reporter
    entry = AuditEntry.objects.get(report=report, action="step.objected")
    assert entry.actor_label == "reporter"


def test_the_reporter_objects_to_not_being_accepted(sealed):
    report = bring(sealed, S.NOT_ACCEPTED)
    actions.reporter_object(report=report, text="属于受理范围")
    report.refresh_from_db()
    assert report.state == S.OBJECTED


def test_an_objection_needs_words(sealed):
    report = bring(sealed, S.FED_BACK)
    with pytest.raises(DomainError) as refused:
        actions.reporter_object(report=report, text=" ")
    assert refused.value.field == "text"


def test_reopening_sends_the_report_back_to_acceptance(sealed):
    report = bring(sealed, S.OBJECTED)
    officer = sealed["officer"]
    actions.report_reopen(report=report, reason="有新证据", acting_user=officer)
    report.refresh_from_db()
    assert report.state == S.ACCEPTED
    assert report.disposal == ""
    assert report.concluded_at is report.feedback_due_at is report.fed_back_at is None
    assert report.decided_at is not None
    step = assert_step(
        report,
        K.REOPENED,
        actor=officer,
        old=S.OBJECTED,
        new=S.ACCEPTED,
        shown=True,
        said={"reason": "有新证据"},
    )
    assert step in selectors.steps_for_reporter(report)
    # …and is handled again to a new result.
    actions.report_dispose(report=report, disposal=Disposal.VERIFY, acting_user=officer)
    actions.report_conclude(report=report, result="重新核实", acting_user=officer)
    actions.report_feed_back(report=report, result="改为严重警告", acting_user=officer)
    report.refresh_from_db()
    assert report.state == S.FED_BACK


def test_a_refusal_objected_to_may_be_reopened_and_accepted(sealed):
    report = bring(sealed, "objected_not_accepted")
    actions.report_reopen(
        report=report, reason="属受理范围", acting_user=sealed["officer"]
    )
    report.refresh_from_db()
    assert report.state == S.ACCEPTED


def test_upholding_an_objection_to_the_result_gives_the_result_again(sealed):
    report = bring(sealed, S.OBJECTED)
    fed_back_at = report.fed_back_at
    officer = sealed["officer"]
    actions.objection_uphold(report=report, answer="原处理恰当", acting_user=officer)
    report.refresh_from_db()
    assert report.state == S.FED_BACK and report.fed_back_at == fed_back_at
    assert_step(
        report,
        K.UPHELD,
        actor=officer,
        old=S.OBJECTED,
        new=S.FED_BACK,
        shown=True,
        said={"answer": "原处理恰当"},
    )


def test_upholding_an_objection_to_a_refusal_keeps_the_refusal(sealed):
    report = bring(sealed, "objected_not_accepted")
    actions.objection_uphold(
        report=report, answer="维持不予受理", acting_user=sealed["officer"]
    )
    report.refresh_from_db()
    assert report.state == S.NOT_ACCEPTED
    assert last_step(report).to_state == S.NOT_ACCEPTED


def test_an_answer_is_needed_to_uphold(sealed):
    report = bring(sealed, S.OBJECTED)
    with pytest.raises(DomainError) as refused:
        actions.objection_uphold(
            report=report, answer="", acting_user=sealed["officer"]
        )
    assert refused.value.field == "answer"


def test_the_reporter_may_object_again_to_an_upheld_result(sealed):
    report = bring(sealed, S.OBJECTED)
    actions.objection_uphold(
        report=report, answer="维持", acting_user=sealed["officer"]
    )
    actions.reporter_object(report=report, text="仍不服")
    report.refresh_from_db()
    assert report.state == S.OBJECTED


def test_officer_and_reporter_write_to_each_other(sealed):
    report = bring(sealed, S.ACCEPTED)
    officer = sealed["officer"]
    to_reporter = actions.officer_message(
        report=report, text="请补充时间地点", acting_user=officer
    )
    from_reporter = actions.reporter_message(report=report, text="2026年3月，在办公室")
    assert words(report, to_reporter) == {"text": "请补充时间地点", "from": "officer"}
    assert words(report, from_reporter)["from"] == "reporter"
    shown = list(selectors.steps_for_reporter(report))
    assert to_reporter in shown and from_reporter in shown
    report.refresh_from_db()
    assert report.state == S.ACCEPTED  # messages move nothing
    assert trail(report)[-2:] == ["step.message", "step.message"]
    entry = AuditEntry.objects.filter(report=report).order_by("-seq").first()
    assert entry is not None
    assert entry.actor_label == "reporter"


def test_a_message_needs_words(sealed):
    report = bring(sealed, S.ACCEPTED)
    with pytest.raises(DomainError) as refused:
        actions.officer_message(report=report, text="", acting_user=sealed["officer"])
    assert refused.value.field == "text"


@pytest.mark.parametrize(
    "who", ["officer2", "head", "custodian", "principal", "city_officer", "superuser"]
)
def test_only_the_officer_holding_the_report_handles_it(sealed, who):
    report = bring(sealed, S.RECEIVED)
    steps = report.steps.count()
    user = sealed[who]
    for step in (
        lambda: actions.report_register(
            report=report, matter=report.matter, acting_user=user
        ),
        lambda: actions.report_refer(report=report, reason="上报", acting_user=user),
        lambda: actions.officer_message(report=report, text="你好", acting_user=user),
        lambda: actions.report_open(report=report, acting_user=user),
    ):
        with pytest.raises(PermissionDeniedError):
            step()
    report.refresh_from_db()
    assert report.state == S.RECEIVED and report.steps.count() == steps


def test_reading_the_report_is_recorded(sealed):
    report = bring(sealed, S.RECEIVED)
    content = actions.report_open(report=report, acting_user=sealed["officer"])
    assert content["what"] == "收受红包"
    entry = AuditEntry.objects.filter(report=report).order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.actor) == ("report.viewed", sealed["officer"])
    assert entry.detail == {}


def test_the_reporter_reads_the_notices_and_the_result_and_nothing_else(sealed):
    report = bring(sealed, S.OBJECTED)
    actions.report_reopen(report=report, reason="新证据", acting_user=sealed["officer"])
    assert kinds(selectors.steps_for_reporter(report)) == [
        K.RECEIVED,
        K.ACCEPTED,
        K.FED_BACK,
        K.OBJECTED,
        K.REOPENED,
    ]
    assert kinds(selectors.steps_for_officer(report)) == [
        K.RECEIVED,
        K.GRANTED,
        K.REGISTERED,
        K.ACCEPTED,
        K.DISPOSED,
        K.CONCLUDED,
        K.FED_BACK,
        K.OBJECTED,
        K.REOPENED,
    ]


def test_a_whole_run_writes_one_audit_entry_per_step(sealed):
    report = bring(sealed, S.OBJECTED)
    actions.objection_uphold(
        report=report, answer="维持", acting_user=sealed["officer"]
    )
    assert trail(report) == [
        "step.received",
        "grant.given",
        "step.granted",
        "step.registered",
        "step.accepted",
        "step.disposed",
        "step.concluded",
        "step.fed_back",
        "step.objected",
        "step.upheld",
    ]


def test_a_second_grant_for_the_same_officer_is_a_conflict_even_mid_run(sealed):
    report = bring(sealed, S.ACCEPTED)
    with pytest.raises(ConflictError):
        granted(sealed, report)
