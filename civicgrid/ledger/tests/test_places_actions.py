"""Buildings, places, components and organisations through their actions:
the grid from the grid index, bad input refused naming the field, history
kept, contact numbers masked in it."""

from __future__ import annotations

import pytest

from civicgrid.core.errors import ConflictError, DomainError
from civicgrid.ledger import selectors
from civicgrid.ledger.actions import components as ca
from civicgrid.ledger.actions import organisations as oa
from civicgrid.ledger.actions import places as pa
from civicgrid.ledger.models import Change, Component, Organisation, Place
from civicgrid.ledger.tests.conftest import centre, make_building, make_component

pytestmark = pytest.mark.django_db

K = Organisation.Kind


def _refused(field: str, call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.field == field, caught.value.message
    return caught.value


def test_a_building_gets_its_grid_from_its_point(street, ledger_people):
    lon, lat = centre(street.grids["e2"])
    building = pa.building_create(
        data=pa.BuildingInput(name="1号楼", lon=lon, lat=lat, floors=6, units=2),
        acting_user=ledger_people["gridworker"],
    )
    assert building.grid == street.grids["e2"]
    assert Change.objects.filter(model="building", object_id=building.pk).count() == 1


def test_a_building_drawn_as_a_footprint_gets_the_grid_of_its_centre(
    street, ledger_people
):
    ring = [[91.002, 29.602], [91.004, 29.602], [91.004, 29.604], [91.002, 29.604]]
    building = pa.building_create(
        data=pa.BuildingInput(
            name="2号楼",
            footprint={"type": "Polygon", "coordinates": [ring + [ring[0]]]},
        ),
        acting_user=ledger_people["gridworker"],
    )
    assert building.grid == street.grids["e1"]
    assert building.lon == pytest.approx(91.003)


def test_a_building_outside_every_grid_is_refused(street, ledger_people):
    error = _refused(
        "lon",
        pa.building_create,
        data=pa.BuildingInput(name="1号楼", lon=100.0, lat=20.0),
        acting_user=ledger_people["admin"],
    )
    assert "outside every grid" in error.message


def test_a_footprint_that_is_not_a_valid_polygon_is_refused(street, ledger_people):
    bow_tie = [
        [91.002, 29.602],
        [91.004, 29.604],
        [91.004, 29.602],
        [91.002, 29.604],
        [91.002, 29.602],
    ]
    _refused(
        "footprint",
        pa.building_create,
        data=pa.BuildingInput(
            name="1号楼", footprint={"type": "Polygon", "coordinates": [bow_tie]}
        ),
        acting_user=ledger_people["admin"],
    )


def test_a_grid_worker_may_not_add_a_building_to_another_grid(street, ledger_people):
    lon, lat = centre(street.grids["w1"])
    _refused(
        "lon",
        pa.building_create,
        data=pa.BuildingInput(name="1号楼", lon=lon, lat=lat),
        acting_user=ledger_people["gridworker"],
    )


def test_two_buildings_of_one_name_in_a_grid_are_refused(street, ledger_people):
    make_building(street.grids["e1"], "1号楼")
    lon, lat = centre(street.grids["e1"])
    _refused(
        "name",
        pa.building_create,
        data=pa.BuildingInput(name="1号楼", lon=lon, lat=lat),
        acting_user=ledger_people["gridworker"],
    )


def test_a_shop_keeps_its_contact_encrypted_and_masked_in_its_history(
    street, ledger_people
):
    lon, lat = centre(street.grids["e1"])
    user = ledger_people["gridworker"]
    data = pa.PlaceInput(
        kind=Place.Kind.SHOP,
        name="扎西甜茶馆",
        lon=lon,
        lat=lat,
        licence_number="92540100MA6T1234X",
        contact_name="扎西",
        contact_phone="13900001234",
    )
    shop = pa.place_create(data=data, acting_user=user)
    data.contact_phone = "13900005678"
    changes = pa.place_update(place=shop, data=data, acting_user=user)
    assert changes["contact_phone"] == ["139****1234", "139****5678"]
    change = Change.objects.filter(model="place", action="update").get()
    assert "13900005678" not in str(change.changes)


def test_a_licence_number_is_unique(street, ledger_people):
    lon, lat = centre(street.grids["e1"])
    data = pa.PlaceInput(
        kind=Place.Kind.SHOP, name="甲", lon=lon, lat=lat, licence_number="ABC123"
    )
    pa.place_create(data=data, acting_user=ledger_people["gridworker"])
    data.name = "乙"
    _refused(
        "licence_number",
        pa.place_create,
        data=data,
        acting_user=ledger_people["gridworker"],
    )


def test_a_service_station_lists_known_services_only(street, ledger_people):
    lon, lat = centre(street.grids["e1"])
    station = pa.place_create(
        data=pa.PlaceInput(
            kind=Place.Kind.SERVICE_STATION,
            name="龙行侠微e站",
            lon=lon,
            lat=lat,
            services=["water", "rest", "charging", "microwave", "toilet"],
            opening_hours="08:00–22:00",
        ),
        acting_user=ledger_people["gridworker"],
    )
    assert station.services == ["water", "rest", "charging", "microwave", "toilet"]
    _refused(
        "services",
        pa.place_create,
        data=pa.PlaceInput(
            kind="station", name="x", lon=lon, lat=lat, services=["sauna"]
        ),
        acting_user=ledger_people["gridworker"],
    )


def test_closing_a_place_keeps_it(street, ledger_people):
    lon, lat = centre(street.grids["e1"])
    user = ledger_people["gridworker"]
    shop = pa.place_create(
        data=pa.PlaceInput(kind="shop", name="甲", lon=lon, lat=lat), acting_user=user
    )
    assert pa.place_set_open(place=shop, is_open=False, acting_user=user)
    assert not pa.place_set_open(place=shop, is_open=False, acting_user=user)
    shop.refresh_from_db()
    assert shop.is_active is False
    assert selectors.places_for_user(user).filter(pk=shop.pk).exists()


# --- components ---------------------------------------------------------------------


def test_a_component_code_not_in_the_catalogue_is_refused(
    street, ledger_people, departments
):
    lon, lat = centre(street.grids["e1"])
    _refused(
        "code",
        ca.component_create,
        data=ca.ComponentInput(code="9999000001", lon=lon, lat=lat),
        acting_user=ledger_people["gridworker"],
    )


def test_a_component_owned_by_a_department_that_serves_the_street(
    street, ledger_people, departments
):
    from civicgrid.org.models import Area, Department

    lon, lat = centre(street.grids["e1"])
    component = ca.component_create(
        data=ca.ComponentInput(
            code="0120000001", lon=lon, lat=lat, department=departments["cg"]
        ),
        acting_user=ledger_people["gridworker"],
    )
    assert component.subclass == "0120" and component.grid == street.grids["e1"]
    elsewhere = Area.objects.create(
        code="540104", name="别的区", level=Area.Level.DISTRICT, parent=street.city
    )
    stranger = Department.objects.create(code="x", name="别区城管", area=elsewhere)
    _refused(
        "department",
        ca.component_create,
        data=ca.ComponentInput(
            code="0120000002", lon=lon, lat=lat, department=stranger
        ),
        acting_user=ledger_people["gridworker"],
    )


def test_state_moves_follow_the_table_with_a_note(street, ledger_people):
    component = make_component(street.grids["e1"])
    user = ledger_people["gridworker"]
    assert (
        ca.component_set_state(
            component=component, state="damaged", note="灯罩碎了", acting_user=user
        )
        == "good"
    )
    _refused(
        "state",
        ca.component_set_state,
        component=component,
        state="damaged",
        note="x",
        acting_user=user,
    )
    _refused(
        "note",
        ca.component_set_state,
        component=component,
        state="good",
        note=" ",
        acting_user=user,
    )
    change = Change.objects.filter(model="component", object_id=component.pk).get()
    assert (
        change.changes == {"state": ["good", "damaged"]} and change.reason == "灯罩碎了"
    )


def test_a_state_note_goes_into_the_history_and_leaves_the_components_note(
    street, ledger_people
):
    component = make_component(street.grids["e1"], note="学校大门东侧")
    ca.component_set_state(
        component=component,
        state="damaged",
        note="灯罩碎了",
        acting_user=ledger_people["gridworker"],
    )
    component.refresh_from_db()
    assert component.state == "damaged" and component.note == "学校大门东侧"


def test_a_state_change_read_before_another_loses(street, ledger_people):
    component = make_component(street.grids["e1"])
    stale = Component.objects.get(pk=component.pk)
    user = ledger_people["gridworker"]
    ca.component_set_state(
        component=component, state="lost", note="被偷", acting_user=user
    )
    with pytest.raises(ConflictError):
        ca.component_set_state(
            component=stale, state="damaged", note="x", acting_user=user
        )


def test_the_owning_department_may_mark_its_component_repaired(
    street, ledger_people, departments
):
    component = make_component(
        street.grids["e1"], state="damaged", department=departments["cg"]
    )
    ca.component_set_state(
        component=component,
        state="good",
        note="已修复",
        acting_user=ledger_people["handler_cg"],
    )
    with pytest.raises(DomainError):
        ca.component_set_state(
            component=component,
            state="damaged",
            note="x",
            acting_user=ledger_people["handler_zj"],
        )


# --- organisations ------------------------------------------------------------------


def _structure(street, user):
    committee = oa.organisation_create(
        data=oa.OrganisationInput(
            kind=K.STREET_COMMITTEE, name="东嘎街道大工委", area=street.street
        ),
        acting_user=user,
    )
    community = oa.organisation_create(
        data=oa.OrganisationInput(
            kind=K.COMMUNITY_COMMITTEE,
            name="东嘎社区大党委",
            area=street.east,
            parent=committee,
        ),
        acting_user=user,
    )
    branch = oa.organisation_create(
        data=oa.OrganisationInput(
            kind=K.GRID_BRANCH,
            name="东嘎一网格大支部",
            area=street.grids["e1"],
            parent=community,
        ),
        acting_user=user,
    )
    return committee, community, branch


def test_the_party_structure_follows_the_area_tree(street, ledger_people):
    user = ledger_people["admin"]
    committee, community, branch = _structure(street, user)
    assert branch.parent == community and community.parent == committee
    error = _refused(
        "parent",
        oa.organisation_create,
        data=oa.OrganisationInput(
            kind=K.GRID_BRANCH,
            name="林堆一网格大支部",
            area=street.grids["w1"],
            parent=community,
        ),
        acting_user=user,
    )
    assert "林堆社区" in error.message
    _refused(
        "area",
        oa.organisation_create,
        data=oa.OrganisationInput(
            kind=K.GRID_BRANCH, name="x", area=street.east, parent=committee
        ),
        acting_user=user,
    )


def test_an_alliance_member_is_a_place_with_its_pledge_and_leaves_once(
    street, ledger_people
):
    user = ledger_people["admin"]
    alliance = oa.organisation_create(
        data=oa.OrganisationInput(kind=K.ALLIANCE, name="居商联盟", area=street.street),
        acting_user=user,
    )
    _refused(
        "place",
        oa.member_add,
        organisation=alliance,
        data=oa.MemberInput(name="x"),
        acting_user=user,
    )
    lon, lat = centre(street.grids["e1"])
    shop = pa.place_create(
        data=pa.PlaceInput(kind="shop", name="理发店", lon=lon, lat=lat),
        acting_user=user,
    )
    member = oa.member_add(
        organisation=alliance,
        data=oa.MemberInput(place=shop, pledge="为独居老人免费理发"),
        acting_user=user,
    )
    oa.member_leave(member=member, left_on=None, acting_user=user)
    with pytest.raises(ConflictError):
        oa.member_leave(member=member, left_on=None, acting_user=user)


def test_a_unit_branch_pairs_once_with_a_grid_branch(street, ledger_people):
    user = ledger_people["admin"]
    _committee, _community, branch = _structure(street, user)
    unit = oa.organisation_create(
        data=oa.OrganisationInput(
            kind=K.UNIT_BRANCH, name="区财政局党支部", area=street.street
        ),
        acting_user=user,
    )
    pairing = oa.pairing_add(
        unit_branch=unit, grid_branch=branch, since=None, acting_user=user
    )
    _refused(
        "grid_branch",
        oa.pairing_add,
        unit_branch=unit,
        grid_branch=branch,
        since=None,
        acting_user=user,
    )
    _refused(
        "grid_branch",
        oa.pairing_add,
        unit_branch=unit,
        grid_branch=unit,
        since=None,
        acting_user=user,
    )
    oa.pairing_end(pairing=pairing, until=None, acting_user=user)
    oa.pairing_add(unit_branch=unit, grid_branch=branch, since=None, acting_user=user)


# --- the map's layers ---------------------------------------------------------------


def test_the_map_layers_give_cheap_points_in_the_bounds_for_each_user(
    street, ledger_people, departments
):
    e1, w1 = street.grids["e1"], street.grids["w1"]
    lamp = make_component(e1, "0120", department=departments["cg"])
    broken = make_component(w1, "0302", state="damaged", department=departments["cg"])
    make_building(e1, "1号楼")
    everything = (90.0, 29.0, 92.0, 30.0)
    admin = ledger_people["admin"]
    rows = list(selectors.components_in_bounds(admin, everything))
    assert {r["pk"] for r in rows} == {lamp.pk, broken.pk}
    assert {"lon", "lat", "shown_state", "code"} <= set(rows[0])
    damaged = selectors.components_in_bounds(admin, everything, state="damaged")
    assert [r["pk"] for r in damaged] == [broken.pk]
    only_e1 = (91.0, 29.6, 91.01, 29.61)
    assert [r["pk"] for r in selectors.components_in_bounds(admin, only_e1)] == [
        lamp.pk
    ]
    west = ledger_people["gridworker_w1"]
    assert [r["pk"] for r in selectors.components_in_bounds(west, everything)] == [
        broken.pk
    ]
    assert list(selectors.buildings_in_bounds(west, everything)) == []
    assert len(selectors.buildings_in_bounds(admin, everything)) == 1
    department = ledger_people["handler_cg"]
    assert len(selectors.components_in_bounds(department, everything)) == 2
    assert list(selectors.buildings_in_bounds(department, everything)) == []
    assert list(selectors.places_in_bounds(ledger_people["outsider"], everything)) == []


def test_two_organisations_cannot_be_made_each_others_part(street, ledger_people):
    user = ledger_people["admin"]
    first, second = (
        oa.organisation_create(
            data=oa.OrganisationInput(kind=K.SOCIAL, name=name, area=street.street),
            acting_user=user,
        )
        for name in ("东嘎街道志愿者协会", "东嘎街道老年协会")
    )
    oa.organisation_update(
        organisation=second,
        data=oa.OrganisationInput(
            kind=K.SOCIAL, name=second.name, area=street.street, parent=first
        ),
        acting_user=user,
    )
    _refused(
        "parent",
        oa.organisation_update,
        organisation=first,
        data=oa.OrganisationInput(
            kind=K.SOCIAL, name=first.name, area=street.street, parent=second
        ),
        acting_user=user,
    )
    first.refresh_from_db()
    assert first.parent is None
