from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from civicgrid.core import clock
from civicgrid.core.scheduler import registered_jobs, run_due_jobs
from civicgrid.notifications.actions import notify
from civicgrid.notifications.models import Notification
from civicgrid.notifications.outbox import (
    backoff,
    claim,
    claim_due,
    deliver,
    drain,
    due_candidates,
)

from .conftest import PHONE, Gateway

FROZEN = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def queue(channel: str = "console") -> Notification:
    notification = notify(
        event="appeal.closed",
        channel=channel,
        recipient=PHONE,
        context={"tracking_code": "DG20261123-0001"},
    )
    assert notification is not None
    return notification


def console_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.endswith(".console")]


def test_backoff_doubles_from_30_seconds_and_stops_at_6_hours():
    assert [backoff(n).total_seconds() for n in range(1, 6)] == [30, 60, 120, 240, 480]
    assert backoff(11) == timedelta(hours=6)
    assert backoff(1000) == timedelta(hours=6)


def test_a_failing_gateway_is_retried_with_backoff_then_given_up(
    db, settings, gateway: Gateway
):
    gateway.status = 500
    settings.CIVICGRID_SMS_URL = gateway.url
    with time_machine.travel(FROZEN, tick=False) as traveller:
        notification = queue("sms")
        waits = []
        for attempt in range(1, 9):
            assert drain("worker-a") == 0
            assert len(gateway.requests) == attempt
            notification.refresh_from_db()
            assert notification.attempts == attempt
            assert notification.last_error == "DeliveryError: HTTP 500"
            if attempt == 8:
                break
            assert notification.state == Notification.State.PENDING
            wait = notification.next_attempt_at - clock.now()
            waits.append(wait.total_seconds())
            traveller.shift(wait - timedelta(seconds=1))
            assert drain("worker-a") == 0
            assert len(gateway.requests) == attempt, "not due yet"
            traveller.shift(timedelta(seconds=1))

        assert waits == [30, 60, 120, 240, 480, 960, 1920]
        assert notification.state == Notification.State.DEAD
        assert PHONE not in notification.last_error
        traveller.shift(timedelta(days=1))
        assert drain("worker-a") == 0
        assert len(gateway.requests) == 8


def test_a_gateway_that_recovers_gets_the_message_on_the_retry(
    db, settings, gateway: Gateway
):
    gateway.status = 503
    settings.CIVICGRID_SMS_URL = gateway.url
    with time_machine.travel(FROZEN, tick=False) as traveller:
        notification = queue("sms")
        assert drain("worker-a") == 0
        gateway.status = 200
        traveller.shift(timedelta(seconds=30))
        assert drain("worker-a") == 1

    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert notification.sent_at == FROZEN + timedelta(seconds=30)
    assert notification.attempts == 2
    assert notification.last_error == ""


def test_max_attempts_is_a_setting(db, settings):
    settings.CIVICGRID_SMS_URL = ""
    settings.CIVICGRID_NOTIFY_MAX_ATTEMPTS = 1
    notification = queue("sms")

    drain("worker-a")

    notification.refresh_from_db()
    assert notification.state == Notification.State.DEAD
    assert notification.attempts == 1


def test_two_workers_claiming_the_same_row_send_it_once(db, caplog):
    caplog.set_level("INFO", logger="civicgrid.notifications")
    notification = queue()
    now = clock.now()
    # Both workers read the row before either claims it.
    [seen_by_a] = due_candidates(batch=10, now=now)
    [seen_by_b] = due_candidates(batch=10, now=now)

    assert claim(seen_by_a, "worker-a", now=now)
    assert not claim(seen_by_b, "worker-b", now=now)
    assert drain("worker-b") == 0
    assert deliver(Notification.objects.get(pk=notification.pk), "worker-a")
    assert drain("worker-b") == 0

    assert len(console_lines(caplog)) == 1
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert notification.claimed_by == "worker-a"


def test_two_drains_in_a_row_send_each_message_once(db, caplog):
    caplog.set_level("INFO", logger="civicgrid.notifications")
    queue()
    queue()

    assert drain("worker-a") == 2
    assert drain("worker-b") == 0
    assert len(console_lines(caplog)) == 2


def test_a_row_left_by_a_dead_worker_is_taken_over_when_its_claim_lapses(
    db, settings, caplog
):
    caplog.set_level("INFO", logger="civicgrid.notifications")
    settings.CIVICGRID_NOTIFY_CLAIM_SECONDS = 120
    with time_machine.travel(FROZEN, tick=False) as traveller:
        notification = queue()
        [claimed] = claim_due("worker-a")  # … and worker-a dies before sending
        assert drain("worker-b") == 0
        traveller.shift(timedelta(seconds=121))
        assert drain("worker-b") == 1
        # worker-a wakes up: its claim is gone, it does not send again.
        assert not deliver(claimed, "worker-a")

    assert len(console_lines(caplog)) == 1
    notification.refresh_from_db()
    assert notification.claimed_by == "worker-b"


def test_drain_takes_at_most_a_batch_oldest_first(db):
    with time_machine.travel(FROZEN, tick=False) as traveller:
        first = queue()
        traveller.shift(timedelta(seconds=1))
        queue()
        traveller.shift(timedelta(seconds=1))
        queue()

        assert drain("worker-a", batch=1) == 1
        first.refresh_from_db()
        assert first.state == Notification.State.SENT
        assert drain("worker-a", batch=5) == 2


def test_the_worker_job_drains_the_outbox(db, caplog):
    caplog.set_level("INFO", logger="civicgrid.notifications")
    assert "notifications.drain_outbox" in registered_jobs()
    queue()

    assert "notifications.drain_outbox" in run_due_jobs("worker-a")

    assert len(console_lines(caplog)) == 1
    assert Notification.objects.get().state == Notification.State.SENT
