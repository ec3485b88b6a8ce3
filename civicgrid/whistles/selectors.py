"""Scoped reads of whistles, and the counters exactly as the newspaper reports
them: "吹哨13次，解决事项11起，参与报到部门20余家"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.utils import timezone

from civicgrid.accounts import access
from civicgrid.core.fields import SEALED_SUFFIX, full_text, sealed_fields
from civicgrid.org.models import Area

from .models import DepartmentFeedback, StreetScore, Summons, Whistle
from .permissions import OVERSEERS


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
    # A past period's figures do not change: resolved means closed within it.
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
        resolved=whistles.filter(state=Whistle.State.CLOSED, closed_at__lt=end).count(),
        departments_reported=counts["departments"],
        average_report_in_minutes=round(average.total_seconds() / 60, 1)
        if average is not None
        else None,
        late_check_ins=counts["late"],
        missing_check_ins=counts["missing"],
    )


def whistles_for_user(user: Any) -> QuerySet[Whistle]:
    """The street's dispatchers and leaders see its whistles; a department sees
    the whistles it is summoned to; nobody else sees any."""
    if not getattr(user, "is_authenticated", False):
        return Whistle.objects.none()
    queryset = Whistle.objects.select_related("street", "type", "appeal")
    if user.is_superuser:
        return queryset
    condition = (
        Q(blown_by=user)
        | Q(summonses__department_id__in=access.handled_department_ids(user))
        | access.over_q(
            user,
            OVERSEERS,
            "street__path",
            levels=access.STREET_AND_ABOVE,
        )
    )
    return queryset.filter(pk__in=Whistle.objects.filter(condition).values("pk"))


def my_department_ids(user: Any) -> set[int]:
    """The departments whose handler the user is."""
    return access.handled_department_ids(user)


def whistles_filtered(user: Any, filters: dict[str, Any]) -> QuerySet[Whistle]:
    """The user's whistles, newest first, narrowed by the history's filters."""
    whistles = whistles_for_user(user)
    if filters.get("q"):
        whistles = whistles.filter(
            Q(title__icontains=filters["q"]) | Q(reason__icontains=filters["q"])
        )
    if filters.get("state"):
        whistles = whistles.filter(state=filters["state"])
    if filters.get("type"):
        whistles = whistles.filter(type=filters["type"])
    if filters.get("department"):
        whistles = whistles.filter(
            pk__in=Summons.objects.filter(department=filters["department"]).values(
                "whistle_id"
            )
        )
    tz = timezone.get_current_timezone()
    if filters.get("blown_from"):
        start = datetime.combine(filters["blown_from"], time.min, tzinfo=tz)
        whistles = whistles.filter(blown_at__gte=start)
    if filters.get("blown_to"):
        end = datetime.combine(
            filters["blown_to"] + timedelta(days=1), time.min, tzinfo=tz
        )
        whistles = whistles.filter(blown_at__lt=end)
    return whistles.order_by("-blown_at", "-pk")


def sealed_texts(whistle: Whistle) -> dict[str, str]:
    """The whistle's texts that held a phone or ID number, whole, by where they
    are (``reason``, ``summons:<id>:attendees``, ``event:<id>``,
    ``meeting:<id>:attendees`` …). Only for a recorded reveal."""
    texts = {
        name: full_text(whistle, name)
        for name in sealed_fields(Whistle)
        if getattr(whistle, name + SEALED_SUFFIX)
    }
    summonses = list(whistle.summonses.all())
    related: list[tuple[str, list[Any]]] = [
        ("summons", summonses),
        ("event", list(whistle.events.all())),
        ("meeting", list(whistle.meetings.all())),
        ("score", list(StreetScore.objects.filter(summons__in=summonses))),
        ("feedback", list(DepartmentFeedback.objects.filter(summons__in=summonses))),
    ]
    for prefix, rows in related:
        for row in rows:
            for name in sealed_fields(type(row)):
                if getattr(row, name + SEALED_SUFFIX):
                    texts[f"{prefix}:{row.pk}:{name}"] = full_text(row, name)
    return texts


def has_sealed_texts(whistle: Whistle) -> bool:
    """Whether a text of the whistle held a number (its page offers the reveal)."""
    if any(getattr(whistle, name + SEALED_SUFFIX) for name in sealed_fields(Whistle)):
        return True
    return any(
        rows.filter(sealed).exists()
        for rows, sealed in (
            (whistle.summonses.all(), ~Q(attendees_sealed="") | ~Q(task_sealed="")),
            (whistle.events.all(), ~Q(note_sealed="")),
            (whistle.meetings.all(), ~Q(attendees_sealed="") | ~Q(decisions_sealed="")),
        )
    )
