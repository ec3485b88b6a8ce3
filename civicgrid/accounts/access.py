"""Who holds which role over which area — the one place that answers it.

Every rule of the form "a dispatcher of this street", "a leader above this
community", "a handler of this department" or "an administrator of this area"
is answered here, for one object (``holds_role_over``) and as a ``Q`` for
querysets (``over_q``). Each app's ``permissions.py`` states only its domain
rules on top of these answers, so that nothing outside this module and those
rules grants access.

Areas are a tree of paths (``'540100/540103/001/'``): a role held on an area
covers that area and everything under it. This module reads memberships and
area paths only; it imports no area model, so ``org`` sits above ``accounts``.
``acting_user=None`` is the system itself (commands, the demo seed, jobs).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q, QuerySet

from .models import Membership, Role, User

# Area levels at or above a street: a role held there covers whole streets.
STREET_AND_ABOVE = ("city", "district", "street")


def ancestor_paths(path: str) -> list[str]:
    """The paths from the root down to ``path`` itself:
    '540100/540103/' → ['540100/', '540100/540103/']."""
    codes = [code for code in path.split("/") if code]
    return ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def path_q(paths: Iterable[str], field: str) -> Q:
    """Objects whose ``field`` (an area path) lies under one of ``paths``;
    nothing at all when ``paths`` is empty."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


def memberships(user: Any) -> list[Membership]:
    """The user's memberships with their areas, read once per user object (a
    request's user lives for one request). Nobody's for a resident holding a
    tracking code, or for the system."""
    if not _signed_in(user):
        return []
    cache = getattr(user, "_civicgrid_memberships", None)
    if cache is None:
        cache = list(
            Membership.objects.filter(user=user).select_related("area", "department")
        )
        user._civicgrid_memberships = cache
    return cache


def forget_memberships(user: Any) -> None:
    """Drop the cached memberships (after the user's memberships changed)."""
    if user is not None and hasattr(user, "_civicgrid_memberships"):
        del user._civicgrid_memberships


def held(
    user: Any, roles: Sequence[str], *, levels: Sequence[str] | None = None
) -> list[Membership]:
    """The user's area memberships in ``roles`` (held on an area of ``levels``)."""
    return [
        m
        for m in memberships(user)
        if m.role in roles
        and m.area is not None
        and (levels is None or m.area.level in levels)
    ]


def held_paths(
    user: Any, roles: Sequence[str], *, levels: Sequence[str] | None = None
) -> list[str]:
    """Paths of the areas on which the user holds one of ``roles``."""
    return [m.area.path for m in held(user, roles, levels=levels) if m.area]


def holds_role_over(user: Any, area: Any, roles: Sequence[str]) -> bool:
    """The user holds one of ``roles`` on ``area`` or an area above it.
    Superusers hold every role everywhere."""
    if _superuser(user):
        return True
    if area is None:
        return False
    return any(area.path.startswith(path) for path in held_paths(user, roles))


def holds_role_within(user: Any, area: Any, roles: Sequence[str]) -> bool:
    """The user holds one of ``roles`` on ``area`` or an area below it (the
    staff of one of a street's communities, a grid worker of one of its grids)."""
    if _superuser(user):
        return True
    if area is None:
        return False
    return any(path.startswith(area.path) for path in held_paths(user, roles))


def holds_role_on(user: Any, area: Any, roles: Sequence[str]) -> bool:
    """The user holds one of ``roles`` on exactly ``area``."""
    return area is not None and any(m.area_id == area.pk for m in held(user, roles))


def over_q(
    user: Any,
    roles: Sequence[str],
    field: str,
    *,
    levels: Sequence[str] | None = None,
) -> Q:
    """Objects whose ``field`` (an area path) lies under an area on which the
    user holds one of ``roles``; nothing for a user who holds none."""
    return path_q(held_paths(user, roles, levels=levels), field)


def reaching_q(user: Any, roles: Sequence[str], field: str) -> Q:
    """Areas (at ``field``, a path) the user's ``roles`` reach in either
    direction: under a held area, or above it (the street above a grid worker's
    grid; the departments anchored on the district above a street)."""
    condition = Q(pk__in=[])
    for path in held_paths(user, roles):
        condition |= Q(**{f"{field}__startswith": path}) | Q(
            **{f"{field}__in": ancestor_paths(path)}
        )
    return condition


# --- departments ------------------------------------------------------------------


def handled_department_ids(user: Any) -> set[int]:
    """The departments whose handler the user is."""
    return {
        m.department_id
        for m in memberships(user)
        if m.role == Role.DEPARTMENT_HANDLER and m.department_id is not None
    }


