"""Who may administer what. A street's own administrator (an ``admin`` membership
on the street) manages the areas, departments and people of that street only; a
superuser manages everything. ``acting_user=None`` is the system itself (commands,
the demo seed). The answers come from :mod:`civicgrid.accounts.access`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from civicgrid.core.errors import PermissionDeniedError

from .access import administers_area, users_administered_by
from .models import User


def require_area_admin(user: Any, area: Any) -> None:
    if not administers_area(user, area):
        raise PermissionDeniedError(_("You do not administer this area."))


def require_user_admin(acting_user: Any, user: User) -> None:
    if acting_user is None or acting_user.is_superuser:
        return
    if not users_administered_by(acting_user).filter(pk=user.pk).exists():
        raise PermissionDeniedError(_("You do not administer this person."))
