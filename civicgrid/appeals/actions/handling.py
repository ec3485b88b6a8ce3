"""Handling (办): a unit signs for its share, returns it, reports progress and
replies; extensions, urging and supervision."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.core.images import MAX_PHOTOS_PER_APPEAL, ProcessedImage
from civicgrid.core.words import join_names
from civicgrid.core.workcalendar import get_work_calendar

from .. import notify, permissions
from ..models import Appeal, Assignment, CaseEvent, ExtensionRequest, ReplyOutcome
from ..selectors import due_soon_q, overdue_q
from ..workflow import (
    ACTION_STATES,
    OPEN_SHARE_STATES,
    hold,
    move,
    move_assignment,
    move_assignments,
    require_state,
)
from . import timeline
from .routing import refuse_moot_extensions
from .timeline import _save_photos, _text


def _assignment_for(user: Any, assignment: Assignment, action: str) -> Appeal:
    appeal = assignment.appeal
    require_state(appeal, action)
    permissions.require(permissions.acts_for(user, assignment))
    return appeal


def assignment_sign(*, assignment: Assignment, acting_user: Any) -> Assignment:
    """签收: the unit takes the appeal on; the response clock stops."""
    appeal = _assignment_for(acting_user, assignment, "sign")
    if assignment.state != Assignment.State.DISPATCHED:
        raise DomainError(
            _("This assignment is not waiting to be signed for."), field="state"
        )
    now = clock.now()
    with transaction.atomic():
        move_assignment(
            assignment, Assignment.State.HANDLING, signed_at=now, signed_by=acting_user
        )
        from_state = appeal.state
        if (
            assignment.role == Assignment.Role.LEAD
            and appeal.state == Appeal.State.DISPATCHED
        ):
            move(appeal, Appeal.State.HANDLING)
        timeline.write(
            appeal,
            "sign",
            actor=acting_user,
            assignment=assignment,
            from_state=from_state,
            public=assignment.role == Assignment.Role.LEAD,
            data={
                "unit": str(assignment.unit),
                "late": now > assignment.response_due_at,
            },
        )
    return assignment


def assignment_return(
    *, assignment: Assignment, acting_user: Any, reason: str
) -> Assignment:
    """退单: the unit says the appeal is not theirs. A returned lead sends the
    appeal back to the dispatcher; the return is counted against nobody but
    recorded for the return rate."""
    appeal = _assignment_for(acting_user, assignment, "return")
    if assignment.state != Assignment.State.DISPATCHED:
        raise DomainError(
            _("Only an assignment not yet signed for can be returned."), field="state"
        )
    reason = _text(reason, field="reason", label=_("The reason"), limit=1000)
    with transaction.atomic():
        move_assignment(
            assignment,
            Assignment.State.RETURNED,
            returned_at=clock.now(),
            return_reason=reason,
        )
        from_state = appeal.state
        if assignment.role == Assignment.Role.LEAD:
            # The co-handlers go back with it; the dispatcher re-dispatches all.
            move_assignments(appeal.assignments.all(), Assignment.State.WITHDRAWN)
            move(appeal, Appeal.State.ACCEPTED, return_count=F("return_count") + 1)
        refuse_moot_extensions(appeal, _("The share was returned."))
        timeline.write(
            appeal,
            "return",
            actor=acting_user,
            assignment=assignment,
            from_state=from_state,
            note=reason,
            data={"unit": str(assignment.unit)},
        )
    return assignment


def assignment_progress(
    *, assignment: Assignment, acting_user: Any, note: str, public: bool = False
) -> CaseEvent:
    appeal = _assignment_for(acting_user, assignment, "progress")
    note = _text(note, field="note", label=_("The note"), limit=2000)
    with transaction.atomic():
        hold(appeal)
        return timeline.write(
            appeal,
            "progress",
            actor=acting_user,
            assignment=assignment,
            note=note,
            public=public,
        )


# A template's blank (【 】, any whitespace inside) left unfilled.
BLANK = re.compile(r"【\s*】")
BLANK_CONTEXT = 8  # characters quoted on either side


def _require_filled(text: str, *, field: str) -> None:
    """Refuse a text that still has a template's blank in it, quoting the words
    around the first one so the handler finds it."""
    blanks = list(BLANK.finditer(text))
    if not blanks:
        return
    first = blanks[0]
    start = max(0, first.start() - BLANK_CONTEXT)
    end = min(len(text), first.end() + BLANK_CONTEXT)
    words = (
        ("…" if start else "")
        + " ".join(text[start:end].split())
        + ("…" if end < len(text) else "")
    )
    raise DomainError(
        _(
            "Fill in the template's blanks (【 】): %(n)d left, the first in "
            "“%(words)s”."
        )
        % {"n": len(blanks), "words": words},
        field=field,
    )


def _outcome(outcome: str, reason: str) -> tuple[str, str]:
    """The reply's outcome (办理结果) and its reason: required when it is not
    resolved, optional otherwise."""
    if outcome not in ReplyOutcome.values:
        raise DomainError(
            _(
                "Say what came of it: resolved, partly resolved, not resolved "
                "or outside our remit."
            ),
            field="outcome",
        )
    reason = _text(
        reason,
        field="outcome_reason",
        label=_("The reason"),
        required=False,
        limit=1000,
    )
    if outcome == ReplyOutcome.NOT_RESOLVED and not reason:
        raise DomainError(_("Say why it is not resolved."), field="outcome_reason")
    _require_filled(reason, field="outcome_reason")
    return outcome, reason


def appeal_reply(
    *,
    assignment: Assignment,
    acting_user: Any,
    outcome: str,
    public_reply: str,
    outcome_reason: str = "",
    internal_note: str = "",
    photos: Sequence[ProcessedImage] = (),
) -> Appeal:
    """The lead unit answers (答复): what came of it (the outcome: resolved,
    partly, not resolved with its reason, or outside our remit), a reply the
    resident reads with every template blank filled in, an internal note they
    do not, and photos of the result. The resident is asked for a callback."""
    appeal = _assignment_for(acting_user, assignment, "reply")
    if (
        assignment.role != Assignment.Role.LEAD
        or assignment.state != Assignment.State.HANDLING
    ):
        raise DomainError(
            _("Only the lead unit replies, after signing for the appeal."),
            field="state",
        )
    _require_co_handlers_done(appeal)
    outcome, outcome_reason = _outcome(outcome, outcome_reason)
    public_reply = _text(
        public_reply, field="public_reply", label=_("The reply"), limit=4000
    )
    _require_filled(public_reply, field="public_reply")
    internal_note = _text(
        internal_note,
        field="internal_note",
        label=_("The internal note"),
        required=False,
        limit=4000,
    )
    if len(photos) > MAX_PHOTOS_PER_APPEAL:
        raise DomainError(
            _("At most %(n)d photos.") % {"n": MAX_PHOTOS_PER_APPEAL}, field="photos"
        )
    return _record_reply(
        appeal,
        assignment,
        acting_user=acting_user,
        outcome=outcome,
        outcome_reason=outcome_reason,
        public_reply=public_reply,
        internal_note=internal_note,
        photos=photos,
    )


def open_co_shares(appeal: Appeal) -> list[Assignment]:
    """The co-handlers' shares (协办) still open: not signed for, or signed and
    not completed."""
    return list(
        appeal.assignments.filter(
            role=Assignment.Role.CO, state__in=OPEN_SHARE_STATES
        ).select_related("area", "department")
    )


def _require_co_handlers_done(appeal: Appeal) -> None:
    """The lead's reply is the consolidated answer: it waits for every
    co-handler to complete its share, or for the lead to close it with a note,
    and names those it waits for."""
    waiting = open_co_shares(appeal)
    if waiting:
        raise DomainError(
            _(
                "The co-handlers have not finished: %(units)s. Wait until they "
                "complete their shares, or close them with a note first."
            )
            % {
                "units": join_names(
                    _("%(unit)s (%(role)s)")
                    % {"unit": share.unit, "role": Assignment.State(share.state).label}
                    for share in waiting
                )
            },
            field="co_handlers",
        )


def assignment_complete(
    *, assignment: Assignment, acting_user: Any, note: str
) -> Assignment:
    """协办完成: a co-handler's unit completes its share, after signing for it,
    with a note of what it did; the lead unit is told."""
    appeal = _assignment_for(acting_user, assignment, "complete_share")
    if assignment.role != Assignment.Role.CO:
        raise DomainError(
            _("Only a co-handler completes its share; the lead unit replies."),
            field="state",
        )
    if assignment.state != Assignment.State.HANDLING:
        raise DomainError(_("Sign for your share before completing it."), field="state")
    note = _text(note, field="note", label=_("The note"), limit=2000)
    with transaction.atomic():
        move_assignment(assignment, Assignment.State.DONE, completed_at=clock.now())
        hold(appeal, states=ACTION_STATES["complete_share"])
        timeline.write(
            appeal,
            "complete_share",
            actor=acting_user,
            assignment=assignment,
            note=note,
            data={"unit": str(assignment.unit)},
        )
        lead = _active_lead(appeal)
        if lead is not None:
            notify.unit(lead, "appeal.co_completed", co_unit=str(assignment.unit))
    return assignment


def _active_lead(appeal: Appeal) -> Assignment | None:
    return (
        appeal.assignments.filter(
            role=Assignment.Role.LEAD, state__in=Assignment.ACTIVE_STATES
        )
        .select_related("area", "department", "appeal")
        .first()
    )


def assignment_close(
    *, assignment: Assignment, acting_user: Any, note: str
) -> Assignment:
    """The lead unit closes a co-handler's share (signed or not) with a note of
    why it needs nothing more from it; the co-handler is told. Only then, or
    once the co-handler completed it, may the lead reply."""
    appeal = assignment.appeal
    require_state(appeal, "close_share")
    lead = _active_lead(appeal)
    if (
        lead is None
        or lead.state != Assignment.State.HANDLING
        or not permissions.acts_for(acting_user, lead)
    ):
        raise PermissionDeniedError(
            _("Only the lead unit closes a co-handler's share, after signing for it.")
        )
    if assignment.role != Assignment.Role.CO or assignment.state not in (
        OPEN_SHARE_STATES
    ):
        raise DomainError(
            _("Choose a co-handler's share that is still open."), field="assignment"
        )
    note = _text(note, field="note", label=_("The note"), limit=2000)
    with transaction.atomic():
        move_assignment(assignment, Assignment.State.DONE, completed_at=clock.now())
        hold(appeal)
        timeline.write(
            appeal,
            "close_share",
            actor=acting_user,
            # The lead acted, for its own share: the event is the lead's.
            assignment=lead,
            note=note,
            data={"unit": str(assignment.unit), "share": assignment.pk},
        )
        notify.unit(assignment, "appeal.co_closed", lead=str(lead.unit))
    return assignment


def appeal_whistle_reply(
    *, appeal: Appeal, acting_user: Any, public_reply: str, whistle_id: int
) -> Appeal:
    """A whistle on the appeal closed: the lead department's consolidated reply
    is the appeal's reply, and the resident is asked for the callback as usual.
    Its outcome is "resolved": a whistle closes only when every summoned
    department's share is done (事不完、人不撤); the resident's callback says
    whether it really was."""
    require_state(appeal, "reply")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    lead = appeal.assignments.filter(
        role=Assignment.Role.LEAD, state=Assignment.State.HANDLING
    ).first()
    if lead is None:
        raise DomainError(_("The appeal has no unit handling it."), field="state")
    public_reply = _text(
        public_reply, field="public_reply", label=_("The reply"), limit=4000
    )
    _require_filled(public_reply, field="reply")  # the whistle's reply field
    return _record_reply(
        appeal,
        lead,
        acting_user=acting_user,
        outcome=ReplyOutcome.RESOLVED,
        outcome_reason="",
        public_reply=public_reply,
        data={"whistle": whistle_id},
        # Every summoned department reported done (事不完、人不撤): a co-handler
        # still open ends with the whistle's answer, said on the timeline.
        close_co_note=_("Closed with the whistle's consolidated reply."),
    )


def appeal_record_whistle(*, appeal: Appeal, acting_user: Any, title: str) -> None:
    """The street blew the whistle on this appeal: the resident sees that several
    departments now handle it together."""
    if not appeal.is_open:
        raise DomainError(_("Blow the whistle on an open appeal."), field="appeal")
    timeline.write(appeal, "whistle", actor=acting_user, note=title, public=True)


def _record_reply(
    appeal: Appeal,
    assignment: Assignment,
    *,
    acting_user: Any,
    outcome: str,
    outcome_reason: str,
    public_reply: str,
    internal_note: str = "",
    photos: Sequence[ProcessedImage] = (),
    data: dict[str, Any] | None = None,
    close_co_note: str = "",
) -> Appeal:
    now = clock.now()
    with transaction.atomic():
        move_assignment(assignment, Assignment.State.REPLIED, replied_at=now)
        for share in open_co_shares(appeal) if close_co_note else ():
            move_assignment(share, Assignment.State.DONE, completed_at=now)
            timeline.write(
                appeal,
                "close_share",
                actor=acting_user,
                assignment=assignment,
                note=close_co_note,
                # The whistle's (by the street), not the lead unit's own step.
                data={"unit": str(share.unit), "share": share.pk, **(data or {})},
            )
        from_state = move(
            appeal,
            Appeal.State.REPLIED,
            replied_at=now,
            reply_outcome=outcome,
            reply_outcome_reason=outcome_reason,
        )
        # More time is moot once the answer is given (a re-handle starts a new clock).
        ExtensionRequest.objects.filter(
            assignment__appeal=appeal, state=ExtensionRequest.State.PENDING
        ).update(
            state=ExtensionRequest.State.REFUSED,
            decided_at=now,
            decision_note=_("The appeal was answered."),
        )
        event = timeline.write(
            appeal,
            "reply",
            actor=acting_user,
            assignment=assignment,
            from_state=from_state,
            note=public_reply,
            public=True,
            data={
                "late": now > assignment.due_at,
                "outcome": outcome,
                "outcome_reason": outcome_reason,
                **(data or {}),
            },
        )
        _save_photos(appeal, photos, event=event, uploaded_by=acting_user, public=True)
        if internal_note:
            timeline.write(
                appeal,
                "internal_note",
                actor=acting_user,
                assignment=assignment,
                note=internal_note,
            )
        notify.resident(appeal, "appeal.replied")
    return appeal


def extension_request(
    *,
    assignment: Assignment,
    acting_user: Any,
    days: Decimal | float | str,
    reason: str,
) -> ExtensionRequest:
    appeal = _assignment_for(acting_user, assignment, "request_extension")
    if assignment.state not in OPEN_SHARE_STATES:
        raise DomainError(_("This assignment is not open."), field="state")
    try:
        amount = Decimal(str(days))
    except ArithmeticError as exc:
        raise DomainError(_("Give the number of working days."), field="days") from exc
    if not amount.is_finite() or not (Decimal("0.5") <= amount <= Decimal("30")):
        raise DomainError(_("Ask for between 0.5 and 30 working days."), field="days")
    reason = _text(reason, field="reason", label=_("The reason"), limit=1000)
    with transaction.atomic():
        hold(appeal)
        try:
            with transaction.atomic():
                request = ExtensionRequest.objects.create(
                    assignment=assignment,
                    requested_by=acting_user,
                    days=amount,
                    reason=reason,
                )
        except IntegrityError as exc:
            raise DomainError(
                _("An extension request is already waiting for a decision."),
                field="days",
            ) from exc
        timeline.write(
            appeal,
            "request_extension",
            actor=acting_user,
            assignment=assignment,
            note=reason,
            data={"days": str(amount)},
        )
        notify.dispatchers(
            appeal,
            "appeal.extension_requested",
            unit=str(assignment.unit),
            days=f"{amount:g}",
        )
    return request


def extension_decide(
    *, request: ExtensionRequest, acting_user: Any, approve: bool, note: str = ""
) -> ExtensionRequest:
    assignment = request.assignment
    appeal = assignment.appeal
    require_state(appeal, "decide_extension")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    note = _text(note, field="note", label=_("The note"), required=False, limit=1000)
    now = clock.now()
    with transaction.atomic():
        # As it stands now: more time counts from the due time it has now, and
        # the share is extended only if neither moved meanwhile (below).
        current = Assignment.objects.only("state", "due_at").get(pk=assignment.pk)
        if approve and current.state not in OPEN_SHARE_STATES:
            # Returned or withdrawn since it asked: more time for a share that no
            # longer runs would move the deadline of the unit now holding it.
            raise DomainError(
                _("This assignment is not open any more; refuse the request."),
                field="state",
            )
        assignment.due_at = current.due_at
        state = (
            ExtensionRequest.State.APPROVED
            if approve
            else ExtensionRequest.State.REFUSED
        )
        updated = ExtensionRequest.objects.filter(
            pk=request.pk, state=ExtensionRequest.State.PENDING
        ).update(
            state=state, decided_by=acting_user, decided_at=now, decision_note=note
        )
        if updated != 1:
            raise ConflictError(_("This extension request was decided already."))
        request.state = state
        data: dict[str, Any] = {"days": str(request.days)}
        if approve:
            calendar = get_work_calendar()
            extra = float(request.days) * calendar.seconds_per_day
            due = calendar.add_working_seconds(assignment.due_at, extra)
            warn_before = float(settings.CIVICGRID_WARN_BEFORE_WORKING_HOURS) * 3600
            left = calendar.working_seconds_between(now, due)
            warn = calendar.add_working_seconds(now, max(0.0, left - warn_before))
            extended = Assignment.objects.filter(
                pk=assignment.pk, state__in=OPEN_SHARE_STATES, due_at=current.due_at
            ).update(due_at=due, warn_at=warn, warned_at=None, overdue_at=None)
            if extended != 1:
                raise ConflictError(
                    _(
                        "Someone else acted on this assignment just now; reload "
                        "and try again."
                    )
                )
            assignment.due_at, assignment.warn_at = due, warn
            if assignment.role == Assignment.Role.LEAD:
                Appeal.objects.filter(pk=appeal.pk).update(due_at=due)
                appeal.due_at = due
            data["due_at"] = due.isoformat()
        timeline.write(
            appeal,
            "extension_approved" if approve else "extension_refused",
            actor=acting_user,
            assignment=assignment,
            note=note,
            data=data,
        )
        notify.unit(assignment, "appeal.extension_decided", approved=approve)
    return request


def appeal_urge(*, appeal: Appeal, acting_user: Any, note: str = "") -> Appeal:
    """催办: the dispatcher presses the units before the deadline."""
    require_state(appeal, "urge")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    with transaction.atomic():
        hold(appeal, urge_count=F("urge_count") + 1)
        timeline.write(appeal, "urge", actor=acting_user, note=note)
        for assignment in appeal.assignments.filter(state__in=OPEN_SHARE_STATES):
            notify.unit(assignment, "appeal.urged")
    return appeal


def appeal_supervise(*, appeal: Appeal, acting_user: Any, note: str = "") -> Appeal:
    """督办: a leader takes the appeal under supervision."""
    require_state(appeal, "supervise")
    permissions.require(permissions.is_leader_for(acting_user, appeal))
    with transaction.atomic():
        hold(appeal)
        if not Appeal.objects.filter(pk=appeal.pk, supervised=False).update(
            supervised=True
        ):
            raise ConflictError(_("A leader supervises this appeal already."))
        appeal.supervised = True
        timeline.write(appeal, "supervise", actor=acting_user, note=note)
    return appeal


# --- deadlines (the worker's sweep) -----------------------------------------------


def _mark(
    assignment: Assignment,
    field: str,
    action: str,
    notice: str | None,
    states: Collection[str],
) -> bool:
    now = clock.now()
    with transaction.atomic():
        # Claimed only in the states it was read in: a share signed since
        # is not late to sign.
        claimed = Assignment.objects.filter(
            pk=assignment.pk, state__in=states, **{f"{field}__isnull": True}
        ).update(**{field: now})
        if claimed != 1:
            return False
        setattr(assignment, field, now)
        timeline.write(
            assignment.appeal,
            action,
            assignment=assignment,
            data={
                "unit": str(assignment.unit),
                "due_at": assignment.due_at.isoformat(),
            },
        )
        if notice:
            notify.unit(assignment, notice, dedupe=True)
    return True


def assignment_mark_warned(*, assignment: Assignment) -> bool:
    """临期预警: the share's due time is near. Marked once, by compare-and-set,
    with its event and the unit's notice; False if it was marked already or is
    no longer open."""
    return _mark(
        assignment, "warned_at", "due_soon", "appeal.due_soon", OPEN_SHARE_STATES
    )


def assignment_mark_overdue(*, assignment: Assignment) -> bool:
    """超期: the share's due time passed. Marked once, as above."""
    return _mark(
        assignment, "overdue_at", "overdue", "appeal.overdue", OPEN_SHARE_STATES
    )


