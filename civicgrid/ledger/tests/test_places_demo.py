"""The demo street's places, things and organisations: every grid has its
buildings inside it, components of several kinds with owners and a few
damaged ones linked to appeals, a 龙行侠微e站, the party structure following
the area tree; a second run changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from shapely.geometry import Point, shape

from civicgrid.ledger.models import (
    Building,
    Component,
    ComponentAppeal,
    Organisation,
    Pairing,
    Place,
)
from civicgrid.org.models import Area

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Building,
            Component,
            ComponentAppeal,
            Place,
            Organisation,
            Pairing,
        )
    )


def test_the_demo_street_has_its_places_things_and_organisations():
    call_command("seed_demo", stdout=StringIO())
    grids = list(Area.objects.filter(level=Area.Level.GRID))
    for grid in grids:
        buildings = Building.objects.filter(grid=grid)
        assert buildings.filter(name="1号楼").exists()
        polygon = shape(grid.boundary)
        assert all(polygon.contains(Point(b.lon, b.lat)) for b in buildings)
        assert (
            Component.objects.filter(grid=grid).values("subclass").distinct().count()
            >= 4
        )
    assert not Component.objects.filter(department__isnull=True).exists()
    assert Component.objects.exclude(state="good").exists()
    assert ComponentAppeal.objects.exists()
    station = Place.objects.get(name="龙行侠微e站")
    assert set(station.services) == {"water", "rest", "charging", "microwave", "toilet"}
    assert Place.objects.filter(
        kind="party_position", position_kind="红色学府"
    ).exists()
    K = Organisation.Kind
    assert Organisation.objects.filter(kind=K.GRID_BRANCH).count() == len(grids)
    for branch in Organisation.objects.filter(kind=K.GRID_BRANCH).select_related(
        "parent", "area"
    ):
        assert branch.parent is not None
        assert branch.parent.kind == K.COMMUNITY_COMMITTEE
        assert branch.parent.area_id == branch.area.parent_id
    assert Pairing.objects.filter(until__isnull=True).count() >= 4
    alliance = Organisation.objects.get(kind=K.ALLIANCE)
    assert alliance.members.exclude(pledge="").filter(place__isnull=False).count() >= 4

    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before
