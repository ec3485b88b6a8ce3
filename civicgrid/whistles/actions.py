"""Use cases of 吹哨报到. Same shape as the appeal actions: keyword-only, an
explicit acting user, permission and state checks, compare-and-set, the timeline
and the outbox in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.appeals.actions import appeal_record_whistle, appeal_whistle_reply
from civicgrid.appeals.models import Appeal
from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.core.images import ProcessedImage
from civicgrid.core.words import join_names
from civicgrid.core.workcalendar import get_work_calendar
from civicgrid.notifications.actions import notify_staff, notify_webhooks
from civicgrid.org.models import Area, Department
from civicgrid.org.selectors import departments_serving

from . import workflow
from .models import (
    DepartmentFeedback,
    JointMeeting,
    StreetScore,
    Summons,
    Whistle,
    WhistleEvent,
    WhistleType,
)
from .permissions import (
    directs,
    leads,
    may_be_whistled,
    may_blow,
    may_record_meeting,
    may_reveal_texts,
    may_write_progress,
    my_shares,
    works_share,
)
from .selectors import sealed_texts


def _event(
    whistle: Whistle,
    action: str,
    *,
    actor: Any = None,
    summons: Summons | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> WhistleEvent:
    event = WhistleEvent.objects.create(
        whistle=whistle,
        summons=summons,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
        data=data or {},
        created_at=clock.now(),
    )
    # Other systems (the district's, a department's own) follow every step.
    if settings.CIVICGRID_WEBHOOK_URLS:
        notify_webhooks(
            event=f"whistle.{action}",
            subject_ref=f"whistle:{whistle.pk}",
            payload={
                "whistle": whistle.pk,
                "street": whistle.street.code,
                "type": whistle.type.code,
                # Codes and ids only: the words stay with those who may see them.
                "state": whistle.state,
                "department": summons.department.name if summons else None,
                "at": event.created_at.isoformat(),
                **(data or {}),
            },
        )
    return event


def report_in_deadline(whistle_type: WhistleType, start: Any) -> Any:
    if whistle_type.report_in_minutes is not None:
        return start + timedelta(minutes=whistle_type.report_in_minutes)
    hours = float(whistle_type.report_in_working_hours or 0)
    return get_work_calendar().add_working_hours(start, hours)


def whistle_blow(
    *,
    street: Area,
    whistle_type: WhistleType,
    title: str,
    reason: str,
    departments: Sequence[Department],
    lead: Department,
    acting_user: Any,
    appeal: Appeal | None = None,
) -> Whistle:
    """吹哨: summon the departments; each is told at once and must report in."""
    if not may_blow(acting_user, street):
        raise PermissionDeniedError(
            _("Only the street's dispatchers blow the whistle.")
        )
    title, reason = (title or "").strip(), (reason or "").strip()
    if not title:
        raise DomainError(_("Say what the matter is."), field="title")
    if not reason:
        raise DomainError(_("Say why the street blows the whistle."), field="reason")
    if not whistle_type.is_active:
        raise DomainError(_("Choose a whistle type."), field="type")
    unique = list(dict.fromkeys(departments))
    if not unique:
        raise DomainError(_("Summon at least one department."), field="departments")
    if lead not in unique:
        raise DomainError(
            _("The lead department must be one of those summoned."), field="lead"
        )
    serving = set(
        departments_serving(street)
        .filter(pk__in=[d.pk for d in unique])
        .values_list("pk", flat=True)
    )
    strangers = [d.name for d in unique if d.pk not in serving]
    if strangers:
        raise DomainError(
            _("These departments do not serve this street: %(names)s")
            % {"names": join_names(strangers)},
            field="departments",
        )
    # On an appeal, a unit must be handling it: the whistle's closing reply is
    # then that appeal's answer, and its callback follows.
    if appeal is not None and not may_be_whistled(appeal, street):
        raise DomainError(
            _("Blow the whistle on an appeal of this street that a unit is handling."),
            field="appeal",
        )
    now = clock.now()
    with transaction.atomic():
        whistle = Whistle.objects.create(
            street=street,
            appeal=appeal,
            type=whistle_type,
            title=title,
            reason=reason,
            blown_by=acting_user,
            blown_at=now,
            report_in_due_at=report_in_deadline(whistle_type, now),
        )
        summonses = [
            Summons.objects.create(whistle=whistle, department=d, is_lead=d == lead)
            for d in unique
        ]
        _event(
            whistle,
            "blow",
            actor=acting_user,
            note=reason,
            data={"departments": [d.name for d in unique], "lead": lead.name},
        )
        for summons in summonses:
            _tell_department(summons, "whistle.summoned")
        if appeal is not None:
            appeal_record_whistle(appeal=appeal, acting_user=acting_user, title=title)
    return whistle


def _tell_department(summons: Summons, event: str) -> None:
    for membership in access.unit_members(
        department_id=summons.department_id, area_id=None
    ).select_related("user"):
        notify_staff(
            membership.user,
            event=event,
            context={
                "title": summons.whistle.title,
                "report_in_due_at": summons.whistle.report_in_due_at.isoformat(),
            },
            subject_ref=f"whistle:{summons.whistle_id}",
        )


def summons_check_in(
    *,
    summons: Summons,
    acting_user: Any,
    attendees: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    photo: ProcessedImage | None = None,
) -> Summons:
    """报到: one check-in per department, with who came and, if the phone
    shares them, where they stand and a photo of the scene; two handlers at
    once → one wins."""
    whistle = summons.whistle
    if not works_share(acting_user, summons):
        raise PermissionDeniedError(_("Only the summoned department reports in."))
    workflow.require_state(whistle, "check_in")
    if (latitude is None) != (longitude is None) or (
        latitude is not None
        and not (-90 <= latitude <= 90 and -180 <= float(longitude or 0) <= 180)
    ):
        raise DomainError(_("The location is not a valid position."), field="location")
    now = clock.now()
    late = now > whistle.report_in_due_at
    stored = _store_check_in_photo(summons, photo)
    try:
        with transaction.atomic():
            workflow.report_in(
                summons,
                checked_in_at=now,
                checked_in_by=acting_user,
                attendees=(attendees or "").strip()[:300],
                latitude=latitude,
                longitude=longitude,
                check_in_photo=stored[0],
                check_in_thumbnail=stored[1],
                late=late,
            )
            _event(
                whistle,
                "check_in",
                actor=acting_user,
                summons=summons,
                data={"late": late, "located": latitude is not None},
            )
    except BaseException:
        storage = Summons._meta.get_field("check_in_photo").storage
        for name in stored:
            if name:
                storage.delete(name)
        raise
    return summons


def _store_check_in_photo(
    summons: Summons, photo: ProcessedImage | None
) -> tuple[str, str]:
    """(photo, thumbnail) names in storage, or empty names without a photo."""
    if photo is None:
        return "", ""
    storage = Summons._meta.get_field("check_in_photo").storage
    stem = f"whistles/{summons.whistle_id}/{summons.pk}/{photo.sha256[:16]}"
    return (
        storage.save(f"{stem}.{photo.extension}", ContentFile(photo.content)),
        storage.save(f"{stem}-thumb.jpg", ContentFile(photo.thumbnail)),
    )


def summons_set_task(
    *, summons: Summons, acting_user: Any, task: str, days: float | None = None
) -> Summons:
    whistle = summons.whistle
    if not directs(acting_user, whistle):
        raise PermissionDeniedError(_("Only the street's dispatchers give out shares."))
    workflow.require_state(whistle, "task")
    task = (task or "").strip()
    if not task:
        raise DomainError(_("Say what the department is to do."), field="task")
    due = get_work_calendar().add_working_days(clock.now(), days) if days else None
    with transaction.atomic():
        workflow.change_share(summons, task=task, due_at=due)
        _event(whistle, "task", actor=acting_user, summons=summons, note=task)
    return summons


def summons_complete(*, summons: Summons, acting_user: Any, note: str) -> Summons:
    """The department's share is done (after it reported in)."""
    if not works_share(acting_user, summons):
        raise PermissionDeniedError(
            _("Only the summoned department completes its share.")
        )
    if summons.checked_in_at is None:
        raise DomainError(_("Report in before completing the share."), field="state")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say what was done."), field="note")
    now = clock.now()
    with transaction.atomic():
        workflow.move_share(summons, Summons.State.DONE, done_at=now, done_note=note)
        _event(
            summons.whistle, "share_done", actor=acting_user, summons=summons, note=note
        )
    return summons


