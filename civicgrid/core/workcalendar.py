"""Working time on the work calendar (工作日历).

A day is a working day when it is Monday–Friday and not a statutory holiday, or when
it is a make-up working day (调休上班). A working day has the working periods of the
setting ``CIVICGRID_WORKING_HOURS`` (local time, e.g. 09:00–12:00 and 13:30–17:30).

Deadlines land at the end of a working period rather than at the start of the next
one: an appeal received on Saturday with one working day to go is due on Monday at
17:30, not on Tuesday at 09:00.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError

# No calendar in use has a year without working days; stop rather than loop forever.
_MAX_SEARCH_DAYS = 366 * 3


@dataclass(frozen=True)
class WorkingPeriod:
    start: time
    end: time

    @property
    def seconds(self) -> int:
        def of_day(t: time) -> int:
            return t.hour * 3600 + t.minute * 60 + t.second

        return of_day(self.end) - of_day(self.start)


def parse_working_hours(spec: str) -> tuple[WorkingPeriod, ...]:
    """``"09:00-12:00,13:30-17:30"`` → two periods, checked to be ordered and apart."""
    periods: list[WorkingPeriod] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            start_s, end_s = (p.strip() for p in part.split("-"))
            period = WorkingPeriod(
                time.fromisoformat(start_s), time.fromisoformat(end_s)
            )
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"CIVICGRID_WORKING_HOURS: {part!r} is not HH:MM-HH:MM"
            ) from exc
        if period.seconds <= 0:
            raise ImproperlyConfigured(
                f"CIVICGRID_WORKING_HOURS: {part!r} ends before it starts"
            )
        if periods and period.start < periods[-1].end:
            raise ImproperlyConfigured(
                f"CIVICGRID_WORKING_HOURS: {part!r} overlaps or precedes "
                "the period before it"
            )
        periods.append(period)
    if not periods:
        raise ImproperlyConfigured("CIVICGRID_WORKING_HOURS names no working period")
    return tuple(periods)


class WorkCalendar:
    """Working-time arithmetic over a fixed set of calendar exceptions."""

    def __init__(
        self,
        exceptions: Mapping[date, bool],
        periods: tuple[WorkingPeriod, ...],
        tz: ZoneInfo,
    ) -> None:
        # date → True for a working day, False for a day off
        self.exceptions = dict(exceptions)
        self.periods = periods
        self.tz = tz
        # A day's working periods as moments, made once per day: one calendar
        # serves many deadlines (a synthetic history computes thousands).
        self._bounds: dict[date, list[tuple[datetime, datetime]]] = {}

    @property
    def seconds_per_day(self) -> int:
        return sum(p.seconds for p in self.periods)

    def is_working_day(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def _period_bounds(self, day: date) -> list[tuple[datetime, datetime]]:
        bounds = self._bounds.get(day)
        if bounds is None:
            bounds = self._bounds[day] = [
                (
                    datetime.combine(day, p.start, tzinfo=self.tz),
                    datetime.combine(day, p.end, tzinfo=self.tz),
                )
                for p in self.periods
            ]
        return bounds

    def add_working_seconds(self, start: datetime, seconds: float) -> datetime:
        if timezone.is_naive(start):
            raise ValueError("start must be an aware datetime")
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        if seconds == 0:
            return start
        cursor = start.astimezone(self.tz)
        remaining = timedelta(seconds=seconds)
        day = cursor.date()
        for _i in range(_MAX_SEARCH_DAYS):
            if self.is_working_day(day):
                for period_start, period_end in self._period_bounds(day):
                    if cursor >= period_end:
                        continue
                    begin = max(cursor, period_start)
                    available = period_end - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
                    cursor = period_end
            day += timedelta(days=1)
            cursor = datetime.combine(day, time.min, tzinfo=self.tz)
        raise DomainError(
            _("The work calendar has no working day in the next three years.")
        )

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        return self.add_working_seconds(start, hours * 3600)

    def add_working_days(self, start: datetime, days: float) -> datetime:
        """N working days after ``start``, as N full working days of working time."""
        return self.add_working_seconds(start, days * self.seconds_per_day)

    def working_seconds_between(self, start: datetime, end: datetime) -> float:
        """Working time from ``start`` to ``end`` (negative when end is earlier)."""
        if end < start:
            return -self.working_seconds_between(end, start)
        total = 0.0
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            if self.is_working_day(day):
                for period_start, period_end in self._period_bounds(day):
                    begin, finish = max(start, period_start), min(end, period_end)
                    if finish > begin:
                        total += (finish - begin).total_seconds()
            day += timedelta(days=1)
        return total


def get_work_calendar() -> WorkCalendar:
    """The calendar as the database says now (a few dozen rows a year)."""
    from .models import CalendarDay

    exceptions = {
        row.date: row.kind == CalendarDay.Kind.WORKDAY
        for row in CalendarDay.objects.only("date", "kind")
    }
    return WorkCalendar(
        exceptions,
        parse_working_hours(settings.CIVICGRID_WORKING_HOURS),
        ZoneInfo(settings.TIME_ZONE),
    )


def add_working_days(start: datetime, days: float) -> datetime:
    return get_work_calendar().add_working_days(start, days)


def add_working_hours(start: datetime, hours: float) -> datetime:
    return get_work_calendar().add_working_hours(start, hours)


# --- CSV -------------------------------------------------------------------------

_KIND_WORDS = {
    "holiday": "holiday",
    "off": "holiday",
    "休": "holiday",
    "放假": "holiday",
    "workday": "workday",
    "work": "workday",
    "班": "workday",
    "上班": "workday",
}


@dataclass(frozen=True)
class CalendarRow:
    line: int
    date: date
    kind: str
    name: str


class CalendarImportError(DomainError):
    """The file was refused; ``errors`` lists every bad line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors), field="file")
        self.errors = errors


