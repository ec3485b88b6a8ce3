"""Importing households and people from Excel, beside openpyxl merely reading
the same file in the same run.

Generates (once, cached under var/) an .xlsx of synthetic people — valid ID
numbers and phones, 2.5 people to a household, 100 households to a building,
10 buildings to a grid — and, on a database of its own with a street of 40
grids and their 400 buildings, times in fresh processes:

- reading: ``load_workbook(read_only=True)`` and ``iter_rows(values_only=True)``
  over every row, nothing else (the baseline);
- the import: ``ledger.actions.io.import_workbook`` as the street's ledger admin
  (every cell checked, then households, people, moves, tags and one history row
  per written row, in one transaction);
- the same file again (every row found unchanged, nothing written).

Each measurement runs in its own process and reports its peak resident memory
(``getrusage`` maxrss), so a 10,000-row and a 100,000-row file can be compared:
read-only streaming keeps memory flat.

    .venv/bin/python bench/ledger_import.py --db sqlite
    .venv/bin/python bench/ledger_import.py --db postgres
    .venv/bin/python bench/ledger_import.py --db sqlite --rows 10000 --profile
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_NAME = "civicgrid_ledger_bench"
PG = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
SQLITE = ROOT / "var" / "bench-ledger.sqlite3"
GRIDS = 40  # 10 × 4 squares of 0.01°
BUILDINGS_PER_GRID = 10
HOUSEHOLDS_PER_BUILDING = 100


def database_url(kind: str) -> str:
    return PG if kind == "postgres" else f"sqlite:///{SQLITE}"


def env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "0",  # DEBUG keeps every query's SQL: memory would grow with it
        "PYTHONPATH": str(ROOT),
    }


def workbook_path(rows: int) -> Path:
    return ROOT / "var" / f"bench-ledger-people-{rows}.xlsx"


# --- the file ----------------------------------------------------------------------


def grid_code(index: int) -> str:
    return f"540103001{index // 10 + 1:03d}{index % 10 + 1:03d}"


def generate(rows: int) -> Path:
    """People 0 … rows-1: person i lives in household i * 2 // 5 (2.5 to a
    household), in building household // 100 of grid building // 10."""
    path = workbook_path(rows)
    if path.exists():
        return path
    path.parent.mkdir(exist_ok=True)
    from openpyxl import Workbook

    from civicgrid.ledger.rules import id_number_check_digit

    headers = [
        "网格编码",
        "楼栋",
        "单元",
        "房号",
        "姓名",
        "身份证号",
        "联系电话",
        "性别",
        "出生日期",
        "民族",
        "与户主关系",
        "标签",
        "入住日期",
    ]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("户籍人口")
    sheet.append(headers)
    names = ["卓玛", "扎西", "次仁", "拉巴", "边巴", "格桑", "央金", "达瓦"]
    start = dt.date(1940, 1, 1)
    for i in range(rows):
        household = i * 2 // 5
        building = household // HOUSEHOLDS_PER_BUILDING
        grid = building // BUILDINGS_PER_GRID
        within = household % HOUSEHOLDS_PER_BUILDING
        born = start + dt.timedelta(days=i // 900)
        first = f"540103{born:%Y%m%d}{i % 900 + 100:03d}"
        sheet.append(
            [
                grid_code(grid),
                f"{building % BUILDINGS_PER_GRID + 1}号楼",
                str(within // 25 + 1),
                str(101 + within % 25),
                names[i % len(names)] + names[(i // 8) % len(names)],
                first + id_number_check_digit(first),
                f"139{i:08d}",
                "",
                "",
                "藏族",
                "户主" if i * 2 % 5 < 2 else "家庭成员",
                "独居老人" if i % 10 == 0 else ("党员" if i % 7 == 0 else ""),
                "2015-06-01",
            ]
        )
    book.save(path)
    return path


# --- the database ------------------------------------------------------------------


def prepare(kind: str) -> None:
    url = database_url(kind)
    if kind == "postgres":
        for sql in (
            f"DROP DATABASE IF EXISTS {PG_NAME}",
            f"CREATE DATABASE {PG_NAME}",
        ):
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
        env=env(url),
        check=True,
    )
    child(url, "setup")


def _setup() -> dict[str, object]:
    from shapely.geometry import box

    from civicgrid.accounts.actions import membership_add
    from civicgrid.accounts.models import Role, User
    from civicgrid.ledger.models import Building
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
    for c in range(4):
        community = area(
            f"540103001{c + 1:03d}",
            f"社区{c + 1}",
            Area.Level.COMMUNITY,
            street,
            to_geojson(box(91.0, 29.6 + c * 0.01, 91.1, 29.61 + c * 0.01)),
            community_kind=Area.CommunityKind.COMMUNITY,
        )
        for g in range(10):
            west, south = 91.0 + g * 0.01, 29.6 + c * 0.01
            grid = area(
                grid_code(c * 10 + g),
                f"网格{c + 1}-{g + 1}",
                Area.Level.GRID,
                community,
                to_geojson(box(west, south, west + 0.01, south + 0.01)),
            )
            Building.objects.bulk_create(
                Building(
                    grid=grid,
                    name=f"{b + 1}号楼",
                    lon=west + 0.0005 + b * 0.0009,
                    lat=south + 0.005,
                )
                for b in range(BUILDINGS_PER_GRID)
            )
    admin = User.objects.create(username="bench-admin", full_name="管理员")
    membership_add(user=admin, role=Role.ADMIN, area=street, acting_user=None)
    return {"grids": GRIDS, "buildings": GRIDS * BUILDINGS_PER_GRID}


def _clear() -> None:
    from civicgrid.ledger.models import Change, Household, Person, PersonTag, Residence

    for model in (Change, PersonTag, Residence, Person, Household):
        model.objects.all().delete()


def _read(path: str) -> dict[str, object]:
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(path, read_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
    book.close()
    return {"rows": rows, "seconds": time.perf_counter() - started}


def _import(path: str, profile: bool) -> dict[str, object]:
    from civicgrid.accounts.models import User
    from civicgrid.ledger.actions.io import import_workbook
    from civicgrid.ledger.models import Change

    admin = User.objects.get(username="bench-admin")
    before = Change.objects.count()
    started = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        result = profiler.runcall(
            import_workbook, kind="people", upload=path, acting_user=admin
        )
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    else:
        result = import_workbook(kind="people", upload=path, acting_user=admin)
    seconds = time.perf_counter() - started
    assert result.ok, result.errors[:5]  # noqa: S101
    return {
        "rows": result.rows,
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "changes": Change.objects.count() - before,
        "seconds": seconds,
    }


def child(url: str, what: str, *args: str) -> dict[str, object]:
    """Run one measurement in a fresh process; its answer and peak memory."""
    done = subprocess.run(  # noqa: S603
        [PYTHON, __file__, "--child", what, *args],
        cwd=ROOT,
        env=env(url),
        capture_output=True,
        text=True,
    )
    sys.stderr.write(done.stderr)
    done.check_returncode()
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_child(what: str, args: list[str]) -> None:
    import django

    django.setup()
    if what == "setup":
        answer = _setup()
    elif what == "clear":
        _clear()
        answer = {}
    elif what == "read":
        answer = _read(args[0])
    else:
        answer = _import(args[0], profile=bool(args[1:]))
    answer["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(answer))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--rows", type=int, nargs="*", default=[10_000, 100_000], help="file sizes"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the import")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        run_child(options.child[0], options.child[1:])
        return
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    url = database_url(options.db)
    prepare(options.db)
    print(f"database: {options.db}")
    print(
        "| rows | read rows/s | import rows/s | ratio | re-import rows/s "
        "| read MB | import MB | re-import MB | history rows |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for rows in options.rows:
        path = str(generate(rows))
        child(url, "clear")
        read = child(url, "read", path)
        extra = ["profile"] if options.profile else []
        first = child(url, "import", path, *extra)
        again = child(url, "import", path)
        assert first["added"] == rows and again["unchanged"] == rows  # noqa: S101
        read_rate = rows / float(read["seconds"])
        import_rate = rows / float(first["seconds"])
        print(
            f"| {rows:,} | {read_rate:,.0f} | {import_rate:,.0f} | "
            f"{import_rate / read_rate:.2f} | {rows / float(again['seconds']):,.0f} | "
            f"{read['maxrss_mb']:.0f} | {first['maxrss_mb']:.0f} | "
            f"{again['maxrss_mb']:.0f} | {first['changes']:,} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
