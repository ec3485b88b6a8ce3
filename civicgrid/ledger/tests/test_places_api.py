"""The places, components and organisations API: the same rules as the pages
through the same actions — scoping per role (404 for what a user may not
see), refusals naming the field, contacts masked."""

from __future__ import annotations

import re

import pytest

from civicgrid.api.testing import api_client as api
from civicgrid.ledger.models import ComponentAppeal, Organisation, Place
from civicgrid.ledger.tests.conftest import centre, make_building, make_component

pytestmark = pytest.mark.django_db

WHOLE_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
K = Organisation.Kind


@pytest.fixture
def rows(street, departments):
    e1, w1 = street.grids["e1"], street.grids["w1"]
    lon, lat = centre(e1)
    return {
        "building": make_building(e1, "1号楼"),
        "west_building": make_building(w1, "1号楼"),
        "shop": Place.objects.create(
            grid=e1,
            lon=lon,
            lat=lat,
            kind="shop",
            name="甜茶馆",
            contact_phone="13900001234",
        ),
        "lamp": make_component(e1, "0120", department=departments["cg"]),
        "west_cover": make_component(w1, "0101", department=departments["zj"]),
    }


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("who", "west"),
    [
        ("gridworker", False),
        ("community_east", False),
        ("leader", True),
        ("admin", True),
    ],
)
def test_buildings_are_listed_for_the_grids_each_role_reads(
    rows, ledger_people, who, west
):
    ids = _ids(api(ledger_people[who]).get("/api/ledger/buildings/"))
    assert rows["building"].pk in ids
    assert (rows["west_building"].pk in ids) is west


@pytest.mark.parametrize("who", ["outsider", "handler_cg"])
def test_nothing_of_the_places_for_who_keeps_no_ledger(rows, ledger_people, who):
    client = api(ledger_people[who])
    assert _ids(client.get("/api/ledger/buildings/")) == set()
    assert _ids(client.get("/api/ledger/places/")) == set()
    assert (
        client.get(f"/api/ledger/buildings/{rows['building'].pk}/").status_code == 404
    )
    assert client.get(f"/api/ledger/places/{rows['shop'].pk}/").status_code == 404


def test_the_west_grid_worker_gets_404_on_the_east_rows(rows, ledger_people):
    client = api(ledger_people["gridworker_w1"])
    assert (
        client.get(f"/api/ledger/buildings/{rows['building'].pk}/").status_code == 404
    )
    assert client.get(f"/api/ledger/components/{rows['lamp'].pk}/").status_code == 404
    response = client.patch(
        f"/api/ledger/buildings/{rows['building'].pk}/", {"floors": 3}
    )
    assert response.status_code == 404


def test_a_place_answers_its_contact_masked(rows, ledger_people):
    body = api(ledger_people["admin"]).get(f"/api/ledger/places/{rows['shop'].pk}/")
    assert body.json()["contact_phone"] == "139****1234"
    assert not WHOLE_PHONE.search(body.content.decode())


