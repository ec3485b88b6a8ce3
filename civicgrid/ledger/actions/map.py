"""The map editor (地图编辑): grid boundaries and building footprints drawn on
the map by the street's administrator, or imported from a GeoJSON file.

A boundary goes through :func:`civicgrid.org.actions.area_save`, so every
boundary check applies (inside its community, no overlap with a neighbour) and
the grid index is rebuilt; a footprint goes through the ledger's
:func:`~.places.building_update` (its grid from the grid index, its history
kept). Both carry the revision the editor loaded: a save over someone else's
newer change is refused (409) and writes nothing.

An import is a GeoJSON FeatureCollection. Grid boundaries are matched by the
``code`` property (the grid's 15 digits); building footprints by the ``id``
property (the building's number in the ledger) or, without one, by ``name``
and ``grid`` (the grid's code). The file is checked whole — every feature's
boundary against the others' new ones — and written whole in one transaction,
or nothing is written and every bad feature is named. A feature whose geometry
is already stored is left alone, so importing the same file again changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.org.actions import area_save
from civicgrid.org.geometry import parse_boundary, to_geojson
from civicgrid.org.models import Area, GeometryVersion

from .. import history, permissions, selectors
from ..models import Building, Change
from .places import BuildingInput, building_update

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_FEATURES = 5000
IMPORT_KINDS = ("grids", "buildings")


def revision_of(obj: Area | Building) -> str:
    """What the editor sends back to say which version it changed."""
    return obj.updated_at.isoformat()


def _lock_geometry() -> None:
    """Boundary writers take the geometry version row first, before any area
    row, as :func:`~civicgrid.org.actions.area_validate` does (one order, no
    deadlock)."""
    GeometryVersion.objects.get_or_create(pk=1)
    GeometryVersion.objects.select_for_update().get(pk=1)


def _check_revision(obj: Area | Building, revision: Any, *, what: str) -> None:
    """``revision`` None is an import's write (no version was loaded); the
    editor must say which version it drew over."""
    if revision is None:
        return
    if not str(revision).strip():
        raise DomainError(
            _("The save does not say which version it changes; reload the map."),
            field="revision",
        )
    try:
        loaded = dt.datetime.fromisoformat(str(revision))
    except ValueError as exc:
        raise DomainError(
            _("The revision %(value)s is not a date and time.")
            % {"value": str(revision)[:40]},
            field="revision",
        ) from exc
    if loaded.tzinfo is None or loaded != obj.updated_at:
        raise ConflictError(
            _(
                "Someone else changed %(what)s at %(time)s; reload the map to "
                "see their change before you edit it."
            )
            % {
                "what": what,
                "time": timezone.localtime(obj.updated_at).strftime("%Y-%m-%d %H:%M"),
            },
            field="revision",
        )


def _require_map_editor(user: Any, area: Area, *, field: str) -> None:
    if not permissions.may_edit_map(user, area):
        raise PermissionDeniedError(
            _("You do not administer %(area)s.") % {"area": area.name}, field=field
        )


def _normalised(value: Any, *, label: str, field_name: str) -> dict[str, Any]:
    try:
        return to_geojson(parse_boundary(value, label=label))
    except DomainError as exc:
        raise DomainError(exc.message, field=field_name) from exc


def _grid_label(grid: Area) -> str:
    return f"{grid.name} ({grid.code})"


# --- one grid, one building -------------------------------------------------------


def grid_boundary_save(
    *, grid: Area, boundary: Any, revision: Any, acting_user: Any
) -> bool:
    """Give ``grid`` a new boundary (a GeoJSON Polygon or MultiPolygon) drawn
    over the version ``revision``; returns whether anything changed."""
    if grid.level != Area.Level.GRID:
        raise DomainError(_("Only a grid's boundary is drawn here."), field="code")
    _require_map_editor(acting_user, grid, field="boundary")
    with transaction.atomic():
        _lock_geometry()
        stored = Area.objects.select_for_update().get(pk=grid.pk)
        _check_revision(
            stored,
            revision,
            what=_("the boundary of %(grid)s") % {"grid": _grid_label(stored)},
        )
        new = _normalised(boundary, label=_grid_label(stored), field_name="boundary")
        if new == stored.boundary:
            return False
        old = stored.boundary
        stored.boundary = new
        area_save(area=stored, acting_user=acting_user)
        _record_boundary(stored, old, acting_user, Change.Action.UPDATE)
    grid.boundary, grid.updated_at = stored.boundary, stored.updated_at
    grid.min_lon, grid.min_lat = stored.min_lon, stored.min_lat
    grid.max_lon, grid.max_lat = stored.max_lon, stored.max_lat
    return True


def _record_boundary(grid: Area, old: Any, acting_user: Any, action: str) -> None:
    history.record(
        obj=grid,
        action=action,
        actor=acting_user,
        grid=grid,
        changes={"boundary": [old, grid.boundary]},
    )


def building_footprint_save(
    *, building: Building, footprint: Any, revision: Any, acting_user: Any
) -> dict[str, list[Any]]:
    """Give ``building`` a footprint (one GeoJSON Polygon) drawn over the
    version ``revision``. Its point becomes the footprint's centre and its grid
    the one that centre lies in; returns what changed."""
    _require_map_editor(acting_user, building.grid, field="footprint")
    if footprint in (None, "", {}):
        raise DomainError(_("Draw the building's footprint."), field="footprint")
    with transaction.atomic():
        stored = Building.objects.select_for_update().get(pk=building.pk)
        _check_revision(
            stored,
            revision,
            what=_("the footprint of %(building)s") % {"building": stored.name},
        )
        changes = building_update(
            building=stored,
            data=BuildingInput(
                name=stored.name,
                footprint=footprint,
                address=stored.address,
                floors=stored.floors,
                units=stored.units,
                property_manager=stored.property_manager,
                is_active=stored.is_active,
            ),
            acting_user=acting_user,
        )
        _require_map_editor(acting_user, stored.grid, field="footprint")
    for name in ("footprint", "lon", "lat", "grid", "grid_id", "updated_at"):
        setattr(building, name, getattr(stored, name))
    return changes


# --- GeoJSON import ----------------------------------------------------------------


@dataclass
class FeatureError:
    number: int  # the feature's place in the file, from 1
    key: str  # its grid code, or its building's id or name
    message: str


@dataclass
class MapImportResult:
    """What an import did, or (``errors`` not empty) why nothing was written."""

    kind: str
    features: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[FeatureError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, number: int, key: Any, message: str) -> None:
        self.errors.append(FeatureError(number, str(key or ""), message))

    def describe(self) -> str:
        if self.errors:
            return _("Nothing was imported: %(count)s features need correcting.") % {
                "count": len({error.number for error in self.errors})
            }
        return _(
            "Imported %(features)s features: %(updated)s changed, "
            "%(unchanged)s already as in the file."
        ) % {
            "features": self.features,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def _read_features(upload: Any) -> list[Any]:
    """The features of an uploaded FeatureCollection, or a refusal that says
    what is wrong with the file."""
    if upload is None:
        raise DomainError(_("Choose a GeoJSON file."), field="file")
    if getattr(upload, "size", 0) > MAX_IMPORT_BYTES:
        raise DomainError(
            _("The file is larger than %(n)s MB.")
            % {"n": MAX_IMPORT_BYTES // (1024 * 1024)},
            field="file",
        )
    raw = upload.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise DomainError(
            _("The file is larger than %(n)s MB.")
            % {"n": MAX_IMPORT_BYTES // (1024 * 1024)},
            field="file",
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DomainError(
            _("The file is not text in UTF-8; save it as GeoJSON."), field="file"
        ) from exc
    except json.JSONDecodeError as exc:
        raise DomainError(
            _("The file is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": exc.lineno, "column": exc.colno},
            field="file",
        ) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DomainError(
            _("The file must hold a GeoJSON FeatureCollection."), field="file"
        )
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise DomainError(_("The FeatureCollection has no features."), field="file")
    if len(features) > MAX_IMPORT_FEATURES:
        raise DomainError(
            _("A file holds at most %(n)s features.") % {"n": MAX_IMPORT_FEATURES},
            field="file",
        )
    return features


def _properties(feature: Any) -> dict[str, Any] | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return None
    properties = feature.get("properties")
    return properties if isinstance(properties, dict) else {}


def map_import(*, kind: str, upload: Any, acting_user: Any) -> MapImportResult:
    """Import grid boundaries (``kind="grids"``) or building footprints
    (``kind="buildings"``) from a GeoJSON FeatureCollection."""
    if kind not in IMPORT_KINDS:
        raise DomainError(_("Choose what the file holds."), field="kind")
    if not selectors.map_edit_grids(acting_user).exists():
        raise PermissionDeniedError(_("You administer no grid."), field="file")
    features = _read_features(upload)
    result = MapImportResult(kind=kind, features=len(features))
    with transaction.atomic():
        if kind == "grids":
            _import_grids(features, acting_user, result)
        else:
            _import_buildings(features, acting_user, result)
        if result.errors:
            transaction.set_rollback(True)
            result.updated = 0
    result.errors.sort(key=lambda error: error.number)
    return result


def _import_grids(features: list[Any], user: Any, result: MapImportResult) -> None:
    codes = [
        str((_properties(feature) or {}).get("code") or "").strip()
        for feature in features
    ]
    grids = {
        grid.code: grid
        for grid in selectors.map_edit_grids(user).filter(code__in=set(codes))
    }
    seen: dict[str, int] = {}
    plans: list[tuple[int, Area, dict[str, Any]]] = []
    for number, (feature, code) in enumerate(zip(features, codes, strict=True), 1):
        if _properties(feature) is None:
            result.fail(number, "", _("This is not a GeoJSON Feature."))
            continue
        if not re.fullmatch(r"\d{15}", code):
            result.fail(
                number,
                code,
                _("The property code must be the grid's code of 15 digits."),
            )
            continue
        if code in seen:
            result.fail(
                number,
                code,
                _("This grid is already in feature %(n)s.") % {"n": seen[code]},
            )
            continue
        seen[code] = number
        grid = grids.get(code)
        if grid is None:
            result.fail(
                number, code, _("No grid with this code in the streets you administer.")
            )
            continue
        try:
            boundary = to_geojson(
                parse_boundary(feature.get("geometry"), label=_grid_label(grid))
            )
        except DomainError as exc:
            result.fail(number, code, exc.message)
            continue
        if boundary == grid.boundary:
            result.unchanged += 1
        else:
            plans.append((number, grid, boundary))
    # Every new boundary goes in first, so that each is checked against its
    # neighbours' new ones (a shared border moved in both grids is no overlap).
    _lock_geometry()
    for _number, grid, boundary in sorted(plans, key=lambda plan: plan[1].pk):
        shape = parse_boundary(boundary, label=_grid_label(grid))
        minx, miny, maxx, maxy = shape.bounds
        Area.objects.filter(pk=grid.pk).update(
            boundary=boundary, min_lon=minx, min_lat=miny, max_lon=maxx, max_lat=maxy
        )
    for number, grid, boundary in plans:
        old = grid.boundary
        grid.boundary = boundary
        try:
            with transaction.atomic():
                area_save(area=grid, acting_user=user)
                _record_boundary(grid, old, user, Change.Action.IMPORT)
        except DomainError as exc:
            result.fail(number, grid.code, exc.message)
        else:
            result.updated += 1


def _import_buildings(features: list[Any], user: Any, result: MapImportResult) -> None:
    buildings = selectors.map_edit_buildings(user)
    seen: dict[int, int] = {}
    for number, feature in enumerate(features, 1):
        properties = _properties(feature)
        if properties is None:
            result.fail(number, "", _("This is not a GeoJSON Feature."))
            continue
        building, key = _find_building(number, properties, buildings, result)
        if building is None:
            continue
        if building.pk in seen:
            result.fail(
                number,
                key,
                _("This building is already in feature %(n)s.")
                % {"n": seen[building.pk]},
            )
            continue
        seen[building.pk] = number
        try:
            footprint = _normalised(
                feature.get("geometry"), label=building.name, field_name="footprint"
            )
        except DomainError as exc:
            result.fail(number, key, exc.message)
            continue
        if footprint == building.footprint:
            result.unchanged += 1
            continue
        try:
            with transaction.atomic():
                building_footprint_save(
                    building=building,
                    footprint=footprint,
                    revision=None,
                    acting_user=user,
                )
        except DomainError as exc:
            result.fail(number, key, exc.message)
        else:
            result.updated += 1


def _find_building(
    number: int, properties: dict[str, Any], buildings: Any, result: MapImportResult
) -> tuple[Building | None, str]:
    """The building a feature names: by ``id``, or by ``name`` and ``grid``."""
    identifier = properties.get("id")
    if identifier not in (None, ""):
        key = str(identifier)
        if not re.fullmatch(r"\d{1,18}", key):
            result.fail(number, key, _("The property id must be a building's number."))
            return None, key
        building = buildings.filter(pk=int(key)).first()
        if building is None:
            result.fail(
                number, key, _("No building with this id in the grids you administer.")
            )
        return building, key
    name = str(properties.get("name") or "").strip()
    code = str(properties.get("grid") or "").strip()
    key = f"{name} ({code})" if name or code else ""
    if not name or not re.fullmatch(r"\d{15}", code):
        result.fail(
            number,
            key,
            _(
                "Name the building by its id, or by its name and its grid's code "
                "(properties id, or name and grid)."
            ),
        )
        return None, key
    building = buildings.filter(name=name, grid__code=code).first()
    if building is None:
        result.fail(
            number,
            key,
            _("No building of this name in this grid among those you administer."),
        )
    return building, key