def assignment_mark_late_to_sign(*, assignment: Assignment) -> bool:
    """The share was not signed for by its response deadline. Marked once, while
    it still waits to be signed for; nobody is told."""
    return _mark(
        assignment,
        "response_overdue_at",
        "late_to_sign",
        None,
        (Assignment.State.DISPATCHED,),
    )


def deadlines_sweep(*, limit: int) -> dict[str, int]:
    """Mark up to ``limit`` shares of each kind whose time has come: the ones to
    warn, the overdue ones and the ones late to sign; returns how many of each.
    Several workers may sweep at once: each share is marked once."""
    now = clock.now()
    counts = {"warned": 0, "overdue": 0, "late_to_sign": 0}
    base = Assignment.objects.select_related("appeal", "area", "department")
    for assignment in base.filter(
        due_soon_q(now), state__in=OPEN_SHARE_STATES, warned_at__isnull=True
    )[:limit]:
        counts["warned"] += assignment_mark_warned(assignment=assignment)
    for assignment in base.filter(
        overdue_q(now), state__in=OPEN_SHARE_STATES, overdue_at__isnull=True
    )[:limit]:
        counts["overdue"] += assignment_mark_overdue(assignment=assignment)
    for assignment in base.filter(
        state=Assignment.State.DISPATCHED,
        response_overdue_at__isnull=True,
        response_due_at__lte=now,
    )[:limit]:
        counts["late_to_sign"] += assignment_mark_late_to_sign(assignment=assignment)
    return counts
