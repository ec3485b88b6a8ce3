"""The place codes (扫码报事) of buildings and components: what a scanned code
of each names (its name, its point, its street; a component's category), and
whose codes a user may print — the staff who see it in the ledger. Registered
with :mod:`civicgrid.appeals.places` when the ledger is ready."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from civicgrid.appeals import places

from . import selectors
from .actions.components import default_category
from .models import Building, Component


def building_place(pk: int) -> places.ScannedPlace | None:
    """A building's code: the pin at the building (its point, else the middle
    of its footprint). A building pulled down has no code."""
    building = (
        Building.objects.filter(pk=pk, is_active=True, grid__is_active=True)
        .select_related("grid__parent__parent")
        .first()
    )
    street = places.street_of(building.grid) if building is not None else None
    if building is None or street is None:
        return None
    if building.lat is not None and building.lon is not None:
        point: tuple[float, float] | None = (building.lat, building.lon)
    else:
        point = places.point_of(building.footprint)
    return places.ScannedPlace.at("building", building.pk, building.name, point, street)


def component_place(pk: int) -> places.ScannedPlace | None:
    """A component's code (on the lamp post, the manhole cover): the pin at the
    component, the category its kind most likely needs."""
    component = (
        Component.objects.filter(pk=pk, grid__is_active=True)
        .select_related("grid__parent__parent")
        .first()
    )
    street = places.street_of(component.grid) if component is not None else None
    if component is None or street is None:
        return None
    point = None
    if component.lat is not None and component.lon is not None:
        point = (component.lat, component.lon)
    category = default_category(component)
    return places.ScannedPlace.at(
        "component",
        component.pk,
        str(component),
        point,
        street,
        category_id=category.pk if category is not None else None,
    )


def buildings_printable(user: Any) -> QuerySet[Building]:
    return selectors.buildings_for_user(user).filter(is_active=True)


def components_printable(user: Any) -> QuerySet[Component]:
    return Component.objects.filter(
        pk__in=selectors.components_for_user(user).values("pk")
    )


def register() -> None:
    places.register("building", building_place, printable=buildings_printable)
    places.register("component", component_place, printable=components_printable)
