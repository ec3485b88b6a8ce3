"""The people API writes through the same actions as the pages, with the one
error shape naming the field."""

from __future__ import annotations

import datetime as dt

import pytest

from civicgrid.api.testing import api_client
from civicgrid.core import clock
from civicgrid.ledger.models import Household, Person, PersonTag

from .conftest import id_number, make_building

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(ledger_people):
    return api_client(ledger_people["gridworker"])


@pytest.fixture
def building(street):
    return make_building(street.grids["e1"], "5号楼")


def _household(api, building, room="101"):
    response = api.post(
        "/api/ledger/households/",
        {"building": building.pk, "unit": "1", "room": room},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_household_and_a_member_are_added_and_answers_are_masked(api, building):
    household = _household(api, building)
    assert household["address"] == "5号楼, unit 1, room 101" and household["grid"]
    number = id_number(dt.date(1952, 7, 8), serial=5)
    response = api.post(
        "/api/ledger/people/",
        {
            "household": household["id"],
            "name": "格桑",
            "id_number": number,
            "phone": "13900000005",
            "ethnicity": "藏族",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    person = response.json()
    assert person["name"] == "格桑"
    assert person["id_number"] == number[:4] + "*" * 13 + number[-1]
    assert person["phone"] == "139****0005"
    assert person["birth_date"] == "1952-07-08" and person["gender"] == "male"


def test_the_same_id_number_twice_is_refused_on_id_number(api, building):
    household = _household(api, building)
    body = {"household": household["id"], "name": "格桑", "id_number": id_number()}
    assert api.post("/api/ledger/people/", body, format="json").status_code == 201
    again = api.post("/api/ledger/people/", body, format="json")
    assert again.status_code == 400
    assert "id_number" in again.json()["error"]["fields"]
    assert Person.objects.count() == 1


def test_moving_out_twice_through_the_api_is_refused_on_the_date(api, building):
    household = _household(api, building)
    person = api.post(
        "/api/ledger/people/",
        {"household": household["id"], "name": "格桑"},
        format="json",
    ).json()
    url = f"/api/ledger/people/{person['id']}/move-out/"
    today = clock.today().isoformat()
    first = api.post(url, {"moved_out_on": today}, format="json")
    assert first.status_code == 200 and first.json()["moved_away"] is True
    again = api.post(url, {"moved_out_on": today}, format="json")
    assert again.status_code == 400
    assert "moved_out_on" in again.json()["error"]["fields"]


def test_tags_consent_and_a_visit_through_the_api(api, building):
    household = _household(api, building)
    person = api.post(
        "/api/ledger/people/",
        {"household": household["id"], "name": "格桑"},
        format="json",
    ).json()
    tagged = api.post(
        f"/api/ledger/people/{person['id']}/tags/",
        {"tag": PersonTag.Tag.ADVANCED_AGE},
        format="json",
    )
    assert tagged.status_code == 201
    assert [t["tag"] for t in tagged.json()["tags"]] == ["advanced_age"]
    consent = api.post(
        f"/api/ledger/people/{person['id']}/consent/",
        {"consented": True},
        format="json",
    )
    assert consent.json()["appeals_consent"] is True
    visit = api.post(
        "/api/ledger/visits/",
        {"household": household["id"], "people_met": [person["id"]], "notes": "好"},
        format="json",
    )
    assert visit.status_code == 201 and visit.json()["people_met"] == [person["id"]]
    listed = api.get("/api/ledger/visits/", {"household": household["id"]})
    assert listed.json()["count"] == 1


def test_a_household_at_a_taken_address_is_refused_on_the_room(api, building):
    _household(api, building)
    again = api.post(
        "/api/ledger/households/",
        {"building": building.pk, "unit": "1", "room": "101"},
        format="json",
    )
    assert again.status_code == 400 and "room" in again.json()["error"]["fields"]
    assert Household.objects.count() == 1


def test_the_household_list_filters_by_grid(api, building, street):
    _household(api, building)
    listed = api.get("/api/ledger/households/", {"grid": street.grids["e2"].code})
    assert listed.json()["count"] == 0
    listed = api.get("/api/ledger/households/", {"grid": street.grids["e1"].code})
    assert listed.json()["count"] == 1
    unknown = api.get("/api/ledger/households/", {"grid": "nope"})
    assert unknown.status_code == 400


def test_a_visit_sent_twice_with_one_idempotency_key_is_one_visit(api, building):
    from civicgrid.ledger.models import Visit

    household = _household(api, building)
    body = {"household": household["id"], "notes": "好"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "visit-1"}
    first = api.post("/api/ledger/visits/", body, format="json", **headers)
    again = api.post("/api/ledger/visits/", body, format="json", **headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Visit.objects.count() == 1


@pytest.mark.parametrize("household", ["²", "١", "x", "-1"])
def test_a_visit_list_filter_that_is_no_number_is_ignored_not_an_error(api, household):
    response = api.get("/api/ledger/visits/", {"household": household})
    assert response.status_code == 200
