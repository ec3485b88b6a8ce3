"""Small database helpers shared by the apps' actions."""

from __future__ import annotations

from django.conf import settings
from django.db import OperationalError, connection


def limit_lock_wait() -> None:
    """Inside a transaction: a duplicate that arrives while the first attempt's
    transaction is still open waits for it at most
    CIVICGRID_IDEMPOTENCY_WAIT_SECONDS, then fails with a lock time-out that
    :func:`lock_timed_out` recognises (PostgreSQL; SQLite runs one writer at a
    time, so the duplicate finds the first one done)."""
    if connection.vendor == "postgresql":
        milliseconds = int(settings.CIVICGRID_IDEMPOTENCY_WAIT_SECONDS * 1000)
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {milliseconds}")


def lock_timed_out(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", "") == "55P03"  # lock_not_available


def restore_lock_wait() -> None:
    """Back to the server's own lock wait for the rest of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = DEFAULT")
