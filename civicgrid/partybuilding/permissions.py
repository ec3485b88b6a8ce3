"""Who may do what in party building, on the one access module:

- a wish is gathered by who keeps the household's grid (its grid worker, the
  community's staff, the street's administrator) and confirmed by them on the
  beneficiary's behalf;
- the community's staff (or the street's administrator) decide on
  registrations and verify and publish wishes;
- a confirmed volunteer of the community, or the contact of a unit confirmed
  there, reads its wall and claims;
- the street's dispatchers and leaders read it all;
- everyone else: nothing (404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.core.errors import PermissionDeniedError
from civicgrid.ledger import permissions as ledger_permissions

from .models import Registration, UnitRegistration, Volunteer

DECIDERS = (Role.COMMUNITY_STAFF, Role.ADMIN)
READERS = (
    Role.GRID_WORKER,
    Role.COMMUNITY_STAFF,
    Role.DISPATCHER,
    Role.LEADER,
    Role.ADMIN,
)


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDeniedError(message or _("You may not do this."))


def may_gather(user: Any, household: Any) -> bool:
    return ledger_permissions.may_edit(user, household.grid)


def may_decide(user: Any, community: Any) -> bool:
    """Confirm or refuse registrations, verify and publish wishes."""
    return access.holds_role_over(user, community, DECIDERS)


def may_confirm_for(user: Any, wish: Any) -> bool:
    """Confirm a delivery on the beneficiary's behalf (saying so)."""
    return ledger_permissions.may_edit(user, wish.grid)


def is_staff(user: Any) -> bool:
    """Holds a role that reads wishes and registrations of some area."""
    return getattr(user, "is_superuser", False) or bool(access.held(user, READERS))


def wish_staff_q(user: Any) -> Q:
    """Wishes of the grids the user's staff roles reach (a grid worker's
    grids, a community's, the street's)."""
    if getattr(user, "is_superuser", False):
        return Q()
    return access.over_q(user, READERS, "grid__path")


def registration_staff_q(user: Any) -> Q:
    """Registrations to the communities the user's staff roles reach."""
    if getattr(user, "is_superuser", False):
        return Q()
    return access.over_q(user, READERS[1:], "community__path")


def volunteer_of(user: Any, community: Any) -> Volunteer | None:
    """The user's confirmed registration as a volunteer of ``community``."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(
        user=user, community=community, state=Registration.CONFIRMED
    ).first()


def units_of(user: Any, community: Any | None = None) -> list[UnitRegistration]:
    """The confirmed unit registrations whose contact the user is."""
    if not getattr(user, "is_authenticated", False):
        return []
    units = UnitRegistration.objects.filter(contact=user, state=Registration.CONFIRMED)
    if community is not None:
        units = units.filter(community=community)
    return list(units)


def wall_communities(user: Any) -> list[int]:
    """The communities whose wish wall the user reads as a member."""
    if not getattr(user, "is_authenticated", False):
        return []
    mine = set(
        Volunteer.objects.filter(user=user, state=Registration.CONFIRMED).values_list(
            "community_id", flat=True
        )
    )
    mine |= {u.community_id for u in units_of(user)}
    return sorted(mine)


def counted_communities_q(user: Any) -> Q:
    """Communities (at ``path``) whose figures the user's pages show: those
    of their walls and those their staff roles reach (a grid worker's own)."""
    if getattr(user, "is_superuser", False):
        return Q()
    return Q(pk__in=wall_communities(user)) | access.reaching_q(user, READERS, "path")
