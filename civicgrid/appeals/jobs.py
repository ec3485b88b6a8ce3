"""The worker's share of the appeal loop: it registers what intake received, and —
deadlines being data — warns units before the due time, marks what is overdue,
and closes replies nobody rated. Each mark is a compare-and-set on the row, so
several workers never mark (or notify) the same thing twice."""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction

from civicgrid.core import clock
from civicgrid.core.errors import DomainError
from civicgrid.core.scheduler import job, poller

from . import notify
from .actions import (
    appeal_close_unanswered,
    due_submissions,
    submission_register,
    submission_registration_failed,
    submissions_register_pending,
    timeline,
)
from .models import Assignment
from .selectors import unanswered_callbacks

log = logging.getLogger(__name__)

OPEN = [Assignment.State.DISPATCHED, Assignment.State.HANDLING]
BATCH = 200
# The database went away (restart, fail-over): nothing to hold against a row.
OUTAGE = (InterfaceError, OperationalError)


@poller(name="appeals.register_submissions")
def register_submissions() -> int:
    """Register what intake received (接诉 → 登记), oldest first, a batch at a
    time. A batch that fails is registered one by one, so one bad submission
    stays pending (and is tried again later) without holding up the rest."""
    try:
        return submissions_register_pending(limit=BATCH)
    except OUTAGE:
        raise  # not the submissions' fault: the worker waits for the database
    except Exception:
        log.warning("a batch of submissions failed; registering them one by one")
    registered = 0
    pending = due_submissions().only("pk", "attempts")[:BATCH]
    for submission in pending:
        try:
            registered += submission_register(submission) is not None
        except OUTAGE:
            raise
        except Exception:
            log.exception("submission %s could not be registered", submission.pk)
            submission_registration_failed(submission, traceback.format_exc())
    return registered


def _mark(
    assignment: Assignment,
    field: str,
    action: str,
    event: str | None,
    states: tuple[str, ...] = tuple(OPEN),
) -> bool:
    now = clock.now()
    with transaction.atomic():
        # Claimed only in the states it was read in: a share signed since
        # is not late to sign.
        claimed = Assignment.objects.filter(
            pk=assignment.pk, state__in=states, **{f"{field}__isnull": True}
        ).update(**{field: now})
        if claimed != 1:
            return False
        setattr(assignment, field, now)
        timeline.write(
            assignment.appeal,
            action,
            assignment=assignment,
            data={
                "unit": str(assignment.unit),
                "due_at": assignment.due_at.isoformat(),
            },
        )
        if event:
            notify.unit(assignment, event, dedupe=True)
    return True


def sweep_deadlines() -> dict[str, int]:
    now = clock.now()
    counts = {"warned": 0, "overdue": 0, "late_to_sign": 0, "closed_unanswered": 0}
    base = Assignment.objects.select_related("appeal", "area", "department")
    for assignment in base.filter(
        state__in=OPEN, warned_at__isnull=True, warn_at__lte=now, due_at__gt=now
    )[:BATCH]:
        counts["warned"] += _mark(
            assignment, "warned_at", "due_soon", "appeal.due_soon"
        )
    for assignment in base.filter(
        state__in=OPEN, overdue_at__isnull=True, due_at__lte=now
    )[:BATCH]:
        counts["overdue"] += _mark(
            assignment, "overdue_at", "overdue", "appeal.overdue"
        )
    for assignment in base.filter(
        state=Assignment.State.DISPATCHED,
        response_overdue_at__isnull=True,
        response_due_at__lte=now,
    )[:BATCH]:
        counts["late_to_sign"] += _mark(
            assignment,
            "response_overdue_at",
            "late_to_sign",
            None,
            states=(Assignment.State.DISPATCHED,),
        )
    for appeal in unanswered_callbacks(
        older_than=timedelta(days=settings.CIVICGRID_CALLBACK_DAYS)
    )[:BATCH]:
        try:
            appeal_close_unanswered(appeal=appeal)
        except DomainError:  # another worker, or the resident, got there first
            continue
        counts["closed_unanswered"] += 1
    return counts


@job(name="appeals.sweep_deadlines", every=timedelta(seconds=30))
def sweep_deadlines_job() -> dict[str, int] | None:
    counts = sweep_deadlines()
    return counts if any(counts.values()) else None
