"""Who may administer what. A street's own administrator (an ``admin`` membership
on the street) manages the areas, departments and people of that street only; a
superuser manages everything. ``acting_user=None`` is the system itself (commands,
the demo seed)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from civicgrid.core.errors import PermissionDeniedError

from .models import Membership, Role, User


def administered_paths(user: Any) -> list[str] | None:
    """Area paths the user administers; None means everything (a superuser)."""
    if user is None or user.is_superuser:
        return None
    if not user.is_authenticated:
        return []
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


def _under(path: str, paths: list[str] | None) -> bool:
    return paths is None or any(path.startswith(p) for p in paths)


def administers_area(user: Any, area: Any) -> bool:
    """Superusers (and the system) administer everything, top-level areas
    included; anyone else only what lies under their own areas."""
    paths = administered_paths(user)
    if paths is None:
        return True
    return area is not None and _under(area.path, paths)


def users_administered_by(user: Any) -> QuerySet[User]:
    """People an administrator may manage: not superusers, with every membership
    inside the administered areas (at least one), or created by this
    administrator and not yet placed anywhere. Holding one post in a street does
    not hand the whole account to that street's administrator."""
    paths = administered_paths(user)
    if paths is None:
        return User.objects.all()
    inside = path_q(paths, "area__path") | path_q(paths, "department__area__path")
    return (
        User.objects.filter(is_superuser=False)
        .filter(
            Q(pk__in=Membership.objects.filter(inside).values("user_id"))
            | Q(created_by=user, memberships__isnull=True)
        )
        .exclude(pk__in=Membership.objects.exclude(inside).values("user_id"))
        .distinct()
    )


def require_area_admin(user: Any, area: Any) -> None:
    if not administers_area(user, area):
        raise PermissionDeniedError(_("You do not administer this area."))


def require_user_admin(acting_user: Any, user: User) -> None:
    if acting_user is None or acting_user.is_superuser:
        return
    if not users_administered_by(acting_user).filter(pk=user.pk).exists():
        raise PermissionDeniedError(_("You do not administer this person."))
