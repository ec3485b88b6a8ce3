"""The statutory timers on the work calendar: 5 working days to send up what
belongs to a higher body, 15 to decide acceptance, 15 from the conclusion to
give the result. The clock is frozen; the calendar is 国庆 2025 (1–8 October
off, Sunday 28 September and Saturday 11 October make-up working days) and
the working day 09:00–12:00, 13:30–17:30 (7 hours)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from civicgrid.core.models import CalendarDay
from civicgrid.discipline import actions, selectors
from civicgrid.discipline.models import Disposal, Report

from .conftest import bring, granted, submit

LHASA = ZoneInfo("Asia/Shanghai")
S = Report.State


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=LHASA)


@pytest.fixture
def hours(settings):
    settings.CIVICGRID_WORKING_HOURS = "09:00-12:00,13:30-17:30"
    settings.TIME_ZONE = "Asia/Shanghai"


@pytest.fixture
def national_day(db, hours):
    for day in range(1, 9):
        CalendarDay.objects.create(
            date=dt.date(2025, 10, day), kind=CalendarDay.Kind.HOLIDAY, name="国庆节"
        )
    for when in (dt.date(2025, 9, 28), dt.date(2025, 10, 11)):
        CalendarDay.objects.create(
            date=when, kind=CalendarDay.Kind.WORKDAY, name="国庆调休"
        )


def test_an_ordinary_week_counts_weekdays_only(sealed, hours, time_machine):
    """Received Tuesday 30 September 10:00 with no holidays on the calendar:
    5 working days → Tuesday 7 October 10:00, 15 → Tuesday 21 October."""
    time_machine.move_to(at(9, 30), tick=False)
    report = submit(sealed.district).report
    assert report.received_at == at(9, 30)
    assert report.refer_due_at == at(10, 7)
    assert report.decide_due_at == at(10, 21)


def test_a_report_received_just_before_national_day_is_due_after_it(
    sealed, national_day, time_machine
):
    """Tuesday 30 September 10:00 leaves 6 hours that day; then 9, 10,
    Saturday 11 (make-up), 13 October … : 5 working days end on Tuesday
    14 October at 10:00, 15 on Tuesday 28 October at 10:00."""
    time_machine.move_to(at(9, 30), tick=False)
    report = submit(sealed.district).report
    assert report.refer_due_at == at(10, 14)
    assert report.decide_due_at == at(10, 28)


def test_a_report_received_in_the_holiday_starts_counting_after_it(
    sealed, national_day, time_machine
):
    """Received on Friday 3 October (a holiday): the count starts on Thursday
    9 October 09:00 and a deadline lands at the end of a working day."""
    time_machine.move_to(at(10, 3, 15), tick=False)
    report = submit(sealed.district).report
    assert report.refer_due_at == at(10, 14, 17, 30)
    assert report.decide_due_at == at(10, 28, 17, 30)


def test_the_make_up_saturday_is_a_working_day(sealed, national_day, time_machine):
    """Received on the make-up Saturday 11 October at 09:00: that Saturday is
    the first of the 5 days, so it is due on Thursday 16 October at 17:30."""
    time_machine.move_to(at(10, 11, 9), tick=False)
    report = submit(sealed.district).report
    assert report.refer_due_at == at(10, 16, 17, 30)


def test_received_in_the_lunch_break_counts_from_the_afternoon(
    sealed, national_day, time_machine
):
    """12:30 on Monday 29 September: the day's working time left is the
    afternoon (4 hours), so 5 days (35 hours) end with a morning: at 12:00
    on Monday 13 October."""
    time_machine.move_to(at(9, 29, 12, 30), tick=False)
    report = submit(sealed.district).report
    # 29 Sep: 4 h; 30 Sep, 9, 10, 11 Oct: 28 h; 13 Oct: the last 3 h → 12:00.
    assert report.refer_due_at == at(10, 13, 12)


def test_the_result_is_due_fifteen_working_days_after_the_conclusion(
    sealed, national_day, time_machine
):
    """Concluded on Friday 26 September at 15:00: 2.5 hours that day, then
    Sunday 28 (make-up), 29, 30 September, 9, 10, 11 (make-up) October …:
    the result is due on Thursday 23 October at 15:00."""
    time_machine.move_to(at(9, 22), tick=False)
    report = bring(sealed, S.DISPOSED)
    time_machine.move_to(at(9, 26, 15), tick=False)
    actions.report_conclude(report=report, result="属实", acting_user=sealed["officer"])
    report.refresh_from_db()
    assert report.concluded_at == at(9, 26, 15)
    assert report.feedback_due_at == at(10, 23, 15)


def test_a_report_sent_up_gets_the_higher_body_s_own_clock(
    sealed, national_day, time_machine
):
    time_machine.move_to(at(9, 24), tick=False)
    report = granted(sealed, submit(sealed.district).report)
    # 24 Sep: 6 h; 25, 26, Sunday 28 (make-up), 29, 30 Sep, 9 … 20 Oct; 1 h.
    assert report.decide_due_at == at(10, 21)
    time_machine.move_to(at(9, 30), tick=False)
    actions.report_refer(
        report=report, reason="属市管干部", acting_user=sealed["officer"]
    )
    report.refresh_from_db()
    assert report.body == sealed.city
    assert report.received_at == at(9, 24)  # when the reporter sent it
    assert report.refer_due_at == at(10, 14)
    assert report.decide_due_at == at(10, 28)


def test_the_case_page_shows_each_timer_until_its_step_is_done(
    sealed, national_day, time_machine
):
    time_machine.move_to(at(9, 30), tick=False)
    report = bring(sealed, S.RECEIVED)
    shown = {timer.kind: timer for timer in selectors.timers(report)}
    assert set(shown) == {"refer", "decide"}
    assert not shown["decide"].overdue

    time_machine.move_to(at(10, 28, 11), tick=False)
    officer = sealed["officer"]
    actions.report_register(report=report, matter=report.matter, acting_user=officer)
    report.refresh_from_db()
    shown = {timer.kind: timer for timer in selectors.timers(report)}
    # Registered, it is decided whether it is for the level above: the
    # send-up timer (and its alert) ran while it was only received.
    assert shown["decide"].overdue and "refer" not in shown

    actions.report_accept(report=report, notice="受理", acting_user=officer)
    report.refresh_from_db()
    shown = {timer.kind: timer for timer in selectors.timers(report)}
    assert set(shown) == {"decide"}  # no longer to be sent up
    assert shown["decide"].done_at == at(10, 28, 11)
    assert shown["decide"].overdue  # decided an hour late, and it stays so

    actions.report_dispose(report=report, disposal=Disposal.VERIFY, acting_user=officer)
    actions.report_conclude(report=report, result="属实", acting_user=officer)
    report.refresh_from_db()
    shown = {timer.kind: timer for timer in selectors.timers(report)}
    assert shown["feedback"].due_at == report.feedback_due_at
    assert shown["feedback"].done_at is None and not shown["feedback"].overdue
