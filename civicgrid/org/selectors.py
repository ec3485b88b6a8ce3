"""Reads of the organisation, scoped to what the acting user may see."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import Q, QuerySet

from civicgrid.accounts import access
from civicgrid.accounts.access import ancestor_paths
from civicgrid.accounts.models import Membership, Role

from .gridindex import get_grid_index, invalidate_grid_index
from .models import Area, Department

T = TypeVar("T")

# Roles that oversee every department serving their area.
OVERSEEING_ROLES = (Role.ADMIN, Role.DISPATCHER, Role.LEADER, Role.OPERATOR)


def area_subtree(area: Area) -> QuerySet[Area]:
    return Area.objects.filter(path__startswith=area.path)


def _active_grid(lon: float, lat: float, fetch: Callable[[int], T | None]) -> T | None:
    """Look the point up in the index and fetch the grid with ``fetch``; a grid
    another process retired since the index was built means: rebuild, retry."""
    for attempt in range(2):
        grid_id = get_grid_index().lookup(lon, lat)
        if grid_id is None:
            return None
        found = fetch(grid_id)
        if found is not None:
            return found
        if attempt == 0:
            invalidate_grid_index()
    return None


def _active_grids(grid_id: int) -> QuerySet[Area]:
    return Area.objects.filter(pk=grid_id, level=Area.Level.GRID, is_active=True)


def grid_for_point(lon: float, lat: float) -> Area | None:
    """The active grid that contains the point (WGS-84), or None."""
    return _active_grid(
        lon,
        lat,
        lambda pk: next(
            iter(
                _active_grids(pk)
                .select_related("parent")
                # Callers want the grid and its community, not their polygons.
                .defer("boundary", "parent__boundary")
                .order_by()  # a primary-key fetch needs no ORDER BY
            ),
            None,
        ),
    )


def grid_and_street_for_point(lon: float, lat: float) -> tuple[int, int | None] | None:
    """(grid id, street id) of the point, without loading either row: what
    intake needs, as cheaply as the database can say it."""
    return _active_grid(
        lon,
        lat,
        lambda pk: (
            _active_grids(pk).order_by().values_list("pk", "parent__parent_id").first()
        ),
    )


def grids_and_streets_for_points(
    points: Sequence[tuple[float, float]],
) -> list[tuple[int, int | None] | None]:
    """:func:`grid_and_street_for_point` for many (lon, lat) points at once: one
    pass over the index and one query, as the worker registers intake in
    batches."""
    ids = get_grid_index().lookup_many([p[0] for p in points], [p[1] for p in points])
    wanted = {pk for pk in ids if pk is not None}
    streets: dict[int, int | None] = dict(
        Area.objects.filter(pk__in=wanted, level=Area.Level.GRID, is_active=True)
        .order_by()
        .values_list("pk", "parent__parent_id")
    )
    if wanted - streets.keys():  # a grid retired since the index was built
        return [grid_and_street_for_point(lon, lat) for lon, lat in points]
    return [None if pk is None else (pk, streets[pk]) for pk in ids]


def area_chain(area: Area) -> QuerySet[Area]:
    """The area and those above it, from the root down, without their
    boundaries (breadcrumbs, and where a point lies)."""
    return (
        Area.objects.filter(path__in=ancestor_paths(area.path))
        .defer("boundary")
        .order_by("path")
    )


def point_location(lon: float, lat: float) -> dict[str, Area | None] | None:
    """The grid a point (WGS-84) falls in, with its community and street, or
    None outside every active grid."""
    grid = grid_for_point(lon, lat)
    if grid is None:
        return None
    above = {area.level: area for area in area_chain(grid)}
    return {
        "grid": grid,
        "community": above.get(Area.Level.COMMUNITY),
        "street": above.get(Area.Level.STREET),
    }


def departments_for_user(user: Any) -> QuerySet[Department]:
    """Departments the user may see: their own, and for a street's or district's
    dispatchers, leaders, operators and administrators every department that
    serves their area (anchored at it, above it or below it)."""
    if not user.is_authenticated:
        return Department.objects.none()
    if user.is_superuser:
        return Department.objects.all()
    condition = Q(pk__in=access.handled_department_ids(user)) | access.reaching_q(
        user, OVERSEEING_ROLES, "area__path"
    )
    return Department.objects.filter(condition).distinct()


def streets_held(user: Any, roles: Sequence[str]) -> QuerySet[Area]:
    """Active streets on which the user holds one of ``roles`` (on the street
    or an area above it); every street for a superuser."""
    streets = Area.objects.filter(level=Area.Level.STREET, is_active=True)
    if getattr(user, "is_superuser", False):
        return streets
    return streets.filter(access.over_q(user, roles, "path"))


def serving_q(area: Area, field: str = "area__path") -> Q:
    """Departments serving ``area``: anchored on it, above it or below it."""
    return Q(**{f"{field}__in": ancestor_paths(area.path)}) | Q(
        **{f"{field}__startswith": area.path}
    )


def departments_serving(area: Area) -> QuerySet[Department]:
    """The active departments that serve ``area`` (see :func:`serving_q`)."""
    return Department.objects.filter(serving_q(area), is_active=True)


def department_handlers(*, department: Department) -> QuerySet[Membership]:
    return (
        access.unit_members(department_id=department.pk, area_id=None)
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )


def areas_for_user(user: Any) -> QuerySet[Area]:
    """Areas the user may open: the subtree of every area they hold a role in."""
    if not user.is_authenticated:
        return Area.objects.none()
    if user.is_superuser:
        return Area.objects.all()
    return Area.objects.filter(access.over_q(user, list(Role), "path"))


def area_map_features(area: Area, children: list[Area]) -> dict[str, Any]:
    """GeoJSON FeatureCollection of an area and its children, for the map."""
    features = [
        {
            "type": "Feature",
            "geometry": node.boundary,
            "properties": {
                "code": node.code,
                "name": node.name,
                "level": node.level,
                "self": node.pk == area.pk,
            },
        }
        for node in [area, *children]
        if node.boundary
    ]
    return {"type": "FeatureCollection", "features": features}
