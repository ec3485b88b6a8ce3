"""The patrol log (巡查): a grid worker starts a patrol in one of their grids,
the phone adds its points to the route, findings on the way become appeals or
社情民意 items attached to the patrol, and the worker ends it with a summary.
A patrol left open too long is ended by the worker's sweep."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from civicgrid.appeals import permissions as appeal_permissions
from civicgrid.appeals.models import Appeal, Category
from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError
from civicgrid.core.images import ProcessedImage
from civicgrid.org.models import Area

from .. import history, permissions, rules, workflow
from ..models import Opinion, Patrol
from .opinion import OpinionInput, opinion_gather, submit_finding

# A day of walking with a point every half minute; beyond it points are dropped.
MAX_POINTS = 3000
MAX_SUMMARY = 2000


def max_hours() -> float:
    return float(getattr(settings, "CIVICGRID_PATROL_MAX_HOURS", 12))


def may_patrol(user: Any, grid: Area) -> bool:
    """Only a grid worker of this grid patrols it."""
    return appeal_permissions.is_grid_worker_of(user, grid)


def _require_own(patrol: Patrol, user: Any) -> None:
    permissions.require(
        patrol.worker_id == getattr(user, "pk", None),
        _("Only the grid worker on this patrol may add to it."),
    )
    if patrol.ended_at is not None:
        raise ConflictError(_("This patrol has ended already."))


def _lock_own(patrol: Patrol, user: Any) -> None:
    """Inside the transaction: the patrol row locked and still open, so that
    nothing is added to it while (or after) it ends."""
    _require_own(Patrol.objects.select_for_update().get(pk=patrol.pk), user)


def _point(lon: Any, lat: Any, *, field: str = "location") -> tuple[float, float]:
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Give the longitude and latitude."), field=field) from exc
    if not (math.isfinite(x) and math.isfinite(y)) or not (
        -180 <= x <= 180 and -90 <= y <= 90
    ):
        raise DomainError(_("This point is not on the map."), field=field)
    return round(x, 6), round(y, 6)


def patrol_start(
    *, grid: Area, acting_user: Any, lon: Any = None, lat: Any = None
) -> Patrol:
    """Start a patrol; one open patrol per worker (a second is refused)."""
    permissions.require(
        may_patrol(acting_user, grid),
        _("Only a grid worker of %(grid)s patrols it.") % {"grid": grid.name},
    )
    now = clock.now()
    route = []
    if lon is not None and lat is not None:
        x, y = _point(lon, lat)
        route = [[x, y, now.isoformat()]]
    if Patrol.objects.filter(worker=acting_user, ended_at__isnull=True).exists():
        raise ConflictError(_("You are on a patrol already; end it first."))
    try:
        with transaction.atomic():
            patrol = Patrol.objects.create(
                worker=acting_user, grid=grid, started_at=now, route=route
            )
            history.record(obj=patrol, action="create", actor=acting_user)
    except IntegrityError as exc:  # another start won the race
        raise ConflictError(_("You are on a patrol already; end it first.")) from exc
    return patrol


def _taken_at(at: Any, now: datetime) -> datetime:
    """When the phone took a point: ``at`` (an ISO 8601 time, or a datetime),
    never later than now; now when not given."""
    if at in (None, ""):
        return now
    taken = at if isinstance(at, datetime) else parse_datetime(str(at))
    if taken is None:
        raise DomainError(_("The time of the point is not a valid time."), field="at")
    if timezone.is_naive(taken):
        taken = timezone.make_aware(taken)
    return min(taken, now)


def patrol_add_point(
    *, patrol: Patrol, acting_user: Any, lon: Any, lat: Any, at: Any = None
) -> int:
    """Add the phone's point to the route; returns the number of points.
    ``at`` is when the phone took it — a point kept on the phone while it had
    no signal arrives later, and takes its place in the route by that time
    (never before the patrol's start, never after now). Points beyond the cap,
    and a point where the one before it was, are dropped."""
    x, y = _point(lon, lat)
    taken = _taken_at(at, clock.now())
    with transaction.atomic():
        locked = Patrol.objects.select_for_update().get(pk=patrol.pk)
        _require_own(locked, acting_user)
        taken = max(taken, locked.started_at)
        route = list(locked.route or [])
        place = len(route)
        while place and datetime.fromisoformat(route[place - 1][2]) > taken:
            place -= 1
        before = route[place - 1] if place else None
        if len(route) < MAX_POINTS and not (before and before[:2] == [x, y]):
            route.insert(place, [x, y, taken.isoformat()])
            Patrol.objects.filter(pk=patrol.pk).update(route=route)
        patrol.route = route
    return len(route)


def patrol_record_opinion(
    *,
    patrol: Patrol,
    acting_user: Any,
    text: str,
    risk: str = Opinion.Risk.GENERAL,
    topic: str = "",
    lon: Any = None,
    lat: Any = None,
) -> Opinion:
    """A 社情民意 item heard on the way, in the patrol's grid unless the
    phone's point lies in another of the worker's grids."""
    _require_own(patrol, acting_user)
    point = None if lon in (None, "") or lat in (None, "") else _point(lon, lat)
    grid: Area | None = patrol.grid
    if point is not None:
        try:
            found = rules.grid_at(*point)
        except DomainError:  # off every grid: the patrol's, without the point
            point = None
        else:
            if permissions.may_edit(acting_user, found):
                grid = None  # the point decides
            else:  # in a grid they do not keep: the patrol's, without the point
                point = None
    with transaction.atomic():
        _lock_own(patrol, acting_user)
        opinion = opinion_gather(
            data=OpinionInput(
                text=text,
                source=Opinion.Source.PATROL,
                risk=risk,
                topic=topic,
                grid=grid,
                lon=point[0] if point else None,
                lat=point[1] if point else None,
            ),
            acting_user=acting_user,
        )
        patrol.opinions.add(opinion)
    return opinion


def patrol_record_appeal(
    *,
    patrol: Patrol,
    acting_user: Any,
    description: str,
    category: Category | None,
    kind: str = "",
    lon: Any = None,
    lat: Any = None,
    photos: Sequence[ProcessedImage] = (),
    idempotency_key: str | None = None,
) -> Appeal:
    """A problem found on the way, entered as a patrol finding (巡查上报) with
    its photos and the phone's point."""
    _require_own(patrol, acting_user)
    point = None if lon in (None, "") or lat in (None, "") else _point(lon, lat)
    grid = rules.grid_at(*point) if point else patrol.grid
    with transaction.atomic():
        _lock_own(patrol, acting_user)
        appeal = submit_finding(
            acting_user=acting_user,
            grid=grid,
            description=description,
            category=category,
            kind=kind,
            lon=point[0] if point else None,
            lat=point[1] if point else None,
            photos=photos,
            origin_url=reverse("ledger:patrol", args=[patrol.pk]),
            idempotency_key=idempotency_key,
        )
        patrol.appeals.add(appeal)
    return appeal


def patrol_end(*, patrol: Patrol, acting_user: Any, summary: str = "") -> Patrol:
    """End the patrol with a summary of what was seen."""
    permissions.require(
        patrol.worker_id == getattr(acting_user, "pk", None),
        _("Only the grid worker on this patrol may end it."),
    )
    summary = str(summary or "").strip()
    if len(summary) > MAX_SUMMARY:
        raise DomainError(
            _("The summary is longer than %(limit)d characters.")
            % {"limit": MAX_SUMMARY},
            field="summary",
        )
    with transaction.atomic():
        now = clock.now()
        workflow.patrol_close(patrol, ended_at=now, summary=summary)
        history.record(
            obj=patrol,
            action="update",
            actor=acting_user,
            changes={"ended_at": [None, now.isoformat()]},
        )
    return patrol


def patrols_end_forgotten(*, limit: int = 200) -> int:
    """End the patrols left open longer than CIVICGRID_PATROL_MAX_HOURS (the
    phone was put away): each ended at its last point, or at the limit."""
    hours = max_hours()
    now = clock.now()
    cutoff = now - timedelta(hours=hours)
    ended = 0
    stale = Patrol.objects.filter(ended_at__isnull=True, started_at__lt=cutoff)
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Ended automatically: left open for more than %(hours)s hours.") % {
            "hours": f"{hours:g}"
        }
    for patrol in stale.order_by("started_at")[:limit]:
        end = min(patrol.started_at + timedelta(hours=hours), now)
        try:
            with transaction.atomic():
                workflow.patrol_close(patrol, ended_at=end, summary=note)
                history.record(
                    obj=patrol,
                    action="update",
                    actor=None,
                    changes={"ended_at": [None, end.isoformat()]},
                    reason="auto",
                )
        except ConflictError:
            continue  # its worker (or another sweep) ended it first
        ended += 1
    return ended
