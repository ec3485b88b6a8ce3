"""Place codes (扫码报事): a signed QR code per grid, building or component,
posted where residents pass; scanning it opens the report form at that place
(the pin at its point, the street set, its name shown), and the appeal records
that it came by the code.

A token names a place by kind and id, signed with a salt of its own use
(:mod:`civicgrid.core.qr`): it cannot be made up, nor changed into another
place's. What a kind's id means is told by the app that keeps such places:
appeals knows grids (the area tree); the ledger registers buildings and
components in its ``AppConfig.ready()``::

    places.register("building", building_place, printable=buildings_printable)

so appeals imports nothing above it. ``printable(user)`` is the places of
that kind whose code the user may print: the staff who see the place in the
ledger; for anyone else the code's card is not there (404). A place that is
gone or no longer in use (a retired grid, a building pulled down) resolves to
None, and its code opens a plain page that says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from shapely.geometry import shape

from civicgrid.core import qr
from civicgrid.org.models import Area
from civicgrid.org.selectors import areas_for_user

SALT = "civicgrid.appeals.place"


@dataclass(frozen=True)
class ScannedPlace:
    """Where a scanned code puts the report: the place's kind and id, its name
    as residents know it, its point, and the street that receives it."""

    kind: str
    pk: int
    name: str
    latitude: float | None
    longitude: float | None
    street: Area
    # The category a problem here most likely is (a street lamp's code: 路灯不亮).
    category_id: int | None = None

    @classmethod
    def at(
        cls,
        kind: str,
        pk: int,
        name: str,
        point: tuple[float, float] | None,
        street: Area,
        category_id: int | None = None,
    ) -> ScannedPlace:
        """The place with its pin at ``point`` (latitude, longitude), or none."""
        latitude, longitude = point if point is not None else (None, None)
        return cls(kind, pk, name, latitude, longitude, street, category_id)

    @property
    def ref(self) -> str:
        """``kind:id``, as the appeal's timeline records it."""
        return f"{self.kind}:{self.pk}"


Resolver = Callable[[int], ScannedPlace | None]
Printable = Callable[[Any], QuerySet[Any]]
_resolvers: dict[str, tuple[Resolver, Printable]] = {}


def register(kind: str, resolve: Resolver, *, printable: Printable) -> None:
    """``resolve(pk)`` answers for place codes of ``kind`` from now on, and
    ``printable(user)`` says whose code a user may print (the same kind again
    replaces the earlier pair: an app made ready twice)."""
    _resolvers[kind] = (resolve, printable)


def kinds() -> tuple[str, ...]:
    return tuple(_resolvers)


def printable_place(user: Any, kind: str, pk: int) -> ScannedPlace | None:
    """The place whose code ``user`` may print, or None: an unknown kind, a
    place the user does not see, or one no longer in use."""
    registered = _resolvers.get(kind)
    if registered is None or not user.is_authenticated:
        return None
    resolve, printable = registered
    if not printable(user).filter(pk=pk).exists():
        return None
    return resolve(pk)


def token(kind: str, pk: int) -> str:
    return qr.sign([kind, pk], salt=SALT)


def place_from_token(value: str) -> ScannedPlace | None:
    """The place a token names, or None for a forged, altered or unknown one,
    or a place no longer in use."""
    signed = qr.unsign(value, salt=SALT)
    if not (
        isinstance(signed, list)
        and len(signed) == 2
        and isinstance(signed[0], str)
        and isinstance(signed[1], int)
        and not isinstance(signed[1], bool)
    ):
        return None
    registered = _resolvers.get(signed[0])
    return registered[0](signed[1]) if registered is not None else None


def link(kind: str, pk: int) -> str:
    """The absolute link a place's code carries."""
    return qr.absolute(reverse("appeals:report_at", args=[token(kind, pk)]))


def point_of(geometry: Any) -> tuple[float, float] | None:
    """A point inside a GeoJSON polygon (latitude, longitude): its centroid
    when that lies inside, else a point that surely does (an L-shaped grid's
    centroid may fall outside it)."""
    if not geometry:
        return None
    try:
        drawn = shape(geometry)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    if drawn.is_empty:
        return None
    point = drawn.centroid
    if not drawn.contains(point):
        point = drawn.representative_point()
    return point.y, point.x


def street_of(grid: Area) -> Area | None:
    """The active street above an active grid (grid → community → street)."""
    community = grid.parent
    street = community.parent if community is not None else None
    if street is None or street.level != Area.Level.STREET or not street.is_active:
        return None
    return street


def grid_place(pk: int) -> ScannedPlace | None:
    """A grid's code: the pin at the middle of its boundary."""
    grid = (
        Area.objects.filter(pk=pk, level=Area.Level.GRID, is_active=True)
        .select_related("parent__parent")
        .first()
    )
    street = street_of(grid) if grid is not None else None
    if grid is None or street is None:
        return None
    return ScannedPlace.at("grid", grid.pk, grid.name, point_of(grid.boundary), street)


def grids_printable(user: Any) -> QuerySet[Area]:
    return areas_for_user(user).filter(level=Area.Level.GRID, is_active=True)


register("grid", grid_place, printable=grids_printable)
