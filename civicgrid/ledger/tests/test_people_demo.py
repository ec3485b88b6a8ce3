import pytest

from civicgrid.ledger.demo.people import seed_people
from civicgrid.ledger.models import Household, Person, PersonTag, Residence, Visit
from civicgrid.ledger.selectors import people_to_visit
from civicgrid.org.demo import seed_street
from civicgrid.org.models import Area

pytestmark = pytest.mark.django_db


def test_every_demo_grid_has_households_people_to_visit_and_not_everyone():
    seed_street()
    assert seed_people()
    grids = Area.objects.filter(level=Area.Level.GRID, is_active=True)
    for grid in grids:
        count = Household.objects.filter(grid=grid).count()
        assert 20 <= count <= 60, grid.code
    tagged = PersonTag.objects.filter(tag__in=["lives_alone", "advanced_age"])
    waiting = sum(people_to_visit(grid).count() for grid in grids)
    assert 0 < waiting < tagged.count()
    assert Residence.objects.filter(moved_out_on__isnull=False).exists()
    assert Person.objects.filter(household__isnull=True).exists()
    assert PersonTag.objects.filter(tag="new_employment").exists()
    visits = Visit.objects.count()
    assert seed_people() == ""  # idempotent
    assert Visit.objects.count() == visits
