from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from civicgrid.core.models import CalendarDay
from civicgrid.core.workcalendar import (
    WorkCalendar,
    add_working_days,
    add_working_hours,
    get_work_calendar,
    parse_working_hours,
)

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def national_day_2026(db) -> None:
    """国庆节 2026: 1–7 October off; Sunday 20 September and Saturday 10 October
    are make-up working days (调休)."""
    for day in range(1, 8):
        CalendarDay.objects.create(
            date=date(2026, 10, day), kind="holiday", name="国庆节"
        )
    CalendarDay.objects.create(
        date=date(2026, 9, 20), kind="workday", name="国庆节调休上班"
    )
    CalendarDay.objects.create(
        date=date(2026, 10, 10), kind="workday", name="国庆节调休上班"
    )


def test_one_working_day_before_national_day_lands_after_the_holiday(national_day_2026):
    # 16:00 on Wed 30 Sep: 1.5 h left that day, the other 5.5 h on Thu 8 Oct.
    assert add_working_days(at(2026, 9, 30, 16), 1) == at(2026, 10, 8, 16)


def test_the_make_up_saturday_after_national_day_is_a_working_day(national_day_2026):
    assert add_working_days(at(2026, 10, 9, 10), 1) == at(2026, 10, 10, 10)
    assert add_working_days(at(2026, 10, 9, 10), 2) == at(2026, 10, 12, 10)


def test_without_the_calendar_the_same_saturday_is_a_day_off(db):
    assert add_working_days(at(2026, 10, 9, 10), 1) == at(2026, 10, 12, 10)


def test_the_make_up_sunday_before_national_day_counts_hours(national_day_2026):
    # Saturday 19 Sep is off; Sunday 20 Sep is a working day.
    assert add_working_hours(at(2026, 9, 19, 10), 1) == at(2026, 9, 20, 10)


def test_three_working_days_across_the_whole_golden_week(national_day_2026):
    # Tue 29 Sep 10:00 → 30 Sep, 8 Oct, 9 Oct.
    assert add_working_days(at(2026, 9, 29, 10), 3) == at(2026, 10, 9, 10)


def test_friday_afternoon_plus_one_working_day_is_monday_afternoon(db):
    assert add_working_days(at(2026, 11, 27, 15), 1) == at(2026, 11, 30, 15)


def test_received_on_a_saturday_is_due_at_the_end_of_monday(db):
    assert add_working_days(at(2026, 11, 28, 10), 1) == at(2026, 11, 30, 17, 30)


def test_working_hours_across_midnight(db):
    # 17:00 Mon: half an hour that evening, 1.5 h the next morning.
    assert add_working_hours(at(2026, 11, 23, 17), 2) == at(2026, 11, 24, 10, 30)
    # Received at 23:30, the clock starts at 09:00 the next morning.
    assert add_working_hours(at(2026, 11, 23, 23, 30), 2) == at(2026, 11, 24, 11)


def test_working_hours_skip_the_lunch_break(db):
    assert add_working_hours(at(2026, 11, 23, 11), 2) == at(2026, 11, 23, 14, 30)


def test_a_deadline_that_fills_the_morning_ends_at_noon_not_after_lunch(db):
    assert add_working_hours(at(2026, 11, 23, 9), 3) == at(2026, 11, 23, 12)


def test_zero_time_is_the_start_itself(db):
    start = at(2026, 11, 28, 3)
    assert add_working_hours(start, 0) == start


def test_a_naive_datetime_is_refused(db):
    with pytest.raises(ValueError, match="aware"):
        add_working_hours(datetime(2026, 11, 23, 9), 1)  # noqa: DTZ001


def test_results_are_in_local_time_from_a_utc_start(db):
    # 01:00 UTC is 09:00 in Beijing time.
    start = datetime(2026, 11, 23, 1, tzinfo=ZoneInfo("UTC"))
    assert add_working_hours(start, 1) == at(2026, 11, 23, 10)


def test_working_seconds_between_counts_only_working_time(national_day_2026):
    calendar = get_work_calendar()
    assert (
        calendar.working_seconds_between(at(2026, 9, 30, 16), at(2026, 10, 8, 10))
        == 2.5 * 3600
    )
    assert (
        calendar.working_seconds_between(at(2026, 10, 8, 10), at(2026, 9, 30, 16))
        == -2.5 * 3600
    )


def test_add_and_between_are_inverse():
    calendar = WorkCalendar({}, parse_working_hours("09:30-13:00,15:30-18:30"), TZ)
    start = at(2026, 11, 20, 12)
    for hours in (0.5, 1, 3.5, 7, 13, 40):
        end = calendar.add_working_hours(start, hours)
        assert calendar.working_seconds_between(start, end) == hours * 3600


def test_working_hours_are_configurable(settings, db):
    # Lhasa offices keep later hours than the coast.
    settings.CIVICGRID_WORKING_HOURS = "09:30-13:00,15:30-18:30"
    assert add_working_hours(at(2026, 11, 23, 12), 2) == at(2026, 11, 23, 16, 30)


@pytest.mark.parametrize(
    "spec",
    ["", "9-12", "12:00-09:00", "09:00-12:00,11:00-17:00", "13:30-17:30,09:00-12:00"],
)
def test_bad_working_hours_are_refused(spec):
    with pytest.raises(ImproperlyConfigured):
        parse_working_hours(spec)
