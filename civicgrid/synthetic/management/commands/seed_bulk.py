"""civicgrid seed-bulk --appeals N — a realistic history for dashboards and
benchmarks (after seed-demo: it uses the demo street, grids and catalogue)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicgrid.core.errors import DomainError
from civicgrid.synthetic.bulk import seed_bulk


class Command(BaseCommand):
    help = (
        "Generate N appeals of history (two years by default) with their "
        "timeline and facts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--appeals", type=int, required=True)
        parser.add_argument("--months", type=int, default=24)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["appeals"] < 1 or options["months"] < 1:
            raise CommandError("--appeals and --months must be at least 1.")
        started = time.monotonic()

        def progress(done: int) -> None:
            rate = done / (time.monotonic() - started)
            self.stdout.write(f"{done} appeals ({rate:.0f}/s)")

        try:
            counts = seed_bulk(
                appeals=options["appeals"],
                months=options["months"],
                seed=options["seed"],
                progress=progress,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                "{appeals} appeals, {assignments} shares, {events} events, "
                "{facts} facts, {whistles} whistles".format(**counts)
                + f" in {seconds:.0f} s"
            )
        )
