"""The rankings page: red and black lists, print, publish, the published view."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.core import clock
from civicgrid.metrics.models import PublishedPeriod

pytestmark = pytest.mark.django_db


def test_units_are_ranked_with_red_and_black_lists(client, staff, bring):
    for _ in range(5):
        bring("closed")
    client.force_login(staff["leader"])
    page = client.get("/metrics/rankings/")
    assert page.status_code == 200
    (row,) = page.context["rows"]
    assert row["name"] == "城管局" and row["rank"] == 1
    assert row["list"] == "red" and page.context["red"] == [row]
    grids = client.get("/metrics/rankings/?by=grid")
    assert grids.status_code == 200
    (category,) = client.get("/metrics/rankings/?by=category").context["rows"]
    assert category["name"] == "路灯不亮" and category["reviewed"]["cases"] == 15
    (channel,) = client.get("/metrics/rankings/?by=channel").context["rows"]
    assert channel["id"] == "web"
    assert client.get("/metrics/rankings/?by=nonsense").status_code == 404


def test_a_period_that_is_over_is_published_and_stays(
    client, staff, bring, time_machine
):
    for _ in range(5):
        bring("closed")
    day = timezone.localdate(clock.now())
    client.force_login(staff["dispatcher"])
    query = f"?period=custom&start={day}&end={day}"
    refused = client.post("/metrics/rankings/" + query, follow=True)
    assert "Only a period that is over" in refused.content.decode()
    assert not PublishedPeriod.objects.exists()
    time_machine.move_to(clock.now() + timedelta(days=1))
    client.force_login(staff["dispatcher"])  # a day later: a new session
    done = client.post("/metrics/rankings/" + query)
    period = PublishedPeriod.objects.get()
    assert (
        done.status_code == 302
        and done["Location"] == f"/metrics/published/{period.pk}/"
    )
    bring("rejected")  # later events do not touch it
    shown = client.get(f"/metrics/published/{period.pk}/")
    assert shown.status_code == 200
    assert shown.context["rows"] == period.figures["department"]
    client.force_login(staff["outsider"])
    assert client.get(f"/metrics/published/{period.pk}/").status_code == 404
    assert client.get("/metrics/rankings/").status_code == 404


def test_the_rankings_page_reads_a_fixed_number_of_queries(
    client, staff, bring, django_assert_max_num_queries
):
    client.force_login(staff["leader"])
    bring("closed")
    with django_assert_max_num_queries(30) as few:
        client.get("/metrics/rankings/")
    for state in ("closed", "replied", "dispatched"):
        bring(state)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/metrics/rankings/")