def whistle_progress(*, whistle: Whistle, acting_user: Any, note: str) -> WhistleEvent:
    """A progress note (进展) on the timeline, from the street's dispatchers or a
    summoned department's handler, while the whistle is open."""
    mine = my_shares(acting_user, whistle.summonses.select_related("department"))
    if not may_write_progress(acting_user, whistle, mine):
        raise PermissionDeniedError(
            _("The street or a summoned department writes progress notes.")
        )
    workflow.require_state(whistle, "progress")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say what has happened."), field="note")
    if len(note) > 2000:
        raise DomainError(
            _("A progress note is at most 2000 characters."), field="note"
        )
    with transaction.atomic():
        return _event(
            whistle,
            "progress",
            actor=acting_user,
            summons=mine[0] if mine else None,
            note=note,
        )


def _lead(whistle: Whistle) -> Summons | None:
    return whistle.summonses.filter(is_lead=True).select_related("department").first()


def whistle_consolidated_reply(
    *, whistle: Whistle, acting_user: Any, reply: str
) -> Whistle:
    """The lead department writes the consolidated reply (汇总答复) of all the
    departments' work; the street closes the whistle with it. It may be
    rewritten until then."""
    lead = _lead(whistle)
    if not leads(acting_user, lead):
        raise PermissionDeniedError(
            _("The lead department writes the consolidated reply.")
        )
    reply = (reply or "").strip()
    if not reply:
        raise DomainError(_("Give the lead's consolidated reply."), field="reply")
    with transaction.atomic():
        workflow.change_whistle(whistle, consolidated_reply=reply)
        _event(
            whistle, "consolidated_reply", actor=acting_user, summons=lead, note=reply
        )
    return whistle


