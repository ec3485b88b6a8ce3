"""Who may see and change which part of the ledger. Roles and areas are
answered by :mod:`civicgrid.accounts.access`; this module states the ledger's
own rules on top of them:

- a grid worker keeps the ledger of their grids, community staff their
  community's (they read and edit, and may reveal a number with a reason);
- the street's dispatcher and leaders read all of the street, masked;
- the street's administrator is its ledger admin: reads all, edits, imports and
  exports unmasked;
- a department sees nothing but the components it owns.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.core.errors import PermissionDeniedError

KEEPERS = (Role.GRID_WORKER, Role.COMMUNITY_STAFF)
READERS = (Role.DISPATCHER, Role.LEADER)
LEDGER_ADMINS = (Role.ADMIN,)
EVERYONE = KEEPERS + READERS + LEDGER_ADMINS


def visible_q(user: Any, field: str = "grid__path") -> Q:
    """Rows whose grid (at ``field``, an area path) the user's ledger roles
    reach; nothing for anyone else."""
    if getattr(user, "is_superuser", False):
        return Q()
    return access.over_q(user, EVERYONE, field)


def editable_q(user: Any, field: str = "grid__path") -> Q:
    if getattr(user, "is_superuser", False):
        return Q()
    return access.over_q(user, KEEPERS + LEDGER_ADMINS, field)


def component_q(user: Any, field: str = "grid__path") -> Q:
    """Components: the ledger's readers, and the departments that own them."""
    departments = access.handled_department_ids(user)
    return visible_q(user, field) | Q(department_id__in=departments)


def may_read(user: Any, area: Any) -> bool:
    return access.holds_role_over(user, area, EVERYONE)


def may_edit(user: Any, area: Any) -> bool:
    """Keep the ledger of ``area`` (a grid, or the grid of a row)."""
    return access.holds_role_over(user, area, KEEPERS + LEDGER_ADMINS)


def may_take_in(user: Any, home_grid: Any, into_grid: Any) -> bool:
    """Move a person who lives in ``home_grid`` into a household of
    ``into_grid``, which the user keeps: when they keep the person's grid too,
    or it lies in the same street (the grid codes share the street's nine
    digits), a move within the street that its new grid records. From another
    street, that street's keepers move them out first."""
    if home_grid is None:
        return True
    return may_edit(user, home_grid) or same_street(home_grid.code, into_grid.code)


def same_street(code: str, other: str) -> bool:
    """Two grid codes of one street: 6 division and 3 street digits shared."""
    return bool(code) and code[:9] == other[:9]


def may_reveal(user: Any, area: Any) -> bool:
    """See a whole ID or phone number (each reveal is recorded with a reason)."""
    return may_edit(user, area)


def is_ledger_admin(user: Any, area: Any) -> bool:
    """The street's administrator: imports, and exports unmasked."""
    return access.holds_role_over(user, area, LEDGER_ADMINS)


def sees_ledger(user: Any) -> bool:
    """Holds any ledger role (for the navigation)."""
    return getattr(user, "is_superuser", False) or bool(access.held(user, EVERYONE))


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDeniedError(message or _("You may not do this."))


# --- places, components and organisations ------------------------------------------


def may_tend_component(user: Any, component: Any) -> bool:
    """Change a component's state: its grid's keepers and the street's ledger
    admin, and the department that owns it (it repairs and replaces it)."""
    if may_edit(user, component.grid):
        return True
    return component.department_id is not None and (
        component.department_id in access.handled_department_ids(user)
    )


# --- the map editor -----------------------------------------------------------------


def may_edit_map(user: Any, area: Any) -> bool:
    """Draw grid boundaries and building footprints (the map editor): the
    administrator of the street (or of an area above it) only."""
    return access.administers_area(user, area)


def map_editable_q(user: Any, field: str = "grid__path") -> Q:
    """Rows whose area (at ``field``, a path) the user may draw on the map."""
    return access.administered_q(user, field)
