"""A person found again by their whole ID number moves into a grid worker's
household from any grid of the same street; from another street, that street's
keepers record the move out first — on the pages and in an import alike
(``permissions.may_take_in``)."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from civicgrid.core.errors import DomainError
from civicgrid.ledger.actions import people as actions
from civicgrid.ledger.actions.io import import_workbook
from civicgrid.ledger.models import Person, Residence
from civicgrid.ledger.tests.conftest import (
    id_number,
    make_building,
    make_household,
    make_person,
)
from civicgrid.org.geometry import to_geojson
from civicgrid.org.models import Area
from conftest import make_area, square

from .io_helpers import person_row, workbook

pytestmark = pytest.mark.django_db

NUMBER = id_number(serial=731)


@pytest.fixture
def elsewhere(street):
    """乃琼街道 east of 东嘎街道, with one grid and 次仁 living in it."""
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
    home = make_household(make_building(grid, "乃琼1号楼"))
    person = make_person(home, "次仁", number=NUMBER)
    Residence.objects.create(person=person, household=home, moved_in_on="2010-01-01")
    return person


def test_a_person_of_another_street_is_not_moved_in_from_the_page_action(
    street, ledger_people, elsewhere
):
    home = make_household(make_building(street.grids["e1"], "1号楼"))
    with pytest.raises(DomainError) as refused:
        actions.person_add(
            acting_user=ledger_people["gridworker"],
            household=home,
            data=actions.PersonInput(name="次仁", id_number=NUMBER),
            move_existing=True,
        )
    assert refused.value.field == "id_number"
    assert "another street" in refused.value.message
    elsewhere.refresh_from_db()
    assert elsewhere.household.building.name == "乃琼1号楼"
    assert Residence.objects.filter(person=elsewhere).count() == 1


def test_nor_from_an_import(street, ledger_people, elsewhere):
    building = make_building(street.grids["e1"], "1号楼")
    rows = [person_row(street.grids["e1"], building, id_number=NUMBER, name="次仁")]
    result = import_workbook(
        kind="people",
        upload=workbook("people", rows),
        acting_user=ledger_people["gridworker"],
    )
    assert not result.ok
    (error,) = result.errors
    assert error.column and "another street" in error.message
    home = Person.objects.get(pk=elsewhere.pk).household
    assert home is not None and home.building.name == "乃琼1号楼"


def test_the_grid_a_person_left_keeps_their_past_not_their_new_address(
    client, street, ledger_people
):
    from django.urls import reverse

    from civicgrid.api.testing import api_client

    east = make_household(make_building(street.grids["e1"], "1号楼"), room="101")
    west = make_household(make_building(street.grids["w1"], "林堆5号楼"), room="602")
    person = actions.person_add(
        acting_user=ledger_people["gridworker"],
        household=east,
        data=actions.PersonInput(name="卓嘎", id_number=id_number(serial=732)),
    ).person
    actions.person_add(  # 林堆一网格's worker meets her with her ID card
        acting_user=ledger_people["gridworker_w1"],
        household=west,
        data=actions.PersonInput(name="卓嘎", id_number=person.id_number),
        move_existing=True,
    )
    stay = Residence.objects.get(person=person, household=east)
    assert stay.moved_out_to == street.grids["w1"].name  # the grid, not the room

    client.force_login(ledger_people["gridworker"])  # keeps e1 and e2 only
    page = client.get(reverse("ledger:person", args=[person.pk])).content.decode()
    assert "林堆5号楼" not in page
    assert reverse("ledger:household", args=[west.pk]) not in page
    assert "moved away" in page and "1号楼" in page
    answer = api_client(ledger_people["gridworker"]).get(
        f"/api/ledger/people/{person.pk}/"
    )
    assert answer.json()["household"] is None and answer.json()["moved_away"] is True

    client.force_login(ledger_people["gridworker_w1"])
    page = client.get(reverse("ledger:person", args=[person.pk])).content.decode()
    assert reverse("ledger:household", args=[west.pk]) in page
