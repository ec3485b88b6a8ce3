"""The callback (评): the resident says whether it was resolved and how satisfied
they are; information added meanwhile, and the contact revealed to who calls back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.errors import DomainError
from civicgrid.core.images import MAX_PHOTOS_PER_APPEAL, ProcessedImage

from .. import notify, permissions
from ..clocks import appeal_clocks, deadlines
from ..models import Appeal, Assignment, CaseEvent, Verification
from ..selectors import sealed_texts, unanswered_callbacks
from ..workflow import hold, move, move_assignment, move_assignments, require_state
from . import timeline
from .timeline import _save_photos, _text


def appeal_callback(
    *,
    appeal: Appeal,
    acting_user: Any,
    resolved: bool,
    satisfaction: str,
    comment: str = "",
) -> Appeal:
    """回访: the resident (with the tracking code, acting_user None) or an operator
    on the phone records whether it was resolved and how satisfied they are.
    Not resolved or unsatisfied sends it back to the lead unit (重办)."""
    require_state(appeal, "callback")
    if acting_user is not None:
        permissions.require(permissions.is_operator_for(acting_user, appeal))
        _refuse_while_verifying(appeal)
    if satisfaction not in Appeal.Satisfaction.values:
        raise DomainError(_("Choose how satisfied you are."), field="satisfaction")
    comment = _text(
        comment, field="comment", label=_("The comment"), required=False, limit=1000
    )
    now = clock.now()
    ok = resolved and satisfaction != Appeal.Satisfaction.UNSATISFIED
    with transaction.atomic():
        fields: dict[str, Any] = {
            "resolved": resolved,
            "satisfaction": satisfaction,
            "callback_comment": comment,
            "callback_at": now,
        }
        if ok:
            from_state = move(
                appeal,
                Appeal.State.CLOSED,
                closed_at=now,
                close_reason=Appeal.CloseReason.RATED,
                **fields,
            )
            move_assignments(appeal.assignments.all(), Assignment.State.DONE)
        else:
            from_state, lead = rehandle(appeal, now, **fields)
        withdraw_verifications(appeal, now)
        timeline.write(
            appeal,
            "callback",
            actor=acting_user,
            actor_role="resident" if acting_user is None else "",
            from_state=from_state,
            note=comment,
            public=True,
            data={"resolved": resolved, "satisfaction": satisfaction},
        )
        if not ok:
            timeline.write(appeal, "rehandle", note=comment, public=True)
            notify.unit(lead, "appeal.rehandle")
        else:
            notify.resident(appeal, "appeal.closed")
    return appeal


def rehandle(appeal: Appeal, now: Any, **fields: Any) -> tuple[str, Assignment]:
    """重办: the replied appeal goes back to its lead unit with fresh clocks
    (after a callback, or a verification on site that did not pass); returns
    the state it left and the lead's share. The caller writes the events."""
    lead = appeal.assignments.get(
        role=Assignment.Role.LEAD, state=Assignment.State.REPLIED
    )
    of_appeal = appeal_clocks(appeal)
    if of_appeal is None:
        raise DomainError(_("The appeal has no category."), field="category")
    clocks = deadlines(of_appeal, now)
    from_state = move(
        appeal,
        Appeal.State.HANDLING,
        rehandle_count=F("rehandle_count") + 1,
        due_at=clocks["due_at"],
        callback_tries=0,  # the next reply's callback starts afresh
        **fields,
    )
    move_assignment(  # the notice quotes the new due time
        lead,
        Assignment.State.HANDLING,
        due_at=clocks["due_at"],
        warn_at=clocks["warn_at"],
        warned_at=None,
        overdue_at=None,
    )
    return from_state, lead


def _refuse_while_verifying(appeal: Appeal) -> None:
    """The operator's call waits for the grid worker's check on site (核查)."""
    if permissions.pending_verification(appeal) is not None:
        raise DomainError(
            _(
                "A grid worker is verifying the reply on site: call back once "
                "it is verified."
            ),
            field="state",
        )


def withdraw_verifications(appeal: Appeal, now: Any) -> None:
    """A verification still waiting when the appeal leaves "replied" (the
    resident rated it first, or it closed unanswered) has nothing left to check."""
    Verification.objects.filter(appeal=appeal, state=Verification.State.PENDING).update(
        state=Verification.State.WITHDRAWN, decided_at=now, updated_at=now
    )


