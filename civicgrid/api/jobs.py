from datetime import timedelta

from civicgrid.core.scheduler import job

from .actions import forget_old_requests


@job(name="api.forget_old_requests", every=timedelta(hours=1))
def forget_job() -> int:
    return forget_old_requests()
