from datetime import timedelta

from civicgrid.core.scheduler import job

from .actions import escalate_missing_check_ins


@job(name="whistles.escalate_missing_check_ins", every=timedelta(seconds=30))
def escalate_job() -> int:
    return escalate_missing_check_ins()
