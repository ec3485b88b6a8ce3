"""Writes of the core app."""

from __future__ import annotations

import logging

from django.db import transaction

from .models import CalendarDay
from .workcalendar import CalendarRow, rows_summary

log = logging.getLogger(__name__)


def calendar_import(
    *, rows: list[CalendarRow], acting_user: object | None
) -> dict[str, int]:
    """Write parsed calendar rows in one transaction: a date already present takes
    the file's kind and name. Returns how many rows were created and updated."""
    created = updated = 0
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
            elif (current.kind, current.name) != (row.kind, row.name):
                current.kind, current.name = row.kind, row.name
                current.save(update_fields=["kind", "name", "updated_at"])
                updated += 1
        CalendarDay.objects.bulk_create(to_create)
        created = len(to_create)
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
