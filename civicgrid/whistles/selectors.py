"""Whistle counters, exactly as the newspaper reports them:
"吹哨13次，解决事项11起，参与报到部门20余家"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q

from civicgrid.org.models import Area

from .models import Summons, Whistle


@dataclass(frozen=True)
class WhistleCounters:
    blown: int
    resolved: int
    departments_reported: int
    average_report_in_minutes: float | None
    late_check_ins: int
    missing_check_ins: int


def whistle_counters(
    *, street: Area, start: datetime, end: datetime
) -> WhistleCounters:
    """Whistles blown in [start, end) on the street's area, and what became of them."""
    whistles = Whistle.objects.filter(
        street__path__startswith=street.path, blown_at__gte=start, blown_at__lt=end
    )
    summonses = Summons.objects.filter(whistle__in=whistles)
    reported = summonses.filter(checked_in_at__isnull=False)
    average = reported.aggregate(
        avg=Avg(
            ExpressionWrapper(
                F("checked_in_at") - F("whistle__blown_at"),
                output_field=DurationField(),
            )
        )
    )["avg"]
    counts = summonses.aggregate(
        departments=Count(
            "department", filter=Q(checked_in_at__isnull=False), distinct=True
        ),
        late=Count("pk", filter=Q(late=True)),
        missing=Count(
            "pk", filter=Q(checked_in_at__isnull=True, escalated_at__isnull=False)
        ),
    )
    return WhistleCounters(
        blown=whistles.count(),
        resolved=whistles.filter(state=Whistle.State.CLOSED).count(),
        departments_reported=counts["departments"],
        average_report_in_minutes=round(average.total_seconds() / 60, 1)
        if average is not None
        else None,
        late_check_ins=counts["late"],
        missing_check_ins=counts["missing"],
    )