def test_a_grid_worker_adds_a_building_and_a_station(street, ledger_people):
    client = api(ledger_people["gridworker"])
    lon, lat = centre(street.grids["e2"])
    response = client.post(
        "/api/ledger/buildings/",
        {"name": "5号楼", "lon": lon, "lat": lat, "floors": 5},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["grid"] == street.grids["e2"].code
    station = client.post(
        "/api/ledger/places/",
        {
            "kind": "station",
            "name": "龙行侠微e站",
            "building": response.json()["id"],
            "services": ["water", "rest", "charging", "microwave", "toilet"],
            "opening_hours": "全天",
        },
        format="json",
    )
    assert station.status_code == 201, station.content
    assert station.json()["grid"] == street.grids["e2"].code


def test_a_building_outside_every_grid_is_refused_naming_the_field(
    street, ledger_people
):
    response = api(ledger_people["admin"]).post(
        "/api/ledger/buildings/", {"name": "x", "lon": 100, "lat": 20}, format="json"
    )
    assert response.status_code == 400
    assert "lon" in response.json()["error"]["fields"]


def test_a_reader_may_not_write(rows, ledger_people):
    client = api(ledger_people["leader"])
    response = client.patch(
        f"/api/ledger/buildings/{rows['building'].pk}/", {"floors": 3}
    )
    assert response.status_code == 403
    response = client.post(
        f"/api/ledger/components/{rows['lamp'].pk}/state/",
        {"state": "damaged", "note": "x"},
    )
    assert response.status_code == 403


def test_closing_a_place_through_the_api_keeps_it(rows, ledger_people):
    client = api(ledger_people["gridworker"])
    response = client.post(
        f"/api/ledger/places/{rows['shop'].pk}/open/", {"open": False}
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert rows["shop"].pk in _ids(
        client.get("/api/ledger/places/", {"active": "false"})
    )


# --- components -------------------------------------------------------------------


def test_a_department_lists_only_its_components(rows, ledger_people):
    client = api(ledger_people["handler_cg"])
    assert _ids(client.get("/api/ledger/components/")) == {rows["lamp"].pk}
    assert (
        client.get(f"/api/ledger/components/{rows['west_cover'].pk}/").status_code
        == 404
    )
    assert client.get("/api/ledger/organisations/").json()["results"] == []


def test_the_owning_department_marks_it_repaired(rows, ledger_people):
    client = api(ledger_people["gridworker"])
    url = f"/api/ledger/components/{rows['lamp'].pk}/state/"
    assert (
        client.post(url, {"state": "damaged", "note": "坏了"}).json()["state"]
        == "damaged"
    )
    again = client.post(url, {"state": "damaged", "note": "坏了"})
    assert again.status_code == 400 and "state" in again.json()["error"]["fields"]
    repaired = api(ledger_people["handler_cg"]).post(
        url, {"state": "good", "note": "已修"}
    )
    assert repaired.status_code == 200 and repaired.json()["shown_state"] == "good"


def test_a_component_code_not_in_the_catalogue_is_refused(street, ledger_people):
    lon, lat = centre(street.grids["e1"])
    response = api(ledger_people["gridworker"]).post(
        "/api/ledger/components/", {"code": "9999000001", "lon": lon, "lat": lat}
    )
    assert response.status_code == 400
    assert "code" in response.json()["error"]["fields"]


def test_a_component_is_added_with_its_owner(street, ledger_people, departments):
    lon, lat = centre(street.grids["e1"])
    response = api(ledger_people["gridworker"]).post(
        "/api/ledger/components/",
        {
            "code": "0117000001",
            "lon": lon,
            "lat": lat,
            "department": departments["zj"].pk,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["subclass"] == "0117"
    assert response.json()["department"] == departments["zj"].pk


def test_a_problem_reported_through_the_api_is_a_linked_appeal(rows, ledger_people):
    from civicgrid.appeals.catalogue import category_set_terms
    from civicgrid.appeals.models import Category

    category = Category.objects.create(code="street-lamp", name="路灯不亮")
    category_set_terms(
        category=category,
        acting_user=None,
        kind="help",
        default_unit_type="grid",
        default_department=None,
        response_hours=2,
        handling_days=5,
    )
    response = api(ledger_people["gridworker"]).post(
        f"/api/ledger/components/{rows['lamp'].pk}/report/",
        {"description": "路灯不亮", "mark_damaged": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["component"]["state"] == "damaged"
    assert [a["tracking_code"] for a in body["component"]["appeals"]] == [
        body["appeal"]["tracking_code"]
    ]
    assert ComponentAppeal.objects.filter(component=rows["lamp"]).count() == 1


def test_a_kind_without_a_default_category_asks_for_one(street, ledger_people):
    bench = make_component(street.grids["e1"], "0407")
    response = api(ledger_people["gridworker"]).post(
        f"/api/ledger/components/{bench.pk}/report/", {"description": "座椅坏了"}
    )
    assert response.status_code == 400
    assert "category" in response.json()["error"]["fields"]


def test_linking_an_unknown_appeal_is_refused(rows, ledger_people):
    response = api(ledger_people["gridworker"]).post(
        f"/api/ledger/components/{rows['lamp'].pk}/appeals/", {"tracking_code": "NOPE"}
    )
    assert response.status_code == 400
    assert "appeal" in response.json()["error"]["fields"]


# --- organisations ----------------------------------------------------------------


def test_the_party_structure_through_the_api(street, ledger_people):
    client = api(ledger_people["admin"])

    def create(**data):
        response = client.post("/api/ledger/organisations/", data, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    committee = create(kind=K.STREET_COMMITTEE, name="大工委", area=street.street.code)
    east = create(
        kind=K.COMMUNITY_COMMITTEE,
        name="大党委",
        area=street.east.code,
        parent=committee["id"],
    )
    branch = create(
        kind=K.GRID_BRANCH,
        name="大支部",
        area=street.grids["e1"].code,
        parent=east["id"],
        contact_phone="13900002222",
    )
    assert branch["contact_phone"] == "139****2222"
    wrong = client.post(
        "/api/ledger/organisations/",
        {
            "kind": K.GRID_BRANCH,
            "name": "x",
            "area": street.grids["w1"].code,
            "parent": east["id"],
        },
        format="json",
    )
    assert wrong.status_code == 400 and "parent" in wrong.json()["error"]["fields"]
    unit = create(kind=K.UNIT_BRANCH, name="区直机关党支部", area=street.street.code)
    paired = client.post(
        f"/api/ledger/organisations/{unit['id']}/pairings/", {"other": branch["id"]}
    )
    assert paired.status_code == 201 and len(paired.json()["pairings"]) == 1
    pairing = paired.json()["pairings"][0]["id"]
    ended = client.post(
        f"/api/ledger/organisations/{unit['id']}/pairings/{pairing}/end/"
    )
    assert ended.status_code == 200 and ended.json()["pairings"][0]["until"]
    joined = client.post(
        f"/api/ledger/organisations/{branch['id']}/members/",
        {"name": "卓玛", "phone": "13900003333"},
    )
    assert joined.status_code == 201
    member = joined.json()["members"][0]
    assert member["phone"] == "139****3333" and member["name"] == "卓*"
    left = client.post(
        f"/api/ledger/organisations/{branch['id']}/members/{member['id']}/leave/"
    )
    assert left.status_code == 200
    again = client.post(
        f"/api/ledger/organisations/{branch['id']}/members/{member['id']}/leave/"
    )
    assert again.status_code == 409
    outsider = api(ledger_people["outsider"])
    assert outsider.get(f"/api/ledger/organisations/{branch['id']}/").status_code == 404
