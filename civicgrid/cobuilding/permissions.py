"""Who may do what on the three lists, on the one access module:

- the street's dispatchers, leaders and administrator keep the street's lists
  (raise problems, add resources, start and complete projects); a
  community's staff keep those of their community;
- a project's owner writes its progress and milestones;
- a unit registered to a community (双报到, its contact) reads that
  community's lists and pledges its own resources;
- every member of staff reads the lists of the areas their roles reach
  (a grid worker the street's and their grid's);
- everyone else: nothing (404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.core.errors import PermissionDeniedError
from civicgrid.partybuilding import permissions as pb_permissions
from civicgrid.partybuilding.models import Registration

KEEPERS = (Role.COMMUNITY_STAFF, Role.DISPATCHER, Role.LEADER, Role.ADMIN)
LEADERS = (Role.LEADER,)
READERS = (Role.GRID_WORKER, *KEEPERS)


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDeniedError(message or _("You may not do this."))


def may_keep(user: Any, area: Any) -> bool:
    """Keep the lists of ``area``: raise, add, start, complete."""
    return access.holds_role_over(user, area, KEEPERS)


def require_keeper(user: Any, area: Any) -> None:
    """Refuse who does not keep the lists of ``area``, naming it."""
    require(
        may_keep(user, area),
        _("You do not keep the lists of %(area)s.") % {"area": area.name},
    )


def may_keep_somewhere(user: Any) -> bool:
    return getattr(user, "is_superuser", False) or bool(access.held(user, KEEPERS))


def may_report(user: Any, project: Any) -> bool:
    """Write a project's progress and milestones: its owner or a keeper."""
    return project.owner_id == getattr(user, "pk", None) or may_keep(
        user, project.problem.area
    )


def may_pledge(user: Any, resource: Any) -> bool:
    """Pledge a resource: a keeper of its area, or the contact of the unit
    that offers it."""
    if may_keep(user, resource.area):
        return True
    unit = resource.unit if resource.unit_id else None
    return (
        unit is not None
        and unit.state == Registration.CONFIRMED
        and unit.contact_id == getattr(user, "pk", None)
    )


def unit_paths(user: Any) -> list[str]:
    """The communities the user's confirmed units are registered to."""
    return [u.community.path for u in pb_permissions.units_of(user)]


def read_q(user: Any, field: str = "area__path") -> Q:
    """Items whose area (``field``, a path) the user reads: under or above
    an area their staff roles hold, or a community their unit is registered
    to."""
    if getattr(user, "is_superuser", False):
        return Q()
    condition = access.reaching_q(user, READERS, field)
    for path in unit_paths(user):
        condition |= Q(**{f"{field}__startswith": path}) | Q(
            **{f"{field}__in": access.ancestor_paths(path)}
        )
    return condition


def is_reader(user: Any) -> bool:
    """Reads some list (the pages' 404 for everyone else)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        getattr(user, "is_superuser", False)
        or bool(access.held(user, READERS))
        or bool(pb_permissions.units_of(user))
    )


def may_assign_contracts(user: Any, street: Any) -> bool:
    """Assign the street's leaders their communities and grids (分包)."""
    return access.holds_role_over(user, street, (Role.ADMIN,))
