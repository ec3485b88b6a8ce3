"""社情民意: gather an item, turn it into an appeal (through the appeal loop's
own intake), or close it with a note. Warnings and urgent items tell the
community's staff and the street's dispatchers through the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.appeals import actions as appeal_actions
from civicgrid.appeals import permissions as appeal_permissions
from civicgrid.appeals.models import Appeal, Category, Channel
from civicgrid.core import clock
from civicgrid.core.errors import DomainError
from civicgrid.core.fields import full_text
from civicgrid.core.images import ProcessedImage
from civicgrid.notifications.actions import notify_staff
from civicgrid.org.models import Area

from .. import history, permissions, rules, workflow
from ..models import Household, Opinion

MAX_TEXT = 2000
MAX_NOTE = 1000
RAISED_RISKS = (Opinion.Risk.WARNING, Opinion.Risk.URGENT)


def _text(value: Any, *, field: str, label: str, limit: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise DomainError(_("%(label)s is required.") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(
            _("%(label)s is longer than %(limit)d characters.")
            % {"label": label, "limit": limit},
            field=field,
        )
    return text


def _choice(value: Any, choices: Any, *, field: str, message: str) -> str:
    if value not in choices.values:
        raise DomainError(message, field=field)
    return str(value)


def street_of(grid: Area) -> Area:
    community = grid.parent
    street = community.parent if community is not None else None
    if street is None:
        raise DomainError(_("This grid belongs to no street."), field="grid")
    return street


@dataclass
class OpinionInput:
    """What a grid worker heard: the text, where from, how risky."""

    text: str
    source: str = Opinion.Source.VISIT
    risk: str = Opinion.Risk.GENERAL
    topic: str = ""
    grid: Area | None = None
    lon: float | None = None
    lat: float | None = None
    household: Household | None = None


def opinion_gather(*, data: OpinionInput, acting_user: Any) -> Opinion:
    """Record a 社情民意 item in a grid the user keeps: the one chosen, or
    else the grid of the phone's point (``rules.grid_at``)."""
    text = _text(data.text, field="text", label=_("What was heard"), limit=MAX_TEXT)
    source = _choice(
        data.source, Opinion.Source, field="source", message=_("Choose a source.")
    )
    risk = _choice(
        data.risk, Opinion.Risk, field="risk", message=_("Choose a risk level.")
    )
    topic = str(data.topic or "").strip()
    if len(topic) > 50:
        raise DomainError(_("A topic is at most 50 characters."), field="topic")
    if (data.lon is None) != (data.lat is None):
        raise DomainError(_("Give the longitude and latitude."), field="location")
    lon, lat = data.lon, data.lat
    if data.grid is not None:
        grid = data.grid
        # The chosen grid decides; the point is kept where it lies in it.
        if lon is not None:
            try:
                if rules.grid_at(lon, lat).pk != grid.pk:
                    lon = lat = None
            except DomainError:
                lon = lat = None
    elif lon is not None:
        grid = rules.grid_at(lon, lat)
    else:
        raise DomainError(_("Choose a grid or share your location."), field="grid")
    permissions.require(
        permissions.may_edit(acting_user, grid),
        _("You do not keep the ledger of %(grid)s.") % {"grid": grid.name},
    )
    if data.household is not None and data.household.grid_id != grid.pk:
        raise DomainError(
            _("This household is not in %(grid)s.") % {"grid": grid.name},
            field="household",
        )
    with transaction.atomic():
        opinion = Opinion.objects.create(
            grid=grid,
            text=text,
            source=source,
            risk=risk,
            topic=topic,
            gathered_by=acting_user,
            gathered_at=clock.now(),
            lon=None if lon is None else float(lon),
            lat=None if lat is None else float(lat),
            household=data.household,
        )
        history.record(
            obj=opinion,
            action="create",
            actor=acting_user,
            changes={"source": [None, source], "risk": [None, risk]},
        )
        if risk in RAISED_RISKS:
            _tell_the_street(opinion)
    return opinion


def _tell_the_street(opinion: Opinion) -> None:
    """Queue a message for the community's staff and the street's dispatchers:
    the grid, the risk and where to look — never the text, which may name
    someone."""
    grid = opinion.grid
    street = street_of(grid)
    community = grid.parent
    staff = access.holders_over(community, (Role.COMMUNITY_STAFF,))
    dispatchers = access.holders_over(street, (Role.DISPATCHER,))
    context = {
        "grid": grid.name,
        "risk": Opinion.Risk(opinion.risk).label,
        "risk_code": opinion.risk,
        "url": reverse("ledger:opinion", args=[opinion.pk]),
    }
    for user in {u.pk: u for u in [*staff, *dispatchers]}.values():
        notify_staff(
            user,
            event="ledger.opinion_risk",
            context=context,
            subject_ref=f"opinion:{opinion.pk}",
            dedupe_key=f"ledger.opinion_risk:{opinion.pk}:{user.pk}",
        )


