from __future__ import annotations

import json

import pytest
from django.urls import reverse
from shapely.geometry import box

from civicgrid.core.errors import DomainError
from civicgrid.org.actions import area_save
from civicgrid.org.geometry import to_geojson
from civicgrid.org.models import Area, GeometryVersion

NEW_GRID = "540103001001003"


def new_grid(street, boundary, code=NEW_GRID, parent=None) -> Area:
    return Area(
        code=code,
        name="新网格",
        level=Area.Level.GRID,
        parent=parent or street.east,
        boundary=boundary,
    )


def refused(area: Area) -> str:
    before = Area.objects.count()
    version = GeometryVersion.objects.get().version
    with pytest.raises(DomainError) as excinfo:
        area_save(area=area, acting_user=None)
    assert Area.objects.count() == before
    assert GeometryVersion.objects.get().version == version
    return str(excinfo.value)


def polygon(*ring):
    return {"type": "Polygon", "coordinates": [list(map(list, ring))]}


def test_a_ring_that_is_not_closed_is_refused_naming_the_grid(street):
    message = refused(
        new_grid(
            street,
            polygon((91.0, 29.6), (91.001, 29.6), (91.001, 29.601), (91.0, 29.601)),
        )
    )
    assert "新网格 (540103001001003)" in message
    assert "not closed" in message


def test_a_self_intersecting_polygon_is_refused(street):
    bow_tie = polygon(
        (91.0, 29.6), (91.001, 29.601), (91.001, 29.6), (91.0, 29.601), (91.0, 29.6)
    )
    message = refused(new_grid(street, bow_tie))
    assert "新网格" in message
    assert "Self-intersection" in message


def test_latitude_longitude_order_is_detected(street):
    swapped = polygon(
        (29.6, 91.0), (29.6, 91.001), (29.601, 91.001), (29.601, 91.0), (29.6, 91.0)
    )
    message = refused(new_grid(street, swapped))
    assert "[longitude, latitude]" in message


def test_a_grid_outside_its_community_is_refused(street):
    message = refused(new_grid(street, to_geojson(box(91.05, 29.6, 91.06, 29.61))))
    assert "outside 东嘎社区" in message


def test_an_overlapping_grid_is_refused_naming_both(street):
    # Shrink e2 to make room, then try a grid that overlaps e1.
    e2 = street.grids["e2"]
    e2.boundary = to_geojson(box(91.015, 29.6, 91.02, 29.61))
    area_save(area=e2, acting_user=None)
    message = refused(new_grid(street, to_geojson(box(91.009, 29.6, 91.015, 29.61))))
    assert "overlaps 东嘎一网格 (540103001001001)" in message


def test_a_grid_that_only_touches_its_neighbours_is_accepted(street):
    e2 = street.grids["e2"]
    e2.boundary = to_geojson(box(91.015, 29.6, 91.02, 29.61))
    area_save(area=e2, acting_user=None)
    grid = area_save(
        area=new_grid(street, to_geojson(box(91.01, 29.6, 91.015, 29.61))),
        acting_user=None,
    )
    assert grid.path == "540100/540103/540103001/540103001001/540103001001003/"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("540103001002003", "does not match its parent"),
        ("54010300100100", "exactly 15 digits"),
        ("5401030010010a3", "exactly 15 digits"),
    ],
)
def test_a_grid_code_that_does_not_match_its_parents_is_refused(street, code, fragment):
    message = refused(
        new_grid(street, to_geojson(box(91.0, 29.6, 91.001, 29.601)), code=code)
    )
    assert fragment in message


def test_a_grid_must_sit_under_a_community(street):
    message = refused(
        new_grid(
            street, to_geojson(box(91.0, 29.6, 91.001, 29.601)), parent=street.street
        )
    )
    assert "must sit under" in message


def test_a_grid_needs_a_boundary(street):
    assert "needs a boundary" in refused(new_grid(street, None))


@pytest.mark.parametrize(
    "boundary",
    [
        "not json",
        {"type": "Point", "coordinates": [91.0, 29.6]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]},
        {"type": "FeatureCollection", "features": "nope"},
        {"type": "FeatureCollection", "features": [42]},
        {"type": "FeatureCollection", "features": []},
        {"type": "Feature", "geometry": None},
        [],
    ],
)
def test_malformed_geojson_is_refused(street, boundary):
    assert "新网格" in refused(new_grid(street, boundary))


def test_a_community_cannot_shrink_away_from_its_grids(street):
    east = street.east
    east.boundary = to_geojson(box(91.0, 29.6, 91.01, 29.61))
    assert "东嘎二网格" in refused(east)


def test_a_clockwise_ring_is_stored_counter_clockwise(street):
    clockwise = polygon(
        (91.01, 29.6), (91.01, 29.601), (91.011, 29.601), (91.011, 29.6), (91.01, 29.6)
    )
    e2 = street.grids["e2"]
    e2.boundary = to_geojson(box(91.015, 29.6, 91.02, 29.61))
    area_save(area=e2, acting_user=None)
    grid = area_save(area=new_grid(street, clockwise), acting_user=None)
    assert grid.boundary is not None
    ring = grid.boundary["coordinates"][0]
    signed = sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)
    )
    assert signed > 0


def test_admin_refuses_an_overlapping_grid_with_the_message_and_saves_nothing(
    admin_client, street
):
    response = admin_client.post(
        reverse("admin:org_area_add"),
        {
            "level": "grid",
            "parent": street.east.pk,
            "code": NEW_GRID,
            "name": "新网格",
            "community_kind": "",
            "boundary": json.dumps(to_geojson(box(91.005, 29.6, 91.015, 29.61))),
            "is_active": "on",
            "children-TOTAL_FORMS": "0",
            "children-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "overlaps 东嘎一网格" in response.content.decode()
    assert not Area.objects.filter(code=NEW_GRID).exists()


def test_admin_saves_a_valid_grid_and_the_lookup_finds_it(admin_client, street):
    from civicgrid.org.selectors import grid_for_point

    e2 = street.grids["e2"]
    e2.boundary = to_geojson(box(91.015, 29.6, 91.02, 29.61))
    area_save(area=e2, acting_user=None)
    response = admin_client.post(
        reverse("admin:org_area_add"),
        {
            "level": "grid",
            "parent": street.east.pk,
            "code": NEW_GRID,
            "name": "新网格",
            "community_kind": "",
            "boundary": json.dumps(to_geojson(box(91.01, 29.6, 91.015, 29.61))),
            "is_active": "on",
            "children-TOTAL_FORMS": "0",
            "children-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    found = grid_for_point(91.012, 29.605)
    assert found is not None
    assert found.code == NEW_GRID


def test_the_level_of_an_area_with_areas_under_it_cannot_change(street):
    district = street.district
    district.level = "city"
    district.parent = None
    district.code = "540300"
    message = refused(district)
    assert "code, level and parent cannot change" in message
    street.east.level = "street"
    assert refused(street.east)
