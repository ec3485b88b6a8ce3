"""Scoped reads of the ledger: every query a page or the API makes starts here,
so an outsider gets nothing (and a 404 for one row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from civicgrid.core import clock
from civicgrid.org.models import Area

from . import permissions
from .models import Opinion, Patrol


def grids_for_user(user: Any) -> QuerySet[Area]:
    """The active grids whose ledger the user reads."""
    return Area.objects.filter(
        permissions.visible_q(user, "path"), level=Area.Level.GRID, is_active=True
    ).select_related("parent")


# --- situations (情): 社情民意, events (事) and the patrol log ----------------------

OPINION_PERIODS = {"month": 1, "quarter": 3, "year": 12}


def grid_get_for_user(user: Any, pk: Any) -> Area:
    return get_object_or_404(grids_for_user(user), pk=pk)


def areas_for_opinions(user: Any) -> QuerySet[Area]:
    """The streets, communities and grids whose 社情民意 the user reads."""
    return Area.objects.filter(
        permissions.visible_q(user, "path"),
        level__in=[Area.Level.STREET, Area.Level.COMMUNITY, Area.Level.GRID],
        is_active=True,
    ).order_by("path")


def opinions_for_user(user: Any) -> QuerySet[Opinion]:
    return Opinion.objects.filter(permissions.visible_q(user)).select_related(
        "grid", "gathered_by", "appeal"
    )


def opinion_get_for_user(user: Any, pk: Any) -> Opinion:
    return get_object_or_404(opinions_for_user(user), pk=pk)


def period_start(period: str) -> datetime | None:
    """The first moment of this month, of the last three or twelve months."""
    months = OPINION_PERIODS.get(period)
    if months is None:
        return None
    today = timezone.localdate(clock.now())
    month = today.month - (months - 1)
    year = today.year
    while month < 1:
        month += 12
        year -= 1
    start = datetime(year, month, 1)  # noqa: DTZ001 - made aware just below
    return timezone.make_aware(start)


def opinions_filtered(user: Any, filters: dict[str, Any]) -> QuerySet[Opinion]:
    """The user's items in an area (a street, community or grid), by risk,
    state, source, topic and period."""
    opinions = opinions_for_user(user)
    area = filters.get("area")
    if area is not None:
        opinions = opinions.filter(grid__path__startswith=area.path)
    for name in ("risk", "state", "source"):
        if filters.get(name):
            opinions = opinions.filter(**{name: filters[name]})
    if filters.get("topic"):
        opinions = opinions.filter(topic__icontains=filters["topic"])
    start = period_start(filters.get("period") or "")
    if start is not None:
        opinions = opinions.filter(gathered_at__gte=start)
    return opinions


def opinion_counters(opinions: QuerySet[Opinion]) -> dict[str, int]:
    """How many items, how many of them warnings (预警 or 紧急), how many
    turned into appeals — one query."""
    return opinions.order_by().aggregate(
        total=Count("pk"),
        raised=Count("pk", filter=Q(risk__in=["warning", "urgent"])),
        appealed=Count("pk", filter=Q(state="appeal")),
        open=Count("pk", filter=Q(state="open")),
    )


def patrols_for_user(user: Any) -> QuerySet[Patrol]:
    """Patrols in the grids whose ledger the user reads, and their own."""
    if not getattr(user, "is_authenticated", False):
        return Patrol.objects.none()
    return Patrol.objects.filter(
        permissions.visible_q(user) | Q(worker=user)
    ).select_related("grid", "worker")


def patrol_get_for_user(user: Any, pk: Any) -> Patrol:
    return get_object_or_404(patrols_for_user(user), pk=pk)


def open_patrol_of(user: Any) -> Patrol | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Patrol.objects.filter(worker=user, ended_at__isnull=True)
        .select_related("grid")
        .first()
    )


@dataclass
class GridEvents:
    """事: what happens in a grid — appeals, patrol findings, whistles, and
    the 社情民意 heard there — as the viewer may see it."""

    open_appeals: int
    appeals: list[Any]
    findings_count: int
    findings: list[Any]
    whistles_count: int
    whistles: list[Any]
    opinions_count: int
    opinions: list[Opinion]


def grid_events(user: Any, grid: Area, latest: int = 8) -> GridEvents:
    from civicgrid.appeals import selectors as appeal_selectors
    from civicgrid.whistles import selectors as whistle_selectors

    appeals = appeal_selectors.grid_open_appeals(user, grid)
    findings = appeal_selectors.grid_patrol_findings(user, grid)
    whistles = (
        whistle_selectors.whistles_for_user(user)
        .filter(appeal__grid=grid)
        .order_by("-blown_at", "-pk")
    )
    opinions = opinions_for_user(user).filter(grid=grid)
    return GridEvents(
        open_appeals=appeals.count(),
        appeals=list(appeals.select_related("category")[:latest]),
        findings_count=findings.count(),
        findings=list(findings.select_related("category")[:latest]),
        whistles_count=whistles.count(),
        whistles=list(whistles[:latest]),
        opinions_count=opinions.count(),
        opinions=list(opinions[:latest]),
    )
