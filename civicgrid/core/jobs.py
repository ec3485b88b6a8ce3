from datetime import timedelta

from django.contrib.sessions.models import Session

from . import clock
from .scheduler import job


@job(name="core.clear_expired_sessions", every=timedelta(hours=1))
def clear_expired_sessions() -> int:
    """Expired staff sessions are removed, as ``clearsessions`` would."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=clock.now()).delete()
    return deleted
