"""The grid map's layer for one street with 50,000 features, beside one plain
``SELECT`` of the same rows, warm, on a database of its own.

A street of 40 grids (10 × 4 squares of 0.01°) holds 50,000 city components
at random places; the street's dispatcher (who reads all of it) asks the
``components`` layer for

- a view of about one grid (the box a phone shows zoomed to a grid), and
- the whole street (zoomed out: the layer stops at its cap of 2,000 and says
  ``truncated``),

through the layer's endpoint with Django's test client (the session, the
scoping, the state annotation, the GeoJSON and its JSON encoding) and through
the selector alone. The baseline is one ``SELECT id, code, subclass, state,
lon, lat`` of the same rows by the same box and limit, on a raw cursor. Each
figure is the median of 30 runs after 5 warm-up runs.

    .venv/bin/python bench/ledger_map_layer.py            # PostgreSQL
    .venv/bin/python bench/ledger_map_layer.py --db sqlite
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_NAME = "civicgrid_map_bench"
PG = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
SQLITE = ROOT / "var" / "bench-map.sqlite3"
FEATURES = 50_000
RUNS, WARM = 30, 5


def database_url(kind: str) -> str:
    return PG if kind == "postgres" else f"sqlite:///{SQLITE}"


def prepare(kind: str) -> None:
    url = database_url(kind)
    if kind == "postgres":
        for sql in (f"DROP DATABASE IF EXISTS {PG_NAME}", f"CREATE DATABASE {PG_NAME}"):
            subprocess.run(  # noqa: S603
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql],  # noqa: S607
                check=True,
            )
    else:
        SQLITE.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE}{suffix}").unlink(missing_ok=True)
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        },
        check=True,
    )


def seed() -> object:
    import random

    from shapely.geometry import box

    from civicgrid.accounts.actions import membership_add
    from civicgrid.accounts.models import Role, User
    from civicgrid.ledger.models import Component
    from civicgrid.org.actions import area_save
    from civicgrid.org.geometry import to_geojson
    from civicgrid.org.models import Area

    def area(code, name, level, parent, boundary=None, **extra):
        return area_save(
            area=Area(
                code=code,
                name=name,
                level=level,
                parent=parent,
                boundary=boundary,
                **extra,
            ),
            acting_user=None,
        )

    city = area(
        "540100", "拉萨市", Area.Level.CITY, None, to_geojson(box(90, 29, 92, 30))
    )
    district = area("540103", "堆龙德庆区", Area.Level.DISTRICT, city)
    street = area(
        "540103001",
        "东嘎街道",
        Area.Level.STREET,
        district,
        to_geojson(box(91.0, 29.6, 91.1, 29.64)),
    )
    grids: list[Area] = []
    for c in range(4):
        community = area(
            f"540103001{c + 1:03d}",
            f"社区{c + 1}",
            Area.Level.COMMUNITY,
            street,
            to_geojson(box(91.0, 29.6 + c * 0.01, 91.1, 29.61 + c * 0.01)),
            community_kind=Area.CommunityKind.COMMUNITY,
        )
        grids.extend(
            area(
                f"540103001{c + 1:03d}{g + 1:03d}",
                f"网格{c + 1}-{g + 1}",
                Area.Level.GRID,
                community,
                to_geojson(
                    box(
                        91.0 + g * 0.01,
                        29.6 + c * 0.01,
                        91.01 + g * 0.01,
                        29.61 + c * 0.01,
                    )
                ),
            )
            for g in range(10)
        )
    rng = random.Random(50_000)  # noqa: S311 - benchmark data
    rows = []
    for n in range(FEATURES):
        grid = grids[n % len(grids)]
        g, c = (n % len(grids)) % 10, (n % len(grids)) // 10
        rows.append(
            Component(
                grid=grid,
                code=f"0120{n:011d}",
                subclass="0120",
                state=rng.choice(["good"] * 8 + ["damaged", "lost"]),
                lon=91.0 + g * 0.01 + rng.uniform(0.0005, 0.0095),
                lat=29.6 + c * 0.01 + rng.uniform(0.0005, 0.0095),
            )
        )
    Component.objects.bulk_create(rows, batch_size=5000)
    user = User.objects.create_user(username="dispatcher")
    membership_add(user=user, role=Role.DISPATCHER, area=street, acting_user=None)
    return user


def median_ms(call) -> float:
    for _ in range(WARM):
        call()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure() -> None:
    import json

    from django.db import connection
    from django.test import Client

    from civicgrid.ledger import map_selectors
    from civicgrid.ledger.models import Component

    user = seed()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    table = Component._meta.db_table
    boxes = {
        "one grid": (91.03, 29.61, 91.04, 29.62),
        "the whole street": (91.0, 29.6, 91.1, 29.64),
    }
    print(
        f"{connection.vendor}, {FEATURES:,} components in 40 grids, "
        f"median of {RUNS} runs"
    )
    print(
        "| view | features | endpoint ms | selector ms | SELECT ms "
        "| endpoint / SELECT |"
    )
    print("|---|---|---|---|---|---|")
    for label, bbox in boxes.items():
        west, south, east, north = bbox
        query = ",".join(str(v) for v in bbox)
        answer = client.get("/ledger/map/layers/components/", {"bbox": query}).json()

        def endpoint(query=query):
            response = client.get("/ledger/map/layers/components/", {"bbox": query})
            assert response.status_code == 200

        def selector(bbox=bbox):
            json.dumps(map_selectors.layer_features(user, "components", bbox))

        def select(west=west, south=south, east=east, north=north):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, code, subclass, state, lon, lat FROM {table} "  # noqa: S608
                    "WHERE lon >= %s AND lon <= %s AND lat >= %s AND lat <= %s "
                    "ORDER BY id LIMIT %s",
                    [west, east, south, north, map_selectors.MAX_FEATURES + 1],
                )
                cursor.fetchall()

        e, s, b = median_ms(endpoint), median_ms(selector), median_ms(select)
        shown = f"{len(answer['features']):,}" + (
            " (truncated)" if answer["truncated"] else ""
        )
        print(f"| {label} | {shown} | {e:.1f} | {s:.1f} | {b:.1f} | {e / b:.1f} × |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = database_url(args.db)
    if not args.child:
        prepare(args.db)
        subprocess.run(  # noqa: S603
            [PYTHON, __file__, "--db", args.db, "--child"],
            env={
                **os.environ,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                "DEBUG": "0",
                "PYTHONPATH": str(ROOT),
            },
            check=True,
        )
        return
    import django

    django.setup()
    measure()


if __name__ == "__main__":
    main()
