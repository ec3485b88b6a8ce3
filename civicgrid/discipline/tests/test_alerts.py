"""The worker's sweep of the statutory deadlines: one alert per deadline for
the head of the report's body, cleared when the step is taken or the report
went up a level; shown to that head only."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from civicgrid.discipline import actions, jobs, selectors
from civicgrid.discipline.models import Alert, AuditEntry, Disposal, Report

from .conftest import bring, granted, submit

LHASA = ZoneInfo("Asia/Shanghai")
S = Report.State
START = dt.datetime(2026, 5, 6, 10, tzinfo=LHASA)  # a Wednesday
A = Alert.Kind


@pytest.fixture
def frozen(time_machine, settings):
    settings.CIVICGRID_WORKING_HOURS = "09:00-12:00,13:30-17:30"
    time_machine.move_to(START, tick=False)

    def go(moment):
        time_machine.move_to(moment, tick=False)

    return go


def open_alerts(report):
    return set(
        Alert.objects.filter(report=report, cleared_at__isnull=True).values_list(
            "kind", flat=True
        )
    )


def test_nothing_is_raised_before_a_deadline(sealed, frozen):
    report = submit(sealed.district).report
    frozen(report.refer_due_at)
    assert actions.alerts_sweep() == 0
    assert not Alert.objects.exists()


def test_a_report_not_handled_in_five_working_days_alerts_the_head(sealed, frozen):
    report = submit(sealed.district).report
    assert report.refer_due_at is not None
    late = report.refer_due_at + timedelta(minutes=1)
    frozen(late)
    assert actions.alerts_sweep() == 1
    alert = Alert.objects.get()
    assert (alert.report, alert.body, alert.kind) == (report, sealed.district, A.REFER)
    assert (alert.due_at, alert.raised_at, alert.cleared_at) == (
        report.refer_due_at,
        late,
        None,
    )
    entry = AuditEntry.objects.get(action="alert.raised")
    assert (entry.report_id, entry.actor, entry.actor_label) == (
        report.pk,
        None,
        "system",
    )
    assert entry.detail == {"kind": A.REFER}


def test_an_alert_is_raised_once_per_deadline(sealed, frozen):
    report = submit(sealed.district).report
    assert report.refer_due_at is not None
    frozen(report.refer_due_at + timedelta(hours=1))
    assert actions.alerts_sweep() == 1
    assert actions.alerts_sweep() == 0
    frozen(report.refer_due_at + timedelta(days=1))
    assert actions.alerts_sweep() == 0
    assert Alert.objects.count() == 1
    assert AuditEntry.objects.filter(action="alert.raised").count() == 1


def test_the_worker_job_runs_the_sweep(sealed, frozen):
    report = submit(sealed.district).report
    assert jobs.discipline_alerts() is None
    assert report.decide_due_at is not None
    frozen(report.decide_due_at + timedelta(minutes=1))
    assert jobs.discipline_alerts() == 2  # refer and decide
    assert jobs.discipline_alerts() is None


def test_each_alert_clears_when_its_step_is_taken(sealed, frozen):
    report = bring(sealed, S.RECEIVED)
    officer = sealed["officer"]
    assert report.decide_due_at is not None
    frozen(report.decide_due_at + timedelta(minutes=1))
    actions.alerts_sweep()
    assert open_alerts(report) == {A.REFER, A.DECIDE}

    actions.report_register(report=report, matter=report.matter, acting_user=officer)
    actions.alerts_sweep()
    assert open_alerts(report) == {A.DECIDE}  # no longer waiting to be sent up

    actions.report_accept(report=report, notice="受理", acting_user=officer)
    actions.alerts_sweep()
    assert open_alerts(report) == set()
    cleared = Alert.objects.filter(report=report, kind=A.DECIDE).get()
    assert cleared.cleared_at == report.decide_due_at + timedelta(minutes=1)

    actions.report_dispose(report=report, disposal=Disposal.TALK, acting_user=officer)
    actions.report_conclude(report=report, result="属实", acting_user=officer)
    report.refresh_from_db()
    assert report.feedback_due_at is not None
    frozen(report.feedback_due_at + timedelta(minutes=1))
    assert actions.alerts_sweep() == 1
    assert open_alerts(report) == {A.FEEDBACK}

    actions.report_feed_back(report=report, result="已处理", acting_user=officer)
    actions.alerts_sweep()
    assert open_alerts(report) == set()
    assert Alert.objects.filter(report=report).count() == 3


def test_a_report_concluded_again_is_watched_against_its_new_deadline(sealed, frozen):
    report = bring(sealed, S.CONCLUDED)
    officer = sealed["officer"]
    assert report.feedback_due_at is not None
    frozen(report.feedback_due_at + timedelta(minutes=1))
    actions.alerts_sweep()
    actions.report_feed_back(report=report, result="已处理", acting_user=officer)
    actions.reporter_object(report=report, text="不服")
    actions.report_reopen(report=report, reason="新证据", acting_user=officer)
    actions.report_dispose(report=report, disposal=Disposal.VERIFY, acting_user=officer)
    actions.report_conclude(report=report, result="重新核实", acting_user=officer)
    report.refresh_from_db()
    frozen(report.feedback_due_at + timedelta(minutes=1))
    assert actions.alerts_sweep() == 1
    assert Alert.objects.filter(report=report, kind=A.FEEDBACK).count() == 2
    assert open_alerts(report) == {A.FEEDBACK}


def test_a_report_sent_up_clears_the_lower_body_s_alerts(sealed, frozen):
    report = bring(sealed, S.REGISTERED)
    assert report.decide_due_at is not None
    frozen(report.decide_due_at + timedelta(minutes=1))
    actions.alerts_sweep()
    assert open_alerts(report) == {A.DECIDE}
    actions.report_refer(report=report, reason="属上级", acting_user=sealed["officer"])
    assert actions.alerts_sweep() == 0
    assert open_alerts(report) == set()
    assert selectors.alerts_for(sealed["head"]).count() == 0
    assert selectors.alerts_for(sealed["city_head"]).count() == 0
    # The city's own clock runs from the day it arrived.
    report.refresh_from_db()
    assert report.refer_due_at is not None
    frozen(report.refer_due_at + timedelta(minutes=1))
    assert actions.alerts_sweep() == 1
    (alert,) = selectors.alerts_for(sealed["city_head"])
    assert (alert.body, alert.kind) == (sealed.city, A.REFER)


def test_alerts_are_shown_to_the_head_of_the_report_s_body_only(sealed, people, frozen):
    report = granted(sealed, submit(sealed.district).report)
    submit(sealed.street)
    assert report.refer_due_at is not None
    frozen(report.refer_due_at + timedelta(minutes=1))
    actions.alerts_sweep()
    (alert,) = selectors.alerts_for(sealed["head"])
    assert alert.report == report
    (street_alert,) = selectors.alerts_for(sealed["street_head"])
    assert street_alert.body == sealed.street
    for who in (
        "officer",
        "officer2",
        "custodian",
        "principal",
        "office",
        "city_head",
        "city_officer",
        "street_officer",
        "superuser",
    ):
        assert list(selectors.alerts_for(sealed[who])) == [], who
    for user in people.values():
        assert list(selectors.alerts_for(user)) == []


def test_a_cleared_alert_is_off_the_head_s_list(sealed, frozen):
    report = bring(sealed, S.RECEIVED)
    assert report.refer_due_at is not None
    frozen(report.refer_due_at + timedelta(minutes=1))
    actions.alerts_sweep()
    assert selectors.alerts_for(sealed["head"]).count() == 1
    actions.report_register(
        report=report, matter=report.matter, acting_user=sealed["officer"]
    )
    actions.alerts_sweep()
    assert selectors.alerts_for(sealed["head"]).count() == 0