def whistle_close(*, whistle: Whistle, acting_user: Any, reply: str = "") -> Whistle:
    """事不完、人不撤: closing is refused while any share is open. The reply is
    the lead department's consolidated reply unless the street gives its own."""
    if not directs(acting_user, whistle):
        raise PermissionDeniedError(_("Only the street's dispatchers close a whistle."))
    reply = (reply or "").strip() or (
        Whistle.objects.values_list("consolidated_reply", flat=True).get(pk=whistle.pk)
    )
    if not reply:
        raise DomainError(_("Give the lead's consolidated reply."), field="reply")
    now = clock.now()
    with transaction.atomic():
        # No lock is needed: a done share never reopens and no department is
        # summoned after the whistle is blown, so shares found done stay done.
        open_shares = list(
            whistle.summonses.filter(state=Summons.State.OPEN).select_related(
                "department"
            )
        )
        if open_shares:
            names = join_names(s.department.name for s in open_shares)
            raise DomainError(
                _("These shares are still open: %(names)s") % {"names": names},
                field="state",
            )
        workflow.move_whistle(
            whistle, Whistle.State.CLOSED, closed_at=now, consolidated_reply=reply
        )
        _event(whistle, "close", actor=acting_user, note=reply)
        appeal = whistle.appeal
        if appeal is not None and appeal.state == Appeal.State.HANDLING:
            # 事完: the consolidated reply answers the appeal; the callback follows.
            appeal_whistle_reply(
                appeal=appeal,
                acting_user=acting_user,
                public_reply=reply,
                whistle_id=whistle.pk,
            )
    return whistle


def escalate_missing_check_ins() -> int:
    """The worker: a department not reported in by the deadline is escalated to
    the street's leaders, once, and written to the timeline."""
    now = clock.now()
    escalated = 0
    for summons in Summons.objects.filter(
        checked_in_at__isnull=True,
        escalated_at__isnull=True,
        whistle__state=Whistle.State.OPEN,
        whistle__report_in_due_at__lte=now,
    ).select_related("whistle", "department"):
        with transaction.atomic():
            if not workflow.mark_escalated(summons, now):
                continue
            _event(
                summons.whistle,
                "missing_check_in",
                summons=summons,
                data={"department": summons.department.name},
            )
            for leader in access.holders_over(summons.whistle.street, (Role.LEADER,)):
                notify_staff(
                    leader,
                    event="whistle.missing_check_in",
                    context={
                        "title": summons.whistle.title,
                        "department": summons.department.name,
                    },
                    subject_ref=f"whistle:{summons.whistle_id}",
                )
            escalated += 1
    return escalated


