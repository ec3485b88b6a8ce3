"""Lock-out and slow-down of password guessing.

django-axes locks a username *from one address* (``AXES_LOCKOUT_PARAMETERS``):
five wrong passwords from anywhere no longer lock a member of staff out
everywhere, which made the lock-out a weapon. Against a guesser who rotates
addresses, the username alone is slowed down, not locked: once it has had
``CIVICGRID_LOGIN_SLOWDOWN_AFTER`` failures in the cool-off window from all
addresses together, its password is checked at most once every
``CIVICGRID_LOGIN_SLOWDOWN_SECONDS``. The person it belongs to waits seconds,
not hours. Both read axes' records (the audit: every failure with its time and
address, kept in the database, so every process and machine counts together).

Here also: django-axes's app under a name the admin can translate (the package
calls its app "Axes")."""

from __future__ import annotations

import math
from datetime import timedelta

from axes.apps import AppConfig
from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    verbose_name = _("Login lock-out")


def slowed_down_for(username: str) -> int:
    """Seconds before ``username``'s password may be tried again; 0: now. A
    refused try is not a failure, so it does not push the next one back."""
    if not username:
        return 0
    from axes.models import AccessFailureLog

    now = timezone.now()
    window = timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    seen = AccessFailureLog.objects.filter(
        username=username, attempt_time__gte=now - window
    ).aggregate(failures=Count("pk"), latest=Max("attempt_time"))
    if seen["failures"] < settings.CIVICGRID_LOGIN_SLOWDOWN_AFTER:
        return 0
    gap = timedelta(seconds=settings.CIVICGRID_LOGIN_SLOWDOWN_SECONDS)
    wait = (seen["latest"] + gap - now).total_seconds()
    return max(0, math.ceil(wait))
