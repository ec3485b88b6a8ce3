"""The region's own holidays in the work calendar (地方节假日): in the Tibet
Autonomous Region, Tibetan New Year (藏历新年, Losar) and the Shoton festival
(雪顿节), beside the national holidays of the State Council's yearly notice.

Each festival falls on a day of the Tibetan calendar (``core.tibetan``, caltib's
Phugpa engine): Losar is day 1 of month 1, Shoton opens on day 30 of month 6
(the thangka unveiling at Drepung). Around it the region gives days off and
sometimes make-up working days (调休上班), announced each year by Lhasa's
government (拉萨市人民政府办公室关于…放假安排的通知). The arrangement is
configuration, ``CIVICGRID_REGION_HOLIDAYS``: a list of festivals, each ::

    {
        "name": "藏历新年",                 # the days off are named so
        "make_up_name": "藏历新年调休上班",  # …and the make-up working days
        "tibetan_month": 1,                 # the festival's day in the
        "tibetan_day": 1,                   #   Tibetan calendar
        "first_day": -1,                    # days off begin this many days
                                            #   from it (-1: the eve, 除夕)
        "days_off": 7,                      # consecutive days, weekends included
        "make_up_days": 2,                  # weekend days worked in return
        "published": {                      # what the region announced, by year
            2025: {"days_off": ["2025-02-27/2025-03-04"], "make_up_days": []},
        },
    }

A year in ``published`` is taken exactly as announced (dates, or inclusive
ranges ``first/last``); any other year gets the default rule computed from the
festival's day: ``days_off`` days from ``first_day``, and ``make_up_days``
weekend days nearest the break (earlier first on a tie). Put each year's notice
in ``published`` when it comes out and run ``civicgrid calendar-region --year
YYYY --commit`` again: what the command wrote before is brought to the notice.

The default, :data:`LHASA`, after the notices found (see its comments). The
command only writes the calendar; a deployment outside the region never runs
it, or sets ``CIVICGRID_REGION_HOLIDAYS = []``.

Merging with the national calendar (:func:`plan_changes`): a day that is
already a day off of the same kind keeps its row and takes the region's name
beside its own (春节、藏历新年); a day the national calendar has of the other
kind (a national 调休 Saturday the region would give off, say) is left as it is
and reported, for an administrator to settle. Rows the command wrote itself
(named only by region holidays) follow the configuration when it changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import tibetan

HOLIDAY, WORKDAY = "holiday", "workday"
# Two names on one day, as the national notices write 国庆节、中秋节.
NAME_SEPARATOR = "、"
NAME_MAX_LENGTH = 100  # CalendarDay.name

# Lhasa (拉萨市), as its government announced the days:
# - 藏历新年: 7 days from the eve, with 2 weekend days worked, is the usual
#   notice (2022: 3-02…3-08, Losar 3-03, worked 2-26 and 3-13; 2023: 2-20…2-26,
#   Losar 2-21, worked 2-18 and 2-19); the region's regulation gives Losar 7
#   days. 2025: 2-27…3-04, "放假4天、周末2天，不调休". 2026: one break with the
#   Spring Festival, "春节、藏历新年放假12天", 2-15…2-26, worked 2-14 and 2-28
#   (the national make-up days).
# - 雪顿节: the region's regulation gave it 7 days like Losar, and Lhasa kept
#   the festival week off (2017: 8-21…8-27, "雪顿节的7天假期"). No notice of
#   the days off for 2024–2027 was found, so the default is that week from the
#   opening day (6/30), without make-up days: put the notice in "published"
#   when it comes out.
LHASA: list[dict[str, Any]] = [
    {
        "name": "藏历新年",
        "make_up_name": "藏历新年调休上班",
        "tibetan_month": 1,
        "tibetan_day": 1,
        "first_day": -1,
        "days_off": 7,
        "make_up_days": 2,
        "published": {
            2025: {"days_off": ["2025-02-27/2025-03-04"], "make_up_days": []},
            2026: {
                "days_off": ["2026-02-15/2026-02-26"],
                "make_up_days": ["2026-02-14", "2026-02-28"],
            },
        },
    },
    {
        "name": "雪顿节",
        "make_up_name": "雪顿节调休上班",
        "tibetan_month": 6,
        "tibetan_day": 30,
        "first_day": 0,
        "days_off": 7,
        "make_up_days": 0,
        "published": {},
    },
]


@dataclass(frozen=True)
class Arrangement:
    """The days off and make-up working days of one festival in one year."""

    days_off: tuple[dt.date, ...]
    make_up_days: tuple[dt.date, ...]


@dataclass(frozen=True)
class Festival:
    name: str
    make_up_name: str
    tibetan_month: int
    tibetan_day: int
    first_day: int
    days_off: int
    make_up_days: int
    published: Mapping[int, Arrangement]

    def day(self, year: int) -> dt.date:
        """The festival's day in ``year`` (caltib's year: Losar and Shoton fall
        within the Gregorian year of the same number)."""
        return tibetan.civil_day(year, self.tibetan_month, self.tibetan_day)

    def arrangement(self, year: int) -> Arrangement:
        if year in self.published:
            return self.published[year]
        start = self.day(year) + dt.timedelta(days=self.first_day)
        off = tuple(start + dt.timedelta(days=n) for n in range(self.days_off))
        return Arrangement(off, nearest_weekend_days(off, self.make_up_days))


@dataclass(frozen=True)
class FestivalPlan:
    festival: Festival
    day: dt.date
    published: bool
    arrangement: Arrangement


@dataclass(frozen=True)
class RegionDay:
    date: dt.date
    kind: str
    name: str


@dataclass(frozen=True)
class RegionPlan:
    year: int
    festivals: tuple[FestivalPlan, ...]
    days: tuple[RegionDay, ...]


def nearest_weekend_days(
    days_off: Iterable[dt.date], count: int
) -> tuple[dt.date, ...]:
    """The ``count`` Saturdays and Sundays nearest a break, outside it, in date
    order; the earlier of two as near."""
    off = sorted(set(days_off))
    if count <= 0 or not off:
        return ()
    first, last = off[0], off[-1]
    candidates = sorted(
        (distance, day)
        for distance in range(1, 29)
        for day in (
            first - dt.timedelta(days=distance),
            last + dt.timedelta(days=distance),
        )
        if day.weekday() >= 5
    )
    return tuple(sorted(day for _distance, day in candidates[:count]))


def festivals() -> tuple[Festival, ...]:
    """The configured festivals (``CIVICGRID_REGION_HOLIDAYS``, else Lhasa's)."""
    spec = getattr(settings, "CIVICGRID_REGION_HOLIDAYS", LHASA)
    if not isinstance(spec, list | tuple):
        raise _bad("must be a list of festivals")
    return tuple(_festival(entry, position) for position, entry in enumerate(spec))


def own_names() -> set[str]:
    """The names the region's days are written with."""
    return {
        name
        for festival in festivals()
        for name in (festival.name, festival.make_up_name)
    }


def region_plan(year: int) -> RegionPlan:
    """The region's days off and make-up days of ``year``. A day given twice
    (two festivals' breaks touching) is taken from the first festival."""
    plans = []
    days: dict[dt.date, RegionDay] = {}
    for festival in festivals():
        arrangement = festival.arrangement(year)
        plans.append(
            FestivalPlan(
                festival=festival,
                day=festival.day(year),
                published=year in festival.published,
                arrangement=arrangement,
            )
        )
        for date in arrangement.days_off:
            days.setdefault(date, RegionDay(date, HOLIDAY, festival.name))
        for date in arrangement.make_up_days:
            days.setdefault(date, RegionDay(date, WORKDAY, festival.make_up_name))
    return RegionPlan(
        year=year,
        festivals=tuple(plans),
        days=tuple(sorted(days.values(), key=lambda day: day.date)),
    )


# --- merging with what the calendar holds ----------------------------------------

CREATE, UPDATE, DELETE, KEEP, SAME = "create", "update", "delete", "keep", "same"


@dataclass(frozen=True)
class DayChange:
    """What becomes of one date: ``create``, ``update`` (kind or name),
    ``delete`` (a day the region no longer gives), ``keep`` (the calendar has
    the other kind there: left alone, for an administrator) or ``same``."""

    date: dt.date
    action: str
    kind: str
    name: str
    before: tuple[str, str] | None = None
    planned: RegionDay | None = None


def _parts(name: str) -> list[str]:
    return [part.strip() for part in name.split(NAME_SEPARATOR) if part.strip()]


def plan_changes(
    existing: Mapping[dt.date, tuple[str, str]],
    plan: RegionPlan,
    *,
    names: set[str] | None = None,
) -> list[DayChange]:
    """What to write so that the calendar (``existing``: date → kind, name) has
    the region's days of ``plan.year``, the national days left as they are."""
    names = own_names() if names is None else names
    planned = {day.date: day for day in plan.days}
    stale = {
        date
        for date, (_kind, name) in existing.items()
        if date.year == plan.year and date not in planned and names & set(_parts(name))
    }
    changes = []
    for date in sorted(planned.keys() | stale):
        day = planned.get(date)
        row = existing.get(date)
        if row is None:
            if day is not None:  # (a stale date always has a row)
                changes.append(DayChange(date, CREATE, day.kind, day.name, planned=day))
            continue
        kind, name = row
        others = [part for part in _parts(name) if part not in names]
        if day is None:
            # The region no longer gives this day: take its name off the row.
            if others:
                changes.append(
                    DayChange(date, UPDATE, kind, NAME_SEPARATOR.join(others), row)
                )
            else:
                changes.append(DayChange(date, DELETE, kind, name, row))
        elif not others and name:
            # A row of the region's own: it follows the plan.
            action = SAME if row == (day.kind, day.name) else UPDATE
            changes.append(DayChange(date, action, day.kind, day.name, row, day))
        elif kind == day.kind:
            joined = NAME_SEPARATOR.join([*others, day.name])
            if joined == name or len(joined) > NAME_MAX_LENGTH:
                changes.append(DayChange(date, SAME, kind, name, row, day))
            else:
                changes.append(DayChange(date, UPDATE, kind, joined, row, day))
        else:
            changes.append(DayChange(date, KEEP, kind, name, row, day))
    return changes


# --- configuration ---------------------------------------------------------------


def _bad(problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"CIVICGRID_REGION_HOLIDAYS {problem}")


def _int(entry: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int:
    value = entry.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    raise _bad(f"{where}: {key!r} must be a whole number from {low} to {high}")


def _name(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"{where}: {key!r} must be a name")
    value = value.strip()
    if len(value) > NAME_MAX_LENGTH or NAME_SEPARATOR in value:
        raise _bad(
            f"{where}: {key!r} must be at most {NAME_MAX_LENGTH} characters, "
            f"without {NAME_SEPARATOR!r}"
        )
    return value


def _dates(values: object, where: str) -> tuple[dt.date, ...]:
    if not isinstance(values, list | tuple):
        raise _bad(f"{where} must be a list of dates")
    found: set[dt.date] = set()
    for value in values:
        try:
            if isinstance(value, dt.date):
                first = last = value
            else:
                first_s, _slash, last_s = str(value).partition("/")
                first = dt.date.fromisoformat(first_s.strip())
                last = dt.date.fromisoformat(last_s.strip()) if last_s else first
        except ValueError as exc:
            raise _bad(
                f"{where}: {value!r} is not YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD"
            ) from exc
        if last < first or (last - first).days > 60:
            raise _bad(f"{where}: {value!r} is not a range of up to 60 days")
        span = (last - first).days + 1
        found.update(first + dt.timedelta(days=n) for n in range(span))
    return tuple(sorted(found))


def _festival(entry: object, position: int) -> Festival:
    where = f"[{position}]"
    if not isinstance(entry, Mapping):
        raise _bad(f"{where} must be a mapping")
    name = _name(entry, "name", where)
    where = f"[{position}] ({name})"
    published: dict[int, Arrangement] = {}
    raw_published = entry.get("published", {})
    if not isinstance(raw_published, Mapping):
        raise _bad(f"{where}: 'published' must map years to arrangements")
    for year, arrangement in raw_published.items():
        if not isinstance(year, int) or not isinstance(arrangement, Mapping):
            raise _bad(f"{where}: 'published' must map years to arrangements")
        off = _dates(arrangement.get("days_off", ()), f"{where} {year} days_off")
        work = _dates(
            arrangement.get("make_up_days", ()), f"{where} {year} make_up_days"
        )
        if set(off) & set(work):
            raise _bad(f"{where} {year}: a day is both off and worked")
        published[year] = Arrangement(off, work)
    return Festival(
        name=name,
        make_up_name=_name(entry, "make_up_name", where),
        tibetan_month=_int(entry, "tibetan_month", where, 1, 12),
        tibetan_day=_int(entry, "tibetan_day", where, 1, 30),
        first_day=_int(entry, "first_day", where, -30, 30),
        days_off=_int(entry, "days_off", where, 0, 30),
        make_up_days=_int(entry, "make_up_days", where, 0, 10),
        published=published,
    )
