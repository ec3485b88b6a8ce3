from datetime import timedelta

from django.contrib.sessions.models import Session

from . import clock, pending
from .scheduler import job


@job(name="core.clear_expired_sessions", every=timedelta(hours=1))
def clear_expired_sessions() -> int:
    """Expired staff sessions are removed, as ``clearsessions`` would."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=clock.now()).delete()
    return deleted


@job(name="core.forget_pending_uploads", every=timedelta(hours=1))
def forget_pending_uploads() -> int:
    """Photos kept for a form that was never sent again go after a day."""
    return pending.forget_older_than(pending.MAX_AGE)
