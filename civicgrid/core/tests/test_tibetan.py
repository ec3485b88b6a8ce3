"""The Tibetan calendar (藏历) core keeps for the work calendar and the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

from civicgrid.core import tibetan


@pytest.mark.parametrize(
    ("year", "losar", "number"),
    [
        (2025, date(2025, 2, 28), 2152),  # wood snake
        (2026, date(2026, 2, 18), 2153),  # fire horse
        (2027, date(2027, 2, 7), 2154),  # fire sheep
    ],
)
def test_losar_falls_on_the_day_of_lhasas_almanac(year, losar, number):
    assert tibetan.losar(year) == losar
    found = tibetan.tibetan_date(losar)
    assert (found["month"], found["day"], found["is_leap"]) == (1, 1, False)
    assert tibetan.year_number(found["year"]) == number


def test_the_day_before_losar_is_the_last_of_the_old_year():
    found = tibetan.tibetan_date(date(2026, 2, 17))
    assert (tibetan.year_number(found["year"]), found["month"], found["day"]) == (
        2152,
        12,
        30,
    )


@pytest.mark.parametrize(
    ("year", "shoton"),
    [
        (2019, date(2019, 8, 30)),  # the festival opened on 30 August 2019
        (2025, date(2025, 8, 23)),
        (2026, date(2026, 8, 12)),
        (2027, date(2027, 8, 31)),
    ],
)
def test_shoton_opens_on_the_thirtieth_of_the_sixth_month(year, shoton):
    assert tibetan.civil_day(year, 6, 30) == shoton
    found = tibetan.tibetan_date(shoton)
    assert (found["month"], found["day"], found["is_leap"]) == (6, 30, False)


def test_month_one_day_one_is_losar():
    assert tibetan.civil_day(2026, 1, 1) == date(2026, 2, 18)


def test_the_rabjung_year_and_its_name():
    assert tibetan.rabjung(2026) == (17, 40)
    assert tibetan.year_name(2026) == "མེ་ཕོ་རྟ་ལོ"
    assert tibetan.year_name(2025) == "ཤིང་མོ་སྦྲུལ་ལོ"


def render(template: str, **context: object) -> str:
    return Template("{% load civicgrid %}" + template).render(Context(context))


def test_the_filter_gives_the_tibetan_date_in_tibetan_script():
    assert render("{{ d|tibetan_date }}", d=date(2026, 2, 18)) == (
        "བོད་ལོ་ ༢༡༥༣ ཟླ་ ༡ ཚེས་ ༡"
    )
    assert render('{{ d|tibetan_date:"rabjung" }}', d=date(2026, 2, 18)) == (
        "རབ་བྱུང་ ༡༧ མེ་ཕོ་རྟ་ལོ་ ཟླ་ ༡ ཚེས་ ༡"
    )


def test_the_filter_counts_a_moment_by_its_local_date(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    # 17:00 UTC on the 17th is 01:00 on Losar morning in Lhasa's time zone.
    moment = datetime(2026, 2, 17, 17, 0, tzinfo=UTC)
    assert render("{{ m|tibetan_date }}", m=moment) == "བོད་ལོ་ ༢༡༥༣ ཟླ་ ༡ ཚེས་ ༡"


def test_the_filter_marks_a_leap_month_and_a_repeated_day():
    # 2024 has two sixth months, the first of them the leap one (ཟླ་ལྷག་);
    # the first lunar day of the seventh fills two civil days (ལྷག).
    assert render("{{ d|tibetan_date }}", d=date(2024, 7, 6)) == (
        "བོད་ལོ་ ༢༡༥༡ ཟླ་ལྷག་ ༦ ཚེས་ ༡"
    )
    assert render("{{ d|tibetan_date }}", d=date(2024, 9, 4)) == (
        "བོད་ལོ་ ༢༡༥༡ ཟླ་ ༧ ཚེས་ ༡ ལྷག"
    )


def test_the_filter_gives_nothing_for_no_date():
    assert render("{{ d|tibetan_date }}", d=None) == ""
