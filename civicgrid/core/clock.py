"""The one place that asks what time it is, so tests can freeze it (time-machine)
and a seed of past history can write each step at its own time (``at``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_moment: ContextVar[datetime | None] = ContextVar("civicgrid_clock", default=None)


def now() -> datetime:
    return _moment.get() or timezone.now()


def today() -> date:
    """The local date (the street's time zone) at :func:`now`."""
    return timezone.localdate(now())


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Within the block, it is ``moment`` (an aware datetime) for everything
    that asks this clock: the timeline, the deadlines, the rates' facts. For
    writing past history through the real actions (the demo's year); never
    for serving requests."""
    if timezone.is_naive(moment):
        raise ValueError("clock.at needs an aware datetime")
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)
