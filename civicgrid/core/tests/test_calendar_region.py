"""civicgrid calendar-region: the region's own holidays (藏历新年, 雪顿节) in the
work calendar beside the national ones."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from civicgrid.core import region_holidays, tibetan
from civicgrid.core.actions import calendar_region_apply
from civicgrid.core.models import CalendarDay

# The default rule alone, whatever the region has published.
LOSAR_WEEK = {
    "name": "藏历新年",
    "make_up_name": "藏历新年调休上班",
    "tibetan_month": 1,
    "tibetan_day": 1,
    "first_day": -1,
    "days_off": 7,
    "make_up_days": 2,
}
SHOTON_DAY = {
    "name": "雪顿节",
    "make_up_name": "雪顿节调休上班",
    "tibetan_month": 6,
    "tibetan_day": 30,
    "first_day": 0,
    "days_off": 1,
    "make_up_days": 0,
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar_region", *args, stdout=out)
    return out.getvalue()


def days(year: int) -> dict[date, tuple[str, str]]:
    return {
        row.date: (row.kind, row.name)
        for row in CalendarDay.objects.filter(date__year=year)
    }


@pytest.fixture
def rules(settings):
    settings.CIVICGRID_REGION_HOLIDAYS = [LOSAR_WEEK, SHOTON_DAY]


def test_the_dry_run_shows_the_days_and_writes_nothing(db, rules):
    out = run("--year", "2027")
    assert "dry run, nothing written" in out
    assert "藏历新年 2027 (藏历2154年 1/1): 2027-02-07" in out
    assert "2027-02-06 Sat  add     holiday 藏历新年" in out
    assert "2027-08-31 Tue  add     holiday 雪顿节" in out
    assert CalendarDay.objects.count() == 0


def test_commit_writes_losar_and_shoton_from_the_tibetan_calendar(db, rules):
    out = run("--year", "2027", "--commit")
    assert "2027: 10 added, 0 changed, 0 removed" in out
    losar = tibetan.losar(2027)  # Sunday 7 February
    expected = {
        losar + timedelta(days=n): ("holiday", "藏历新年") for n in range(-1, 6)
    }
    # The weekend after the break is worked in return (调休).
    expected[date(2027, 2, 13)] = ("workday", "藏历新年调休上班")
    expected[date(2027, 2, 14)] = ("workday", "藏历新年调休上班")
    expected[date(2027, 8, 31)] = ("holiday", "雪顿节")
    assert days(2027) == expected


def test_running_it_twice_adds_nothing(db, rules):
    run("--year", "2027", "--commit")
    before = list(CalendarDay.objects.values_list("date", "kind", "name", "updated_at"))
    out = run("--year", "2027", "--commit")
    assert "0 added, 0 changed, 0 removed, 0 left as the calendar has them, " in out
    assert "10 already there" in out
    after = list(CalendarDay.objects.values_list("date", "kind", "name", "updated_at"))
    assert after == before


def test_a_published_year_is_taken_as_announced(db):
    """Lhasa 2025: 27 February to 4 March off, no make-up days (不调休)."""
    run("--year", "2025", "--commit")
    losar = {d: v for d, v in days(2025).items() if d.month < 4}
    assert losar == {
        date(2025, 2, 27) + timedelta(days=n): ("holiday", "藏历新年") for n in range(6)
    }


def test_national_holidays_keep_their_rows_and_take_the_regions_name(db):
    """Lhasa 2026 gave one break for 春节 and 藏历新年, 15 to 26 February, with the
    national make-up days: the national rows stay, named for both."""
    for day in (14, 28):
        CalendarDay.objects.create(
            date=date(2026, 2, day), kind="workday", name="春节调休上班"
        )
    for day in range(15, 24):
        CalendarDay.objects.create(date=date(2026, 2, day), kind="holiday", name="春节")

    run("--year", "2026", "--commit")

    calendar = days(2026)
    assert calendar[date(2026, 2, 18)] == ("holiday", "春节、藏历新年")
    assert calendar[date(2026, 2, 24)] == ("holiday", "藏历新年")
    assert calendar[date(2026, 2, 26)] == ("holiday", "藏历新年")
    assert calendar[date(2026, 2, 14)] == ("workday", "春节调休上班、藏历新年调休上班")
    assert date(2026, 2, 27) not in calendar  # Friday: back at work
    assert "0 to add, 0 to change" in run("--year", "2026")


def test_a_national_day_of_the_other_kind_is_left_for_an_administrator(db, rules):
    CalendarDay.objects.create(
        date=date(2027, 2, 6), kind="workday", name="春节调休上班"
    )
    out = run("--year", "2027", "--commit")
    assert "2027-02-06 Sat  keep    workday 春节调休上班" in out
    assert "1 left as the calendar has them" in out
    assert days(2027)[date(2027, 2, 6)] == ("workday", "春节调休上班")


def test_the_published_notice_moves_the_days_written_before(db, rules, settings):
    CalendarDay.objects.create(date=date(2027, 2, 8), kind="holiday", name="春节")
    run("--year", "2027", "--commit")
    assert days(2027)[date(2027, 2, 8)] == ("holiday", "春节、藏历新年")
    notice = {2027: {"days_off": ["2027-02-15/2027-02-17"], "make_up_days": []}}
    settings.CIVICGRID_REGION_HOLIDAYS = [{**LOSAR_WEEK, "published": notice}]

    out = run("--year", "2027", "--commit")

    calendar = days(2027)
    assert {d for d, (_kind, name) in calendar.items() if "藏历新年" in name} == {
        date(2027, 2, 15),
        date(2027, 2, 16),
        date(2027, 2, 17),
    }
    assert calendar[date(2027, 2, 8)] == ("holiday", "春节")
    # A festival taken out of the configuration leaves its days for an
    # administrator: the command no longer knows them as its own.
    assert calendar[date(2027, 8, 31)] == ("holiday", "雪顿节")
    assert "remove" in out and "2027-02-13 Sat  remove" in out


def test_shoton_is_configured_apart_from_losar(db, settings):
    settings.CIVICGRID_REGION_HOLIDAYS = [
        {**SHOTON_DAY, "days_off": 3, "first_day": -1}
    ]
    calendar_region_apply(year=2026, acting_user=None, commit=True)
    assert days(2026) == {
        date(2026, 8, 11): ("holiday", "雪顿节"),
        date(2026, 8, 12): ("holiday", "雪顿节"),
        date(2026, 8, 13): ("holiday", "雪顿节"),
    }


def test_a_year_the_calendar_cannot_work_out_is_refused(db):
    with pytest.raises(CommandError, match="Choose a year from 1950 to 2100"):
        run("--year", "1800")


@pytest.mark.parametrize(
    ("festival", "message"),
    [
        ({**LOSAR_WEEK, "days_off": "seven"}, "'days_off' must be a whole number"),
        ({**LOSAR_WEEK, "tibetan_day": 31}, "'tibetan_day' must be a whole number"),
        ({**LOSAR_WEEK, "name": ""}, "'name' must be a name"),
        (
            {**LOSAR_WEEK, "published": {2027: {"days_off": ["2027-02-30"]}}},
            "is not YYYY-MM-DD",
        ),
        (
            {
                **LOSAR_WEEK,
                "published": {
                    2027: {"days_off": ["2027-02-06"], "make_up_days": ["2027-02-06"]}
                },
            },
            "both off and worked",
        ),
    ],
)
def test_a_bad_configuration_is_named(settings, festival, message):
    settings.CIVICGRID_REGION_HOLIDAYS = [festival]
    with pytest.raises(ImproperlyConfigured, match=message):
        region_holidays.region_plan(2027)


def test_make_up_days_are_the_weekend_days_nearest_the_break():
    # Lhasa 2023: 20–26 February off, the weekend before worked.
    break_2023 = [date(2023, 2, 20) + timedelta(days=n) for n in range(7)]
    assert region_holidays.nearest_weekend_days(break_2023, 2) == (
        date(2023, 2, 18),
        date(2023, 2, 19),
    )
    assert region_holidays.nearest_weekend_days(break_2023, 0) == ()
