"""社情民意, a grid's events and the patrol log as each role reaches them on
the pages: who sees which grid's items (an outsider gets 404), the counters,
the steps, and query counts that do not grow with the list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicgrid.ledger.actions import patrol as patrol_actions
from civicgrid.ledger.models import Opinion, Patrol

from .conftest import centre, make_opinion

pytestmark = pytest.mark.django_db

NOBODY = ["outsider", "resident", "handler_cg"]


@pytest.fixture
def items(street, ledger_people) -> dict[str, Opinion]:
    worker, west = ledger_people["gridworker"], ledger_people["gridworker_w1"]
    return {
        "e1": make_opinion(
            street.grids["e1"], worker, "东一网格楼道灯坏了", risk="warning"
        ),
        "e2": make_opinion(street.grids["e2"], worker, "东二网格暖气不热"),
        "w1": make_opinion(street.grids["w1"], west, "林堆一网格停车难"),
    }


def _login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("gridworker", {"e1", "e2"}),
        ("gridworker_w1", {"w1"}),
        ("community_east", {"e1", "e2"}),
        ("leader", {"e1", "e2", "w1"}),
        ("dispatcher", {"e1", "e2", "w1"}),
        ("admin", {"e1", "e2", "w1"}),
    ],
)
def test_each_role_lists_the_items_of_its_grids(
    client, ledger_people, items, who, sees
):
    page = _login(client, ledger_people[who]).get(reverse("ledger:opinions"))
    assert page.status_code == 200
    text = page.content.decode()
    for grid, opinion in items.items():
        assert (opinion.text in text) == (grid in sees), grid


@pytest.mark.parametrize("who", NOBODY)
def test_who_keeps_no_ledger_gets_404_for_the_list_and_an_item(
    client, ledger_people, items, who
):
    _login(client, ledger_people[who])
    assert client.get(reverse("ledger:opinions")).status_code == 404
    assert (
        client.get(reverse("ledger:opinion", args=[items["e1"].pk])).status_code == 404
    )


def test_another_grids_worker_gets_404_for_an_item(client, ledger_people, items):
    _login(client, ledger_people["gridworker_w1"])
    assert (
        client.get(reverse("ledger:opinion", args=[items["e1"].pk])).status_code == 404
    )
    response = client.post(
        reverse("ledger:opinion_step", args=[items["e1"].pk, "close"]), {"note": "x"}
    )
    assert response.status_code == 404


def test_the_counters_speak_the_pages_words(client, ledger_people, items):
    items["e2"].state = Opinion.State.CLOSED
    items["e2"].save()
    page = _login(client, ledger_people["leader"]).get(
        reverse("ledger:opinions"), {"period": "month"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    text = page.content.decode()
    assert "本月收集社情民意 3 条，其中预警 1 条，已转诉求 0 条" in text


def test_the_list_filters_by_area_risk_and_state(client, street, ledger_people, items):
    _login(client, ledger_people["leader"])
    text = client.get(
        reverse("ledger:opinions"), {"area": street.east.pk, "risk": "warning"}
    ).content.decode()
    assert items["e1"].text in text
    assert items["e2"].text not in text and items["w1"].text not in text


def test_the_list_makes_as_many_queries_for_many_items_as_for_few(
    client, street, ledger_people, items
):
    _login(client, ledger_people["leader"])
    url = reverse("ledger:opinions")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        make_opinion(street.grids["w1"], ledger_people["gridworker_w1"], f"第{n}条")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_grid_worker_gathers_an_item_from_the_phones_point(
    client, street, ledger_people
):
    lon, lat = centre(street.grids["e2"])
    response = _login(client, ledger_people["gridworker"]).post(
        reverse("ledger:opinion_new"),
        {
            "text": "出租屋群租",
            "source": "visit",
            "risk": "attention",
            "lon": lon,
            "lat": lat,
        },
    )
    opinion = Opinion.objects.get()
    assert response.status_code == 302
    assert opinion.grid == street.grids["e2"]
    follow = client.get(response["Location"])
    assert street.grids["e2"].name in follow.content.decode()


def test_a_point_outside_every_grid_is_shown_on_the_form(client, ledger_people):
    response = _login(client, ledger_people["gridworker"]).post(
        reverse("ledger:opinion_new"),
        {"text": "x", "source": "visit", "risk": "general", "lon": 10, "lat": 10},
    )
    assert response.status_code == 400
    assert not Opinion.objects.exists()


@pytest.mark.parametrize("who", ["leader", "dispatcher", *NOBODY])
def test_who_keeps_no_grid_gathers_nothing(client, ledger_people, who):
    _login(client, ledger_people[who])
    assert client.get(reverse("ledger:opinion_new")).status_code == 404


def test_an_item_turned_into_an_appeal_shows_the_way_back(
    client, street, ledger_people, items
):
    _login(client, ledger_people["gridworker"])
    response = client.post(
        reverse("ledger:opinion_step", args=[items["e1"].pk, "to_appeal"]), {}
    )
    assert response.status_code == 302
    items["e1"].refresh_from_db()
    appeal = items["e1"].appeal
    page = client.get(reverse("ledger:opinion", args=[items["e1"].pk])).content.decode()
    assert appeal.tracking_code in page
    appeal_page = client.get(reverse("appeals:detail", args=[appeal.pk])).content
    assert reverse("ledger:opinion", args=[items["e1"].pk]).encode() in appeal_page


def test_a_reader_is_offered_no_step_and_refused_one(client, ledger_people, items):
    _login(client, ledger_people["leader"])
    url = reverse("ledger:opinion", args=[items["e1"].pk])
    page = client.get(url).content.decode()
    assert reverse("ledger:opinion_step", args=[items["e1"].pk, "close"]) not in page
    response = client.post(
        reverse("ledger:opinion_step", args=[items["e1"].pk, "close"]), {"note": "x"}
    )
    assert response.status_code == 403
    items["e1"].refresh_from_db()
    assert items["e1"].state == Opinion.State.OPEN


def test_community_staff_close_an_item_with_a_note(client, ledger_people, items):
    _login(client, ledger_people["community_east"])
    response = client.post(
        reverse("ledger:opinion_step", args=[items["e2"].pk, "close"]),
        {"note": "已电话回复"},
        follow=True,
    )
    assert "已电话回复" in response.content.decode()
    items["e2"].refresh_from_db()
    assert items["e2"].state == Opinion.State.CLOSED


def test_closing_twice_says_it_was_decided_already(client, ledger_people, items):
    _login(client, ledger_people["gridworker"])
    url = reverse("ledger:opinion_step", args=[items["e2"].pk, "close"])
    client.post(url, {"note": "第一次"})
    response = client.post(url, {"note": "第二次"})
    assert response.status_code == 400
    items["e2"].refresh_from_db()
    assert items["e2"].closed_note == "第一次"


# --- a grid's events (事) ---------------------------------------------------------


def test_a_grids_events_page_counts_and_lists_what_happens_there(
    client, street, ledger_people, items
):
    worker = ledger_people["gridworker"]
    patrol = patrol_actions.patrol_start(grid=street.grids["e1"], acting_user=worker)
    lon, lat = centre(street.grids["e1"])
    appeal = patrol_actions.patrol_record_appeal(
        patrol=patrol,
        acting_user=worker,
        description="井盖松动",
        category=None,
        lon=lon,
        lat=lat,
    )
    page = _login(client, worker).get(
        reverse("ledger:grid_events", args=[street.grids["e1"].pk])
    )
    text = page.content.decode()
    assert appeal.tracking_code in text
    assert items["e1"].text in text and items["e2"].text not in text
    assert reverse("metrics:area", args=[street.grids["e1"].code]) in text


@pytest.mark.parametrize("who", ["gridworker_w1", *NOBODY])
def test_a_grids_events_are_404_for_whoever_does_not_read_it(
    client, street, ledger_people, who
):
    page = _login(client, ledger_people[who]).get(
        reverse("ledger:grid_events", args=[street.grids["e1"].pk])
    )
    assert page.status_code == 404


def test_the_events_page_shows_no_appeal_the_viewer_may_not_see(
    client, street, ledger_people
):
    worker = ledger_people["gridworker"]
    patrol = patrol_actions.patrol_start(grid=street.grids["e1"], acting_user=worker)
    appeal = patrol_actions.patrol_record_appeal(
        patrol=patrol, acting_user=worker, description="井盖松动", category=None
    )
    # The street's ledger admin reads the grid's ledger, not its appeals.
    text = (
        _login(client, ledger_people["admin"])
        .get(reverse("ledger:grid_events", args=[street.grids["e1"].pk]))
        .content.decode()
    )
    assert appeal.tracking_code not in text


# --- the patrol log -------------------------------------------------------------


def test_a_grid_worker_starts_records_and_ends_a_patrol_on_the_pages(
    client, street, ledger_people
):
    _login(client, ledger_people["gridworker"])
    lon, lat = centre(street.grids["e1"])
    response = client.post(
        reverse("ledger:patrol_start"),
        {"grid": street.grids["e1"].pk, "lon": lon, "lat": lat},
    )
    patrol = Patrol.objects.get()
    assert response["Location"] == reverse("ledger:patrol", args=[patrol.pk])
    point = client.post(
        reverse("ledger:patrol_step", args=[patrol.pk, "point"]),
        {"lon": lon + 0.001, "lat": lat},
    )
    assert point.json() == {"points": 2}
    client.post(
        reverse("ledger:patrol_step", args=[patrol.pk, "opinion"]),
        {"text": "骑手反映充电难", "risk": "general", "lon": lon, "lat": lat},
    )
    assert patrol.opinions.get().text == "骑手反映充电难"
    client.post(
        reverse("ledger:patrol_step", args=[patrol.pk, "end"]), {"summary": "正常"}
    )
    patrol.refresh_from_db()
    assert patrol.ended_at is not None
    page = client.get(reverse("ledger:patrol", args=[patrol.pk])).content.decode()
    assert "骑手反映充电难" in page and "patrol-route" in page


def test_a_second_start_is_refused_with_a_message(client, street, ledger_people):
    _login(client, ledger_people["gridworker"])
    client.post(reverse("ledger:patrol_start"), {"grid": street.grids["e1"].pk})
    response = client.post(
        reverse("ledger:patrol_start"), {"grid": street.grids["e2"].pk}, follow=True
    )
    assert Patrol.objects.count() == 1
    assert list(response.context["messages"])


def test_a_bad_point_is_answered_in_json_naming_the_field(
    client, street, ledger_people
):
    patrol = patrol_actions.patrol_start(
        grid=street.grids["e1"], acting_user=ledger_people["gridworker"]
    )
    response = _login(client, ledger_people["gridworker"]).post(
        reverse("ledger:patrol_step", args=[patrol.pk, "point"]), {"lon": "x"}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "location"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("gridworker", 200),
        ("community_east", 200),
        ("leader", 200),
        ("dispatcher", 200),
        ("admin", 200),
        ("gridworker_w1", 404),
        *[(who, 404) for who in NOBODY],
    ],
)
def test_who_reads_a_patrol(client, street, ledger_people, who, status):
    patrol = patrol_actions.patrol_start(
        grid=street.grids["e1"], acting_user=ledger_people["gridworker"]
    )
    page = _login(client, ledger_people[who]).get(
        reverse("ledger:patrol", args=[patrol.pk])
    )
    assert page.status_code == status
    if status == 200 and who != "gridworker":
        assert b"patrol-tracker" not in page.content


def test_a_reader_adds_nothing_to_someone_elses_patrol(client, street, ledger_people):
    patrol = patrol_actions.patrol_start(
        grid=street.grids["e1"], acting_user=ledger_people["gridworker"]
    )
    _login(client, ledger_people["community_east"])
    point = client.post(
        reverse("ledger:patrol_step", args=[patrol.pk, "point"]),
        {"lon": 91, "lat": 29.6},
    )
    assert point.status_code == 403
    end = client.post(reverse("ledger:patrol_step", args=[patrol.pk, "end"]), {})
    assert end.status_code == 403
    patrol.refresh_from_db()
    assert patrol.ended_at is None and patrol.route == []


@pytest.mark.parametrize("who", ["leader", "community_east", *NOBODY])
def test_who_is_no_grid_worker_starts_no_patrol(client, street, ledger_people, who):
    _login(client, ledger_people[who])
    response = client.post(
        reverse("ledger:patrol_start"), {"grid": street.grids["e1"].pk}
    )
    assert response.status_code == 404
    assert not Patrol.objects.exists()


def test_the_patrol_list_makes_as_many_queries_for_many_patrols_as_for_few(
    client, street, ledger_people
):
    worker = ledger_people["gridworker"]
    _login(client, ledger_people["leader"])
    url = reverse("ledger:patrols")

    def patrol_once():
        p = patrol_actions.patrol_start(grid=street.grids["e1"], acting_user=worker)
        patrol_actions.patrol_end(patrol=p, acting_user=worker)

    patrol_once()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(5):
        patrol_once()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
