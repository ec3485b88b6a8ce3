"""The demo seed (civicgrid seed-demo). Each app that has demo data keeps it in its
own ``demo.py`` and registers its seeds there::

    @demo_seed("appeals.catalogue", after=("org.street",))
    def seed_catalogue() -> str:
        ...
        return f"{leaves} categories"

``seed_demo()`` imports every installed app's ``demo`` module and runs all seeds in
one transaction: each after the seeds it names in ``after``, otherwise in the order
they were registered (the order of INSTALLED_APPS). What a seed returns goes into
the summary line if it is a string (other results are left out). Every seed is
idempotent: it adds what is missing and never changes a row that exists, so
whatever has been edited since stays as it is.

Core's own seed is the work calendar: the national holidays and 调休 days, and
the Tibet Autonomous Region's own (藏历新年, 雪顿节) beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from . import region_holidays
from .actions import calendar_import
from .workcalendar import CalendarRow, parse_calendar_csv

DEMO_PASSWORD = "civicgrid-demo-2026"  # noqa: S105 - printed for the demo on purpose

SeedFunction = TypeVar("SeedFunction", bound=Callable[[], object])


@dataclass(frozen=True)
class DemoSeed:
    name: str
    run: Callable[[], object]
    after: tuple[str, ...]


_seeds: dict[str, DemoSeed] = {}


def demo_seed(
    name: str, *, after: Iterable[str] = ()
) -> Callable[[SeedFunction], SeedFunction]:
    """Register a seed under ``name`` ("app.what"), to run after the seeds named in
    ``after``."""

    def register(function: SeedFunction) -> SeedFunction:
        if name in _seeds:
            raise ImproperlyConfigured(f"Two demo seeds are named {name!r}.")
        _seeds[name] = DemoSeed(name=name, run=function, after=tuple(after))
        return function

    return register


def in_order(seeds: Iterable[DemoSeed]) -> list[DemoSeed]:
    """Each seed after those it names, otherwise in the order given."""
    pending = list(seeds)
    names = {seed.name for seed in pending}
    for seed in pending:
        unknown = set(seed.after) - names
        if unknown:
            raise ImproperlyConfigured(
                f"Demo seed {seed.name!r} runs after unknown seeds: "
                + ", ".join(sorted(unknown))
            )
    done: set[str] = set()
    ordered: list[DemoSeed] = []
    while pending:
        ready = next((s for s in pending if done.issuperset(s.after)), None)
        if ready is None:
            raise ImproperlyConfigured(
                "Demo seeds wait for each other: "
                + ", ".join(seed.name for seed in pending)
            )
        pending.remove(ready)
        done.add(ready.name)
        ordered.append(ready)
    return ordered


def registered_seeds() -> list[DemoSeed]:
    """Every app's demo seeds, in the order they run."""
    autodiscover_modules("demo")
    return in_order(_seeds.values())


def seed_demo() -> list[str]:
    """Run every seed; the summary words of those that gave some."""
    summary = []
    with transaction.atomic():
        for seed in registered_seeds():
            words = seed.run()
            if isinstance(words, str) and words:
                summary.append(words)
    return summary


# The years the demo has Lhasa's own holidays for (the national file has 2025–2026).
REGION_YEARS = (2025, 2026, 2027)


@demo_seed("core.calendar")
def seed_calendar() -> None:
    """The national holidays and 调休 days, and Lhasa's own (藏历新年, 雪顿节) of
    :data:`REGION_YEARS` beside them, merged as ``civicgrid calendar-region``
    merges them (春节、藏历新年 on a day both give)."""
    path = Path(settings.BASE_DIR) / "data" / "calendar" / "cn-2025-2026.csv"
    rows = with_region_days(parse_calendar_csv(path.read_bytes()), REGION_YEARS)
    calendar_import(rows=rows, acting_user=None, keep_existing=True)


def with_region_days(
    rows: list[CalendarRow], years: Iterable[int]
) -> list[CalendarRow]:
    """National calendar rows with the region's days of ``years`` merged in."""
    days = {row.date: (row.kind, row.name) for row in rows}
    for year in years:
        for change in region_holidays.plan_changes(
            days, region_holidays.region_plan(year)
        ):
            if change.action == region_holidays.DELETE:
                del days[change.date]
            elif change.action in (region_holidays.CREATE, region_holidays.UPDATE):
                days[change.date] = (change.kind, change.name)
    return [
        CalendarRow(line=0, date=day, kind=kind, name=name)
        for day, (kind, name) in sorted(days.items())
    ]
