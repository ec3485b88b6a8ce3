"""Discipline intake over HTTP beside appeal intake, and the receipt's Argon2id.

Starts gunicorn (gthread, 2 processes × 4 threads) on a fresh SQLite or
PostgreSQL database seeded with the demo, then, in the same run, alternating
rounds of:
  1. the baseline: a resident's appeal on the report form (POST /report/,
     CSRF, a category, a pin, a phone number, two photos);
  2. an anonymous discipline report on its form (POST /discipline/report/dl/,
     CSRF, the accused, what happened, two photos) — sealed with its own data
     keys, the photos re-encoded and encrypted, a receipt digested with
     Argon2id.
Each kind is driven by the same number of keep-alive connections for the same
number of requests; every request must be acknowledged (the appeal's redirect
to its tracking page, the report's receipt page). Prints requests/s and the
median and 95th-percentile latency of each, and the ratios.

Then, in this process with the production parameters, the time of one
receipt check (``receipts.digest``), which must lie between 50 and 250 ms.

    .venv/bin/python bench/discipline_intake.py --db sqlite
    .venv/bin/python bench/discipline_intake.py --db postgres
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_URL = "postgres://postgres@127.0.0.1:5432/civicgrid_bench"
sys.path.insert(0, str(ROOT))

from bench.intake import env_for, prepare_database  # noqa: E402

BOUNDARY = "----civicgrid-bench-boundary"


def photo(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1280, 960), colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


PHOTOS = [photo((200, 40, 40)), photo((40, 120, 200))]


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, filename, content in files:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - our own server
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "bench.wsgi:application",
            "-c",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
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


def read_form(port: int, path: str) -> tuple[str, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    html = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", ""))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not (cookie and token):
        raise SystemExit(f"could not read the form at {path}")
    return cookie.group(1), token.group(1), html


def appeal_request(port: int) -> tuple[str, dict[str, str], str, Any]:
    cookie, token, html = read_form(port, "/report/")
    category = re.search(r'<option value="(\d+)">路灯不亮</option>', html)
    if not category:
        raise SystemExit("no category on the report form")
    base = {
        "csrfmiddlewaretoken": token,
        "category": category.group(1),
        "latitude": "29.645",
        "longitude": "91.005",
        "name": "测试",
        "phone": "13800000000",
        "consent": "on",
    }

    def body() -> bytes:
        key = uuid.uuid4().hex
        return multipart(
            {**base, "idempotency_key": key, "description": f"bench {key} 路灯不亮"},
            [("photos", "a.jpg", PHOTOS[0]), ("photos", "b.jpg", PHOTOS[1])],
        )

    return "/report/", {"Cookie": f"csrftoken={cookie}"}, "/report/done/", body


def discipline_request(port: int) -> tuple[str, dict[str, str], str, Any]:
    cookie, token, _html = read_form(port, "/discipline/report/dl/")
    base = {
        "csrfmiddlewaretoken": token,
        "matter": "duty_violation",
        "accused_name": "某某",
        "accused_unit": "某局",
        "what": "收受礼金，违规发放补贴。",
        "real_name": "0",
    }

    def body() -> bytes:
        return multipart(
            base,
            [("evidence", "a.jpg", PHOTOS[0]), ("evidence", "b.jpg", PHOTOS[1])],
        )

    return "/discipline/report/dl/", {"Cookie": f"csrftoken={cookie}"}, "receipt", body


def drive(
    port: int, kind: str, connections: int, per_connection: int
) -> tuple[float, list[float], int]:
    path, headers, success, body = (
        appeal_request(port) if kind == "appeal" else discipline_request(port)
    )
    headers = {
        **headers,
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Referer": f"http://127.0.0.1:{port}{path}",
    }
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def loop() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for _ in range(per_connection):
            payload = body()
            started = time.perf_counter()
            conn.request("POST", path, body=payload, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            elapsed = time.perf_counter() - started
            ok = (
                response.status == 302 and success in response.getheader("Location", "")
                if kind == "appeal"
                else response.status == 200 and 'class="tracking-code receipt"' in text
            )
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures[0] += 1

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, latencies, failures[0]


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def argon2_figure(rounds: int = 15) -> tuple[float, float]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from civicgrid.discipline import receipts

    times = []
    for _ in range(rounds):
        receipt = receipts.new_receipt()
        started = time.perf_counter()
        receipts.digest(receipt)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, max(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--requests", type=int, default=15, help="per connection")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()

    url = prepare_database(args.db)
    server = start_server(url, args.port)
    try:
        totals: dict[str, list[float]] = {"appeal": [], "discipline": []}
        rates: dict[str, list[float]] = {"appeal": [], "discipline": []}
        for _round in range(args.rounds):
            for kind in ("appeal", "discipline"):
                seconds, latencies, failures = drive(
                    args.port, kind, args.connections, args.requests
                )
                if failures:
                    raise SystemExit(f"{failures} {kind} requests not acknowledged")
                totals[kind].extend(latencies)
                rates[kind].append(len(latencies) / seconds)
        for kind in ("appeal", "discipline"):
            print(
                f"{kind:>10}: {statistics.median(rates[kind]):6.1f} requests/s, "
                f"median {quantile(totals[kind], 0.5) * 1000:6.0f} ms, "
                f"p95 {quantile(totals[kind], 0.95) * 1000:6.0f} ms "
                f"({len(totals[kind])} requests)"
            )
        throughput = statistics.median(rates["discipline"]) / statistics.median(
            rates["appeal"]
        )
        latency = quantile(totals["discipline"], 0.5) / quantile(totals["appeal"], 0.5)
        print(
            f"discipline / appeal: throughput {throughput:.2f} ×, "
            f"median latency {latency:.2f} ×"
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    # In this process, after the server's children were started with their
    # own settings.
    median_ms, worst_ms = argon2_figure()
    print(
        f"receipt check (Argon2id, production parameters): median {median_ms:.0f} ms,"
        f" slowest {worst_ms:.0f} ms"
    )
    if not 50 <= median_ms <= 250:
        print("  outside the 50–250 ms the receipts are tuned for: retune receipts.py")


if __name__ == "__main__":
    main()