def handles_department(user: Any, department: Any) -> bool:
    """A handler of ``department`` (superusers handle every department)."""
    if _superuser(user):
        return True
    return department is not None and department.pk in handled_department_ids(user)


# Roles that work for a grid or a community as its own unit.
AREA_UNIT_ROLES = (Role.GRID_WORKER, Role.COMMUNITY_STAFF)


def acts_for_unit(user: Any, *, department_id: Any, area_id: Any) -> bool:
    """A member of the handling unit: the department's handlers, or the grid's
    or community's own staff."""
    if _superuser(user):
        return True
    if department_id is not None:
        return department_id in handled_department_ids(user)
    return any(m.area_id == area_id for m in held(user, AREA_UNIT_ROLES))


def unit_q(user: Any, prefix: str = "") -> Q:
    """Rows (at ``prefix``) whose handling unit is one of the user's own: their
    departments, their grids and communities."""
    condition = Q(pk__in=[])
    for department_id in handled_department_ids(user):
        condition |= Q(**{f"{prefix}department_id": department_id})
    for m in held(user, AREA_UNIT_ROLES):
        condition |= Q(**{f"{prefix}area_id": m.area_id})
    return condition


# --- who to tell -----------------------------------------------------------------


def holders_over(area: Any, roles: Sequence[str]) -> QuerySet[User]:
    """Active people holding one of ``roles`` on ``area`` or an area above it."""
    return User.objects.filter(
        is_active=True,
        memberships__role__in=list(roles),
        memberships__area__path__in=ancestor_paths(area.path),
    ).distinct()


def holders_around(area: Any, roles: Sequence[str]) -> QuerySet[User]:
    """Active people holding one of ``roles`` on ``area``, above it or within
    it (who may own a community's project: its staff, the street's, its grid
    workers), in name order."""
    return (
        User.objects.filter(
            Q(memberships__area__path__in=ancestor_paths(area.path))
            | Q(memberships__area__path__startswith=area.path),
            is_active=True,
            memberships__role__in=list(roles),
        )
        .distinct()
        .order_by("full_name", "username")
    )


def holders_on(areas: Iterable[Any], roles: Sequence[str]) -> dict[Any, list[str]]:
    """``area id → the names of the active people holding one of ``roles`` on
    it`` (their full name, else their user name), in name order — one query for
    many areas, as a map of grids labels each with its workers."""
    names: dict[Any, list[str]] = {}
    for area_id, full_name, username in (
        Membership.objects.filter(
            role__in=list(roles), area__in=list(areas), user__is_active=True
        )
        .order_by("user__full_name", "user__username")
        .values_list("area_id", "user__full_name", "user__username")
    ):
        names.setdefault(area_id, []).append(full_name or username)
    return names


def unit_members(*, department_id: Any, area_id: Any) -> QuerySet[Membership]:
    """The memberships that make up a handling unit (see ``acts_for_unit``)."""
    if department_id is not None:
        return Membership.objects.filter(
            role=Role.DEPARTMENT_HANDLER, department_id=department_id
        )
    return Membership.objects.filter(role__in=AREA_UNIT_ROLES, area_id=area_id)


# --- administration -------------------------------------------------------------


def administered_paths(user: Any) -> list[str] | None:
    """Area paths the user administers; None means everything (a superuser,
    or the system)."""
    if user is None or _superuser(user):
        return None
    if not _signed_in(user):
        return []
    return list(
        Membership.objects.filter(user=user, role=Role.ADMIN).values_list(
            "area__path", flat=True
        )
    )


def administered_q(user: Any, field: str) -> Q:
    """Objects whose ``field`` (an area path) the user administers."""
    paths = administered_paths(user)
    return Q() if paths is None else path_q(paths, field)


def administers_area(user: Any, area: Any) -> bool:
    """Superusers (and the system) administer everything, top-level areas
    included; anyone else only what lies under their own areas."""
    paths = administered_paths(user)
    if paths is None:
        return True
    return area is not None and any(area.path.startswith(p) for p in paths)


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


def memberships_administered_q(user: Any) -> Q:
    """Memberships on an area (or a department anchored on one) the user
    administers."""
    paths = administered_paths(user)
    if paths is None:
        return Q()
    return path_q(paths, "area__path") | path_q(paths, "department__area__path")


def is_staff_member(user: Any) -> bool:
    """Anyone working for the street or a department (not a resident's or a
    volunteer's account): who may open the staff console."""
    return _superuser(user) or any(
        m.role not in (Role.RESIDENT, Role.VOLUNTEER) for m in memberships(user)
    )
