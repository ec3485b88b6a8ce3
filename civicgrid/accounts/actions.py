"""Writes about users and their memberships."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicgrid.core.errors import ConflictError, DomainError

from .access import forget_memberships
from .models import DEPARTMENT_ROLES, ROLE_AREA_LEVELS, UNSCOPED_ROLES, Membership, User
from .permissions import require_area_admin, require_user_admin


def membership_validate(*, membership: Membership) -> None:
    """The unit must fit the role (a grid worker holds grids, a handler a
    department …) and the user must not hold the same role there already."""
    role = membership.role
    if role in DEPARTMENT_ROLES:
        if membership.department_id is None or membership.area_id is not None:
            raise DomainError(
                _("A department handler belongs to a department."), field="department"
            )
    elif role in UNSCOPED_ROLES:
        if membership.department_id is not None or membership.area_id is not None:
            raise DomainError(_("This role is not held in a unit."), field="area")
    else:
        levels = ROLE_AREA_LEVELS.get(role)
        if levels is None:
            raise DomainError(_("Choose a role."), field="role")
        if membership.department_id is not None:
            raise DomainError(
                _("This role is held in an area, not a department."), field="department"
            )
        if membership.area is None or membership.area.level not in levels:
            # The area model's own labels, read through the relation: accounts
            # sits below org and does not import it.
            area_model = Membership._meta.get_field("area").related_model
            labels = dict(area_model._meta.get_field("level").flatchoices)  # type: ignore[union-attr]
            names = ", ".join(str(labels[level]) for level in levels)
            raise DomainError(
                _("%(role)s is held in an area of level: %(levels)s.")
                % {"role": membership.get_role_display(), "levels": names},
                field="area",
            )
    if (
        membership.user_id is not None
        and Membership.objects.filter(
            user_id=membership.user_id,
            role=role,
            area=membership.area,
            department=membership.department,
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise DomainError(
            _("%(user)s already holds this role there.") % {"user": membership.user},
            field="user",
        )


def _require_unit_admin(acting_user: Any, membership: Membership) -> None:
    if acting_user is None or acting_user.is_superuser:
        return
    # Unscoped roles (residents) have no unit: only the system or a superuser
    # grants them, and require_area_admin refuses a missing area.
    area = membership.department.area if membership.department else membership.area
    require_area_admin(acting_user, area)


def membership_save(*, membership: Membership, acting_user: Any) -> Membership:
    """Create or change a membership: the acting user must administer both the
    person and the unit."""
    require_user_admin(acting_user, membership.user)
    _require_unit_admin(acting_user, membership)
    if membership.pk:
        before = Membership.objects.filter(pk=membership.pk).first()
        if before is not None:
            _require_unit_admin(acting_user, before)
    membership_validate(membership=membership)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise ConflictError(
            _("%(user)s already holds this role there.") % {"user": membership.user}
        ) from exc
    forget_memberships(membership.user)
    return membership


def membership_add(
    *,
    user: User,
    role: str,
    acting_user: Any,
    area: Any = None,
    department: Any = None,
) -> Membership:
    return membership_save(
        membership=Membership(user=user, role=role, area=area, department=department),
        acting_user=acting_user,
    )


def membership_delete(*, membership: Membership, acting_user: Any) -> None:
    require_user_admin(acting_user, membership.user)
    _require_unit_admin(acting_user, membership)
    membership.delete()
    forget_memberships(membership.user)


def user_set_language(*, user: User, language: str) -> None:
    if language and language not in dict(settings.LANGUAGES):
        raise DomainError(_("Unknown language."), field="language")
    user.language = language
    user.save(update_fields=["language"])
