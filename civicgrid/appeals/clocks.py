"""The clocks of an appeal (时限): how long a unit has to sign for it (响应时限,
working hours) and to answer it (办结时限, working days), given by its category
version and its priority; and the deadlines they give from a moment, on the work
calendar. Every deadline of an appeal and of its shares is computed here.

An urgent appeal (紧急) runs on its category version's urgent clocks, or, where
the version has none, on ``CIVICGRID_URGENT_RESPONSE_HOURS`` and
``CIVICGRID_URGENT_HANDLING_DAYS``; never on longer clocks than a normal one of
the same category.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings

from civicgrid.core.workcalendar import WorkCalendar, get_work_calendar

from .models import Appeal, CategoryVersion


@dataclass(frozen=True)
class Clocks:
    """Working hours to respond (sign for it) and working days to answer."""

    response_hours: Decimal
    handling_days: Decimal


def default_urgent_clocks() -> Clocks:
    """The urgent clocks of a category version that names none of its own."""
    return Clocks(
        response_hours=Decimal(str(settings.CIVICGRID_URGENT_RESPONSE_HOURS)),
        handling_days=Decimal(str(settings.CIVICGRID_URGENT_HANDLING_DAYS)),
    )


def clocks_for(version: CategoryVersion, priority: str) -> Clocks:
    """The clocks an appeal of ``version`` and ``priority`` runs on."""
    if priority != Appeal.Priority.URGENT:
        return Clocks(version.response_hours, version.handling_days)
    default = default_urgent_clocks()
    return Clocks(
        response_hours=min(
            version.urgent_response_hours or default.response_hours,
            version.response_hours,
        ),
        handling_days=min(
            version.urgent_handling_days or default.handling_days,
            version.handling_days,
        ),
    )


def appeal_clocks(appeal: Appeal) -> Clocks | None:
    """The clocks of this appeal: its category version's, for its priority;
    None while it has no category."""
    version = appeal.category_version
    return None if version is None else clocks_for(version, appeal.priority)


def deadlines(
    clocks: Clocks, start: datetime, *, calendar: WorkCalendar | None = None
) -> dict[str, datetime]:
    """Sign-by, due and warn times in working time from ``start`` (warn:
    ``CIVICGRID_WARN_BEFORE_WORKING_HOURS`` before due), under the names an
    assignment keeps them. ``calendar``, given, is the work calendar read once
    for many deadlines (a synthetic history); else it is read now."""
    calendar = calendar or get_work_calendar()
    response_due = calendar.add_working_hours(start, float(clocks.response_hours))
    total = float(clocks.handling_days) * calendar.seconds_per_day
    due = calendar.add_working_seconds(start, total)
    warn_before = float(settings.CIVICGRID_WARN_BEFORE_WORKING_HOURS) * 3600
    warn = calendar.add_working_seconds(start, max(0.0, total - warn_before))
    return {"response_due_at": response_due, "due_at": due, "warn_at": warn}


def deadlines_from_receipt(
    appeal: Appeal, *, version: CategoryVersion | None = None, priority: str = ""
) -> dict[str, datetime] | None:
    """The appeal's own deadlines before it is dispatched, counted from the
    moment it was received (``received_at``); None while it has no category.
    ``version`` and ``priority``, given, stand for the appeal's own: the
    deadlines a correction would give.

    Why receipt: before dispatch the clock is the resident's — it has run since
    they were heard, whoever holds the appeal. So a correction by the dispatcher
    (another category, another priority) recomputes the deadlines from that same
    moment: correcting neither buys time nor takes it away, and an appeal made
    urgent an hour after it came in is due an hour sooner than one that came in
    urgent. These are what the dispatcher's queue shows and sorts by, and what
    the resident is told.

    At dispatch each share gets the clocks from the moment of dispatch instead
    (:func:`deadlines` in ``appeal_dispatch``): a unit answers for the time it
    has held the appeal, and that is what its response and on-time rates count.
    """
    version = version or appeal.category_version
    if version is None:
        return None
    clocks = clocks_for(version, priority or appeal.priority)
    return deadlines(clocks, appeal.received_at)