def meeting_record(
    *, whistle: Whistle, acting_user: Any, held_at: Any, attendees: str, decisions: str
) -> JointMeeting:
    """联席会: the street or the lead department records a joint meeting."""
    if not may_record_meeting(acting_user, whistle, _lead(whistle)):
        raise PermissionDeniedError(
            _("The street or the lead department records meetings.")
        )
    workflow.require_state(whistle, "meeting")
    attendees, decisions = (attendees or "").strip(), (decisions or "").strip()
    if not attendees:
        raise DomainError(_("Say who attended."), field="attendees")
    if not decisions:
        raise DomainError(_("Say what was decided."), field="decisions")
    if (
        held_at is None
        or held_at > clock.now() + timedelta(minutes=5)
        or held_at < whistle.blown_at - timedelta(days=1)
    ):
        raise DomainError(
            _(
                "Give when the meeting was held: no earlier than a day before "
                "the whistle, and not in the future."
            ),
            field="held_at",
        )
    with transaction.atomic():
        meeting = JointMeeting.objects.create(
            whistle=whistle,
            held_at=held_at,
            attendees=attendees,
            decisions=decisions,
            recorded_by=acting_user,
        )
        _event(whistle, "meeting", actor=acting_user, note=decisions)
    return meeting


def _score(value: Any, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Give a score from 1 to 5."), field=field) from exc
    if not 1 <= number <= 5:
        raise DomainError(_("Give a score from 1 to 5."), field=field)
    return number


def street_score(
    *,
    summons: Summons,
    acting_user: Any,
    report_in: Any,
    handling: Any,
    comment: str = "",
) -> StreetScore:
    """双向评价, the street's half: once per department, after its share is done."""
    if not directs(acting_user, summons.whistle):
        raise PermissionDeniedError(
            _("Only the street's dispatchers score departments.")
        )
    if summons.state not in workflow.SHARE_STATES["score"]:
        raise DomainError(
            _("Score a department once its share is done."), field="state"
        )
    values = (_score(report_in, "report_in"), _score(handling, "handling"))
    try:
        with transaction.atomic():
            score = StreetScore.objects.create(
                summons=summons,
                report_in=values[0],
                handling=values[1],
                comment=(comment or "").strip(),
                scored_by=acting_user,
            )
            _event(
                summons.whistle,
                "street_score",
                actor=acting_user,
                summons=summons,
                data={"report_in": values[0], "handling": values[1]},
            )
    except IntegrityError as exc:
        raise ConflictError(_("This department has been scored already.")) from exc
    return score


def department_feedback(
    *,
    summons: Summons,
    acting_user: Any,
    justified: bool,
    well_run: Any,
    comment: str = "",
) -> DepartmentFeedback:
    """双向评价, the department's half: was the whistle justified and well run."""
    if not works_share(acting_user, summons):
        raise PermissionDeniedError(
            _("Only the summoned department gives its feedback.")
        )
    if summons.state not in workflow.SHARE_STATES["feedback"]:
        raise DomainError(
            _("Give your feedback once your share is done."), field="state"
        )
    value = _score(well_run, "well_run")
    try:
        with transaction.atomic():
            feedback = DepartmentFeedback.objects.create(
                summons=summons,
                justified=bool(justified),
                well_run=value,
                comment=(comment or "").strip(),
                given_by=acting_user,
            )
            _event(
                summons.whistle,
                "feedback",
                actor=acting_user,
                summons=summons,
                data={"justified": bool(justified), "well_run": value},
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("Your department has given its feedback already.")
        ) from exc
    return feedback


def whistle_reveal_texts(*, whistle: Whistle, acting_user: Any) -> dict[str, str]:
    """The whistle's texts that held a phone or ID number, whole (the reason,
    who came, the minutes …), for who may see them
    (:func:`~civicgrid.whistles.permissions.may_reveal_texts`). The reveal is on
    the whistle's timeline: who, when and which texts, never the texts."""
    if not may_reveal_texts(acting_user, whistle):
        raise PermissionDeniedError(
            _("Only who may call the resident back, or the street, sees the numbers.")
        )
    with transaction.atomic():
        texts = sealed_texts(whistle)
        WhistleEvent.objects.create(
            whistle=whistle,
            action="reveal_texts",
            actor=acting_user,
            data={"texts": sorted(texts)},
            created_at=clock.now(),
        )
    return texts
