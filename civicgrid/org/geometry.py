"""GeoJSON boundaries: parsing, validation with messages that name the area, and
normalisation (RFC 7946 ring orientation)."""

from __future__ import annotations

import json
from typing import Any, TypeAlias

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

from civicgrid.core.errors import DomainError

# Shared borders are compared with a little slack: the same vertex typed twice
# rarely comes back bit-identical from a GIS export. 1e-9 degrees is 0.1 mm.
TOLERANCE = 1e-9
# Overlaps smaller than this (in square degrees, about 1 m²) are rounding, not overlap.
OVERLAP_AREA_TOLERANCE = 1e-10

Shape: TypeAlias = Polygon | MultiPolygon


def _error(label: str, message: str) -> DomainError:
    return DomainError(
        _("Boundary of %(area)s: %(message)s") % {"area": label, "message": message},
        field="boundary",
    )


def _check_position(label: str, position: Any, where: str) -> None:
    if (
        not isinstance(position, list | tuple)
        or len(position) < 2
        or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2]
        )
    ):
        raise _error(
            label,
            _("%(where)s: %(value)s is not a [longitude, latitude] pair of numbers.")
            % {"where": where, "value": json.dumps(position)[:60]},
        )
    lon, lat = position[0], position[1]
    if not (-90 <= lat <= 90) and -90 <= lon <= 90 and -180 <= lat <= 180:
        raise _error(
            label,
            _(
                "%(where)s: latitude %(lat)s is out of range — the coordinates look "
                "like [latitude, longitude]; GeoJSON wants [longitude, latitude]."
            )
            % {"where": where, "lat": lat},
        )
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _error(
            label,
            _("%(where)s: [%(lon)s, %(lat)s] is not a WGS-84 position.")
            % {"where": where, "lon": lon, "lat": lat},
        )


def _check_rings(label: str, rings: Any, where: str) -> None:
    if not isinstance(rings, list) or not rings:
        raise _error(label, _("%(where)s has no rings.") % {"where": where})
    for r, ring in enumerate(rings):
        ring_where = _("%(where)s ring %(n)d") % {"where": where, "n": r + 1}
        if not isinstance(ring, list) or len(ring) < 4:
            raise _error(
                label,
                _("%(where)s needs at least four positions (a closed triangle).")
                % {"where": ring_where},
            )
        for p, position in enumerate(ring):
            _check_position(
                label,
                position,
                _("%(where)s position %(n)d") % {"where": ring_where, "n": p + 1},
            )
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise _error(
                label,
                _("%(where)s is not closed: its last position must repeat the first.")
                % {"where": ring_where},
            )


def parse_boundary(value: Any, *, label: str) -> Shape:
    """A valid, RFC 7946-oriented (Multi)Polygon from GeoJSON text or a mapping,
    or a :class:`DomainError` that names ``label`` and what is wrong."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise _error(
                label, _("not valid JSON (%(reason)s).") % {"reason": exc.msg}
            ) from exc
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise _error(label, _("a FeatureCollection must hold exactly one feature."))
        value = features[0].get("geometry") if isinstance(features[0], dict) else None
    if not isinstance(value, dict) or value.get("type") not in {
        "Polygon",
        "MultiPolygon",
    }:
        raise _error(label, _("must be a GeoJSON Polygon or MultiPolygon."))
    coordinates = value.get("coordinates")
    if value["type"] == "Polygon":
        _check_rings(label, coordinates, _("the polygon"))
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise _error(label, _("the MultiPolygon has no polygons."))
        for i, rings in enumerate(coordinates):
            _check_rings(label, rings, _("polygon %(n)d") % {"n": i + 1})
    geometry = shape(value)
    if not geometry.is_valid:
        raise _error(
            label,
            _("the polygon is not valid: %(reason)s.")
            % {"reason": explain_validity(geometry)},
        )
    if geometry.area <= 0:
        raise _error(label, _("the polygon has no area."))
    if isinstance(geometry, Polygon):
        return orient(geometry, sign=1.0)
    return MultiPolygon([orient(p, sign=1.0) for p in geometry.geoms])


def to_geojson(geometry: Shape) -> dict[str, Any]:
    return json.loads(json.dumps(mapping(geometry)))


def covers_with_tolerance(outer: Shape, inner: Shape) -> bool:
    return bool(shapely.covers(outer.buffer(TOLERANCE), inner))


def overlap_area(a: Shape, b: Shape) -> float:
    return float(shapely.intersection(a, b).area)
