"""Re-wrap every report's data keys with the first master key of
CIVICGRID_DISCIPLINE_MASTER_KEYS (after putting a new key first). The content
is not touched: only the wrapped keys change. Dry run unless --commit; once
nothing is wrapped by an old key any more, that key can be removed."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from civicgrid.discipline import audit, sealing
from civicgrid.discipline.models import Identity, Report


class Command(BaseCommand):
    help = "Re-wrap the discipline reports' data keys with the current master key."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--commit", action="store_true")

    def handle(self, *args: Any, commit: bool = False, **options: Any) -> None:
        current = sealing.wrap(sealing.new_key(), aad="probe")
        current_id = sealing.wrapped_by(current)
        before: Counter[str] = Counter()
        moved = 0
        with transaction.atomic():
            for report in Report.objects.only("pk", "uid", "content_key").iterator():
                before[sealing.wrapped_by(report.content_key)] += 1
                if sealing.wrapped_by(report.content_key) == current_id:
                    continue
                aad = f"report:{report.uid}"
                key = sealing.unwrap(report.content_key, aad=aad)
                moved += 1
                if commit:
                    Report.objects.filter(pk=report.pk).update(
                        content_key=sealing.wrap(key, aad=aad)
                    )
            for identity in Identity.objects.select_related("report").iterator():
                if sealing.wrapped_by(identity.key) == current_id:
                    continue
                aad = f"identity:{identity.report.uid}"
                key = sealing.unwrap(identity.key, aad=aad)
                moved += 1
                if commit:
                    Identity.objects.filter(pk=identity.pk).update(
                        key=sealing.wrap(key, aad=aad)
                    )
            if commit and moved:
                audit.record("keys.rewrapped", to_key=current_id, keys=moved)
        held = ", ".join(f"{k}: {n}" for k, n in sorted(before.items())) or "none"
        verb = "Re-wrapped" if commit else "Would re-wrap"
        self.stdout.write(
            f"Reports' keys by master key: {held}. {verb} {moved} data key(s) "
            f"with {current_id}."
        )
