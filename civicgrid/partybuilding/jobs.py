"""Party building's share of the worker: claims past their days return their
wishes to the wall."""

from __future__ import annotations

from datetime import timedelta

from civicgrid.core.scheduler import job

from .actions import expire_claims


@job(name="partybuilding.expire_claims", every=timedelta(minutes=30))
def expire_wish_claims() -> int | None:
    return expire_claims() or None
