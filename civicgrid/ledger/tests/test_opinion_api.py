"""The 社情民意 and patrol API: the same scoping and steps as the pages, one
error shape (a field named), conflicts as 409 and an outsider's 404."""

from __future__ import annotations

import pytest
from django.test import override_settings

from civicgrid.api.testing import api_client as api
from civicgrid.api.testing import jpeg_upload as jpeg
from civicgrid.appeals.models import Appeal, Attachment
from civicgrid.ledger.models import Opinion, Patrol

from .conftest import centre, make_opinion

pytestmark = pytest.mark.django_db

OPINIONS = "/api/ledger/opinions/"
PATROLS = "/api/ledger/patrols/"
NOBODY = ["outsider", "resident", "handler_cg"]


@pytest.fixture
def items(street, ledger_people) -> dict[str, Opinion]:
    return {
        "e1": make_opinion(
            street.grids["e1"], ledger_people["gridworker"], "楼道灯坏", risk="warning"
        ),
        "w1": make_opinion(
            street.grids["w1"], ledger_people["gridworker_w1"], "停车难"
        ),
    }


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("gridworker", {"e1"}),
        ("gridworker_w1", {"w1"}),
        ("community_east", {"e1"}),
        ("leader", {"e1", "w1"}),
        ("dispatcher", {"e1", "w1"}),
        ("admin", {"e1", "w1"}),
        *[(who, set()) for who in NOBODY],
    ],
)
def test_each_role_lists_the_items_it_may_read(ledger_people, items, who, sees):
    answer = api(ledger_people[who]).get(OPINIONS)
    assert answer.status_code == 200
    got = {row["id"] for row in answer.json()["results"]}
    assert got == {items[grid].pk for grid in sees}


@pytest.mark.parametrize("who", ["gridworker_w1", *NOBODY])
def test_an_item_out_of_reach_is_404(ledger_people, items, who):
    client = api(ledger_people[who])
    assert client.get(f"{OPINIONS}{items['e1'].pk}/").status_code == 404
    closing = client.post(f"{OPINIONS}{items['e1'].pk}/close/", {"note": "x"})
    assert closing.status_code == 404


def test_the_counters_count_the_area(street, ledger_people, items):
    answer = api(ledger_people["leader"]).get(
        f"{OPINIONS}counters/", {"area": street.east.code}
    )
    assert answer.json() == {"total": 1, "raised": 1, "appealed": 0, "open": 1}


def test_an_unknown_area_is_refused_naming_it(ledger_people):
    answer = api(ledger_people["leader"]).get(OPINIONS, {"area": "999"})
    assert answer.status_code == 400
    assert "area" in answer.json()["error"]["fields"]


