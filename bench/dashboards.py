"""The street overview and a department's page over a large history, beside one
plain ``SELECT count(*)`` over the appeals table in the same run.

Seeds (once, and again with --reseed) a database of its own with the demo street
and ``--appeals`` appeals of history (``civicgrid seed-bulk``), then measures in
a fresh process, so the first request is cold for Django (imports, connection,
caches); on PostgreSQL the server is restarted first, so its shared buffers are
cold too (the operating system's file cache is not cleared). Warm figures are
the median of five further requests. Pages are requested through Django's test
client as the demo street's leader (for the overview) and a handler of the
department with the most work (for its page): the whole view and template, no
HTTP server.

    .venv/bin/python bench/dashboards.py --db postgres --appeals 1000000
    .venv/bin/python bench/dashboards.py --db sqlite --appeals 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432/civicgrid_metrics_bench"
SQLITE = ROOT / "var" / "bench-metrics.sqlite3"


def database_url(kind: str) -> str:
    return PG if kind == "postgres" else f"sqlite:///{SQLITE}"


def manage(url: str, *args: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
    }
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def seed(kind: str, appeals: int) -> None:
    url = database_url(kind)
    if kind == "postgres":
        for sql in (
            "DROP DATABASE IF EXISTS civicgrid_metrics_bench",
            "CREATE DATABASE civicgrid_metrics_bench",
        ):
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True
            )  # noqa: S603, S607
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE}{suffix}").unlink(missing_ok=True)
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "seed_demo")
    started = time.perf_counter()
    manage(url, "seed_bulk", "--appeals", str(appeals))
    print(f"seeded {appeals} appeals in {time.perf_counter() - started:.0f} s")
    if kind == "postgres":
        subprocess.run(  # noqa: S603, S607
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                "civicgrid_metrics_bench",
                "-qc",
                "VACUUM ANALYZE",
            ],
            check=True,
        )


def restart_postgres() -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(  # noqa: S603, S607
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
    )
    time.sleep(2)


MEASURE = r"""
import json, statistics, time, os
import django
django.setup()
from django.db import connection
from django.test import Client
from django.contrib.auth import get_user_model
from civicgrid.accounts.models import Membership
from civicgrid.appeals.models import Appeal
from civicgrid.metrics.models import Fact
from django.db.models import Count

def timed(run):
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000

def count():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM " + Appeal._meta.db_table)
        return cursor.fetchone()[0]

result = {}
result["count_cold_ms"] = timed(count)
result["count_warm_ms"] = statistics.median(timed(count) for _ in range(5))
result["appeals"] = count()
leader = get_user_model().objects.get(username="leader")
busiest = (
    Fact.objects.filter(kind="dispatch", department__isnull=False)
    .values("department").annotate(n=Count("pk")).order_by("-n")
    .first()["department"]
)
handler = get_user_model().objects.create(
    username=f"bench-{busiest}-{time.time_ns()}"
)
Membership.objects.create(
    user=handler, role="department_handler", department_id=busiest
)
pages = {
    "overview": (leader, "/metrics/"),
    "department": (handler, f"/metrics/departments/{busiest}/"),
}
for name, (user, url) in pages.items():
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    def get():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    result[name + "_cold_ms"] = timed(get)
    result[name + "_warm_ms"] = statistics.median(timed(get) for _ in range(5))
handler.delete()
print(json.dumps(result))
"""


def measure(kind: str) -> dict[str, float]:
    if kind == "postgres":
        restart_postgres()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(kind),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
    }
    done = subprocess.run(  # noqa: S603
        [PYTHON, "-c", MEASURE],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def seeded(kind: str) -> int:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(kind),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
    }
    code = (
        "import django; django.setup(); "
        "from civicgrid.appeals.models import Appeal; print(Appeal.objects.count())"
    )
    done = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )  # noqa: S603
    try:
        return int(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--appeals", type=int, default=1_000_000)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--runs", type=int, default=1, help="measure this many times")
    args = parser.parse_args()
    if args.reseed or seeded(args.db) < args.appeals:
        seed(args.db, args.appeals)
    for _ in range(args.runs):
        r = measure(args.db)
        print(f"{args.db}, {r['appeals']} appeals:")
        for name in ("count", "overview", "department"):
            cold, warm = r[name + "_cold_ms"], r[name + "_warm_ms"]
            print(f"  {name:<10} cold {cold:8.0f} ms   warm {warm:8.0f} ms")


if __name__ == "__main__":
    main()
