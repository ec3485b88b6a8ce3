"""Who may do what to a whistle. The answers about roles and areas come from
:mod:`civicgrid.accounts.access`; this module states the whistles' own rules on
top of them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.org.models import Area, Department
from civicgrid.org.selectors import departments_serving, streets_held


def streets_for_dispatcher(
    user: Any, roles: tuple[str, ...] = (Role.DISPATCHER,)
) -> QuerySet[Area]:
    """The streets on which the user may blow the whistle (or, with other
    ``roles``, whose whistles they oversee)."""
    return streets_held(user, roles)


def is_dispatcher_for(user: Any, street: Area) -> bool:
    return access.holds_role_over(user, street, (Role.DISPATCHER,))


def may_blow(user: Any, street: Area) -> bool:
    """The street's dispatchers; and, where the street allows it
    (CIVICGRID_WHISTLE_BLOWERS), its communities' staff and the handlers of the
    departments serving it."""
    if is_dispatcher_for(user, street):
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    allowed = set(settings.CIVICGRID_WHISTLE_BLOWERS)
    if "community_staff" in allowed and access.holds_role_within(
        user, street, (Role.COMMUNITY_STAFF,)
    ):
        return True
    if "department_handler" in allowed:
        return (
            departments_serving(street)
            .filter(pk__in=access.handled_department_ids(user))
            .exists()
        )
    return False


def streets_for_blower(user: Any) -> list[Area]:
    return [
        street
        for street in Area.objects.filter(level=Area.Level.STREET, is_active=True)
        if may_blow(user, street)
    ]


def handles(user: Any, department: Department) -> bool:
    """A handler of the department: reports in and works its share."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return access.handles_department(user, department)