def test_a_grid_worker_gathers_an_item_at_the_phones_point(street, ledger_people):
    lon, lat = centre(street.grids["e2"])
    answer = api(ledger_people["gridworker"]).post(
        OPINIONS,
        {
            "text": "电瓶车楼道充电",
            "source": "patrol",
            "risk": "urgent",
            "lon": lon,
            "lat": lat,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["grid"] == street.grids["e2"].code
    assert answer.json()["message"]


def test_gathering_in_a_grid_out_of_reach_is_refused_and_writes_nothing(
    street, ledger_people
):
    answer = api(ledger_people["gridworker_w1"]).post(
        OPINIONS,
        {"text": "x", "source": "visit", "grid": street.grids["e1"].code},
        format="json",
    )
    assert answer.status_code == 400
    assert "grid" in answer.json()["error"]["fields"]
    readable = api(ledger_people["leader"]).post(
        OPINIONS,
        {"text": "x", "source": "visit", "grid": street.grids["e1"].code},
        format="json",
    )
    assert readable.status_code == 403  # the street reads the grid, keeps nothing
    assert not Opinion.objects.exists()


def test_a_point_outside_every_grid_is_refused_naming_the_location(ledger_people):
    answer = api(ledger_people["gridworker"]).post(
        OPINIONS, {"text": "x", "source": "visit", "lon": 80, "lat": 20}, format="json"
    )
    assert answer.status_code == 400
    assert "location" in answer.json()["error"]["fields"]


def test_an_item_turns_into_an_appeal_and_a_second_time_is_refused(
    ledger_people, items
):
    client = api(ledger_people["gridworker"])
    answer = client.post(f"{OPINIONS}{items['e1'].pk}/appeal/", {}, format="json")
    assert answer.status_code == 200, answer.json()
    code = answer.json()["appeal"]
    assert Appeal.objects.get(tracking_code=code).description == "楼道灯坏"
    assert answer.json()["state"] == "appeal"
    again = client.post(f"{OPINIONS}{items['e1'].pk}/appeal/", {}, format="json")
    assert again.status_code == 400
    assert Appeal.objects.count() == 1


def test_closing_needs_a_note_and_a_reader_may_not_close(ledger_people, items):
    url = f"{OPINIONS}{items['e1'].pk}/close/"
    assert api(ledger_people["gridworker"]).post(url, {}).status_code == 400
    assert api(ledger_people["leader"]).post(url, {"note": "x"}).status_code == 403
    done = api(ledger_people["community_east"]).post(url, {"note": "已答复"})
    assert done.json()["state"] == "closed"


# --- patrols ---------------------------------------------------------------------


def test_a_patrol_through_the_api(street, ledger_people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = api(ledger_people["gridworker"])
    lon, lat = centre(street.grids["e1"])
    started = client.post(
        PATROLS,
        {"grid": street.grids["e1"].code, "lon": lon, "lat": lat},
        format="json",
    )
    assert started.status_code == 201, started.json()
    pk = started.json()["id"]
    second = client.post(PATROLS, {"grid": street.grids["e2"].code}, format="json")
    assert second.status_code == 409
    point = client.post(
        f"{PATROLS}{pk}/point/", {"lon": lon + 0.001, "lat": lat}, format="json"
    )
    assert point.json() == {"points": 2}
    heard = client.post(
        f"{PATROLS}{pk}/opinion/", {"text": "骑手没地方充电", "lon": lon, "lat": lat}
    )
    assert len(heard.json()["opinions"]) == 1
    found = client.post(
        f"{PATROLS}{pk}/appeal/",
        {"description": "井盖松动", "lon": lon, "lat": lat, "photos": [jpeg()]},
        format="multipart",
    )
    assert found.status_code == 200, found.json()
    assert len(found.json()["appeals"]) == 1
    assert Attachment.objects.count() == 1
    ended = client.post(f"{PATROLS}{pk}/end/", {"summary": "正常"}, format="json")
    assert ended.json()["ended_at"]
    late = client.post(f"{PATROLS}{pk}/point/", {"lon": lon, "lat": lat})
    assert late.status_code == 409


def test_a_grid_not_ones_own_starts_no_patrol(street, ledger_people):
    answer = api(ledger_people["gridworker_w1"]).post(
        PATROLS, {"grid": street.grids["e1"].code}, format="json"
    )
    assert answer.status_code == 400
    assert "grid" in answer.json()["error"]["fields"]
    assert not Patrol.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("gridworker", 200),
        ("community_east", 200),
        ("leader", 200),
        ("admin", 200),
        ("gridworker_w1", 404),
        *[(who, 404) for who in NOBODY],
    ],
)
def test_who_reads_a_patrol_through_the_api(street, ledger_people, who, status):
    started = api(ledger_people["gridworker"]).post(
        PATROLS, {"grid": street.grids["e1"].code}, format="json"
    )
    pk = started.json()["id"]
    assert api(ledger_people[who]).get(f"{PATROLS}{pk}/").status_code == status


def test_nobody_but_its_worker_adds_to_a_patrol(street, ledger_people):
    pk = (
        api(ledger_people["gridworker"])
        .post(PATROLS, {"grid": street.grids["e1"].code}, format="json")
        .json()["id"]
    )
    point = api(ledger_people["leader"]).post(
        f"{PATROLS}{pk}/point/", {"lon": 91.005, "lat": 29.605}
    )
    assert point.status_code == 403
    hidden = api(ledger_people["gridworker_w1"]).post(
        f"{PATROLS}{pk}/end/", {}, format="json"
    )
    assert hidden.status_code == 404


def test_a_point_off_the_map_is_refused_naming_the_field(street, ledger_people):
    client = api(ledger_people["gridworker"])
    pk = client.post(PATROLS, {"grid": street.grids["e1"].code}, format="json").json()[
        "id"
    ]
    answer = client.post(f"{PATROLS}{pk}/point/", {"lon": 500, "lat": 29.6})
    assert answer.status_code == 400
    assert "lon" in answer.json()["error"]["fields"]


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_schema_lists_the_ledgers_endpoints(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/ledger/opinions/",
        "/api/ledger/opinions/{id}/appeal/",
        "/api/ledger/opinions/{id}/close/",
        "/api/ledger/patrols/",
        "/api/ledger/patrols/{id}/point/",
        "/api/ledger/patrols/{id}/appeal/",
        "/api/ledger/patrols/{id}/end/",
    ):
        assert path in schema["paths"], path
