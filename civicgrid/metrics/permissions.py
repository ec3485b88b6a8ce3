"""Who reads which figures: a street's leaders, dispatchers, operators and
administrators its overview and every unit serving it; a department's
handlers their department's page. Exclusion reviews (核减): the street's
dispatchers decide them, its leaders read the requests and decisions, a unit
reads its own. Anyone else gets 404. The answers about roles and areas come
from :mod:`civicgrid.accounts.access`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.org.models import Area, Department
from civicgrid.org.selectors import streets_held

from .models import Exclusion

OVERSEERS = (Role.LEADER, Role.DISPATCHER, Role.OPERATOR, Role.ADMIN)
# Who decides a street's exclusion requests (核减) and who publishes its periods.
DECIDERS = (Role.DISPATCHER,)
# Who read a street's exclusion requests and decisions (deciding none of them).
EXCLUSION_READERS = (Role.DISPATCHER, Role.LEADER)
PUBLISHERS = (Role.DISPATCHER, Role.LEADER)


def streets_overseen(user: Any) -> QuerySet[Area]:
    return streets_held(user, OVERSEERS).order_by("code")


def streets_deciding(user: Any) -> list[Area]:
    """The streets whose exclusion requests the user decides: a dispatcher's."""
    return list(streets_held(user, DECIDERS))


def exclusions_q(user: Any) -> Q | None:
    """The exclusion requests the user may read: every one on the streets
    where they decide or read them, and their own unit's (its department's,
    grid's or community's) anywhere. None for a user who may read none."""
    streets = list(streets_held(user, EXCLUSION_READERS))
    own_unit = bool(
        access.handled_department_ids(user) or access.held(user, access.AREA_UNIT_ROLES)
    )
    if not streets and not own_unit:
        return None
    scope = Q(assignment__appeal__street__in=streets)
    if own_unit:
        scope |= access.unit_q(user, "assignment__")
    return scope


def pending_exclusions_q(user: Any) -> Q:
    """Appeals with an exclusion request (核减) waiting for the user's decision:
    on the streets where they decide."""
    return Q(
        pk__in=Exclusion.objects.filter(
            state=Exclusion.State.PENDING,
            assignment__appeal__street__in=streets_held(user, DECIDERS),
        ).values("assignment__appeal_id")
    )


def may_publish(user: Any, street: Area) -> bool:
    return access.holds_role_over(user, street, PUBLISHERS)


def handles_for(user: Any, department: Department) -> bool:
    """The department's own handlers (and superusers): its whole page."""
    return access.handles_department(user, department)


def may_see_area(user: Any, area: Area) -> bool:
    """A community's page: its staff and leaders, and the street's overseers;
    a grid's: its grid workers too."""
    parts = area.path.rstrip("/").split("/")
    street_path = "/".join(parts[: -2 if area.level == Area.Level.GRID else -1]) + "/"
    if user.is_superuser or streets_overseen(user).filter(path=street_path).exists():
        return True
    community = area if area.level == Area.Level.COMMUNITY else area.parent
    if access.holds_role_on(user, community, (Role.COMMUNITY_STAFF, Role.LEADER)):
        return True
    return area.level == Area.Level.GRID and access.holds_role_on(
        user, area, (Role.GRID_WORKER,)
    )
