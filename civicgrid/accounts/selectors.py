"""Reads about users and what they may do."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Membership


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
