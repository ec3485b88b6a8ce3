"""Draining the outbox: claim due rows, send each outside any transaction, and
record the outcome.

Any number of workers may drain at once. A row is claimed by compare-and-set on
what the worker saw (state, attempts, claim), so one claim wins; on PostgreSQL
``SKIP LOCKED`` also keeps workers from queueing behind each other's rows. A claim
lasts ``CIVICGRID_NOTIFY_CLAIM_SECONDS`` and is renewed just before each send, so a
row whose worker died is taken over, and a slow batch is not sent twice.
Delivery is therefore at least once: a worker that dies between sending and
recording repeats that one message.
"""

from __future__ import annotations

import importlib
import logging
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from civicgrid.core import clock

from .masking import redact
from .models import Notification

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=6)


class Candidate(NamedTuple):
    """What a worker saw of a due row; the claim succeeds only if it still holds."""

    pk: int
    state: str
    attempts: int
    claimed_until: datetime | None


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 30 s, 1 min, 2 min, … at most 6 h."""
    if attempts <= 0:
        return timedelta(0)
    return min(BACKOFF_BASE * 2 ** min(attempts - 1, 20), BACKOFF_CAP)


def _lease() -> timedelta:
    return timedelta(seconds=settings.CIVICGRID_NOTIFY_CLAIM_SECONDS)


def _due(now: datetime) -> Q:
    return Q(state=Notification.State.PENDING, next_attempt_at__lte=now) | Q(
        state=Notification.State.SENDING, claimed_until__lt=now
    )


def due_candidates(*, batch: int, now: datetime) -> list[Candidate]:
    """Due rows, oldest first. Call inside a transaction when locking (PostgreSQL)."""
    queryset = Notification.objects.filter(_due(now)).order_by("next_attempt_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    return [
        Candidate(*row)
        for row in queryset.values_list("pk", "state", "attempts", "claimed_until")[
            :batch
        ]
    ]


def claim(candidate: Candidate, worker_id: str, *, now: datetime) -> bool:
    """Take the row if nobody changed it since ``candidate`` was read."""
    return (
        Notification.objects.filter(
            pk=candidate.pk,
            state=candidate.state,
            attempts=candidate.attempts,
            claimed_until=candidate.claimed_until,
        ).update(
            state=Notification.State.SENDING,
            claimed_by=worker_id,
            claimed_until=now + _lease(),
        )
        == 1
    )


def claim_due(worker_id: str, *, batch: int = 50) -> list[Notification]:
    """Claim up to ``batch`` due rows in one short transaction."""
    now = clock.now()
    with transaction.atomic():
        claimed = [
            candidate.pk
            for candidate in due_candidates(batch=batch, now=now)
            if claim(candidate, worker_id, now=now)
        ]
    return list(
        Notification.objects.filter(pk__in=claimed).order_by("next_attempt_at", "pk")
    )


def _mine(notification: Notification, worker_id: str) -> Q:
    return Q(pk=notification.pk, state=Notification.State.SENDING, claimed_by=worker_id)


def _transport_send(notification: Notification) -> None:
    module = importlib.import_module(
        f"civicgrid.notifications.channels.{notification.channel}.transport"
    )
    module.send(notification)


def _describe(exc: Exception, notification: Notification) -> str:
    """The error for ``last_error`` and the log, without the recipient."""
    text = f"{type(exc).__name__}: {exc}"
    return redact(text, notification.recipient)[:1000]


def deliver(notification: Notification, worker_id: str) -> bool:
    """Send one claimed row and record the outcome; True when it went out."""
    # Renew the claim first: if it lapsed and another worker took the row over,
    # that worker sends it, not us.
    renewed = Notification.objects.filter(_mine(notification, worker_id)).update(
        claimed_until=clock.now() + _lease()
    )
    if renewed != 1:
        return False
    try:
        _transport_send(notification)
    except Exception as exc:
        _record_failure(notification, worker_id, _describe(exc, notification))
        return False
    recorded = Notification.objects.filter(_mine(notification, worker_id)).update(
        state=Notification.State.SENT,
        sent_at=clock.now(),
        claimed_until=None,
        attempts=notification.attempts + 1,
        last_error="",
    )
    if recorded != 1:
        log.warning(
            "notification %s was sent after its claim lapsed; it may go out twice",
            notification.pk,
        )
    return True


def _record_failure(notification: Notification, worker_id: str, error: str) -> None:
    attempts = notification.attempts + 1
    dead = attempts >= settings.CIVICGRID_NOTIFY_MAX_ATTEMPTS
    now = clock.now()
    Notification.objects.filter(_mine(notification, worker_id)).update(
        state=Notification.State.DEAD if dead else Notification.State.PENDING,
        attempts=attempts,
        last_error=error,
        next_attempt_at=now if dead else now + backoff(attempts),
        claimed_until=None,
    )
    log.log(
        logging.ERROR if dead else logging.WARNING,
        "notification %s %s by %s failed (attempt %d%s): %s",
        notification.pk,
        notification.event,
        notification.channel,
        attempts,
        ", giving up" if dead else "",
        error,
    )


def drain(worker_id: str, *, batch: int = 50) -> int:
    """Send what is due, at most ``batch`` rows; return how many went out."""
    return sum(
        deliver(notification, worker_id)
        for notification in claim_due(worker_id, batch=batch)
    )
