"""Grid lookup benchmark: 10,000 grids, 100,000 random points.

Measures the STRtree index (one point at a time, as intake does, and in bulk, as
imports do) beside a brute-force loop over all polygons on the same data, and
checks that both give the same answers. Then the whole `grid_for_point` selector
(index plus the Area row from a throwaway SQLite database holding the same grids).
Runs on one core (shapely is single-threaded).

    .venv/bin/python bench/grid_lookup.py [--grids 10000] [--points 100000]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
_scratch = tempfile.mkdtemp(prefix="civicgrid-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{_scratch}/bench.sqlite3"

import django  # noqa: E402

django.setup()

import shapely  # noqa: E402
from django.core.management import call_command  # noqa: E402

from civicgrid.org.demo import grid_lattice  # noqa: E402
from civicgrid.org.geometry import to_geojson  # noqa: E402
from civicgrid.org.gridindex import GridIndex, invalidate_grid_index  # noqa: E402
from civicgrid.org.models import Area, GeometryVersion  # noqa: E402
from civicgrid.org.selectors import grid_for_point  # noqa: E402


def load_grids(cells: dict) -> None:
    """The lattice as Area rows, inserted directly: the cells tile a rectangle by
    construction, so the per-grid overlap check of area_save is not what is
    measured here."""
    call_command("migrate", verbosity=0)
    community = Area.objects.create(
        level="community",
        code="540103001001",
        name="bench",
        path="bench/",
        community_kind="community",
    )
    Area.objects.bulk_create(
        [
            Area(
                level="grid",
                code=f"{n:015d}",
                name=f"grid {n}",
                parent=community,
                path=f"bench/{n:015d}/",
                boundary=to_geojson(polygon),
            )
            for n, (_key, polygon) in enumerate(sorted(cells.items()))
        ],
        batch_size=1000,
    )
    GeometryVersion.objects.update_or_create(pk=1, defaults={"version": 1})
    invalidate_grid_index()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grids", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--brute-points", type=int, default=300)
    args = parser.parse_args()

    side = int(math.isqrt(args.grids))
    west, south, width, height = 90.9, 29.5, 0.3, 0.3
    cells = grid_lattice(
        cols=side, rows=side, west=west, south=south, width=width, height=height, seed=7
    )
    grids = [
        (n, f"{i:05d}{j:05d}", polygon)
        for n, ((i, j), polygon) in enumerate(sorted(cells.items()))
    ]
    rng = random.Random(42)
    # 5 % of the points fall outside every grid; a few sit exactly on vertices.
    margin = 0.05 * width
    points = [
        (
            rng.uniform(west - margin, west + width + margin),
            rng.uniform(south - margin, south + height + margin),
        )
        for _ in range(args.points)
    ]
    for k in range(0, args.points, 1000):
        points[k] = tuple(cells[(k // 1000) % side, 0].exterior.coords[0])

    t0 = time.perf_counter()
    index = GridIndex.build(grids)
    build_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    single = [index.lookup(x, y) for x, y in points]
    single_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    bulk = index.lookup_many([p[0] for p in points], [p[1] for p in points])
    bulk_s = time.perf_counter() - t0
    assert bulk == single, "bulk and single lookups disagree"

    # Brute force: every polygon in code order, first that covers the point wins
    # unless another holds it in its interior — the same rule as the index.
    ordered = sorted(grids, key=lambda g: g[1])
    sample = points[: args.brute_points]
    t0 = time.perf_counter()
    brute = []
    for x, y in sample:
        point = shapely.Point(x, y)
        hits = [g for g in ordered if g[2].intersects(point)]
        inside = [g for g in hits if g[2].contains_properly(point)]
        brute.append((inside or hits)[0][0] if hits else None)
    brute_s = time.perf_counter() - t0
    assert brute == single[: len(sample)], "index and brute force disagree"

    load_grids(cells)
    db_points = points[:20_000]
    grid_for_point(*db_points[0])  # build this process's index from the database
    t0 = time.perf_counter()
    for x, y in db_points:
        grid_for_point(x, y)
    selector_s = time.perf_counter() - t0
    shutil.rmtree(_scratch, ignore_errors=True)

    single_rate = len(points) / single_s
    bulk_rate = len(points) / bulk_s
    brute_rate = len(sample) / brute_s
    print(
        f"machine: {platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}, shapely {shapely.__version__}, one core"
    )
    print(
        f"grids: {len(grids)} ({side}x{side} jittered lattice, 8 vertices each); "
        f"points: {len(points)}"
    )
    print(f"index build:          {build_s * 1000:8.1f} ms")
    print(f"index, one at a time: {single_rate:10,.0f} lookups/s")
    print(f"index, bulk:          {bulk_rate:10,.0f} lookups/s")
    print(f"brute force loop:     {brute_rate:10,.1f} lookups/s ({len(sample)} points)")
    print(
        f"grid_for_point (index + Area row, SQLite): "
        f"{len(db_points) / selector_s:10,.0f} lookups/s ({len(db_points)} points)"
    )
    print(f"ratio one-at-a-time / brute force: {single_rate / brute_rate:,.0f}x")
    print(
        "target 50,000 lookups/s one at a time: "
        + ("met" if single_rate >= 50_000 else "NOT met")
    )


if __name__ == "__main__":
    main()
