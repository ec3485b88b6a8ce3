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
    assert category["name"] == "路灯不亮" and category["reviewed"]["dispatched"] == 5
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
    assert [str(m) for m in shown.context["messages"]] == [
        f"The rankings of {day} to {day} are published."
    ]
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


@pytest.fixture
def one_done_one_idle(staff, departments, bring):
    """城管局 has done five appeals; 住建局 was sent six and answered none."""
    from civicgrid.appeals import actions
    from civicgrid.appeals.actions import Unit

    for _ in range(5):
        bring("closed")
    for _ in range(6):
        actions.appeal_dispatch(
            appeal=bring("accepted"),
            acting_user=staff["dispatcher"],
            lead=Unit(department=departments["zj"]),
        )


@pytest.mark.parametrize("url", ["/metrics/rankings/", "/metrics/"])
def test_each_appeal_counts_once_and_a_unit_without_cases_has_no_score(
    client, staff, one_done_one_idle, url
):
    client.force_login(staff["leader"])
    page = client.get(url)
    rows = {
        row["name"]: row
        for row in page.context["ranking" if url == "/metrics/" else "rows"]
    }
    done, idle = rows["城管局"], rows["住建局"]
    # Five appeals, not fifteen (responses, completions and callbacks added).
    assert done["reviewed"]["dispatched"] == 5 and done["rank"] == 1
    assert done["reviewed"]["cases"]["response"] == {"count": 5, "of": 5}
    # Six sent, nothing answered: "no return" alone is no score.
    assert idle["reviewed"]["dispatched"] == 6
    assert idle["reviewed"]["score"] is None and idle["rank"] is None
    assert idle["list"] == "" and not idle["ranked"]
    body = page.content.decode()
    assert '100.0% <small class="cases">(5/5)</small>' in body
    idle_row = body[body.index("住建局") :].split("</tr>")[0]
    assert "<td>6</td>" in idle_row and "nothing to score" in idle_row
    if url == "/metrics/rankings/":
        assert [r["name"] for r in page.context["red"]] == ["城管局"]
        assert page.context["black"] == []


def test_a_period_published_before_keeps_what_it_froze(
    client, staff, street, one_done_one_idle, time_machine
):
    from civicgrid.metrics import selectors

    day = timezone.localdate(clock.now())
    # As periods were published before each rate kept its cases: one sum.
    frozen = {
        "formula": 1,
        "street": {},
        "department": [
            {
                "id": 1,
                "name": "供电公司",
                "rank": 1,
                "ranked": True,
                "list": "red",
                "reviewed": {"score": 100.0, "cases": 0, "response": None},
                "raw": {"score": 100.0, "cases": 0, "response": None},
            }
        ],
    }
    old = PublishedPeriod.objects.create(
        street=street.street,
        start=day - timedelta(days=40),
        end=day - timedelta(days=10),
        formula=selectors.current_formula(),
        figures=frozen,
        published_at=clock.now(),
        published_by=staff["dispatcher"],
    )
    client.force_login(staff["leader"])
    shown = client.get(f"/metrics/published/{old.pk}/")
    assert shown.status_code == 200 and shown.context["legacy"]
    body = shown.content.decode()
    assert "as published" in body and "供电公司" in body and "100.0" in body
    old.refresh_from_db()
    assert old.figures == frozen  # not rewritten

    time_machine.move_to(clock.now() + timedelta(days=1))
    client.force_login(staff["dispatcher"])
    client.post(f"/metrics/rankings/?period=custom&start={day}&end={day}")
    new = PublishedPeriod.objects.exclude(pk=old.pk).get()
    assert new.figures["version"] == 3
    rows = {row["name"]: row for row in new.figures["department"]}
    assert rows["城管局"]["reviewed"]["dispatched"] == 5
    assert rows["城管局"]["reviewed"]["unreachable"] == 0
    assert rows["住建局"]["reviewed"]["score"] is None
    assert rows["住建局"]["list"] == ""
    page = client.get(f"/metrics/published/{new.pk}/")
    assert not page.context["legacy"]
    assert '100.0% <small class="cases">(5/5)</small>' in page.content.decode()
