"""Writes about users and their memberships."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicgrid.core.errors import DomainError

from .models import DEPARTMENT_ROLES, ROLE_AREA_LEVELS, UNSCOPED_ROLES, Membership, User


def membership_validate(*, membership: Membership) -> None:
    """The unit must fit the role: a grid worker holds grids, a handler a department…"""
    role = membership.role
    if role in DEPARTMENT_ROLES:
        if membership.department_id is None or membership.area_id is not None:
            raise DomainError(
                _("A department handler belongs to a department."), field="department"
            )
        return
    if role in UNSCOPED_ROLES:
        if membership.department_id is not None or membership.area_id is not None:
            raise DomainError(_("This role is not held in a unit."), field="area")
        return
    levels = ROLE_AREA_LEVELS.get(role)
    if levels is None:
        raise DomainError(_("Choose a role."), field="role")
    if membership.department_id is not None:
        raise DomainError(
            _("This role is held in an area, not a department."), field="department"
        )
    if membership.area is None or membership.area.level not in levels:
        from civicgrid.org.models import Area

        names = ", ".join(str(Area.Level(level).label) for level in levels)
        raise DomainError(
            _("%(role)s is held in an area of level: %(levels)s.")
            % {"role": membership.get_role_display(), "levels": names},
            field="area",
        )


def membership_add(
    *,
    user: User,
    role: str,
    acting_user: Any,
    area: Any = None,
    department: Any = None,
) -> Membership:
    membership = Membership(user=user, role=role, area=area, department=department)
    membership_validate(membership=membership)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise DomainError(
            _("%(user)s already holds this role there.") % {"user": user}
        ) from exc
    return membership


def user_set_language(*, user: User, language: str) -> None:
    from django.conf import settings

    if language and language not in dict(settings.LANGUAGES):
        raise DomainError(_("Unknown language."), field="language")
    user.language = language
    user.save(update_fields=["language"])
