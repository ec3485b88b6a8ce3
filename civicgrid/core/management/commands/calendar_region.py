"""civicgrid calendar-region --year 2027 [--commit] — the region's own holidays.

Puts Tibetan New Year (藏历新年) and the Shoton festival (雪顿节) of the year into
the work calendar beside the national holidays: their days from the Tibetan
calendar (caltib), the days off and make-up working days from the configuration
(``CIVICGRID_REGION_HOLIDAYS``; see ``civicgrid.core.region_holidays``). A dry
run unless --commit; running it again changes nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicgrid.core import clock, tibetan
from civicgrid.core.actions import calendar_region_apply
from civicgrid.core.errors import DomainError
from civicgrid.core.region_holidays import (
    CREATE,
    DELETE,
    KEEP,
    SAME,
    UPDATE,
    DayChange,
    RegionPlan,
)


class Command(BaseCommand):
    help = "Put the region's holidays (藏历新年, 雪顿节) of a year into the calendar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, default=None, help="The year (default: this year)."
        )
        parser.add_argument(
            "--commit", action="store_true", help="Write the days (else a dry run)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or clock.today().year
        commit = bool(options["commit"])
        try:
            plan, changes = calendar_region_apply(
                year=year, acting_user=None, commit=commit
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self._describe(plan)
        for change in changes:
            if change.action != SAME:
                self.stdout.write("  " + _line(change))
        count = Counter(change.action for change in changes)
        if commit:
            words = ("added", "changed", "removed")
            ending = "."
        else:
            words = ("to add", "to change", "to remove")
            ending = " (dry run, nothing written; --commit writes them)."
        summary = (
            f"{year}: {count[CREATE]} {words[0]}, {count[UPDATE]} {words[1]}, "
            f"{count[DELETE]} {words[2]}, {count[KEEP]} left as the calendar has "
            f"them, {count[SAME]} already there{ending}"
        )
        self.stdout.write(self.style.SUCCESS(summary) if commit else summary)

    def _describe(self, plan: RegionPlan) -> None:
        for item in plan.festivals:
            festival, days = item.festival, item.arrangement
            source = "as published" if item.published else "default rule"
            tibetan_year = tibetan.year_number(plan.year)
            off = _span(days.days_off)
            worked = ", ".join(d.isoformat() for d in days.make_up_days) or "none"
            self.stdout.write(
                f"{festival.name} {plan.year} (藏历{tibetan_year}年 "
                f"{festival.tibetan_month}/{festival.tibetan_day}): "
                f"{item.day.isoformat()}; {len(days.days_off)} days off {off}, "
                f"make-up working days: {worked} ({source})"
            )


def _span(days: tuple[Any, ...]) -> str:
    if not days:
        return "—"
    return f"{days[0].isoformat()}…{days[-1].isoformat()}"


def _line(change: DayChange) -> str:
    date = f"{change.date.isoformat()} {change.date:%a}"
    what = f"{change.kind} {change.name}"
    if change.action == CREATE:
        return f"{date}  add     {what}"
    if change.action == DELETE:
        return f"{date}  remove  {what} (no longer given by the region)"
    before = " ".join(change.before or ()).strip()
    if change.action == UPDATE:
        return f"{date}  change  {before} → {what}"
    planned = change.planned
    wanted = f"{planned.kind} {planned.name}" if planned else ""
    return (
        f"{date}  keep    {before} (the region gives {wanted}: "
        "settle it in the calendar)"
    )
