"""Scoped reads of the ledger: every query a page or the API makes starts here,
so an outsider gets nothing (and a 404 for one row)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from civicgrid.org.models import Area

from . import permissions


def grids_for_user(user: Any) -> QuerySet[Area]:
    """The active grids whose ledger the user reads."""
    return Area.objects.filter(
        permissions.visible_q(user, "path"), level=Area.Level.GRID, is_active=True
    ).select_related("parent")


# --- places (地), components (物) and organisations (组织) --------------------------

from django.db.models import Case, Exists, OuterRef, Q, Value, When  # noqa: E402
from django.shortcuts import get_object_or_404  # noqa: E402

from civicgrid.appeals import selectors as appeal_selectors  # noqa: E402
from civicgrid.appeals.workflow import OPEN_STATES  # noqa: E402

from .models import (  # noqa: E402
    Building,
    Change,
    Component,
    ComponentAppeal,
    Organisation,
    OrganisationMember,
    Pairing,
    Place,
)

Bounds = tuple[float, float, float, float]  # west, south, east, north


def buildings_for_user(user: Any) -> QuerySet[Building]:
    return Building.objects.filter(permissions.visible_q(user)).select_related("grid")


def building_get_for_user(user: Any, pk: Any) -> Building:
    return get_object_or_404(buildings_for_user(user), pk=pk)


def places_for_user(user: Any) -> QuerySet[Place]:
    return Place.objects.filter(permissions.visible_q(user)).select_related(
        "grid", "building"
    )


def place_get_for_user(user: Any, pk: Any) -> Place:
    return get_object_or_404(places_for_user(user), pk=pk)


def _open_appeal_q() -> Exists:
    return Exists(
        ComponentAppeal.objects.filter(
            component=OuterRef("pk"), appeal__state__in=OPEN_STATES
        )
    )


def components_for_user(user: Any) -> QuerySet[Component]:
    """The components the user sees — a department only those it owns — each
    with ``shown_state``: damaged while it is damaged or an appeal about it is
    still open."""
    return (
        Component.objects.filter(permissions.component_q(user))
        .select_related("grid", "department")
        .annotate(
            open_appeal=_open_appeal_q(),
            shown_state=Case(
                When(state=Component.State.LOST, then=Value(Component.State.LOST)),
                When(
                    Q(state=Component.State.DAMAGED) | Q(open_appeal=True),
                    then=Value(Component.State.DAMAGED),
                ),
                default=Value(Component.State.GOOD),
            ),
        )
    )


def component_get_for_user(user: Any, pk: Any) -> Component:
    return get_object_or_404(components_for_user(user), pk=pk)


def component_appeals(user: Any, component: Component) -> QuerySet[Any]:
    """The appeals about the component that the user may see (a department
    those dispatched to it, a grid worker those of their grids)."""
    linked = ComponentAppeal.objects.filter(component=component).values("appeal_id")
    return (
        appeal_selectors.appeal_list_for_user(user)
        .filter(pk__in=linked)
        .order_by("-received_at")
    )


def organisations_for_user(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        permissions.visible_q(user, "area__path")
    ).select_related("area", "parent")


def organisation_get_for_user(user: Any, pk: Any) -> Organisation:
    return get_object_or_404(organisations_for_user(user), pk=pk)


def organisation_members(organisation: Organisation) -> QuerySet[OrganisationMember]:
    return organisation.members.select_related("place").order_by(
        "left_on", "joined_on", "pk"
    )


def organisation_pairings(organisation: Organisation) -> QuerySet[Pairing]:
    return (
        Pairing.objects.filter(
            Q(unit_branch=organisation) | Q(grid_branch=organisation)
        )
        .select_related("unit_branch", "grid_branch__area")
        .order_by("until", "-since")
    )


def changes_of(obj: Any) -> QuerySet[Change]:
    """The history of one ledger row, newest first."""
    return Change.objects.filter(
        model=obj._meta.model_name, object_id=obj.pk
    ).select_related("actor")


def _in_bounds(queryset: QuerySet[Any], bbox: Bounds) -> QuerySet[Any]:
    west, south, east, north = bbox
    return queryset.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)


def buildings_in_bounds(user: Any, bbox: Bounds) -> QuerySet[Any]:
    """Standing buildings in the box, as values for a map layer."""
    return _in_bounds(
        Building.objects.filter(permissions.visible_q(user), is_active=True), bbox
    ).values("pk", "name", "grid_id", "floors", "lon", "lat")


def places_in_bounds(user: Any, bbox: Bounds, kind: str | None = None) -> QuerySet[Any]:
    """Open places in the box (of one kind when given), as values."""
    places = Place.objects.filter(permissions.visible_q(user), is_active=True)
    if kind:
        places = places.filter(kind=kind)
    return _in_bounds(places, bbox).values(
        "pk", "name", "kind", "services", "opening_hours", "grid_id", "lon", "lat"
    )


def components_in_bounds(
    user: Any, bbox: Bounds, state: str | None = None
) -> QuerySet[Any]:
    """Components in the box with the state they show (damaged while an appeal
    about them is open), of that shown state when given, as values."""
    components = components_for_user(user)
    if state:
        components = components.filter(**{"shown_state": state})
    return _in_bounds(components, bbox).values(
        "pk", "code", "subclass", "shown_state", "grid_id", "lon", "lat"
    )
