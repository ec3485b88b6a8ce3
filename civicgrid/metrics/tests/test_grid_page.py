"""A grid's page: its open appeals on the map, coloured by their deadline, its
recent patrol findings and its rates — to whoever may see the grid, with only
the appeals they may see, and nothing of the residents but masked."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.appeals import actions
from civicgrid.appeals.actions import AppealInput
from civicgrid.appeals.models import Channel
from civicgrid.appeals.tests.conftest import PHONE
from conftest import make_user

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
INSIDE_W1 = {"latitude": 29.615, "longitude": 91.005}
INSIDE_E2 = {"latitude": 29.605, "longitude": 91.015}


def page_of(grid) -> str:
    return reverse("metrics:area", args=[grid.code])


def markers(response) -> dict[str, dict]:
    found = response.context["markers"]
    # What the page hands its script is the same.
    body = response.content.decode()
    start = body.index('<script id="grid-markers" type="application/json">')
    script = body[start:].split(">", 1)[1].split("</script>")[0]
    assert json.loads(script) == found
    return {pin["code"]: pin for pin in found}


@pytest.fixture
def deadlines(bring, submit, time_machine):
    """In grid 东嘎一网格, as seen on Wednesday 11 March 2026 at 15:00: one
    appeal overdue (dispatched the Monday before), one due soon (dispatched on
    Monday), one in time (just dispatched), one awaiting its callback, one
    closed; and an open appeal in 林堆一网格."""
    start = datetime(2026, 3, 2, 9, 30, tzinfo=TZ)
    time_machine.move_to(start, tick=False)
    overdue = bring("dispatched")
    closed = bring("closed")
    time_machine.move_to(start + timedelta(days=7), tick=False)
    due_soon = bring("handling")
    time_machine.move_to(start + timedelta(days=7, hours=53.5), tick=False)
    in_time = bring("dispatched")
    replied = bring("replied")
    elsewhere = submit(**INSIDE_W1)
    return {
        "overdue": overdue,
        "due_soon": due_soon,
        "in_time": in_time,
        "replied": replied,
        "closed": closed,
        "elsewhere": elsewhere,
    }


def test_the_open_appeals_are_pins_coloured_by_their_deadline(
    client, staff, street, deadlines
):
    client.force_login(staff["gridworker"])
    response = client.get(page_of(street.grids["e1"]))
    assert response.status_code == 200
    pins = markers(response)
    level = {
        name: pins[a.tracking_code]["level"]
        for name, a in deadlines.items()
        if a.tracking_code in pins
    }
    assert level == {
        "overdue": "overdue",
        "due_soon": "due_soon",
        "in_time": "open",
        "replied": "open",
    }
    overdue = pins[deadlines["overdue"].tracking_code]
    assert overdue["url"] == reverse("appeals:detail", args=[deadlines["overdue"].pk])
    assert overdue["category"] == "路灯不亮"
    assert overdue["urgency"] == "overdue" and overdue["due"].startswith("Due 03-05")
    assert (overdue["lat"], overdue["lon"]) == (29.605, 91.005)
    assert response.context["overdue_count"] == 1
    assert response.context["due_soon_count"] == 1
    # The list holds the same, nearest their deadline first.
    listed = [a.tracking_code for a in response.context["open_appeals"]]
    assert listed[:2] == [
        deadlines["overdue"].tracking_code,
        deadlines["due_soon"].tracking_code,
    ]
    assert set(listed) == set(pins)


def test_the_colours_are_the_console_s_queues(client, staff, street, deadlines):
    """Overdue and due soon on the map are what the console's queues say."""
    from civicgrid.appeals import selectors as appeal_selectors

    client.force_login(staff["gridworker"])
    pins = markers(client.get(page_of(street.grids["e1"])))
    for queue, level in (("overdue", "overdue"), ("due_soon", "due_soon")):
        in_queue = set(
            appeal_selectors.queue(staff["gridworker"], queue)
            .filter(grid=street.grids["e1"])
            .values_list("tracking_code", flat=True)
        )
        assert in_queue == {c for c, pin in pins.items() if pin["level"] == level}


def test_the_residents_are_masked_and_their_words_left_out(
    client, staff, street, deadlines
):
    client.force_login(staff["gridworker"])
    body = client.get(page_of(street.grids["e1"])).content.decode()
    assert "卓玛" not in body and PHONE not in body
    assert "卓*" in body and PHONE[:3] in body  # masked, as in the console
    assert "楼下路灯坏了三天" not in body  # the resident's own words


@pytest.mark.parametrize("who", ["outsider", "handler_cg", "resident"])
def test_who_may_not_see_the_grid_gets_404(client, staff, street, deadlines, who):
    client.force_login(staff[who])
    assert client.get(page_of(street.grids["e1"])).status_code == 404


