"""Who may administer what. A street's own administrator (an ``admin`` membership
on the street) manages the areas, departments and users of that street only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import Membership, Role


def administered_paths(user: Any) -> list[str] | None:
    """Area paths the user administers; None means everything (a superuser)."""
    if user.is_superuser:
        return None
    return list(
        Membership.objects.filter(user=user, role=Role.ADMIN).values_list(
            "area__path", flat=True
        )
    )


def path_q(paths: list[str], field: str) -> Q:
    """Objects whose ``field`` (an area path) lies under one of ``paths``;
    nothing at all when ``paths`` is empty."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition
