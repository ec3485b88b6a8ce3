"""Which grid contains a point: an STRtree over every active grid's polygon.

The index is built once per process and rebuilt when ``GeometryVersion`` moves
(another process redrew a grid) or when this process commits a change. A point on
a border shared by several grids goes to exactly one of them: a grid that holds it
in its interior if there is one, else the grid with the smallest code.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.conf import settings
from shapely import STRtree

from civicgrid.core.errors import DomainError

from .geometry import parse_boundary

log = logging.getLogger(__name__)


@dataclass
class GridIndex:
    ids: np.ndarray  # grid primary keys, in code order
    geometries: np.ndarray
    tree: STRtree
    version: int
    # GEOS prepared geometries build their caches lazily and are not safe to
    # share between threads (shapely releases the GIL), so lookups take turns.
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def build(
        cls, grids: Sequence[tuple[int, str, object]], version: int = 0
    ) -> GridIndex:
        """``grids`` holds (id, code, shapely geometry); any order."""
        ordered = sorted(grids, key=lambda g: g[1])
        ids = np.array([g[0] for g in ordered], dtype=np.int64)
        geometries = np.array([g[2] for g in ordered], dtype=object)
        shapely.prepare(geometries)
        return cls(
            ids=ids, geometries=geometries, tree=STRtree(geometries), version=version
        )

    def __len__(self) -> int:
        return len(self.ids)

    def _pick(self, point: shapely.Point, candidates: np.ndarray) -> int:
        if len(candidates) == 1:
            return int(candidates[0])
        candidates = np.sort(candidates)  # code order
        inside = shapely.contains_properly(self.geometries[candidates], point)
        if inside.any():
            return int(candidates[np.argmax(inside)])
        return int(candidates[0])

    def lookup(self, lon: float, lat: float) -> int | None:
        """The id of the grid containing (lon, lat), or None outside every grid."""
        point = shapely.Point(lon, lat)
        with self.lock:
            candidates = self.tree.query(point)
            if len(candidates) == 0:
                return None
            hits = candidates[shapely.intersects(self.geometries[candidates], point)]
            if len(hits) == 0:
                return None
            return int(self.ids[self._pick(point, hits)])

    def lookup_many(
        self, lons: Sequence[float], lats: Sequence[float]
    ) -> list[int | None]:
        """The same as :meth:`lookup` for many points at once (imports, benchmarks)."""
        points = shapely.points(
            np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
        )
        with self.lock:
            return self._lookup_many(points)

    def _lookup_many(self, points: np.ndarray) -> list[int | None]:
        point_idx, grid_idx = self.tree.query(points, predicate="intersects")
        result: list[int | None] = [None] * len(points)
        if len(point_idx) == 0:
            return result
        # Most points have one hit; group the rest.
        order = np.lexsort((grid_idx, point_idx))
        point_idx, grid_idx = point_idx[order], grid_idx[order]
        starts = np.flatnonzero(np.r_[True, point_idx[1:] != point_idx[:-1]])
        ends = np.r_[starts[1:], len(point_idx)]
        for start, end in zip(starts, ends, strict=True):
            p = int(point_idx[start])
            if end - start == 1:
                result[p] = int(self.ids[grid_idx[start]])
            else:
                result[p] = int(self.ids[self._pick(points[p], grid_idx[start:end])])
        return result


_lock = threading.Lock()
_index: GridIndex | None = None
_checked_at = 0.0


def _current_version() -> int:
    from .models import GeometryVersion

    return (
        GeometryVersion.objects.filter(pk=1).values_list("version", flat=True).first()
        or 0
    )


def _build_from_database(version: int) -> GridIndex:
    from .models import Area

    rows = Area.objects.filter(
        level=Area.Level.GRID, is_active=True, boundary__isnull=False
    ).values_list("id", "code", "name", "boundary")
    grids = []
    for pk, code, name, boundary in rows:
        # Boundaries are validated on the way in; one damaged by hand in the
        # database must not stop every other grid from being found.
        try:
            grids.append((pk, code, parse_boundary(boundary, label=name)))
        except DomainError:
            log.exception("grid %s has an unreadable boundary; left out", code)
    return GridIndex.build(grids, version)


def get_grid_index() -> GridIndex:
    """This process's index, rebuilt if the database says grids have changed.
    The database is asked at most every ``CIVICGRID_GRID_INDEX_CHECK_SECONDS``."""
    global _index, _checked_at
    index = _index
    now = time.monotonic()
    if (
        index is not None
        and now - _checked_at < settings.CIVICGRID_GRID_INDEX_CHECK_SECONDS
    ):
        return index
    with _lock:
        version = _current_version()
        if _index is None or _index.version != version:
            _index = _build_from_database(version)
        _checked_at = time.monotonic()
        return _index


def invalidate_grid_index() -> None:
    global _index
    with _lock:
        _index = None
