"""Lhasa's own holidays (藏历新年, 雪顿节) count in the handling clocks, and the
resident's page shows the Tibetan date beside the Gregorian one in Tibetan."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.urls import reverse

from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Assignment
from civicgrid.core.actions import calendar_region_apply

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The default rules alone, so that the clocks follow the Tibetan calendar and
# not whatever the region has published.
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


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def clocks(settings):
    settings.CIVICGRID_WORKING_HOURS = "09:00-12:00,13:30-17:30"
    settings.CIVICGRID_WARN_BEFORE_WORKING_HOURS = 4
    settings.TIME_ZONE = "Asia/Shanghai"


@pytest.fixture
def dispatch_lamp(submit, staff, departments):
    """A street lamp appeal (sign within 2 working hours, handle within 3
    working days), received, accepted and dispatched at ``moment``."""

    def _dispatch(moment: datetime) -> Assignment:
        with time_machine.travel(moment, tick=False):
            appeal = submit()
            actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
            actions.appeal_dispatch(
                appeal=appeal,
                acting_user=staff["dispatcher"],
                lead=Unit(department=departments["cg"]),
            )
        return appeal.assignments.get()

    return _dispatch


def test_losar_pushes_the_handling_deadline(clocks, settings, dispatch_lamp):
    """Losar 2027 is Sunday 7 February: off from the eve, Saturday 6, to Friday
    12, the weekend after worked. From Friday 5 February 16:30, 21 working hours
    are Friday 1 + Saturday 13 7 + Sunday 14 7 + Monday 15 6 → 16:30."""
    settings.CIVICGRID_REGION_HOLIDAYS = [LOSAR_WEEK]
    friday = at(2027, 2, 5, 16, 30)
    before = dispatch_lamp(friday)
    assert before.due_at == at(2027, 2, 10, 16, 30)  # an ordinary week

    calendar_region_apply(year=2027, acting_user=None, commit=True)
    lead = dispatch_lamp(friday)

    assert lead.response_due_at == at(2027, 2, 13, 10)  # a make-up Saturday
    assert lead.due_at == at(2027, 2, 15, 16, 30)


def test_shoton_pushes_the_handling_deadline(clocks, settings, dispatch_lamp):
    """雪顿节 2026 opens on Wednesday 12 August (Tibetan 6/30), a day off here.
    From Tuesday 11 August 16:30: Tuesday 1 + Thursday 7 + Friday 7 + Monday 6."""
    settings.CIVICGRID_REGION_HOLIDAYS = [SHOTON_DAY]
    tuesday = at(2026, 8, 11, 16, 30)
    before = dispatch_lamp(tuesday)
    assert before.due_at == at(2026, 8, 14, 16, 30)

    calendar_region_apply(year=2026, acting_user=None, commit=True)
    lead = dispatch_lamp(tuesday)

    assert lead.response_due_at == at(2026, 8, 13, 10)  # Thursday
    assert lead.due_at == at(2026, 8, 17, 16, 30)  # Monday


def test_lhasas_published_losar_break_counts_its_make_up_days(clocks, dispatch_lamp):
    """As Lhasa announced 2026: 15 to 26 February off (春节 and 藏历新年 in one),
    Saturdays 14 and 28 worked. From Friday 13 February 16:30: Friday 1 +
    Saturday 14 7 + Friday 27 7 + Saturday 28 6 → 16:30."""
    calendar_region_apply(year=2026, acting_user=None, commit=True)
    lead = dispatch_lamp(at(2026, 2, 13, 16, 30))
    assert lead.due_at == at(2026, 2, 28, 16, 30)


LOSAR_2153 = "བོད་ལོ་ ༢༡༥༣ ཟླ་ ༡ ཚེས་ ༡"


def test_the_tracking_page_in_tibetan_shows_the_tibetan_date(client, submit):
    with time_machine.travel(at(2026, 2, 18, 10), tick=False):
        appeal = submit()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "bo"
    page = client.get(reverse("appeals:track", args=[appeal.tracking_code]))
    assert page.status_code == 200
    assert LOSAR_2153 in page.content.decode()


def test_the_tracking_page_in_chinese_shows_no_tibetan_date(client, submit):
    with time_machine.travel(at(2026, 2, 18, 10), tick=False):
        appeal = submit()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("appeals:track", args=[appeal.tracking_code]))
    assert page.status_code == 200
    assert "2026-02-18" in page.content.decode()
    assert "བོད་ལོ་" not in page.content.decode()


def test_an_unknown_tracking_code_is_404_in_tibetan_too(client, db):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "bo"
    assert client.get(reverse("appeals:track", args=["ZZZZZZZZZZ"])).status_code == 404
