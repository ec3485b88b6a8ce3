"""Writes of the core app."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from . import region_holidays, tibetan
from .errors import ConflictError, DomainError
from .models import CalendarDay
from .region_holidays import DayChange, RegionPlan
from .workcalendar import CalendarRow, rows_summary

log = logging.getLogger(__name__)


def calendar_import(
    *, rows: list[CalendarRow], acting_user: object | None, keep_existing: bool = False
) -> dict[str, int]:
    """Write parsed calendar rows in one transaction: a date already present takes
    the file's kind and name (or is left alone with ``keep_existing``). Returns
    how many rows were created, updated and left unchanged."""
    try:
        created, updated = _write_calendar_rows(rows, keep_existing=keep_existing)
    except IntegrityError as exc:
        # Another import inserted one of these dates between our read and write.
        raise ConflictError(
            _("Another calendar import ran at the same time; import the file again.")
        ) from exc
    log.info(
        "calendar import by %s: %d created, %d updated (%s)",
        getattr(acting_user, "username", "system"),
        created,
        updated,
        rows_summary(rows),
    )
    return {
        "created": created,
        "updated": updated,
        "unchanged": len(rows) - created - updated,
    }


def _write_calendar_rows(
    rows: list[CalendarRow], *, keep_existing: bool
) -> tuple[int, int]:
    updated = 0
    with transaction.atomic():
        existing = {
            day.date: day
            for day in CalendarDay.objects.select_for_update().filter(
                date__in=[row.date for row in rows]
            )
        }
        to_create = []
        for row in rows:
            current = existing.get(row.date)
            if current is None:
                to_create.append(
                    CalendarDay(date=row.date, kind=row.kind, name=row.name)
                )
            elif not keep_existing and (current.kind, current.name) != (
                row.kind,
                row.name,
            ):
                current.kind, current.name = row.kind, row.name
                current.save(update_fields=["kind", "name", "updated_at"])
                updated += 1
        CalendarDay.objects.bulk_create(to_create)
    return len(to_create), updated


def calendar_region_apply(
    *, year: int, acting_user: object | None, commit: bool = False
) -> tuple[RegionPlan, list[DayChange]]:
    """Put the region's own holidays of ``year`` (藏历新年, 雪顿节: see
    ``region_holidays``) into the work calendar beside the national ones. A dry
    run unless ``commit``: the plan and the changes it makes (or would make) are
    returned either way; run again, it finds nothing to change."""
    if year not in tibetan.YEARS:
        raise DomainError(
            _("Choose a year from %(first)d to %(last)d.")
            % {"first": tibetan.YEARS[0], "last": tibetan.YEARS[-1]},
            field="year",
        )
    plan = region_holidays.region_plan(year)
    try:
        with transaction.atomic():
            # The year's rows, and any day of a break that reaches past it.
            rows = CalendarDay.objects.filter(
                Q(date__year=year) | Q(date__in=[day.date for day in plan.days])
            )
            if commit:
                rows = rows.select_for_update()
            existing = {row.date: row for row in rows}
            changes = region_holidays.plan_changes(
                {date: (row.kind, row.name) for date, row in existing.items()}, plan
            )
            if commit:
                _write_region_changes(changes, existing)
    except IntegrityError as exc:
        # Another writer inserted one of these dates between our read and write.
        raise ConflictError(
            _("Someone changed the work calendar at the same time; try again.")
        ) from exc
    if commit:
        log.info(
            "region calendar %d by %s: %s",
            year,
            getattr(acting_user, "username", "system"),
            dict(Counter(change.action for change in changes)),
        )
    return plan, changes


def _write_region_changes(
    changes: list[DayChange], existing: dict[date, CalendarDay]
) -> None:
    to_create = []
    for change in changes:
        if change.action == region_holidays.CREATE:
            to_create.append(
                CalendarDay(date=change.date, kind=change.kind, name=change.name)
            )
        elif change.action == region_holidays.UPDATE:
            row = existing[change.date]
            row.kind, row.name = change.kind, change.name
            row.save(update_fields=["kind", "name", "updated_at"])
        elif change.action == region_holidays.DELETE:
            existing[change.date].delete()
    CalendarDay.objects.bulk_create(to_create)
