"""Texts from the SMS gateway (POST /api/sms/inbound/) beside the report form.

Starts gunicorn (gthread, 2 processes × 4 threads) on a fresh SQLite or
PostgreSQL database seeded with the demo (its SMS gateway client among it),
then, in the same run, alternating rounds of:
  1. the baseline: a resident's appeal on the report form (POST /report/,
     CSRF, a category, a pin, a phone number, no photo);
  2. a text from the gateway: signed JSON, a new message id each;
  3. the gateway's retries: each text of round 2 posted again, as a gateway
     does that did not hear the answer — it must answer the same tracking code
     and make nothing.
Every request must be acknowledged (the form's redirect; 202 for a new text,
200 with the same code for a retry). Prints requests/s, the median and 95th
percentile latency of each, and the ratios to the baseline.

    .venv/bin/python bench/sms_inbound.py --db sqlite
    .venv/bin/python bench/sms_inbound.py --db postgres
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-sms-gateway-secret"  # noqa: S105 - the bench's own gateway
os.environ.setdefault("CIVICGRID_SMS_INBOUND_SECRET", SECRET)

from bench.discipline_intake import (  # noqa: E402
    BOUNDARY,
    multipart,
    quantile,
    read_form,
    start_server,
)
from bench.intake import env_for, prepare_database  # noqa: E402

PATH = "/api/sms/inbound/"


def signed(payload: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return body, {
        "Content-Type": "application/json",
        "X-CivicGrid-Signature": f"sha256={digest}",
    }


def run(
    connections: int, per_connection: int, send: Any
) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def loop(n: int) -> None:
        for i in range(per_connection):
            started = time.perf_counter()
            ok = send(n, i)
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures[0] += 1

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, latencies, failures[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--requests", type=int, default=25, help="per connection")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=8792)
    args = parser.parse_args()

    url = prepare_database(args.db)
    # The gateway's own rate (120 a minute, ample for a street) would measure
    # itself: lifted for the run.
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from civicgrid.api.models import ApiClient;"
            "ApiClient.objects.filter(name='短信网关').update(rate_per_minute=10**6)",
        ],
        cwd=ROOT,
        env=env_for(url),
        check=True,
    )
    server = start_server(url, args.port)
    local = threading.local()

    def connection() -> http.client.HTTPConnection:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
        return local.conn

    try:
        cookie, token, html = read_form(args.port, "/report/")
        import re

        category = re.search(r'<option value="(\d+)">路灯不亮</option>', html)
        if not category:
            raise SystemExit("no category on the report form")
        form_headers = {
            "Cookie": f"csrftoken={cookie}",
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Referer": f"http://127.0.0.1:{args.port}/report/",
        }

        def report(_n: int, _i: int) -> bool:
            key = uuid.uuid4().hex
            body = multipart(
                {
                    "csrfmiddlewaretoken": token,
                    "idempotency_key": key,
                    "description": f"bench {key} 路灯不亮",
                    "category": category.group(1),
                    "latitude": "29.645",
                    "longitude": "91.005",
                    "name": "测试",
                    "phone": "13800000000",
                    "consent": "on",
                },
                [],
            )
            conn = connection()
            conn.request("POST", "/report/", body=body, headers=form_headers)
            response = conn.getresponse()
            response.read()
            return response.status == 302

        sent: dict[str, tuple[bytes, dict[str, str], str]] = {}
        sent_lock = threading.Lock()

        def text(n: int, i: int) -> bool:
            message_id = f"bench-{uuid.uuid4().hex}"
            body, headers = signed(
                {
                    "message_id": message_id,
                    "from": f"139{n:02d}{i:06d}",
                    "to": "",
                    "text": f"幸福路{i}号门口的路灯不亮了 {message_id}",
                }
            )
            conn = connection()
            conn.request("POST", PATH, body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            if response.status != 202:
                print(response.status, answer[:300].decode(errors="replace"))
                return False
            with sent_lock:
                sent[f"{n}:{i}"] = (body, headers, json.loads(answer)["tracking_code"])
            return True

        def retry(n: int, i: int) -> bool:
            body, headers, code = sent[f"{n}:{i}"]
            conn = connection()
            conn.request("POST", PATH, body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            if response.status != 200:
                print(response.status, answer[:300].decode(errors="replace"))
            return (
                response.status == 200
                and response.getheader("Idempotent-Replayed") == "true"
                and json.loads(answer)["tracking_code"] == code
            )

        kinds = {"report form": report, "sms text": text, "sms retry": retry}
        totals: dict[str, list[float]] = {kind: [] for kind in kinds}
        rates: dict[str, list[float]] = {kind: [] for kind in kinds}
        for _round in range(args.rounds):
            for kind, send in kinds.items():
                seconds, latencies, failures = run(
                    args.connections, args.requests, send
                )
                if failures:
                    raise SystemExit(f"{failures} {kind} requests not acknowledged")
                totals[kind].extend(latencies)
                rates[kind].append(len(latencies) / seconds)
            sent.clear()
        for kind in kinds:
            print(
                f"{kind:>12}: {statistics.median(rates[kind]):6.1f} requests/s, "
                f"median {quantile(totals[kind], 0.5) * 1000:6.0f} ms, "
                f"p95 {quantile(totals[kind], 0.95) * 1000:6.0f} ms "
                f"({len(totals[kind])} requests)"
            )
        base = statistics.median(rates["report form"])
        base_latency = quantile(totals["report form"], 0.5)
        for kind in ("sms text", "sms retry"):
            print(
                f"{kind} / report form: throughput "
                f"{statistics.median(rates[kind]) / base:.2f} ×, median latency "
                f"{quantile(totals[kind], 0.5) / base_latency:.2f} ×"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
