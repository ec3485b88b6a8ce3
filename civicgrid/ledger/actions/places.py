"""Places (地): buildings (楼栋), shops and enterprises (小个专), service stations
(such as 龙行侠微e站) and party-building positions (党建阵地). Each gets its grid
from the grid index; nothing is deleted — a demolished building or a closed
shop is kept, marked as past. Every write is kept in the ledger's history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from shapely.geometry import Polygon

from civicgrid.core.crypto import mask_name, mask_phone
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.org.geometry import parse_boundary, to_geojson
from civicgrid.org.models import Area

from .. import history, permissions, rules
from ..models import Building, Change, Place

MAX_FLOORS = 200
MAX_UNITS = 99


def _text(
    value: Any, *, field: str, label: str, limit: int, required: bool = False
) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(_("%(label)s is required.") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(
            _("%(label)s is at most %(n)d characters.") % {"label": label, "n": limit},
            field=field,
        )
    return text


def check_count(value: Any, *, field: str, label: str) -> int | None:
    """A building's floors or units within the page's limits (the import's
    rule too)."""
    limit = MAX_FLOORS if field == "floors" else MAX_UNITS
    return _count(value, field=field, label=label, limit=limit)


def _count(value: Any, *, field: str, label: str, limit: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(
            _("%(label)s must be a whole number.") % {"label": label}, field=field
        ) from exc
    if not 1 <= number <= limit:
        raise DomainError(
            _("%(label)s must be between 1 and %(n)d.") % {"label": label, "n": limit},
            field=field,
        )
    return number


def _require_keeper(user: Any, grid: Area, *, field: str = "lon") -> None:
    if not permissions.may_edit(user, grid):
        raise PermissionDeniedError(
            _("You do not keep the ledger of %(grid)s.") % {"grid": grid.name},
            field=field,
        )


def _write(
    obj: Any,
    values: dict[str, Any],
    *,
    acting_user: Any,
    masked: dict[str, Any] | None = None,
    grid: Any = None,
) -> dict[str, list[Any]]:
    """Save ``values`` on ``obj`` (new or old) and record what changed; the
    fields in ``masked`` go into the history masked."""
    new = obj.pk is None
    changes = {} if new else history.diff(obj, values)
    for field in masked or {}:
        if field in changes:
            changes[field] = [
                (masked or {})[field](changes[field][0] or ""),
                (masked or {})[field](changes[field][1] or ""),
            ]
    for field, value in values.items():
        setattr(obj, field, value)
    obj.save()
    if new or changes:
        history.record(
            obj=obj,
            action=Change.Action.CREATE if new else Change.Action.UPDATE,
            actor=acting_user,
            grid=grid,
            changes=changes,
        )
    return changes


# --- buildings --------------------------------------------------------------------


@dataclass
class BuildingInput:
    name: str
    lon: float | None = None
    lat: float | None = None
    footprint: Any = None
    address: str = ""
    floors: int | None = None
    units: int | None = None
    property_manager: str = ""
    is_active: bool = True


def _building_values(data: BuildingInput) -> dict[str, Any]:
    footprint = None
    if data.footprint not in (None, "", {}):
        try:
            shape = parse_boundary(
                data.footprint, label=(data.name or "").strip() or _("the building")
            )
        except DomainError as exc:
            raise DomainError(exc.message, field="footprint") from exc
        if not isinstance(shape, Polygon):
            raise DomainError(
                _("The footprint of a building is one polygon."), field="footprint"
            )
        footprint = to_geojson(shape)
    lon, lat = data.lon, data.lat
    if lon in (None, "") and lat in (None, ""):
        if footprint is None:
            raise DomainError(
                _("Place the building on the map or draw its footprint."), field="lon"
            )
        centroid = shape.centroid
        lon, lat = round(centroid.x, 7), round(centroid.y, 7)
        grid = rules.grid_at(lon, lat, field="footprint")
    else:
        grid = rules.grid_at(lon, lat, field="lon")
        lon, lat = float(lon), float(lat)  # type: ignore[arg-type]
    return {
        "grid": grid,
        "lon": lon,
        "lat": lat,
        "footprint": footprint,
        "name": _text(
            data.name, field="name", label=_("The name"), limit=100, required=True
        ),
        "address": _text(
            data.address, field="address", label=_("The address"), limit=200
        ),
        "floors": check_count(data.floors, field="floors", label=_("Floors")),
        "units": check_count(data.units, field="units", label=_("Units")),
        "property_manager": _text(
            data.property_manager,
            field="property_manager",
            label=_("The property manager"),
            limit=100,
        ),
        "is_active": bool(data.is_active),
    }


def _save_unique_name(obj: Any, values: dict[str, Any], **kwargs: Any) -> dict:
    try:
        with transaction.atomic():
            return _write(obj, values, **kwargs)
    except IntegrityError as exc:
        raise DomainError(
            _("%(grid)s already has a building of this name.")
            % {"grid": values["grid"].name},
            field="name",
        ) from exc


def building_create(*, data: BuildingInput, acting_user: Any) -> Building:
    """A new building; its grid is the one its point (or its footprint's
    centre) lies in."""
    values = _building_values(data)
    _require_keeper(acting_user, values["grid"])
    with transaction.atomic():
        building = Building()
        _save_unique_name(building, values, acting_user=acting_user)
    return building


def building_update(
    *, building: Building, data: BuildingInput, acting_user: Any
) -> dict[str, list[Any]]:
    """Change a building (moving it may move it into another of the user's
    grids); returns what changed."""
    _require_keeper(acting_user, building.grid, field="name")
    values = _building_values(data)
    if values["grid"].pk != building.grid_id:
        _require_keeper(acting_user, values["grid"])
    with transaction.atomic():
        return _save_unique_name(building, values, acting_user=acting_user)


# --- places -----------------------------------------------------------------------


@dataclass
class PlaceInput:
    kind: str
    name: str
    lon: float | None = None
    lat: float | None = None
    building: Building | None = None
    address: str = ""
    licence_number: str = ""
    trade: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    services: list[str] | None = None
    opening_hours: str = ""
    position_kind: str = ""


def _place_values(data: PlaceInput, acting_user: Any) -> dict[str, Any]:
    if data.kind not in Place.Kind.values:
        raise DomainError(_("Choose a kind of place."), field="kind")
    building = data.building
    if data.lon in (None, "") and data.lat in (None, ""):
        if building is None:
            raise DomainError(
                _("Place it on the map or choose its building."), field="lon"
            )
        grid, lon, lat = building.grid, building.lon, building.lat
    else:
        grid = rules.grid_at(data.lon, data.lat, field="lon")
        lon, lat = float(data.lon), float(data.lat)  # type: ignore[arg-type]
        if building is not None and building.grid_id != grid.pk:
            raise DomainError(
                _("The building is in another grid than the point."), field="building"
            )
    services = list(dict.fromkeys(data.services or []))
    if unknown := [s for s in services if s not in Place.Service.values]:
        raise DomainError(
            _("Unknown services: %(names)s") % {"names": ", ".join(map(str, unknown))},
            field="services",
        )
    if services and data.kind != Place.Kind.SERVICE_STATION:
        raise DomainError(
            _("Only a service station lists the services it offers."), field="services"
        )
    licence = _text(
        data.licence_number,
        field="licence_number",
        label=_("The licence number"),
        limit=32,
    ).upper()
    if licence and data.kind not in (Place.Kind.SHOP, Place.Kind.ENTERPRISE):
        raise DomainError(
            _("Only a shop or an enterprise has a business licence number."),
            field="licence_number",
        )
    return {
        "kind": data.kind,
        "grid": grid,
        "lon": lon,
        "lat": lat,
        "building": building,
        "name": _text(
            data.name, field="name", label=_("The name"), limit=100, required=True
        ),
        "address": _text(
            data.address, field="address", label=_("The address"), limit=200
        ),
        "licence_number": licence,
        "trade": _text(data.trade, field="trade", label=_("The trade"), limit=50),
        "contact_name": check_contact_name(data.contact_name),
        "contact_phone": rules.check_phone(
            data.contact_phone or "", field="contact_phone"
        ),
        "services": services,
        "opening_hours": _text(
            data.opening_hours,
            field="opening_hours",
            label=_("The opening hours"),
            limit=100,
        ),
        "position_kind": _text(
            data.position_kind,
            field="position_kind",
            label=_("The kind of position"),
            limit=50,
        ),
    }


def check_contact_name(value: str) -> str:
    """A contact person's name as typed (a place's, an organisation's): at
    most 50 characters, never a masked one copied back from a page or a
    masked export."""
    name = _text(value, field="contact_name", label=_("The contact"), limit=50)
    return rules.check_person_name(name, field="contact_name")


PLACE_MASKED = {"contact_name": mask_name, "contact_phone": mask_phone}


def _save_place(place: Place, values: dict[str, Any], acting_user: Any) -> dict:
    licence = values["licence_number"]
    if (
        licence
        and Place.objects.filter(licence_number=licence).exclude(pk=place.pk).exists()
    ):
        raise DomainError(
            _("Another place already has this licence number."),
            field="licence_number",
        )
    try:
        with transaction.atomic():
            return _write(place, values, acting_user=acting_user, masked=PLACE_MASKED)
    except IntegrityError as exc:  # the same number entered at the same moment
        raise DomainError(
            _("Another place already has this licence number."),
            field="licence_number",
        ) from exc


def place_create(*, data: PlaceInput, acting_user: Any) -> Place:
    values = _place_values(data, acting_user)
    _require_keeper(acting_user, values["grid"])
    place = Place()
    with transaction.atomic():
        _save_place(place, values, acting_user)
    return place


def place_update(
    *, place: Place, data: PlaceInput, acting_user: Any
) -> dict[str, list[Any]]:
    _require_keeper(acting_user, place.grid, field="name")
    values = _place_values(data, acting_user)
    if values["grid"].pk != place.grid_id:
        _require_keeper(acting_user, values["grid"])
    with transaction.atomic():
        return _save_place(place, values, acting_user)


def place_set_open(
    *, place: Place, is_open: bool, acting_user: Any, reason: str = ""
) -> bool:
    """Close a place (it stays in the ledger, marked closed) or open it again.
    Returns whether anything changed."""
    _require_keeper(acting_user, place.grid, field="is_active")
    reason = _text(reason, field="reason", label=_("The reason"), limit=200)
    with transaction.atomic():
        updated = Place.objects.filter(pk=place.pk, is_active=not is_open).update(
            is_active=is_open
        )
        if not updated:
            return False
        place.is_active = is_open
        history.record(
            obj=place,
            action=Change.Action.UPDATE,
            actor=acting_user,
            changes={"is_active": [not is_open, is_open]},
            reason=reason,
        )
    return True
