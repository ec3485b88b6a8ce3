"""The discipline channel's share of the worker: steps past their statutory
deadlines alert the head of the body's reports office."""

from __future__ import annotations

from datetime import timedelta

from civicgrid.core.scheduler import job

from .actions import alerts_sweep


@job(name="discipline.alerts", every=timedelta(minutes=15))
def discipline_alerts() -> int | None:
    return alerts_sweep() or None