def test_a_grid_worker_sees_their_grids_and_not_their_neighbours(
    client, staff, street, deadlines
):
    client.force_login(staff["gridworker"])
    assert client.get(page_of(street.grids["e2"])).status_code == 200
    assert client.get(page_of(street.grids["w1"])).status_code == 404
    client.logout()
    response = client.get(page_of(street.grids["e1"]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_street_s_staff_see_every_grid_with_its_own_appeals(
    client, staff, street, deadlines
):
    client.force_login(staff["dispatcher"])
    west = client.get(page_of(street.grids["w1"]))
    assert west.status_code == 200
    assert set(markers(west)) == {deadlines["elsewhere"].tracking_code}
    assert west.context["reads_rates"]


def test_someone_who_sees_the_grid_but_not_its_appeals_sees_neither_those_nor_rates(
    client, staff, street, deadlines
):
    """A volunteer (党员志愿者) of the community may open its grids' pages:
    the outline, no appeal, no rates."""
    volunteer = make_user("volunteer", "格桑")
    membership_add(
        user=volunteer, role=Role.VOLUNTEER, area=street.east, acting_user=None
    )
    client.force_login(volunteer)
    response = client.get(page_of(street.grids["e1"]))
    assert response.status_code == 200
    assert response.context["markers"] == []
    assert response.context["open_appeals"] == []
    assert list(response.context["findings"]) == []
    assert not response.context["reads_rates"]
    body = response.content.decode()
    assert "grid-outline" in body and "trend-chart" not in body
    assert client.get(page_of(street.grids["w1"])).status_code == 404


def test_community_staff_see_their_grids_appeals_and_no_other_community_s(
    client, staff, street, deadlines
):
    community_staff = make_user("community_staff", "卓嘎")
    membership_add(
        user=community_staff,
        role=Role.COMMUNITY_STAFF,
        area=street.west,
        acting_user=None,
    )
    client.force_login(community_staff)
    west = client.get(page_of(street.grids["w1"]))
    assert set(markers(west)) == {deadlines["elsewhere"].tracking_code}
    assert client.get(page_of(street.grids["e1"])).status_code == 404


def patrol(street, worker, description: str, **where):
    appeal, _created = actions.appeal_submit(
        data=AppealInput(
            description=description,
            street=street.street,
            channel=Channel.PATROL,
            kind="report",
            address="东嘎社区2号路口",
            **(where or {"latitude": 29.605, "longitude": 91.005}),
        ),
        acting_user=worker,
    )
    return appeal


def test_the_recent_patrol_findings_of_the_grid_are_listed(
    client, staff, street, bring
):
    worker = staff["gridworker"]
    older = patrol(street, worker, "巡查发现井盖缺失。")
    newer = patrol(street, worker, "巡查发现路灯倾斜。")
    patrol(street, worker, "巡查发现垃圾堆放。", **INSIDE_E2)  # the next grid's
    hotline = bring("dispatched")  # not a patrol finding
    client.force_login(worker)
    response = client.get(page_of(street.grids["e1"]))
    assert [a.pk for a in response.context["findings"]] == [newer.pk, older.pk]
    body = response.content.decode()
    findings = body.split('class="list appeals findings"')[1].split("</table>")[0]
    assert newer.tracking_code in findings and "扎西" in findings
    assert hotline.tracking_code not in findings
    # Open, both are on the map too.
    assert {older.tracking_code, newer.tracking_code} <= set(markers(response))


def test_the_grid_s_rates_are_the_unit_page_s(client, staff, street, bring):
    from civicgrid.appeals.actions import Unit

    appeal = bring("accepted")
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(area=street.grids["e1"]),
    )
    client.force_login(staff["gridworker"])
    response = client.get(page_of(street.grids["e1"]))
    assert response.context["reads_rates"]
    assert response.context["shares"]["to_sign"] == 1
    assert response.context["total"].raw.dispatched == 1
    assert response.context["rates"]["dispatched"] == 1
    body = response.content.decode()
    assert "trend-chart" in body and "Response rate" in body


def test_the_page_reads_a_fixed_number_of_queries(
    client, staff, street, bring, django_assert_max_num_queries
):
    client.force_login(staff["gridworker"])
    page = page_of(street.grids["e1"])
    bring("dispatched")
    patrol(street, staff["gridworker"], "巡查发现井盖缺失。")
    with django_assert_max_num_queries(40) as few:
        assert client.get(page).status_code == 200
    for state in ("dispatched", "handling", "replied", "closed"):
        bring(state)
        patrol(street, staff["gridworker"], "巡查发现路灯倾斜。")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(page)
    # Open: the first two, three of those brought, the five findings.
    assert len(response.context["markers"]) == 9
