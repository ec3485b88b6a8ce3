from datetime import timedelta

from civicgrid.core.scheduler import job, worker_identity

from .outbox import drain


@job(name="notifications.drain_outbox", every=timedelta(seconds=2))
def drain_outbox() -> int:
    """Messages leave within seconds of their transaction's commit."""
    return drain(worker_identity())
