"""civicgrid worker — the background loop: heartbeat, due jobs, sleep.

Safe to run several at once, on one machine or many: each job run is claimed by
compare-and-set. Stops cleanly on SIGTERM or Ctrl-C after the current pass.
"""

from __future__ import annotations

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from civicgrid.core import clock
from civicgrid.core.scheduler import heartbeat, run_due_jobs, worker_identity


class Command(BaseCommand):
    help = "Run the background worker (deadlines, outbox, periodic jobs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run one pass and exit."
        )
        parser.add_argument(
            "--sleep",
            type=float,
            default=settings.CIVICGRID_WORKER_SLEEP_SECONDS,
            help="Seconds between passes.",
        )

    def handle(self, *args: object, **options: object) -> None:
        stop = threading.Event()

        def request_stop(signum: int, frame: object) -> None:
            stop.set()

        if not options["once"]:
            signal.signal(signal.SIGTERM, request_stop)
            signal.signal(signal.SIGINT, request_stop)

        worker_id = worker_identity()
        started_at = clock.now()
        self.stdout.write(f"worker {worker_id} started")
        sleep = float(options["sleep"])  # type: ignore[arg-type]
        while True:
            # Drop connections the database has closed or that are past their age;
            # never inside a transaction (a test, or a caller's atomic block).
            if not connection.in_atomic_block:
                close_old_connections()
            heartbeat(worker_id, started_at)
            for name, result in run_due_jobs(worker_id).items():
                if result:  # quiet when a job found nothing to do
                    self.stdout.write(f"worker {worker_id} ran {name}: {result}")
            if options["once"] or stop.wait(sleep):
                break
        self.stdout.write(f"worker {worker_id} stopped")
