"""Housekeeping of the API's own records."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from civicgrid.core import clock

from .models import ApiClientUse, IdempotentRequest


def forget_old_requests() -> int:
    """Idempotency records hold a copy of each answer — what the appeal looked
    like then, staff notes included; a retry comes within minutes, so after
    ``CIVICGRID_IDEMPOTENCY_KEEP_HOURS`` they go. The use log is kept for
    ``CIVICGRID_API_LOG_KEEP_DAYS``. Returns how many rows went."""
    now = clock.now()
    keep = timedelta(hours=settings.CIVICGRID_IDEMPOTENCY_KEEP_HOURS)
    answers, _by_model = IdempotentRequest.objects.filter(
        created_at__lt=now - keep
    ).delete()
    log_keep = timedelta(days=settings.CIVICGRID_API_LOG_KEEP_DAYS)
    uses, _by_model = ApiClientUse.objects.filter(at__lt=now - log_keep).delete()
    return answers + uses
