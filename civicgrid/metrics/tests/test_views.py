"""The street overview and a department's page: who sees them, what they
show, and a query count that does not grow with the history."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from civicgrid.appeals import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(bring, staff):
    made = [bring(state) for state in ("closed", "closed", "replied", "dispatched")]
    actions.appeal_callback(
        appeal=made[2], acting_user=None, resolved=False, satisfaction="unsatisfied"
    )
    return made


def test_the_street_overview_shows_the_rates_for_leaders(client, staff, history):
    client.force_login(staff["leader"])
    page = client.get("/metrics/")
    assert page.status_code == 200
    body = page.content.decode()
    rates = page.context["rates"]
    # Two resolved callbacks of three; satisfied: the two closed.
    assert rates["resolution"] == pytest.approx(2 / 3)
    assert rates["satisfaction"] == pytest.approx(2 / 3)
    assert page.context["total"].raw.intake == 4
    assert "66.7%" in body
    assert page.context["ranking"][0]["name"] == "城管局"
    assert page.context["grid_map"]["features"]
    assert page.context["trend"][-1]["resolution"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("who", ["outsider", "handler_cg", "gridworker", "resident"])
def test_the_overview_is_not_for_others(client, staff, who):
    client.force_login(staff[who])
    assert client.get("/metrics/").status_code == 404


def test_a_department_sees_its_page_and_no_other(
    client, staff, departments, history, bring
):
    client.force_login(staff["handler_cg"])
    page = f"/metrics/departments/{departments['cg'].pk}/"
    # Four appeals dispatched to it: fewer than the formula's five to be ranked.
    assert client.get(page).context["place"]["rank"] is None
    bring("dispatched")
    own = client.get(page)
    assert own.status_code == 200
    assert own.context["rates"]["dispatched"] == 5
    assert own.context["place"]["rank"] == 1
    assert own.context["rates"]["response"] == 1.0
    other = client.get(f"/metrics/departments/{departments['zj'].pk}/")
    assert other.status_code == 404
    client.force_login(staff["outsider"])
    assert (
        client.get(f"/metrics/departments/{departments['cg'].pk}/").status_code == 404
    )


def test_a_bad_period_is_named_and_this_month_shown(client, staff, history):
    client.force_login(staff["leader"])
    page = client.get("/metrics/?period=custom&start=2026-05-01&end=2026-04-01")
    assert page.status_code == 200
    assert "end" in page.context["form"].errors
    assert page.context["start"].day == 1


def test_the_pages_read_a_fixed_number_of_queries(
    client, staff, departments, bring, django_assert_max_num_queries
):
    client.force_login(staff["leader"])
    bring("closed")
    with django_assert_max_num_queries(40) as few:
        client.get("/metrics/")
    for state in ("closed", "replied", "dispatched", "rejected", "closed"):
        bring(state)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/metrics/")
    page = f"/metrics/departments/{departments['cg'].pk}/"
    with django_assert_max_num_queries(30) as few:
        client.get(page)
    bring("closed")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page)


def test_a_grid_and_a_community_have_their_pages(client, staff, street, bring):
    from civicgrid.accounts.actions import membership_add
    from civicgrid.accounts.models import Role
    from civicgrid.appeals.actions import Unit
    from conftest import make_user

    appeal = bring("accepted")
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(area=street.grids["e1"]),
    )
    grid = f"/metrics/areas/{street.grids['e1'].code}/"
    client.force_login(staff["gridworker"])
    page = client.get(grid)
    assert page.status_code == 200
    assert page.context["shares"]["to_sign"] == 1
    assert page.context["total"].raw.dispatched == 1
    # Not a grid of theirs, nor the other community's.
    assert client.get(f"/metrics/areas/{street.grids['w1'].code}/").status_code == 404
    staff_member = make_user("community_staff", "卓玛")
    membership_add(
        user=staff_member,
        role=Role.COMMUNITY_STAFF,
        area=street.east,
        acting_user=None,
    )
    client.force_login(staff_member)
    community = client.get(f"/metrics/areas/{street.east.code}/")
    assert community.status_code == 200
    assert community.context["shares"]["to_sign"] == 1  # its grid's share
    assert client.get(f"/metrics/areas/{street.west.code}/").status_code == 404
    assert client.get(grid).status_code == 200  # its grid
    client.force_login(staff["outsider"])
    assert client.get(grid).status_code == 404
    assert client.get(f"/metrics/areas/{street.street.code}/").status_code == 404


def test_a_grid_page_reads_a_fixed_number_of_queries(
    client, staff, street, bring, django_assert_max_num_queries
):
    client.force_login(staff["gridworker"])
    page = f"/metrics/areas/{street.grids['e1'].code}/"
    bring("closed")
    with django_assert_max_num_queries(30) as few:
        assert client.get(page).status_code == 200
    for state in ("closed", "replied", "dispatched"):
        bring(state)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page)


def test_the_overviews_queues_are_the_consoles(
    client, staff, street, bring, time_machine
):
    from civicgrid.appeals import selectors as appeal_selectors
    from civicgrid.metrics.selectors import street_queues

    monday = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    time_machine.move_to(monday, tick=False)
    for state in ("dispatched", "handling", "handling", "replied", "closed"):
        bring(state)
    seen = []
    # Monday; Wednesday afternoon, hours before the three working days end;
    # ten days on.
    for hours in (0, 53.5, 24 * 10):
        time_machine.move_to(monday + timedelta(hours=hours), tick=False)
        counts = street_queues(street.street)
        seen.append(counts)
        leader = staff["leader"]
        assert counts == {
            "open": appeal_selectors.appeal_list_for_user(leader)
            .filter(
                state__in=["received", "accepted", "dispatched", "handling", "replied"]
            )
            .count(),
            "due_soon": appeal_selectors.queue(leader, "due_soon").count(),
            "overdue": appeal_selectors.queue(leader, "overdue").count(),
        }, hours
    assert [c["due_soon"] for c in seen] == [0, 3, 0]
    assert [c["overdue"] for c in seen] == [0, 0, 3]