def appeal_close_unanswered(*, appeal: Appeal) -> Appeal:
    """The resident did not answer the callback in time: closed, counted apart."""
    require_state(appeal, "close_unanswered")
    now = clock.now()
    with transaction.atomic():
        from_state = move(
            appeal,
            Appeal.State.CLOSED,
            closed_at=now,
            close_reason=Appeal.CloseReason.NO_ANSWER,
        )
        move_assignments(appeal.assignments.all(), Assignment.State.DONE)
        withdraw_verifications(appeal, now)
        timeline.write(appeal, "close_unanswered", from_state=from_state, public=True)
    return appeal


def appeal_callback_unreachable(
    *, appeal: Appeal, acting_user: Any, comment: str = ""
) -> Appeal:
    """未接通: the operator called and did not reach the resident. Each try is
    counted and written to the timeline; the ``CIVICGRID_CALLBACK_TRIES``-th
    closes the appeal as unreachable, which no rate counts (like a callback
    nobody answered, :func:`appeal_close_unanswered`)."""
    require_state(appeal, "callback_unreachable")
    permissions.require(permissions.is_operator_for(acting_user, appeal))
    _refuse_while_verifying(appeal)
    comment = _text(
        comment, field="comment", label=_("The comment"), required=False, limit=1000
    )
    with transaction.atomic():
        hold(appeal, callback_tries=F("callback_tries") + 1)
        tries = appeal.callback_tries
        timeline.write(
            appeal,
            "callback_unreachable",
            actor=acting_user,
            note=comment,
            data={"try": tries, "of": settings.CIVICGRID_CALLBACK_TRIES},
        )
        if tries >= settings.CIVICGRID_CALLBACK_TRIES:
            from_state = move(
                appeal,
                Appeal.State.CLOSED,
                closed_at=clock.now(),
                close_reason=Appeal.CloseReason.UNREACHABLE,
            )
            move_assignments(appeal.assignments.all(), Assignment.State.DONE)
            withdraw_verifications(appeal, clock.now())
            timeline.write(
                appeal, "close_unreachable", from_state=from_state, public=True
            )
    return appeal


def appeal_add_information(
    *,
    appeal: Appeal,
    acting_user: Any,
    text: str,
    photos: Sequence[ProcessedImage] = (),
) -> CaseEvent:
    """The resident adds information or photos through the tracking page."""
    require_state(appeal, "add_information")
    text = _text(
        text, field="text", label=_("The information"), required=not photos, limit=2000
    )
    existing = appeal.attachments.count()
    if existing + len(photos) > MAX_PHOTOS_PER_APPEAL * 2:
        raise DomainError(
            _("This appeal has as many photos as it can take."), field="photos"
        )
    with transaction.atomic():
        hold(appeal)
        event = timeline.write(
            appeal,
            "add_information",
            actor=acting_user,
            actor_role="resident" if acting_user is None else "",
            note=text,
            public=True,
        )
        _save_photos(appeal, photos, event=event, uploaded_by=acting_user, public=True)
    return event


def appeal_reveal_contact(*, appeal: Appeal, acting_user: Any) -> dict[str, Any]:
    """Show the whole name and number to someone who must call back, and the
    appeal's texts that held a phone or ID number in full (``texts``, by where
    they are: :func:`~civicgrid.appeals.selectors.sealed_texts`). The reveal is
    written to the timeline: who saw it, when, and which texts (never the
    texts themselves)."""
    permissions.require(permissions.may_reveal_contact(acting_user, appeal))
    with transaction.atomic():
        texts = sealed_texts(appeal)
        timeline.write(
            appeal,
            "reveal_contact",
            actor=acting_user,
            data={"texts": sorted(texts)} if texts else None,
        )
    return {
        "name": appeal.appellant_name,
        "phone": appeal.appellant_phone,
        "email": appeal.appellant_email,
        "texts": texts,
    }


def callbacks_close_unanswered(*, limit: int) -> int:
    """Close up to ``limit`` replied appeals whose resident did not answer the
    callback within ``CIVICGRID_CALLBACK_DAYS`` (the worker's sweep); returns
    how many it closed."""
    closed = 0
    for appeal in unanswered_callbacks(
        older_than=timedelta(days=settings.CIVICGRID_CALLBACK_DAYS)
    )[:limit]:
        try:
            appeal_close_unanswered(appeal=appeal)
        except DomainError:  # another worker, or the resident, got there first
            continue
        closed += 1
    return closed
