"""Writes to the area tree. Every boundary change goes through :func:`area_save`,
which validates codes and geometry, refuses overlaps, and moves the geometry
version so every process rebuilds its grid index."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civicgrid.accounts.permissions import require_area_admin
from civicgrid.core.errors import DomainError

from .geometry import (
    OVERLAP_AREA_TOLERANCE,
    covers_with_tolerance,
    overlap_area,
    parse_boundary,
    to_geojson,
)
from .gridindex import invalidate_grid_index
from .models import Area, GeometryVersion

# Level → (allowed parent levels, code length).
LEVEL_RULES: dict[str, tuple[tuple[str | None, ...], int]] = {
    Area.Level.CITY: ((None,), 6),
    Area.Level.DISTRICT: ((Area.Level.CITY, None), 6),
    Area.Level.STREET: ((Area.Level.DISTRICT,), 9),
    Area.Level.COMMUNITY: ((Area.Level.STREET,), 12),
    Area.Level.GRID: ((Area.Level.COMMUNITY,), 15),
}


def _label(area: Area) -> str:
    name = area.name or _("(unnamed)")
    return f"{name} ({area.code or '?'})"


def _check_code(area: Area) -> None:
    parents, length = LEVEL_RULES[area.level]
    parent_level = area.parent.level if area.parent else None
    if parent_level not in parents:
        allowed = ", ".join(
            str(Area.Level(p).label) if p else _("none") for p in parents
        )
        raise DomainError(
            _("%(area)s: a %(level)s must sit under: %(allowed)s.")
            % {
                "area": _label(area),
                "level": area.get_level_display(),
                "allowed": allowed,
            },
            field="parent",
        )
    if not re.fullmatch(rf"\d{{{length}}}", area.code or ""):
        raise DomainError(
            _("%(area)s: the code of a %(level)s has exactly %(n)d digits.")
            % {"area": _label(area), "level": area.get_level_display(), "n": length},
            field="code",
        )
    parent = area.parent
    if parent is None:
        return
    if area.level == Area.Level.DISTRICT:
        ok = area.code[:4] == parent.code[:4] and area.code != parent.code
    else:
        ok = area.code.startswith(parent.code)
    if not ok:
        raise DomainError(
            _("%(area)s: the code does not match its parent %(parent)s.")
            % {"area": _label(area), "parent": _label(parent)},
            field="code",
        )
    if area.level == Area.Level.COMMUNITY and not area.community_kind:
        raise DomainError(
            _("%(area)s: say whether it is an urban community or a village.")
            % {"area": _label(area)},
            field="community_kind",
        )
    if area.level != Area.Level.COMMUNITY and area.community_kind:
        raise DomainError(
            _("%(area)s: only a community is an urban community or a village.")
            % {"area": _label(area)},
            field="community_kind",
        )


def _nearest_bounded_ancestor(area: Area) -> Area | None:
    node = area.parent
    while node is not None:
        if node.boundary:
            return node
        node = node.parent
    return None


def _check_geometry(area: Area) -> Any:
    if not area.boundary:
        if area.level == Area.Level.GRID:
            raise DomainError(
                _("%(area)s: a grid needs a boundary polygon.")
                % {"area": _label(area)},
                field="boundary",
            )
        return None
    geometry = parse_boundary(area.boundary, label=_label(area))
    ancestor = _nearest_bounded_ancestor(area)
    if ancestor is not None:
        outer = parse_boundary(ancestor.boundary, label=_label(ancestor))
        if not covers_with_tolerance(outer, geometry):
            raise DomainError(
                _("Boundary of %(area)s: it reaches outside %(parent)s.")
                % {"area": _label(area), "parent": _label(ancestor)},
                field="boundary",
            )
    if area.pk:
        for child in Area.objects.filter(
            path__startswith=area.path, boundary__isnull=False
        ).exclude(pk=area.pk):
            inner = parse_boundary(child.boundary, label=_label(child))
            if not covers_with_tolerance(geometry, inner):
                raise DomainError(
                    _("Boundary of %(area)s: %(child)s would fall outside it.")
                    % {"area": _label(area), "child": _label(child)},
                    field="boundary",
                )
    minx, miny, maxx, maxy = geometry.bounds
    neighbours = Area.objects.filter(
        level=area.level,
        is_active=True,
        boundary__isnull=False,
        max_lon__gte=minx,
        min_lon__lte=maxx,
        max_lat__gte=miny,
        min_lat__lte=maxy,
    )
    if area.pk:
        neighbours = neighbours.exclude(pk=area.pk)
    if area.is_active:
        for other in neighbours.order_by("code"):
            other_geometry = parse_boundary(other.boundary, label=_label(other))
            if overlap_area(geometry, other_geometry) > OVERLAP_AREA_TOLERANCE:
                raise DomainError(
                    _("Boundary of %(area)s: it overlaps %(other)s.")
                    % {"area": _label(area), "other": _label(other)},
                    field="boundary",
                )
    return geometry


def area_validate(*, area: Area) -> None:
    """Check ``area`` as it would be saved and normalise its boundary in place.

    Call inside a transaction: the geometry version row is locked so that two
    people drawing overlapping grids at once cannot both pass the overlap check.
    """
    if area.level not in LEVEL_RULES:
        raise DomainError(_("Choose a level."), field="level")
    if not (area.name or "").strip():
        raise DomainError(_("Give the area a name."), field="name")
    if (
        area.parent is not None
        and area.pk is not None
        and (
            area.parent_id == area.pk or area.parent.path.startswith(area.path or "\0")
        )
    ):
        raise DomainError(_("An area cannot sit under itself."), field="parent")
    _check_code(area)
    if area.pk:
        before = (
            Area.objects.filter(pk=area.pk).values("code", "parent_id", "level").first()
        )
        moved = before is not None and (
            before["code"] != area.code
            or before["parent_id"] != area.parent_id
            or before["level"] != area.level
        )
        if moved and Area.objects.filter(parent_id=area.pk).exists():
            raise DomainError(
                _(
                    "%(area)s has areas under it; its code, level and parent "
                    "cannot change."
                )
                % {"area": _label(area)},
                field="code",
            )
    GeometryVersion.objects.get_or_create(pk=1)
    GeometryVersion.objects.select_for_update().get(pk=1)
    area.path = (area.parent.path if area.parent else "") + area.code + "/"
    geometry = _check_geometry(area)
    if geometry is None:
        area.boundary = None
        area.min_lon = area.min_lat = area.max_lon = area.max_lat = None
    else:
        area.boundary = to_geojson(geometry)
        area.min_lon, area.min_lat, area.max_lon, area.max_lat = geometry.bounds


def _bump_geometry_version() -> None:
    GeometryVersion.objects.filter(pk=1).update(version=F("version") + 1)
    transaction.on_commit(invalidate_grid_index)


def _require_admin(acting_user: Any, area: Area) -> None:
    """A new area needs an administered parent; an existing one must itself be
    administered, as stored (not as the form would change it)."""
    if area.pk:
        stored = Area.objects.filter(pk=area.pk).first()
        require_area_admin(acting_user, stored)
    else:
        require_area_admin(acting_user, area.parent)


def area_save(*, area: Area, acting_user: Any) -> Area:
    """Create or update an area after :func:`area_validate`."""
    if acting_user is not None:
        _require_admin(acting_user, area)
    with transaction.atomic():
        area_validate(area=area)
        if Area.objects.filter(code=area.code).exclude(pk=area.pk).exists():
            raise DomainError(
                _("The code %(code)s is already used.") % {"code": area.code},
                field="code",
            )
        area.save()
        _bump_geometry_version()
    return area


def area_delete(*, area: Area, acting_user: Any) -> None:
    if acting_user is not None:
        _require_admin(acting_user, area)
    with transaction.atomic():
        if Area.objects.filter(parent=area).exists():
            raise DomainError(
                _("%(area)s has areas under it; remove them first.")
                % {"area": _label(area)}
            )
        GeometryVersion.objects.get_or_create(pk=1)
        GeometryVersion.objects.select_for_update().get(pk=1)
        area.delete()
        _bump_geometry_version()
