"""The worker's share of the appeal loop: it registers what intake received, and —
deadlines being data — warns units before the due time, marks what is overdue,
and closes replies nobody rated. The work is the actions' (intake's registration,
``deadlines_sweep``, ``callbacks_close_unanswered``); each mark is a
compare-and-set on the row, so several workers never mark (or notify) the same
thing twice."""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta

from django.db import InterfaceError, OperationalError

from civicgrid.core.scheduler import job, poller

from .actions import (
    callbacks_close_unanswered,
    deadlines_sweep,
    due_submissions,
    submission_register,
    submission_registration_failed,
    submissions_register_pending,
)

log = logging.getLogger(__name__)

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


def sweep_deadlines() -> dict[str, int]:
    """A batch of each: shares to warn, overdue, late to sign; replies to close."""
    counts = deadlines_sweep(limit=BATCH)
    counts["closed_unanswered"] = callbacks_close_unanswered(limit=BATCH)
    return counts


@job(name="appeals.sweep_deadlines", every=timedelta(seconds=30))
def sweep_deadlines_job() -> dict[str, int] | None:
    counts = sweep_deadlines()
    return counts if any(counts.values()) else None
