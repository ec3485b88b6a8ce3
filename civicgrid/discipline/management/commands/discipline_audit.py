"""Check the discipline channel's audit chain: every entry follows the one
before it and is as it was written. Exits 1 on the first sign of tampering,
naming where; prints nothing of any report."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from civicgrid.discipline import audit
from civicgrid.discipline.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the discipline channel's hash-chained audit log."

    def handle(self, *args: Any, **options: Any) -> None:
        breaks = list(audit.verify())
        if breaks:
            for found in breaks[:50]:
                self.stderr.write(f"entry {found.seq}: {found.problem}")
            raise CommandError(f"The audit chain is broken in {len(breaks)} place(s).")
        self.stdout.write(
            f"The audit chain holds: {AuditEntry.objects.count()} entries."
        )
