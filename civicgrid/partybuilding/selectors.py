"""Scoped reads of party building: what the acting user may see, never an
unscoped ``get``. A member reads the wall of the communities they are
registered to and the wishes they claimed; a unit's contact its members; the
staff the wishes of the grids and communities their roles reach."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from . import permissions
from .models import Registration, ServiceEntry, UnitRegistration, Volunteer, Wish

DELIVERED = (Wish.State.FULFILLED, Wish.State.CONFIRMED)


def _claimed_by_q(user: Any) -> Q:
    return Q(claimed_by__user=user) | Q(claimed_by_unit__contact=user)


def wishes_for_user(user: Any) -> QuerySet[Wish]:
    """Every wish the user may open: the staff's, the walls' as a member,
    and their own claims."""
    if not getattr(user, "is_authenticated", False):
        return Wish.objects.none()
    walls = permissions.wall_communities(user)
    return Wish.objects.filter(
        permissions.wish_staff_q(user)
        # A wish claimed a moment ago stays readable from the wall: the
        # member who came second is told it was claimed, not "not found".
        | Q(
            community_id__in=walls, state__in=[Wish.State.PUBLISHED, Wish.State.CLAIMED]
        )
        | _claimed_by_q(user)
    ).select_related("community", "grid", "claimed_by__user", "claimed_by_unit")


def wish_get_for_user(user: Any, pk: Any) -> Wish:
    return get_object_or_404(wishes_for_user(user), pk=pk)


def wall(user: Any) -> QuerySet[Wish]:
    """The wish wall (心愿墙): the published wishes of the user's communities,
    oldest first (the longest waiting)."""
    return (
        wishes_for_user(user)
        .filter(state=Wish.State.PUBLISHED)
        .order_by("created_at", "pk")
    )


def my_claims(user: Any) -> QuerySet[Wish]:
    if not getattr(user, "is_authenticated", False):
        return Wish.objects.none()
    return (
        Wish.objects.filter(_claimed_by_q(user))
        .select_related(
            "community", "grid", "household__grid", "claimed_by", "claimed_by_unit"
        )
        .order_by("-claimed_at", "-pk")
    )


def staff_wishes(user: Any, state: str = "") -> QuerySet[Wish]:
    """The wishes the staff's roles reach (to verify, publish, confirm)."""
    wishes = Wish.objects.filter(permissions.wish_staff_q(user)).select_related(
        "community", "grid", "household__building"
    )
    if state:
        wishes = wishes.filter(state=state)
    return wishes.order_by("-created_at", "-pk")


def volunteers_for_user(user: Any) -> QuerySet[Volunteer]:
    """Registrations the user may read: their own, their units' members, and
    the registrations of the communities the staff's roles reach."""
    if not getattr(user, "is_authenticated", False):
        return Volunteer.objects.none()
    return Volunteer.objects.filter(
        permissions.registration_staff_q(user) | Q(user=user) | Q(unit__contact=user)
    ).select_related("user", "community", "unit__organisation")


def volunteer_get_for_user(user: Any, pk: Any) -> Volunteer:
    return get_object_or_404(volunteers_for_user(user), pk=pk)


def units_for_user(user: Any) -> QuerySet[UnitRegistration]:
    if not getattr(user, "is_authenticated", False):
        return UnitRegistration.objects.none()
    return UnitRegistration.objects.filter(
        permissions.registration_staff_q(user) | Q(contact=user)
    ).select_related("organisation", "community", "contact")


def service_ledger(volunteer: Volunteer) -> QuerySet[ServiceEntry]:
    """The digital 报到联系证: the volunteer's services, newest first."""
    return volunteer.services.order_by("-served_on", "-pk")


def delivered_households(communities: Any = None) -> int:
    """Households whose wish was claimed and delivered ("认领13户…微心愿")."""
    wishes = Wish.objects.filter(state__in=DELIVERED)
    if communities is not None:
        wishes = wishes.filter(community__in=communities)
    return wishes.values("household").distinct().count()


def confirmed_members(community: Any) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(
        community=community, state=Registration.CONFIRMED
    ).select_related("user", "unit__organisation")
