"""The reference data of the API: the catalogue with its clocks and questions,
the area tree with its boundaries and the grid a point falls in, and the
departments — for any signed-in client, never for a stranger."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from civicgrid.api.testing import api_client as api
from civicgrid.org.models import Department

from .conftest import INSIDE_E1


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # the API's throttles count in the cache, across tests
    yield
    cache.clear()


def test_the_catalogue_lists_active_leaves_with_clocks_and_questions(people, catalogue):
    client = api(people["outsider"])
    body = client.get("/api/categories/").json()
    assert [c["code"] for c in body] == ["neighbours", "street-lamp"]  # by code
    dispute = body[0]
    assert dispute["parent"] == {
        "id": catalogue["group"].pk,
        "code": "city",
        "name": "市容环境",
    }
    assert (dispute["kind"], dispute["response_hours"], dispute["handling_days"]) == (
        "help",
        4.0,
        5.0,
    )
    assert dispute["questions"] == [
        {
            "code": "floor",
            "label": "几楼",
            "datatype": "number",
            "required": True,
            "choices": [],
        }
    ]
    catalogue["dispute"].is_active = False
    catalogue["dispute"].save(update_fields=["is_active"])
    assert [c["code"] for c in client.get("/api/categories/").json()] == ["street-lamp"]


def test_areas_list_by_level_and_parent_without_polygons(people, street):
    client = api(people["outsider"])
    grids = client.get("/api/areas/", {"level": "grid"}).json()
    assert grids["count"] == 4
    assert [a["code"] for a in grids["results"]] == sorted(
        g.code for g in street.grids.values()
    )
    assert "boundary" not in grids["results"][0]
    east = client.get("/api/areas/", {"parent": street.east.code}).json()
    assert [a["code"] for a in east["results"]] == [
        street.grids["e1"].code,
        street.grids["e2"].code,
    ]
    assert east["results"][0]["parent"] == {
        "code": street.east.code,
        "name": "东嘎社区",
        "level": "community",
    }
    assert east["results"][0]["bbox"] == pytest.approx([91.0, 29.6, 91.01, 29.61])
    paged = client.get("/api/areas/", {"page_size": 2}).json()
    assert paged["count"] == 9 and len(paged["results"]) == 2
    bad = client.get("/api/areas/", {"level": "planet"})
    assert bad.status_code == 400 and list(bad.json()["error"]["fields"]) == ["level"]


def test_an_area_comes_with_its_geojson_polygon(people, street):
    client = api(people["outsider"])
    grid = client.get(f"/api/areas/{street.grids['e1'].code}/")
    assert grid.status_code == 200
    boundary = grid.json()["boundary"]
    assert boundary["type"] == "Polygon"
    assert [91.0, 29.6] in boundary["coordinates"][0]
    street.grids["e2"].is_active = False
    street.grids["e2"].save(update_fields=["is_active"])
    for code in (street.grids["e2"].code, "999999999999999"):
        missing = client.get(f"/api/areas/{code}/")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "not_found"


def test_locate_says_which_grid_community_and_street_a_point_is_in(people, street):
    client = api(people["outsider"])
    found = client.get("/api/areas/locate/", INSIDE_E1)
    assert found.status_code == 200
    assert {k: v["code"] for k, v in found.json().items()} == {
        "grid": street.grids["e1"].code,
        "community": street.east.code,
        "street": street.street.code,
    }
    outside = client.get("/api/areas/locate/", {"latitude": 30.5, "longitude": 91})
    assert outside.status_code == 404
    assert outside.json()["error"]["code"] == "not_found"
    bad_points: list[tuple[dict[str, str], str]] = [
        ({"latitude": "north", "longitude": "91.005"}, "latitude"),
        ({"latitude": "29.605"}, "longitude"),
        ({"latitude": "29.605", "longitude": "500"}, "longitude"),
    ]
    for query, field in bad_points:
        bad = client.get("/api/areas/locate/", query)
        assert bad.status_code == 400
        assert list(bad.json()["error"]["fields"]) == [field]


def test_departments_are_the_active_ones(people, street, departments):
    Department.objects.create(
        code="closed", name="已撤销局", area=street.district, is_active=False
    )
    body = api(people["outsider"]).get("/api/departments/").json()
    assert [(d["code"], d["area"]) for d in body] == [
        ("chengguan", street.district.code),
        ("zhujian", street.district.code),
    ]
    assert body[0]["id"] == departments["cg"].pk


@pytest.mark.parametrize(
    "address",
    ["/api/categories/", "/api/areas/", "/api/areas/locate/", "/api/departments/"],
)
def test_reference_data_needs_a_signed_in_client(address, db):
    response = api().get(address)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_reference_endpoints_are_tagged_in_the_schema(people):
    paths = api(people["outsider"]).get("/api/schema/", HTTP_ACCEPT="application/json")
    for address in ("/api/categories/", "/api/areas/{code}/", "/api/departments/"):
        assert paths.json()["paths"][address]["get"]["tags"] == ["reference"]
