"""The demo's 社情民意 and patrols: a year of items across the grids, some
turned into appeals through the appeal loop, some closed; ended patrols whose
routes stay in their grid; seeding again adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from shapely.geometry import Point, shape

from civicgrid.appeals.models import CaseEvent
from civicgrid.core import clock
from civicgrid.ledger.models import Opinion, Patrol


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_a_year_of_public_opinion_and_patrols(demo):
    opinions = Opinion.objects.all()
    assert opinions.count() >= 60
    assert opinions.values("grid").distinct().count() >= 10
    assert {o.risk for o in opinions} == {"general", "attention", "warning", "urgent"}
    assert len({o.source for o in opinions}) == 5
    turned = opinions.filter(state="appeal")
    assert turned.count() >= 5
    for opinion in turned:
        submit = CaseEvent.objects.get(appeal=opinion.appeal, action="submit")
        assert submit.data["origin_url"].endswith(f"/opinions/{opinion.pk}/")
        assert submit.created_at <= clock.now()
    assert opinions.filter(state="closed").exclude(closed_note="").count() >= 5
    patrols = Patrol.objects.select_related("grid")
    assert patrols.count() >= 20
    assert not patrols.filter(ended_at__isnull=True).exists()
    for patrol in patrols:
        polygon = shape(patrol.grid.boundary)
        assert patrol.route and all(
            polygon.covers(Point(x, y)) for x, y, _at in patrol.route
        )
    assert Opinion.objects.filter(patrols__isnull=False).exists()


def test_seeding_the_demo_again_adds_no_opinion_or_patrol(demo):
    before = (Opinion.objects.count(), Patrol.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Opinion.objects.count(), Patrol.objects.count()) == before
