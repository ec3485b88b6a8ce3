"""Who reads which figures: a street's leaders, dispatchers, operators and
administrators its overview and every unit serving it; a department's
handlers their department's page. Anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from civicgrid.accounts.models import Membership, Role
from civicgrid.org.models import Area, Department
from civicgrid.whistles.actions import streets_for_dispatcher

OVERSEERS = (Role.LEADER, Role.DISPATCHER, Role.OPERATOR, Role.ADMIN)


def streets_overseen(user: Any) -> QuerySet[Area]:
    return streets_for_dispatcher(user, roles=OVERSEERS).order_by("code")


def handles_for(user: Any, department: Department) -> bool:
    """The department's own handlers (and superusers): its whole page."""
    return (
        bool(user.is_superuser)
        or Membership.objects.filter(
            user=user, role=Role.DEPARTMENT_HANDLER, department=department
        ).exists()
    )


def may_see_area(user: Any, area: Area) -> bool:
    """A community's page: its staff and leaders, and the street's overseers;
    a grid's: its grid workers too."""
    parts = area.path.rstrip("/").split("/")
    street_path = "/".join(parts[: -2 if area.level == Area.Level.GRID else -1]) + "/"
    if user.is_superuser or streets_overseen(user).filter(path=street_path).exists():
        return True
    held = Membership.objects.filter(user=user)
    community = area if area.level == Area.Level.COMMUNITY else area.parent
    if held.filter(
        role__in=(Role.COMMUNITY_STAFF, Role.LEADER), area=community
    ).exists():
        return True
    return (
        area.level == Area.Level.GRID
        and held.filter(role=Role.GRID_WORKER, area=area).exists()
    )
