"""The public digest: the street's month for anyone, with no personal data."""

from __future__ import annotations

import pytest
from django.utils import timezone

from civicgrid.core import clock

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_months_figures_and_no_one_is_named(client, bring):
    appeals = [bring("closed"), bring("closed"), bring("dispatched")]
    month = timezone.localdate(clock.now()).strftime("%Y-%m")
    page = client.get(f"/metrics/digest/?month={month}")
    assert page.status_code == 200
    assert page.context["counts"].intake == 3
    assert page.context["counts"].resolved == 2
    body = page.content.decode()
    for appeal in appeals:
        assert appeal.tracking_code not in body
        assert appeal.appellant_phone not in body
        assert appeal.appellant_name not in body
        assert appeal.description not in body
    assert "路灯不亮" in body  # the theme, by its category


def test_without_a_street_there_is_no_digest(client, db):
    assert client.get("/metrics/digest/").status_code == 404


def test_a_month_that_is_no_month_shows_the_last_one(client, bring):
    bring("closed")
    page = client.get("/metrics/digest/?month=2026-99")
    assert page.status_code == 200
    today = timezone.localdate(clock.now())
    assert page.context["end"] < today.replace(day=1)


def test_the_digest_reads_a_fixed_number_of_queries(
    client, bring, django_assert_max_num_queries
):
    bring("closed")
    with django_assert_max_num_queries(20) as few:
        client.get("/metrics/digest/")
    for state in ("closed", "replied"):
        bring(state)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/metrics/digest/")
