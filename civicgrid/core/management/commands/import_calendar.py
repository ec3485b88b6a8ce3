"""civicgrid import-calendar FILE — statutory holidays and make-up working days.

The file is CSV with the header ``date,kind,name``; kind is holiday (休) or
workday (班). A file with any bad line is refused whole, naming every bad line.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicgrid.core.actions import calendar_import
from civicgrid.core.workcalendar import CalendarImportError, parse_calendar_csv


class Command(BaseCommand):
    help = "Import statutory holidays and make-up working days from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and write nothing."
        )

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["file"]))
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        try:
            rows = parse_calendar_csv(data)
        except CalendarImportError as exc:
            raise CommandError(
                f"{path} refused, nothing written:\n" + "\n".join(exc.errors)
            ) from exc
        if options["dry_run"]:
            self.stdout.write(
                f"{path}: {len(rows)} days are valid (dry run, nothing written)"
            )
            return
        result = calendar_import(rows=rows, acting_user=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"{path}: {result['created']} created, {result['updated']} updated, "
                f"{result['unchanged']} unchanged"
            )
        )