def parse_calendar_csv(data: bytes | str) -> list[CalendarRow]:
    """Parse ``date,kind,name`` rows (a header line first). Every problem is
    collected and reported with its line number; nothing is returned on error."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CalendarImportError([_("The file is not UTF-8 text.")]) from exc
    else:
        text = data.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text))
    errors: list[str] = []
    rows: list[CalendarRow] = []
    seen: dict[date, int] = {}
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header[:2]] != ["date", "kind"]:
        raise CalendarImportError(
            [_("Line 1: the first line must be the header date,kind,name.")]
        )
    for line_no, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) < 2 or len(record) > 3:
            errors.append(
                _("Line %(line)d: expected date,kind,name but found %(n)d fields.")
                % {"line": line_no, "n": len(record)}
            )
            continue
        raw_date, raw_kind = record[0].strip(), record[1].strip()
        name = record[2].strip() if len(record) == 3 else ""
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            errors.append(
                _("Line %(line)d: %(value)r is not a date (YYYY-MM-DD).")
                % {"line": line_no, "value": raw_date}
            )
            continue
        kind = _KIND_WORDS.get(raw_kind.lower())
        if kind is None:
            errors.append(
                _("Line %(line)d: kind %(value)r must be holiday or workday.")
                % {"line": line_no, "value": raw_kind}
            )
            continue
        if len(name) > 100:
            errors.append(
                _("Line %(line)d: the name is longer than 100 characters.")
                % {"line": line_no}
            )
            continue
        if day in seen:
            errors.append(
                _("Line %(line)d: %(date)s is already given on line %(first)d.")
                % {"line": line_no, "date": day.isoformat(), "first": seen[day]}
            )
            continue
        seen[day] = line_no
        rows.append(CalendarRow(line_no, day, kind, name))
    if errors:
        raise CalendarImportError(errors)
    if not rows:
        raise CalendarImportError([_("The file holds no calendar days.")])
    return rows


def rows_summary(rows: Iterable[CalendarRow]) -> dict[str, int]:
    summary = {"holiday": 0, "workday": 0}
    for row in rows:
        summary[row.kind] += 1
    return summary
