"""civicgrid seed-demo — every app's demo data: the demo street 东嘎街道 with its
grids, departments, users, work calendar and some history. Safe to run again: it
adds what is missing and changes nothing else."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from civicgrid.core.demo import seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo street (东嘎街道): areas, grids, departments, users, calendar."
    )

    def handle(self, *args: object, **options: object) -> None:
        summary = seed_demo()
        self.stdout.write(self.style.SUCCESS("demo data ready: " + ", ".join(summary)))
