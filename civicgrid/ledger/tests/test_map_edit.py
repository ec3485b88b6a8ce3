"""The map editor: grid boundaries and building footprints saved from the map
by the street's administrator (every boundary check applied, stale saves
refused) and imported from GeoJSON, all or nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from shapely.geometry import box, mapping

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.ledger.actions.map import revision_of
from civicgrid.ledger.models import Building, Change
from civicgrid.ledger.tests.conftest import make_building
from civicgrid.org.geometry import to_geojson
from civicgrid.org.models import Area, GeometryVersion
from civicgrid.org.selectors import grid_for_point
from conftest import make_area, make_user, square

pytestmark = pytest.mark.django_db

E1 = "540103001001001"
E2 = "540103001001002"
W2 = "540103001002002"


@pytest.fixture
def admin(ledger_people):
    return ledger_people["admin"]


@pytest.fixture
def other_street(street):
    """A second street east of 东嘎街道, with one grid and its own administrator."""
    other = make_area(
        "540103002",
        "乃琼街道",
        Area.Level.STREET,
        street.district,
        to_geojson(box(91.02, 29.6, 91.04, 29.62)),
    )
    community = make_area(
        "540103002001",
        "乃琼社区",
        Area.Level.COMMUNITY,
        other,
        to_geojson(box(91.02, 29.6, 91.04, 29.62)),
        community_kind=Area.CommunityKind.COMMUNITY,
    )
    grid = make_area(
        "540103002001001", "乃琼一网格", Area.Level.GRID, community, square(91.02, 29.6)
    )
    user = make_user("admin_other")
    membership_add(user=user, role=Role.ADMIN, area=other, acting_user=None)
    return {"street": other, "grid": grid, "admin": user}


def _grid(code):
    return Area.objects.get(code=code)


def _save_grid(client, code, boundary, revision=None):
    grid = _grid(code)
    body = {
        "boundary": boundary,
        "revision": revision if revision is not None else revision_of(grid),
    }
    return client.post(
        reverse("ledger:map_edit_grid", args=[code]),
        json.dumps(body),
        content_type="application/json",
    )


def _save_footprint(client, building, footprint, revision=None):
    body = {
        "footprint": footprint,
        "revision": revision if revision is not None else revision_of(building),
    }
    return client.post(
        reverse("ledger:map_edit_building", args=[building.pk]),
        json.dumps(body),
        content_type="application/json",
    )


def _collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _import(client, kind, content, name="map.geojson"):
    if not isinstance(content, bytes):
        content = json.dumps(content).encode()
    return client.post(
        reverse("ledger:map_edit_import"),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


# --- the page ---------------------------------------------------------------------


def test_the_admin_sees_every_grid_of_the_street_with_its_code(client, street, admin):
    make_building(street.grids["e1"], "1号楼")
    client.force_login(admin)
    page = client.get(reverse("ledger:map_edit"))
    assert page.status_code == 200
    html = page.content.decode()
    for grid in street.grids.values():
        assert grid.code in html
    assert "1号楼" in html
    assert "leaflet-geoman.min.js" in html
    assert reverse("ledger:map_edit_import") in html


# --- a grid's boundary ------------------------------------------------------------


def test_the_admin_saves_a_grids_boundary_and_the_grid_index_follows(
    client, street, admin
):
    client.force_login(admin)
    version = GeometryVersion.objects.get().version
    assert getattr(grid_for_point(91.009, 29.605), "code", None) == E1
    answer = _save_grid(client, E1, mapping(box(91.0, 29.6, 91.008, 29.61)))
    assert answer.status_code == 200, answer.content
    assert "东嘎一网格" in answer.json()["message"]
    grid = _grid(E1)
    assert grid.boundary == to_geojson(box(91.0, 29.6, 91.008, 29.61))
    assert grid.max_lon == pytest.approx(91.008)
    assert GeometryVersion.objects.get().version == version + 1
    assert grid_for_point(91.009, 29.605) is None
    change = Change.objects.get(model="area", object_id=grid.pk)
    assert change.actor == admin
    assert answer.json()["feature"]["properties"]["revision"] == revision_of(grid)


def test_a_boundary_overlapping_a_neighbour_is_refused_naming_boundary(
    client, street, admin
):
    client.force_login(admin)
    before = _grid(E1).boundary
    answer = _save_grid(client, E1, mapping(box(91.0, 29.6, 91.012, 29.61)))
    assert answer.status_code == 400
    assert answer.json()["field"] == "boundary"
    assert "overlaps 东嘎二网格" in answer.json()["error"]
    assert _grid(E1).boundary == before
    assert not Change.objects.filter(model="area").exists()


def test_a_boundary_reaching_outside_the_street_is_refused(client, street, admin):
    client.force_login(admin)
    before = _grid(E1).boundary
    answer = _save_grid(client, E1, mapping(box(90.99, 29.6, 91.01, 29.61)))
    assert answer.status_code == 400
    assert answer.json()["field"] == "boundary"
    assert "reaches outside" in answer.json()["error"]
    assert _grid(E1).boundary == before


def test_a_boundary_that_is_no_polygon_is_refused(client, street, admin):
    client.force_login(admin)
    answer = _save_grid(client, E1, {"type": "Point", "coordinates": [91.0, 29.6]})
    assert answer.status_code == 400
    assert answer.json()["field"] == "boundary"


def test_a_save_over_someone_elses_newer_change_is_refused_and_writes_nothing(
    client, street, admin
):
    client.force_login(admin)
    loaded = revision_of(_grid(E1))
    first = _save_grid(client, E1, mapping(box(91.0, 29.6, 91.008, 29.61)), loaded)
    assert first.status_code == 200
    stale = _save_grid(client, E1, mapping(box(91.0, 29.6, 91.009, 29.61)), loaded)
    assert stale.status_code == 409
    assert stale.json()["field"] == "revision"
    assert "reload" in stale.json()["error"]
    assert _grid(E1).boundary == to_geojson(box(91.0, 29.6, 91.008, 29.61))
    assert Change.objects.filter(model="area").count() == 1


def test_the_same_boundary_saved_again_changes_nothing(client, street, admin):
    client.force_login(admin)
    version = GeometryVersion.objects.get().version
    answer = _save_grid(client, E1, _grid(E1).boundary)
    assert answer.status_code == 200
    assert "nothing saved" in answer.json()["message"]
    assert GeometryVersion.objects.get().version == version
    assert not Change.objects.exists()


def test_a_body_that_is_no_json_is_refused(client, street, admin):
    client.force_login(admin)
    answer = client.post(
        reverse("ledger:map_edit_grid", args=[E1]),
        "{boundary",
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "body"


@pytest.mark.parametrize(
    "who", ["gridworker", "dispatcher", "leader", "community_east", "outsider"]
)
def test_nobody_but_the_streets_admin_reaches_the_editor(
    client, street, ledger_people, who
):
    building = make_building(street.grids["e1"], "1号楼")
    client.force_login(ledger_people[who])
    before = _grid(E1).boundary
    assert client.get(reverse("ledger:map_edit")).status_code == 404
    answer = _save_grid(client, E1, mapping(box(91.0, 29.6, 91.008, 29.61)))
    assert answer.status_code == 404
    answer = _save_footprint(
        client, building, mapping(box(91.001, 29.601, 91.002, 29.602))
    )
    assert answer.status_code == 404
    grids = _collection(_feature(mapping(box(91.0, 29.6, 91.008, 29.61)), code=E1))
    assert _import(client, "grids", grids).status_code == 404
    assert _grid(E1).boundary == before
    assert Building.objects.get().footprint is None


def test_another_streets_admin_reaches_only_their_own_street(
    client, street, other_street
):
    building = make_building(street.grids["e1"], "1号楼")
    client.force_login(other_street["admin"])
    page = client.get(reverse("ledger:map_edit"))
    assert page.status_code == 200
    assert other_street["grid"].code in page.content.decode()
    assert E1 not in page.content.decode()
    answer = _save_grid(client, E1, mapping(box(91.0, 29.6, 91.008, 29.61)))
    assert answer.status_code == 404
    answer = _save_footprint(
        client, building, mapping(box(91.001, 29.601, 91.002, 29.602))
    )
    assert answer.status_code == 404
    grids = _collection(_feature(mapping(box(91.0, 29.6, 91.008, 29.61)), code=E1))
    page = _import(client, "grids", grids)
    assert page.status_code == 400
    assert "No grid with this code in the streets you administer" in (
        page.content.decode()
    )
    assert _grid(E1).boundary == street.grids["e1"].boundary


def test_signed_out_visitors_are_sent_to_sign_in(client, street):
    page = client.get(reverse("ledger:map_edit"))
    assert page.status_code == 302


# --- a building's footprint -------------------------------------------------------


def test_the_admin_draws_a_footprint_and_it_is_kept_in_the_history(
    client, street, admin
):
    building = make_building(street.grids["e1"], "1号楼")
    client.force_login(admin)
    footprint = mapping(box(91.002, 29.602, 91.003, 29.603))
    answer = _save_footprint(client, building, footprint)
    assert answer.status_code == 200, answer.content
    assert "1号楼" in answer.json()["message"]
    building.refresh_from_db()
    assert building.footprint == to_geojson(box(91.002, 29.602, 91.003, 29.603))
    assert (building.lon, building.lat) == pytest.approx((91.0025, 29.6025))
    assert building.grid.code == E1
    change = Change.objects.get(model="building", object_id=building.pk)
    assert change.actor == admin
    assert "footprint" in change.changes


def test_a_footprint_drawn_in_another_grid_moves_the_building_there(
    client, street, admin
):
    building = make_building(street.grids["e1"], "1号楼")
    client.force_login(admin)
    answer = _save_footprint(
        client, building, mapping(box(91.012, 29.602, 91.013, 29.603))
    )
    assert answer.status_code == 200
    building.refresh_from_db()
    assert building.grid.code == E2


def test_a_footprint_outside_every_grid_is_refused_naming_footprint(
    client, street, admin
):
    building = make_building(street.grids["e1"], "1号楼")
    client.force_login(admin)
    answer = _save_footprint(client, building, mapping(box(91.1, 29.7, 91.101, 29.701)))
    assert answer.status_code == 400
    assert answer.json()["field"] == "footprint"
    assert "outside every grid" in answer.json()["error"]
    building.refresh_from_db()
    assert building.footprint is None
    assert not Change.objects.exists()


def test_a_footprint_of_two_polygons_is_refused(client, street, admin):
    building = make_building(street.grids["e1"], "1号楼")
    client.force_login(admin)
    two = {
        "type": "MultiPolygon",
        "coordinates": [
            mapping(box(91.002, 29.602, 91.003, 29.603))["coordinates"],
            mapping(box(91.004, 29.602, 91.005, 29.603))["coordinates"],
        ],
    }
    answer = _save_footprint(client, building, json.loads(json.dumps(two)))
    assert answer.status_code == 400
    assert answer.json()["field"] == "footprint"


def test_a_stale_footprint_save_is_refused(client, street, admin):
    building = make_building(street.grids["e1"], "1号楼")
    client.force_login(admin)
    loaded = revision_of(building)
    first = _save_footprint(
        client, building, mapping(box(91.002, 29.602, 91.003, 29.603)), loaded
    )
    assert first.status_code == 200
    stale = _save_footprint(
        client, building, mapping(box(91.004, 29.602, 91.005, 29.603)), loaded
    )
    assert stale.status_code == 409
    building.refresh_from_db()
    assert building.footprint == to_geojson(box(91.002, 29.602, 91.003, 29.603))


# --- GeoJSON import ---------------------------------------------------------------


def test_an_import_with_bad_features_writes_nothing_and_names_each(
    client, street, admin
):
    client.force_login(admin)
    version = GeometryVersion.objects.get().version
    grids = _collection(
        _feature(mapping(box(91.0, 29.6, 91.008, 29.61)), code=E1),  # fine
        _feature(mapping(box(91.008, 29.61, 91.02, 29.62)), code=W2),  # overlaps w1
        _feature(mapping(box(91.0, 29.61, 91.01, 29.62)), code="123"),
        _feature(mapping(box(91.0, 29.61, 91.01, 29.62)), code="540103001009009"),
        _feature(
            {"type": "Polygon", "coordinates": [[[91.0, 29.61]]]}, code=E2[:-1] + "9"
        ),
        _feature(mapping(box(91.0, 29.6, 91.008, 29.61)), code=E1),  # twice
    )
    page = _import(client, "grids", grids)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Nothing was imported: 5 features need correcting." in html
    rows = page.context["result"].errors
    assert [error.number for error in rows] == [2, 3, 4, 5, 6]
    assert "overlaps 林堆一网格" in rows[0].message and rows[0].key == W2
    assert "15 digits" in rows[1].message
    assert "No grid with this code" in rows[2].message
    assert "already in feature 1" in rows[4].message
    assert _grid(E1).boundary == street.grids["e1"].boundary
    assert GeometryVersion.objects.get().version == version
    assert not Change.objects.exists()


def test_an_import_moves_a_shared_border_in_both_grids_and_again_changes_nothing(
    client, street, admin
):
    client.force_login(admin)
    grids = _collection(
        _feature(mapping(box(91.0, 29.6, 91.012, 29.61)), code=E1, name="东嘎一网格"),
        _feature(mapping(box(91.012, 29.6, 91.02, 29.61)), code=E2),
    )
    page = _import(client, "grids", grids)
    assert page.status_code == 200, page.context["result"].errors
    assert "2 changed, 0 already as in the file" in page.content.decode()
    assert _grid(E1).max_lon == pytest.approx(91.012)
    assert _grid(E2).min_lon == pytest.approx(91.012)
    assert getattr(grid_for_point(91.011, 29.605), "code", None) == E1
    assert Change.objects.filter(action=Change.Action.IMPORT).count() == 2
    version = GeometryVersion.objects.get().version
    again = _import(client, "grids", grids)
    assert again.status_code == 200
    assert "0 changed, 2 already as in the file" in again.content.decode()
    assert GeometryVersion.objects.get().version == version
    assert Change.objects.count() == 2


def test_an_import_of_footprints_by_id_or_by_name_and_grid(client, street, admin):
    one = make_building(street.grids["e1"], "1号楼")
    two = make_building(street.grids["e2"], "2号楼")
    client.force_login(admin)
    footprints = _collection(
        _feature(mapping(box(91.002, 29.602, 91.003, 29.603)), id=one.pk),
        _feature(mapping(box(91.012, 29.602, 91.013, 29.603)), name="2号楼", grid=E2),
    )
    page = _import(client, "buildings", footprints)
    assert page.status_code == 200, page.context["result"].errors
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.footprint == to_geojson(box(91.002, 29.602, 91.003, 29.603))
    assert two.footprint == to_geojson(box(91.012, 29.602, 91.013, 29.603))
    assert Change.objects.filter(model="building").count() == 2
    again = _import(client, "buildings", footprints)
    assert "0 changed, 2 already as in the file" in again.content.decode()
    assert Change.objects.filter(model="building").count() == 2


def test_a_footprint_import_with_one_bad_feature_writes_none(client, street, admin):
    one = make_building(street.grids["e1"], "1号楼")
    client.force_login(admin)
    footprints = _collection(
        _feature(mapping(box(91.002, 29.602, 91.003, 29.603)), id=one.pk),
        _feature(mapping(box(91.1, 29.7, 91.101, 29.701)), name="1号楼", grid=E1),
        _feature(mapping(box(91.002, 29.602, 91.003, 29.603)), id=999999),
        _feature(mapping(box(91.002, 29.602, 91.003, 29.603)), name="9号楼"),
    )
    page = _import(client, "buildings", footprints)
    assert page.status_code == 400
    errors = page.context["result"].errors
    assert [error.number for error in errors] == [2, 3, 4]
    assert "already in feature 1" in errors[0].message
    assert "No building with this id" in errors[1].message
    assert "name and grid" in errors[2].message
    one.refresh_from_db()
    assert one.footprint is None
    assert not Change.objects.exists()


def test_a_footprint_outside_every_grid_in_an_import_is_named(client, street, admin):
    one = make_building(street.grids["e1"], "1号楼")
    client.force_login(admin)
    footprints = _collection(
        _feature(mapping(box(91.1, 29.7, 91.101, 29.701)), id=one.pk),
    )
    page = _import(client, "buildings", footprints)
    assert page.status_code == 400
    [error] = page.context["result"].errors
    assert (error.number, error.key) == (1, str(one.pk))
    assert "outside every grid" in error.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON (line 1"),
        (b"\xff\xfe\x00", "not text in UTF-8"),
        (
            json.dumps({"type": "Feature"}).encode(),
            "must hold a GeoJSON FeatureCollection",
        ),
        (json.dumps(_collection()).encode(), "has no features"),
    ],
)
def test_a_file_that_is_no_feature_collection_is_refused_clearly(
    client, street, admin, content, message
):
    client.force_login(admin)
    version = GeometryVersion.objects.get().version
    page = _import(client, "grids", content)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert page.context["form"].errors["file"]
    assert GeometryVersion.objects.get().version == version


def test_an_import_without_a_file_is_refused(client, street, admin):
    client.force_login(admin)
    page = client.post(reverse("ledger:map_edit_import"), {"kind": "grids"})
    assert page.status_code == 400
    assert page.context["form"].errors["file"]


def test_a_grids_admin_page_points_to_the_map_editor(client, street):
    superuser = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    grid = street.grids["e1"]
    page = client.get(reverse("admin:org_area_change", args=[grid.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{reverse('ledger:map_edit')}?street=540103001&amp;grid={E1}" in html
    assert "Edit the boundary on the map" in html
    assert 'name="boundary"' in html  # the text stays, for pasting, checked alike
    street_page = client.get(reverse("admin:org_area_change", args=[street.east.pk]))
    assert "Edit the boundary on the map" not in street_page.content.decode()


def test_the_ledger_links_the_editor_for_the_admin_only(client, street, ledger_people):
    client.force_login(ledger_people["admin"])
    assert (
        reverse("ledger:map_edit")
        in client.get(reverse("ledger:index")).content.decode()
    )
    client.force_login(ledger_people["gridworker"])
    page = client.get(reverse("ledger:index"))
    assert reverse("ledger:map_edit") not in page.content.decode()


def test_a_save_that_names_no_revision_is_refused(client, street, admin):
    client.force_login(admin)
    before = _grid(E1).boundary
    answer = client.post(
        reverse("ledger:map_edit_grid", args=[E1]),
        json.dumps({"boundary": mapping(box(91.0, 29.6, 91.008, 29.61))}),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "revision"
    assert _grid(E1).boundary == before
