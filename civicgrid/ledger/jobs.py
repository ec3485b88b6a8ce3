"""The ledger's share of the worker: patrols left open are ended."""

from __future__ import annotations

from datetime import timedelta

from civicgrid.core.scheduler import job

from .actions.patrol import patrols_end_forgotten


@job(name="ledger.end_forgotten_patrols", every=timedelta(minutes=10))
def end_forgotten_patrols() -> int | None:
    return patrols_end_forgotten() or None
