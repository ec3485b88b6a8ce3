"""Intake throughput through the real HTTP path, beside a bare insert.

Starts gunicorn (gthread: 2 processes × 8 threads, a bounded pool) on a fresh
database, then drives it with N concurrent keep-alive connections:
  1. the baseline: a Django view that inserts one row (bench/benchapp);
  2. intake: the resident's form, POST /report/ with CSRF, a pin, a category and
     a phone number, each request with its own idempotency key (uuid4, from the
     OS's randomness, so threads never repeat one).
Clients retry a failed request with the same key until it is acknowledged (a
redirect to its tracking code). One `civicgrid worker` runs beside the server, as
in production, registering what intake received. Afterwards, once the worker has
caught up, every acknowledged appeal must exist, exactly once; the time from
receipt to registration is reported. With --restart-db the PostgreSQL server is
restarted half-way through the intake phase.

    .venv/bin/python bench/intake.py --db sqlite
    .venv/bin/python bench/intake.py --db postgres --restart-db
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_URL = "postgres://postgres@127.0.0.1:5432/civicgrid_bench"


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    finished_at: list[float] = field(default_factory=list)
    acknowledged: dict[str, str] = field(default_factory=dict)
    retries: int = 0
    failures: int = 0
    drain_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def env_for(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONPATH=str(ROOT),
    )
    return env


def prepare_database(kind: str) -> str:
    if kind == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="civicgrid-intake-")) / "bench.sqlite3"
        url = f"sqlite:///{path}"
    else:
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as c:
            c.execute("DROP DATABASE IF EXISTS civicgrid_bench WITH (FORCE)")
            c.execute("CREATE DATABASE civicgrid_bench")
        url = PG_URL
    env = env_for(url)
    for command in (
        ["migrate", "--run-syncdb", "-v0"],
        ["seed_demo"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return url


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - our own server
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env_for(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start")


def start_worker(url: str, niceness: int) -> subprocess.Popen[bytes]:
    """Background work yields to requests (as a deployment would run it): the
    worker registers in the server's idle time and catches up after a peak."""
    return subprocess.Popen(  # noqa: S603 - our own worker
        ["nice", "-n", str(niceness), PYTHON, "manage.py", "worker"],
        cwd=ROOT,
        env=env_for(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def form_fields(port: int) -> tuple[str, str, dict[str, str]]:
    """One GET of the form: the CSRF cookie and token, a category and a pin."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/report/")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie", "")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    category = re.search(r'<option value="(\d+)">路灯不亮</option>', html)
    if not (csrf_cookie and token and category):
        raise SystemExit("could not read the report form")
    fields = {
        "csrfmiddlewaretoken": token.group(1),
        "category": category.group(1),
        "latitude": "29.645",
        "longitude": "91.005",
        "name": "测试",
        "phone": "13800000000",
        "consent": "on",
    }
    return csrf_cookie.group(1), token.group(1), fields


def acknowledged_code(location: str) -> str:
    """/report/done/<code>/?key=… → <code>"""
    return urllib.parse.urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1]


def client_loop(kind: str, port: int, stop: threading.Event, stats: Stats) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookie, _token, base = form_fields(port) if kind == "intake" else ("", "", {})
    while not stop.is_set():
        key = uuid.uuid4().hex
        if kind == "bare":
            body = urllib.parse.urlencode({"key": key})
            path, headers = "/bench/bare/", {}
        else:
            body = urllib.parse.urlencode(
                {**base, "idempotency_key": key, "description": f"bench {key} 路灯不亮"}
            )
            path, headers = (
                "/report/",
                {
                    "Cookie": f"csrftoken={cookie}",
                    "Referer": f"http://127.0.0.1:{port}/report/",
                },
            )
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        attempts = 0
        while True:  # the same key until acknowledged: a client that cares
            attempts += 1
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                location = response.getheader("Location", "")
            except (OSError, http.client.HTTPException):
                status, location = 0, ""
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - started
            ok = (kind == "bare" and status == 200) or (
                kind == "intake" and status == 302 and "/report/done/" in location
            )
            if ok:
                with stats.lock:
                    stats.latencies.append(elapsed)
                    stats.finished_at.append(time.perf_counter())
                    if kind == "intake":
                        stats.acknowledged[key] = acknowledged_code(location)
                break
            with stats.lock:
                stats.retries += 1
            if attempts > 200:
                with stats.lock:
                    stats.failures += 1
                break
            time.sleep(min(2.0, 0.05 * attempts))


def run_phase(
    kind: str, port: int, connections: int, seconds: float, restart: bool
) -> tuple[Stats, float]:
    stats, stop = Stats(), threading.Event()
    threads = [
        threading.Thread(target=client_loop, args=(kind, port, stop, stats))
        for _ in range(connections)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    if restart:
        time.sleep(seconds / 2)
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
        )  # noqa: S603, S607
        time.sleep(seconds / 2)
    else:
        time.sleep(seconds)
    stop.set()
    stopped = time.perf_counter()
    for t in threads:
        t.join()
    stats.drain_seconds = time.perf_counter() - stopped
    # The rate counts what was acknowledged inside the window; the last
    # requests, still retrying, finish after it (reported as drain time).
    inside = sum(1 for t in stats.finished_at if t <= stopped)
    return stats, (stopped - started) * len(stats.latencies) / max(1, inside)


def verify(url: str, stats: Stats) -> dict[str, float]:
    """Wait for the worker to register everything received, then check that
    every acknowledged appeal is present and no key made two."""
    code = (
        "import json, sys, time\n"
        "from civicgrid.appeals.models import Appeal, Submission\n"
        "codes = set(json.loads(sys.stdin.read()))\n"
        "started = time.monotonic()\n"
        "while Submission.objects.filter(state='pending').exists():\n"
        "    if time.monotonic() - started > 600: break\n"
        "    time.sleep(0.2)\n"
        "waited = time.monotonic() - started\n"
        "rows = list(Appeal.objects.filter(description__startswith='bench ')"
        ".values_list('tracking_code', 'description'))\n"
        "found = {c for c, _ in rows}\n"
        "keys = [d.split()[1] for _, d in rows]\n"
        "lags = sorted((s.registered_at - s.created_at).total_seconds() for s in "
        "Submission.objects.filter(state='registered', channel='web')"
        ".only('created_at', 'registered_at'))\n"
        "q = lambda p: lags[min(len(lags) - 1, int(p * len(lags)))] if lags else 0\n"
        "print('RESULT', len(codes - found), len(keys) - len(set(keys)), len(rows),"
        " waited, q(0.5), q(0.99), lags[-1] if lags else 0)\n"
    )
    import json

    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env_for(url),
        input=json.dumps(sorted(stats.acknowledged.values())),
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT"))
    values = line.split()[1:]
    missing, duplicates, rows = (int(v) for v in values[:3])
    if rows != len(stats.acknowledged):
        duplicates += abs(rows - len(stats.acknowledged))
    waited, lag50, lag99, lagmax = (float(v) for v in values[3:])
    return {
        "missing": missing,
        "duplicates": duplicates,
        "waited": waited,
        "lag50": lag50,
        "lag99": lag99,
        "lagmax": lagmax,
    }


def p99(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=100)[98]
        if len(values) > 100
        else max(values, default=0)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--restart-db", action="store_true")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=19,
        help="the worker's scheduling niceness (0: as the server)",
    )
    args = parser.parse_args()
    if args.restart_db and args.db != "postgres":
        raise SystemExit(
            "--restart-db restarts the PostgreSQL server: use --db postgres"
        )

    url = prepare_database(args.db)
    server = start_server(url, args.port)
    worker = start_worker(url, args.worker_nice)
    try:
        bare, bare_s = run_phase(
            "bare", args.port, args.connections, args.seconds, False
        )
        intake, intake_s = run_phase(
            "intake", args.port, args.connections, args.seconds, args.restart_db
        )
        checked = verify(url, intake)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    bare_rate = len(bare.latencies) / bare_s
    intake_rate = len(intake.latencies) / intake_s
    print(
        f"database: {args.db}; server: gunicorn gthread 2×8; "
        f"{args.connections} connections; {args.seconds:.0f} s per phase"
        + ("; PostgreSQL restarted mid-intake" if args.restart_db else "")
    )
    print(
        f"bare insert: {bare_rate:8.1f} req/s   "
        f"p99 {p99(bare.latencies) * 1000:7.1f} ms   "
        f"retries {bare.retries}  failures {bare.failures}"
    )
    print(
        f"intake:      {intake_rate:8.1f} req/s   "
        f"p99 {p99(intake.latencies) * 1000:7.1f} ms   "
        f"retries {intake.retries}  failures {intake.failures}  "
        f"last acknowledged {intake.drain_seconds:.1f} s after the window"
    )
    print(f"ratio intake / bare: {intake_rate / bare_rate:.2f}")
    print(
        f"registered by the worker: receipt to appeal p50 {checked['lag50']:.2f} s, "
        f"p99 {checked['lag99']:.2f} s, max {checked['lagmax']:.2f} s; "
        f"caught up {checked['waited']:.1f} s after the intake phase"
    )
    print(
        f"acknowledged appeals: {len(intake.acknowledged)}; "
        f"missing afterwards: {checked['missing']:.0f}; "
        f"duplicates: {checked['duplicates']:.0f}"
    )


if __name__ == "__main__":
    main()