def appeal_channel_for(user: Any, street: Area) -> str | None:
    """How the user enters an appeal from what they heard: a grid worker as a
    finding on patrol (巡查), the street's staff as a visit; None for whoever
    enters no appeals (the appeal loop decides)."""
    if appeal_permissions.may_enter_for(user, street, Channel.PATROL):
        if access.held(user, (Role.OPERATOR, Role.DISPATCHER)) or getattr(
            user, "is_superuser", False
        ):
            return Channel.VISIT
        return Channel.PATROL
    return None


def may_turn_into_appeal(user: Any, opinion: Opinion) -> bool:
    return (
        opinion.state == Opinion.State.OPEN
        and permissions.may_edit(user, opinion.grid)
        and appeal_channel_for(user, street_of(opinion.grid)) is not None
    )


def may_close(user: Any, opinion: Opinion) -> bool:
    return opinion.state == Opinion.State.OPEN and permissions.may_edit(
        user, opinion.grid
    )


def submit_finding(
    *,
    acting_user: Any,
    grid: Area,
    description: str,
    category: Category | None,
    kind: str = "",
    lon: float | None = None,
    lat: float | None = None,
    photos: Sequence[ProcessedImage] = (),
    origin_url: str = "",
    idempotency_key: str | None = None,
) -> Appeal:
    """An appeal entered by the street's staff from the ledger (a patrol's
    finding, a 社情民意 item), through the appeal loop's own intake; ``origin``
    on its first event says where it came from."""
    street = street_of(grid)
    channel = appeal_channel_for(acting_user, street)
    if channel is None:
        raise DomainError(
            _("Only the street's staff enter appeals for this channel."),
            field="channel",
        )
    source = {"origin": "ledger", "origin_url": origin_url} if origin_url else {}
    appeal, _created = appeal_actions.appeal_submit(
        data=appeal_actions.AppealInput(
            description=description,
            street=street,
            channel=channel,
            kind=kind,
            category=category,
            latitude=None if lat is None else float(lat),
            longitude=None if lon is None else float(lon),
            address="" if lat is not None else grid.name,
            # The item was heard, not raised by someone who waits for a call.
            anonymous=channel != Channel.PATROL,
            source=source,
        ),
        acting_user=acting_user,
        photos=photos,
        idempotency_key=idempotency_key,
    )
    return appeal


def opinion_to_appeal(
    *,
    opinion: Opinion,
    acting_user: Any,
    category: Category | None,
    kind: str = "",
) -> Appeal:
    """Turn an item into an appeal in one step: its text and point carried,
    the category chosen; the item points at the appeal and the appeal's first
    event back at the item."""
    permissions.require(
        permissions.may_edit(acting_user, opinion.grid),
        _("You do not keep the ledger of %(grid)s.") % {"grid": opinion.grid.name},
    )
    if opinion.state != Opinion.State.OPEN:
        workflow.opinion_move(opinion, Opinion.State.APPEAL)  # says why not
    with transaction.atomic():
        appeal = submit_finding(
            acting_user=acting_user,
            grid=opinion.grid,
            description=full_text(opinion, "text"),  # the appeal seals it again
            category=category,
            kind=kind,
            lon=opinion.lon,
            lat=opinion.lat,
            origin_url=reverse("ledger:opinion", args=[opinion.pk]),
        )
        now = clock.now()
        workflow.opinion_move(
            opinion,
            Opinion.State.APPEAL,
            appeal=appeal,
            decided_by=acting_user,
            decided_at=now,
            updated_at=now,
        )
        history.record(
            obj=opinion,
            action="decide",
            actor=acting_user,
            changes={"state": ["open", "appeal"], "appeal": [None, appeal.pk]},
        )
    return appeal


def opinion_close(*, opinion: Opinion, acting_user: Any, note: str) -> Opinion:
    """Close an item with a note (heard, answered, nothing to do)."""
    permissions.require(
        permissions.may_edit(acting_user, opinion.grid),
        _("You do not keep the ledger of %(grid)s.") % {"grid": opinion.grid.name},
    )
    note = _text(note, field="note", label=_("The closing note"), limit=MAX_NOTE)
    with transaction.atomic():
        now = clock.now()
        workflow.opinion_move(
            opinion,
            Opinion.State.CLOSED,
            closed_note=note,
            decided_by=acting_user,
            decided_at=now,
            updated_at=now,
        )
        history.record(
            obj=opinion,
            action="decide",
            actor=acting_user,
            changes={"state": ["open", "closed"]},
            reason=note[:200],
        )
    return opinion
