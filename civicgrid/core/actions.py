"""Writes of the core app."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .errors import ConflictError
from .models import CalendarDay
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
