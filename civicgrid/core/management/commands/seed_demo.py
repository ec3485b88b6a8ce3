"""civicgrid seed-demo — the demo street 东嘎街道 with its grids, departments,
users and work calendar. Safe to run again: it adds what is missing and changes
nothing else."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from civicgrid.core.demo import seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo street (东嘎街道): areas, grids, departments, users, calendar."
    )

    def handle(self, *args: object, **options: object) -> None:
        counts = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                "demo data ready: {areas} areas ({grids} grids), "
                "{departments} departments, {categories} categories, "
                "{users} demo users".format(**counts)
            )
        )
