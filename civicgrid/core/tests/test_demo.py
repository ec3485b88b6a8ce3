from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from civicgrid.core.models import CalendarDay


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_calendar_knows_national_day(demo):
    from datetime import date

    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "workday"
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).kind == "holiday"


def test_the_demo_calendar_has_lhasas_own_holidays_for_2025_to_2027(demo):
    from datetime import date

    from civicgrid.core import tibetan

    def day(d: date) -> tuple[str, str]:
        row = CalendarDay.objects.get(date=d)
        return row.kind, row.name

    for year in (2025, 2026, 2027):
        assert "藏历新年" in day(tibetan.losar(year))[1]
        assert day(tibetan.civil_day(year, 6, 30)) == ("holiday", "雪顿节")
    # One break with the Spring Festival in 2026, as Lhasa announced it.
    assert day(date(2026, 2, 18)) == ("holiday", "春节、藏历新年")
    assert day(date(2026, 2, 26)) == ("holiday", "藏历新年")
    assert day(date(2025, 3, 3)) == ("holiday", "藏历新年")


def _seed(name, *after):
    from civicgrid.core.demo import DemoSeed

    return DemoSeed(name=name, run=lambda: None, after=after)


def test_seeds_run_after_those_they_name_otherwise_in_the_order_given():
    from civicgrid.core.demo import in_order

    seeds = [_seed("c", "b"), _seed("a"), _seed("b", "a"), _seed("d")]
    assert [s.name for s in in_order(seeds)] == ["a", "b", "c", "d"]


def test_a_seed_after_an_unknown_or_a_circle_of_seeds_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from civicgrid.core.demo import in_order

    with pytest.raises(ImproperlyConfigured, match="unknown seeds: nope"):
        in_order([_seed("a", "nope")])
    with pytest.raises(ImproperlyConfigured, match="wait for each other"):
        in_order([_seed("a", "b"), _seed("b", "a")])


def test_every_apps_seeds_are_found_and_each_runs_after_those_it_names():
    from django.core.exceptions import ImproperlyConfigured

    from civicgrid.core.demo import demo_seed, registered_seeds

    seeds = registered_seeds()
    names = [s.name for s in seeds]
    assert names[0] == "core.calendar" and len(names) > 1
    for position, seed in enumerate(seeds):
        assert set(seed.after) <= set(names[:position])
    with pytest.raises(ImproperlyConfigured, match="Two demo seeds"):
        demo_seed("core.calendar")(lambda: None)
