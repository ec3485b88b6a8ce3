"""civicgrid worker — the background loop: received submissions every short pass;
heartbeat and due jobs every longer one; sleep.

Safe to run several at once, on one machine or many: each job run is claimed by
compare-and-set. Stops cleanly on SIGTERM or Ctrl-C after the current pass.
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, connection

from civicgrid.core import clock
from civicgrid.core.scheduler import (
    heartbeat,
    run_due_jobs,
    run_pollers,
    worker_identity,
)

log = logging.getLogger(__name__)


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
            help="Seconds between runs of the periodic jobs.",
        )
        parser.add_argument(
            "--poll",
            type=float,
            default=settings.CIVICGRID_INTAKE_POLL_SECONDS,
            help="Seconds between looks for received submissions.",
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
        poll = min(sleep, float(options["poll"]))  # type: ignore[arg-type]
        jobs_due = 0.0
        outage = 0  # passes in a row the database was unavailable
        while True:
            try:
                # Drop connections the database has closed or that are past their
                # age; never inside a transaction (a test, or a caller's atomic
                # block).
                if not connection.in_atomic_block:
                    close_old_connections()
                if time.monotonic() >= jobs_due:
                    jobs_due = time.monotonic() + sleep
                    heartbeat(worker_id, started_at)
                    self._report(worker_id, run_due_jobs(worker_id))
                self._report(worker_id, run_pollers())
                outage = 0
            except DatabaseError:
                if options["once"]:
                    raise
                # The database restarts or fails over: wait, reconnect, go on.
                outage += 1
                log.warning("database unavailable (pass %d); retrying", outage)
            wait = min(30.0, poll * 2**outage) if outage else poll
            if options["once"] or stop.wait(wait):
                break
        self.stdout.write(f"worker {worker_id} stopped")

    def _report(self, worker_id: str, results: dict[str, object]) -> None:
        for name, result in results.items():
            if result:  # quiet when a job found nothing to do
                self.stdout.write(f"worker {worker_id} ran {name}: {result}")
