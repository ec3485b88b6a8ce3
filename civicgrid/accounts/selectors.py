"""Reads about users and what they may do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.crypto import constant_time_compare

from civicgrid.core import clock

from .models import DeviceToken, Membership


def memberships_for(user: Any) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("area", "department", "department__area")
        .order_by("role", "area__path", "department__code")
    )


def roles_of(user: Any) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


def _idle_limit() -> Any:
    return clock.now() - timedelta(days=settings.CIVICGRID_TOKEN_IDLE_DAYS)


def live_devices(user: Any) -> QuerySet[DeviceToken]:
    """The devices ``user`` is signed in on, most recently used first: not
    expired, not idle too long, issued under the current password."""
    if not user.is_authenticated or not user.is_active:
        return DeviceToken.objects.none()
    return DeviceToken.objects.filter(
        user=user,
        credential=user.get_session_auth_hash(),
        expires_at__gt=clock.now(),
        last_used_at__gt=_idle_limit(),
    )


def device_is_live(device: DeviceToken) -> bool:
    user = device.user
    return (
        user.is_active
        and constant_time_compare(device.credential, user.get_session_auth_hash())
        and device.expires_at > clock.now()
        and device.last_used_at > _idle_limit()
    )


def device_get_for_user(user: Any, pk: int) -> DeviceToken:
    """One of ``user``'s live devices; another person's is DoesNotExist."""
    return live_devices(user).get(pk=pk)
