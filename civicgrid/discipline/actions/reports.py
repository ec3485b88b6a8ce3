"""The discipline channel's use cases, one function each: keyword-only, an
explicit actor (``acting_user``; ``None`` is the anonymous reporter holding a
receipt), one transaction, the rule checked, the state moved by
compare-and-set, a :class:`Step` and an audit entry written with it.

Nothing here queues a message: the outbox is shared with the rest of the
platform, and a report's words must not reach it. A reporter learns of the
acceptance decision and the result on the receipt page, and a real-name
reporter is also told by the officer, who records how.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from civicgrid.core import clock, pii
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.core.workcalendar import add_working_days

from .. import audit, evidence, permissions, receipts, sealing, workflow
from ..models import (
    Alert,
    Attachment,
    Body,
    Channel,
    Code,
    Counter,
    Disposal,
    Grant,
    Identity,
    IdentityRequest,
    Matter,
    Post,
    Report,
    Step,
)

S = Report.State
DECIDE_DAYS = 15
REFER_DAYS = 5
FEEDBACK_DAYS = 15
STAFF_CHANNELS = (Channel.LETTER, Channel.VISIT, Channel.PHONE)
ALREADY_SENT = gettext_noop(
    "This report was already sent; its receipt was shown then and cannot be "
    "shown again. Follow it up with that receipt."
)

LIMITS = {
    "accused_name": 50,
    "accused_unit": 100,
    "accused_post": 50,
    "when": 100,
    "what": 5000,
    "name": 50,
    "phone": 20,
    "id_number": 18,
    "address": 200,
}


class Redirect:
    """Where a report that is not accepted should go instead (告知渠道)."""

    LITIGATION = "litigation"
    ARBITRATION = "arbitration"
    REVIEW = "review"
    OTHER_BODY = "other_body"
    NONE = "none"
    CHOICES = (LITIGATION, ARBITRATION, REVIEW, OTHER_BODY, NONE)


@dataclass(frozen=True)
class Submitted:
    report: Report
    # Shown once to the reporter, then gone: only its digest is kept.
    receipt: str


# --- keys and words --------------------------------------------------------------


def content_key(report: Report) -> bytes:
    return sealing.unwrap(report.content_key, aad=f"report:{report.uid}")


def identity_key(report: Report, identity: Identity) -> bytes:
    return sealing.unwrap(identity.key, aad=f"identity:{report.uid}")


def read_content(report: Report) -> dict:
    return sealing.open_json(
        content_key(report), report.sealed, aad=f"content:{report.uid}"
    )


def read_words(report: Report, step: Step, key: bytes | None = None) -> dict:
    return sealing.open_json(
        key or content_key(report), step.sealed, aad=f"step:{report.uid}"
    )


def _step(
    report: Report,
    kind: str,
    *,
    actor: Any,
    old: str = "",
    new: str = "",
    words: dict | None = None,
    shown: bool = False,
    key: bytes | None = None,
    by_system: bool = False,
) -> Step:
    """One step of ``report`` with its audit entry; ``actor`` None is the
    reporter, unless the platform took the step itself (``by_system``)."""
    sealed = b""
    if words:
        sealed = sealing.seal_json(
            key or content_key(report), words, aad=f"step:{report.uid}"
        )
    step = Step.objects.create(
        report=report,
        kind=kind,
        at=clock.now(),
        actor=actor,
        body=report.body,
        from_state=old,
        to_state=new,
        shown_to_reporter=shown,
        sealed=sealed,
    )
    audit.record(
        f"step.{kind}",
        actor=actor,
        actor_label="" if actor else ("system" if by_system else "reporter"),
        report=report,
        step=step.pk,
        **({"to": new} if new else {}),
    )
    return step


def _clean(value: Any, field: str, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    limit = LIMITS.get(field)
    if limit and len(text) > limit:
        raise DomainError(_("At most %(n)s characters.") % {"n": limit}, field=field)
    return text


def _required_text(value: Any, field: str, *, limit: int = 2000) -> str:
    text = str(value or "").strip()
    if not text:
        raise DomainError(_("This field is required."), field=field)
    if len(text) > limit:
        raise DomainError(_("At most %(n)s characters.") % {"n": limit}, field=field)
    return text


def _next_number(body: Body, year: int) -> str:
    counter, _created = Counter.objects.get_or_create(body=body, year=year)
    Counter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{body.code.upper()}-{year}-{counter.last:04d}"


def _principal_names(body: Body) -> set[str]:
    return {
        name.strip()
        for name in Post.objects.filter(
            body=body, kind=Post.Kind.PRINCIPAL, ended_at__isnull=True
        ).values_list("user__full_name", flat=True)
        if name and name.strip()
    }


def _deadlines(received: dt.datetime) -> dict[str, dt.datetime]:
    return {
        "refer_due_at": add_working_days(received, REFER_DAYS),
        "decide_due_at": add_working_days(received, DECIDE_DAYS),
    }


# --- intake ----------------------------------------------------------------------


def report_submit(
    *,
    body: Body,
    channel: str,
    matter: str,
    accused_name: str,
    accused_unit: str,
    accused_post: str = "",
    what: str,
    when: str = "",
    about_principal: bool = False,
    real_name: bool = False,
    name: str = "",
    phone: str = "",
    id_number: str = "",
    address: str = "",
    uploads: Sequence[Any] = (),
    code: Code | None = None,
    intake_key: str = "",
    acting_user: Any = None,
) -> Submitted:
    """A report lodged with ``body``: online by the reporter (no
    ``acting_user``), or entered by an officer of the body from a letter, a
    visit or a 12388 call. Real-name reports are marked for priority. A report
    about the body's own principal — said so, or naming them — goes straight
    to the next level up. Returns the report and its receipt, which is shown
    once and kept only as a digest."""
    if acting_user is None:
        if channel not in (Channel.ONLINE, Channel.QR):
            raise DomainError(_("Choose how the report came in."), field="channel")
        if not body.accepts_online:
            raise DomainError(
                _("%(body)s does not take reports online; call 12388.")
                % {"body": body.name},
                field="body",
            )
    else:
        if channel not in STAFF_CHANNELS:
            raise DomainError(
                _("Staff enter letters, visits and 12388 calls."), field="channel"
            )
        if not permissions.may_enter(acting_user, body):
            raise PermissionDeniedError(
                _("Only the officers of %(body)s enter its reports.")
                % {"body": body.name}
            )
    if matter not in Matter.values:
        raise DomainError(_("Choose what kind of matter this is."), field="matter")
    content = {
        "accused_name": _clean(accused_name, "accused_name", required=True),
        "accused_unit": _clean(accused_unit, "accused_unit", required=True),
        "accused_post": _clean(accused_post, "accused_post"),
        "when": _clean(when, "when"),
        "what": _clean(what, "what", required=True),
    }
    if code is not None and code.body_id != body.pk:
        raise DomainError(_("This QR code belongs to another body."), field="code")
    person = {}
    if real_name:
        person = {
            "name": _clean(name, "name", required=True),
            "phone": _clean(phone, "phone", required=True),
            "id_number": _clean(id_number, "id_number").upper(),
            "address": _clean(address, "address"),
        }
        if person["id_number"] and not pii.is_valid_id_number(person["id_number"]):
            raise DomainError(
                _("This is not a valid ID number; check it or leave it blank."),
                field="id_number",
            )
    key_digest = hashlib.sha256(intake_key.encode()).hexdigest() if intake_key else None
    if key_digest and Report.objects.filter(intake_key=key_digest).exists():
        raise ConflictError(_(ALREADY_SENT))
    files = evidence.check(list(uploads))

    about = bool(about_principal) or (content["accused_name"] in _principal_names(body))
    destination = body.parent if about and body.parent else body
    received = clock.now()
    receipt = receipts.new_receipt()
    digest = receipts.digest(receipt)
    data_key = sealing.new_key()
    written: list[str] = []
    try:
        # The files are sealed and written before the transaction, which then
        # holds the database's write lock only for the rows.
        stored = []
        for item in files:
            stored.append(evidence.store(data_key, item))
            written.append(stored[-1][1])
        with transaction.atomic():
            report = Report(
                number=_next_number(destination, timezone.localdate(received).year),
                body=destination,
                lodged_with=body,
                concerns_principal_of=body if about else None,
                channel=channel,
                matter=matter,
                real_name=bool(real_name),
                received_at=received,
                receipt_digest=digest,
                intake_key=key_digest,
                code=code,
                **_deadlines(received),
            )
            report.content_key = sealing.wrap(data_key, aad=f"report:{report.uid}")
            report.sealed = sealing.seal_json(
                data_key, content, aad=f"content:{report.uid}"
            )
            report.save()
            if real_name:
                identity_data_key = sealing.new_key()
                Identity.objects.create(
                    report=report,
                    key=sealing.wrap(identity_data_key, aad=f"identity:{report.uid}"),
                    sealed=sealing.seal_json(
                        identity_data_key, person, aad=f"identity-data:{report.uid}"
                    ),
                )
            for uid, place, description in stored:
                Attachment.objects.create(
                    uid=uid,
                    report=report,
                    file=place,
                    sealed=description,
                    added_at=received,
                    from_reporter=acting_user is None,
                )
            _step(
                report,
                Step.Kind.RECEIVED,
                actor=acting_user,
                new=S.RECEIVED,
                shown=True,
                key=data_key,
            )
            if destination != body:  # about the principal, with a level above
                _step(
                    report,
                    Step.Kind.REFERRED,
                    actor=None,
                    words={"principal": True, "from": body.name},
                    key=data_key,
                    by_system=True,
                )
            if acting_user is not None and destination == body:
                _grant(
                    report,
                    officer=acting_user,
                    by=acting_user,
                    reason=_("Entered the report"),
                )
    except IntegrityError as exc:
        evidence.discard(written)
        if key_digest and Report.objects.filter(intake_key=key_digest).exists():
            raise ConflictError(_(ALREADY_SENT)) from exc
        raise ConflictError(_("The report could not be saved; send it again.")) from exc
    except BaseException:
        evidence.discard(written)
        raise
    return Submitted(report=report, receipt=receipt)


# --- grants ----------------------------------------------------------------------


def _grant(report: Report, *, officer: Any, by: Any, reason: str) -> Grant:
    try:
        with transaction.atomic():
            grant = Grant.objects.create(
                report=report,
                officer=officer,
                granted_by=by,
                reason=reason,
                granted_at=clock.now(),
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("%(officer)s already holds this report.") % {"officer": officer}
        ) from exc
    audit.record(
        "grant.given", actor=by, report=report, officer=officer.pk, grant=grant.pk
    )
    return grant


def grant_give(*, report: Report, officer: Any, reason: str, acting_user: Any) -> Grant:
    """The head assigns an officer to a report (承办), with a reason."""
    reason = _required_text(reason, "reason", limit=200)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if not permissions.may_grant(acting_user, report):
            raise PermissionDeniedError(_("Only the head of the office assigns."))
        if not permissions.may_be_granted(officer, report):
            raise DomainError(
                _("%(officer)s does not handle reports of %(body)s.")
                % {"officer": officer, "body": report.body.name},
                field="officer",
            )
        grant = _grant(report, officer=officer, by=acting_user, reason=reason)
        _step(
            report,
            Step.Kind.GRANTED,
            actor=acting_user,
            words={"officer": officer.pk, "reason": reason},
        )
    return grant


def grant_revoke(*, grant: Grant, acting_user: Any) -> None:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=grant.report_id)
        if not permissions.may_grant(acting_user, report):
            raise PermissionDeniedError(_("Only the head of the office withdraws."))
        ended = Grant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
            revoked_at=clock.now(), revoked_by=acting_user
        )
        if not ended:
            raise ConflictError(_("This officer no longer holds the report."))
        audit.record(
            "grant.revoked",
            actor=acting_user,
            report=report,
            officer=grant.officer_id,
            grant=grant.pk,
        )
        _step(
            report,
            Step.Kind.REVOKED,
            actor=acting_user,
            words={"officer": grant.officer_id},
        )


# --- handling --------------------------------------------------------------------


def _handling(report: Report, acting_user: Any) -> Report:
    """The report, fresh and locked, for an officer who holds it."""
    fresh = Report.objects.select_for_update().get(pk=report.pk)
    if not permissions.may_read(acting_user, fresh):
        raise PermissionDeniedError(_("This report is not assigned to you."))
    return fresh


def _advance(
    report: Report,
    to: str,
    kind: str,
    *,
    acting_user: Any,
    only_from: tuple[str, ...] | None = None,
    words: dict | None = None,
    shown: bool = False,
    **fields: Any,
) -> Report:
    """The shape of an officer's step: the report locked for one who holds
    it, moved by compare-and-set, its step and audit entry written."""
    with transaction.atomic():
        report = _handling(report, acting_user)
        old = workflow.move(report, to, only_from=only_from, **fields)
        _step(
            report, kind, actor=acting_user, old=old, new=to, words=words, shown=shown
        )
    return report


def report_register(
    *, report: Report, matter: str, note: str = "", acting_user: Any
) -> Report:
    """登记: the officer confirms the kind of matter."""
    if matter not in Matter.values:
        raise DomainError(_("Choose what kind of matter this is."), field="matter")
    return _advance(
        report,
        S.REGISTERED,
        Step.Kind.REGISTERED,
        acting_user=acting_user,
        words={"note": note.strip()} if note.strip() else None,
        matter=matter,
    )


def report_accept(
    *, report: Report, notice: str, told_by: str = "", acting_user: Any
) -> Report:
    """受理, with the notice the reporter reads."""
    notice = _required_text(notice, "notice")
    return _advance(
        report,
        S.ACCEPTED,
        Step.Kind.ACCEPTED,
        acting_user=acting_user,
        only_from=(S.REGISTERED,),
        words={"notice": notice, "told_by": told_by.strip()},
        shown=True,
        decided_at=clock.now(),
    )


def report_not_accept(
    *,
    report: Report,
    reason: str,
    go_to: str,
    go_to_detail: str = "",
    told_by: str = "",
    acting_user: Any,
) -> Report:
    """不予受理: the reason, and where to go instead."""
    reason = _required_text(reason, "reason")
    if go_to not in Redirect.CHOICES:
        raise DomainError(_("Say where the reporter may go instead."), field="go_to")
    if go_to == Redirect.OTHER_BODY and not go_to_detail.strip():
        raise DomainError(_("Name the body to go to."), field="go_to_detail")
    return _advance(
        report,
        S.NOT_ACCEPTED,
        Step.Kind.NOT_ACCEPTED,
        acting_user=acting_user,
        only_from=(S.REGISTERED,),
        words={
            "reason": reason,
            "go_to": go_to,
            "go_to_detail": go_to_detail.strip(),
            "told_by": told_by.strip(),
        },
        shown=True,
        decided_at=clock.now(),
    )


def report_refer(*, report: Report, reason: str, acting_user: Any) -> Report:
    """A matter for the higher body goes up (5 working days): it arrives there
    as received, with its own clock, and the officers here lose it."""
    reason = _required_text(reason, "reason", limit=300)
    with transaction.atomic():
        report = _handling(report, acting_user)
        parent = report.body.parent
        if parent is None:
            raise DomainError(
                _("%(body)s has no level above it here.") % {"body": report.body},
                field="reason",
            )
        if report.state not in workflow.REFERABLE:
            raise DomainError(
                _("Only a report not yet decided goes up a level."), field="state"
            )
        # The principal rule holds wherever the report goes: one that names
        # the principal of the body it goes up to passes that body by too.
        key = content_key(report)
        named = read_content(report).get("accused_name", "")
        extra: dict[str, Any] = {}
        destination = parent
        if report.concerns_principal_of_id is None and named in _principal_names(
            parent
        ):
            extra["concerns_principal_of"] = parent
            destination = parent.parent or parent
        _step(
            report,
            Step.Kind.REFERRED,
            actor=acting_user,
            words={"reason": reason, "to": destination.name},
            shown=True,
            key=key,
        )
        arrived = clock.now()
        old_body = report.body_id
        fields: dict[str, Any] = {"body": destination, **_deadlines(arrived), **extra}
        workflow.move(report, S.RECEIVED, **fields)
        ended = Grant.objects.filter(report=report, revoked_at__isnull=True).update(
            revoked_at=arrived, revoked_by=acting_user
        )
        # What the officers here asked to see is no longer theirs to see.
        withdrawn = IdentityRequest.objects.filter(
            report=report, state=IdentityRequest.State.PENDING
        ).update(state=IdentityRequest.State.WITHDRAWN, decided_at=arrived)
        audit.record(
            "report.referred",
            actor=acting_user,
            report=report,
            from_body=old_body,
            to_body=destination.pk,
            grants_ended=ended,
            requests_withdrawn=withdrawn,
            **({"principal_of": str(parent.pk)} if extra else {}),
        )
    return report


def report_dispose(
    *, report: Report, disposal: str, note: str = "", acting_user: Any
) -> Report:
    """One of the four disposals; a report held for later may be disposed of
    again."""
    if disposal not in Disposal.values:
        raise DomainError(_("Choose one of the four disposals."), field="disposal")
    with transaction.atomic():
        report = _handling(report, acting_user)
        if report.state == S.DISPOSED and report.disposal != Disposal.HOLD:
            raise DomainError(
                _("Only a report held for later is disposed of again."),
                field="disposal",
            )
        old = workflow.move(report, S.DISPOSED, disposal=disposal)
        _step(
            report,
            Step.Kind.DISPOSED,
            actor=acting_user,
            old=old,
            new=S.DISPOSED,
            words={"disposal": disposal, "note": note.strip()},
        )
    return report


def report_conclude(*, report: Report, result: str, acting_user: Any) -> Report:
    """办结: the findings; the result is due to the reporter within 15
    working days."""
    result = _required_text(result, "result", limit=5000)
    with transaction.atomic():
        report = _handling(report, acting_user)
        concluded = clock.now()
        old = workflow.move(
            report,
            S.CONCLUDED,
            concluded_at=concluded,
            feedback_due_at=add_working_days(concluded, FEEDBACK_DAYS),
        )
        _step(
            report,
            Step.Kind.CONCLUDED,
            actor=acting_user,
            old=old,
            new=S.CONCLUDED,
            words={"result": result},
        )
    return report


def report_feed_back(
    *, report: Report, result: str, told_by: str = "", acting_user: Any
) -> Report:
    """反馈: what the reporter is told of the result."""
    result = _required_text(result, "result")
    return _advance(
        report,
        S.FED_BACK,
        Step.Kind.FED_BACK,
        acting_user=acting_user,
        only_from=(S.CONCLUDED,),
        words={"result": result, "told_by": told_by.strip()},
        shown=True,
        fed_back_at=clock.now(),
    )


def report_reopen(*, report: Report, reason: str, acting_user: Any) -> Report:
    """New evidence or a founded objection: handled again from acceptance."""
    reason = _required_text(reason, "reason")
    return _advance(
        report,
        S.ACCEPTED,
        Step.Kind.REOPENED,
        acting_user=acting_user,
        only_from=(S.OBJECTED,),
        words={"reason": reason},
        shown=True,
        disposal="",
        concluded_at=None,
        feedback_due_at=None,
        fed_back_at=None,
    )


def objection_uphold(*, report: Report, answer: str, acting_user: Any) -> Report:
    """The objection answered: the decision or the result stands."""
    answer = _required_text(answer, "answer")
    with transaction.atomic():
        report = _handling(report, acting_user)
        if report.state != S.OBJECTED:
            raise DomainError(_("There is no objection to answer."), field="state")
        back = S.FED_BACK if report.fed_back_at else S.NOT_ACCEPTED
        old = workflow.move(report, back)
        _step(
            report,
            Step.Kind.UPHELD,
            actor=acting_user,
            old=old,
            new=back,
            words={"answer": answer},
            shown=True,
        )
    return report


def officer_message(*, report: Report, text: str, acting_user: Any) -> Step:
    """A message to the reporter, who reads it with the receipt."""
    text = _required_text(text, "text")
    with transaction.atomic():
        report = _handling(report, acting_user)
        return _step(
            report,
            Step.Kind.MESSAGE,
            actor=acting_user,
            words={"text": text, "from": "officer"},
            shown=True,
        )


# --- the reporter, with the receipt ---------------------------------------------


def _add_evidence(report: Report, key: bytes, uploads: Sequence[Any]) -> list[str]:
    written: list[str] = []
    for item in evidence.check(list(uploads)):
        uid, place, description = evidence.store(key, item)
        written.append(place)
        Attachment.objects.create(
            uid=uid,
            report=report,
            file=place,
            sealed=description,
            added_at=clock.now(),
            from_reporter=True,
        )
    return written


def reporter_message(*, report: Report, text: str, uploads: Sequence[Any] = ()) -> Step:
    """The reporter writes to the officer (and may add evidence)."""
    text = _required_text(text, "text")
    written: list[str] = []
    try:
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=report.pk)
            if report.state not in workflow.OPEN:
                raise DomainError(
                    _(
                        "This report is closed: object to the result if you "
                        "disagree, or send a new report."
                    ),
                    field="text",
                )
            key = content_key(report)
            written = _add_evidence(report, key, uploads)
            step = _step(
                report,
                Step.Kind.MESSAGE,
                actor=None,
                words={"text": text, "from": "reporter", "files": len(written)},
                shown=True,
                key=key,
            )
    except BaseException:
        evidence.discard(written)
        raise
    return step


def reporter_object(
    *, report: Report, text: str, uploads: Sequence[Any] = ()
) -> Report:
    """异议: the reporter disagrees with the decision or the result, with new
    evidence if they have it; an officer reopens the report or answers."""
    text = _required_text(text, "text")
    written: list[str] = []
    try:
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=report.pk)
            key = content_key(report)
            old = workflow.move(report, S.OBJECTED)
            written = _add_evidence(report, key, uploads)
            _step(
                report,
                Step.Kind.OBJECTED,
                actor=None,
                old=old,
                new=S.OBJECTED,
                words={"text": text, "files": len(written)},
                shown=True,
                key=key,
            )
    except BaseException:
        evidence.discard(written)
        raise
    return report


# --- the reporter's identity -----------------------------------------------------


def identity_request(
    *, report: Report, reason: str, acting_user: Any
) -> IdentityRequest:
    """An officer asks to see who the reporter is; a custodian decides."""
    reason = _required_text(reason, "reason", limit=300)
    with transaction.atomic():
        report = _handling(report, acting_user)
        if not report.real_name:
            raise DomainError(
                _("This report is anonymous: there is no identity to see."),
                field="reason",
            )
        try:
            with transaction.atomic():
                request = IdentityRequest.objects.create(
                    report=report,
                    officer=acting_user,
                    reason=reason,
                    requested_at=clock.now(),
                )
        except IntegrityError as exc:
            raise ConflictError(
                _("Your request is already waiting for a custodian.")
            ) from exc
        audit.record(
            "identity.requested", actor=acting_user, report=report, request=request.pk
        )
    return request


def identity_decide(
    *, request: IdentityRequest, approve: bool, reason: str, acting_user: Any
) -> IdentityRequest:
    reason = _required_text(reason, "decision_reason", limit=300)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=request.report_id)
        if not permissions.may_decide_identity(acting_user, report):
            raise PermissionDeniedError(_("Only a custodian of this body decides."))
        if request.officer_id == acting_user.pk:
            raise PermissionDeniedError(_("Nobody decides their own request."))
        states = IdentityRequest.State
        state = states.APPROVED if approve else states.REFUSED
        done = IdentityRequest.objects.filter(
            pk=request.pk, state=IdentityRequest.State.PENDING
        ).update(
            state=state,
            custodian=acting_user,
            decision_reason=reason,
            decided_at=clock.now(),
        )
        if not done:
            raise ConflictError(_("Another custodian decided this request just now."))
        request.refresh_from_db()
        audit.record(
            f"identity.{state}",
            actor=acting_user,
            report=report,
            request=request.pk,
            officer=request.officer_id,
        )
    return request


def identity_reveal(*, report: Report, acting_user: Any) -> dict:
    """The reporter's identity, for an officer whose request was approved;
    every reveal is in the audit log."""
    with transaction.atomic():
        if not permissions.may_see_identity(acting_user, report):
            raise PermissionDeniedError(_("A custodian has not approved this."))
        identity = report.identity
        data = sealing.open_json(
            identity_key(report, identity),
            identity.sealed,
            aad=f"identity-data:{report.uid}",
        )
        audit.record("identity.viewed", actor=acting_user, report=report)
    return data


# --- reading, recorded -------------------------------------------------------------


def report_open(*, report: Report, acting_user: Any) -> dict:
    """The report's words for an officer who holds it, the view recorded."""
    with transaction.atomic():
        if not permissions.may_read(acting_user, report):
            raise PermissionDeniedError(_("This report is not assigned to you."))
        audit.record("report.viewed", actor=acting_user, report=report)
    return read_content(report)


def attachment_open(
    *, attachment: Attachment, acting_user: Any = None, by_reporter: bool = False
) -> tuple[bytes, dict]:
    """An evidence file's bytes and description, the download recorded."""
    report = attachment.report
    with transaction.atomic():
        if not by_reporter and not permissions.may_read(acting_user, report):
            raise PermissionDeniedError(_("This report is not assigned to you."))
        key = content_key(report)
        audit.record(
            "attachment.downloaded",
            actor=None if by_reporter else acting_user,
            actor_label="reporter" if by_reporter else "",
            report=report,
            attachment=attachment.pk,
        )
    return (
        evidence.read(key, str(attachment.uid), attachment.file),
        evidence.describe(key, str(attachment.uid), attachment.sealed),
    )


def receipt_open(*, receipt: str) -> Report | None:
    """The report a receipt opens, the opening recorded; None for a wrong one
    (recorded too, without what was typed)."""
    report = None
    if receipts.looks_like_receipt(receipt):
        digest = receipts.digest(receipt)
        report = Report.objects.filter(receipt_digest=digest).first()
    with transaction.atomic():
        audit.record(
            "receipt.opened" if report else "receipt.refused",
            actor_label="reporter",
            report=report,
        )
    return report


# --- deadlines -----------------------------------------------------------------

# Which deadline each alert watches, and the states in which it still runs.
_WATCHED = (
    (Alert.Kind.REFER, "refer_due_at", (S.RECEIVED,)),
    (Alert.Kind.DECIDE, "decide_due_at", (S.RECEIVED, S.REGISTERED)),
    (Alert.Kind.FEEDBACK, "feedback_due_at", (S.CONCLUDED,)),
)


def alerts_sweep() -> int:
    """Raise an alert for the head of the body on every step past its
    deadline (once per deadline), and clear those whose step was taken.
    Returns how many were raised."""
    moment = clock.now()
    raised = 0
    with transaction.atomic():
        for kind, due_field, states in _WATCHED:
            late = Report.objects.filter(
                state__in=states, **{f"{due_field}__lt": moment}
            ).values_list("pk", "body_id", due_field)
            for report_id, body_id, due_at in late:
                _alert, created = Alert.objects.get_or_create(
                    report_id=report_id,
                    kind=kind,
                    due_at=due_at,
                    defaults={"body_id": body_id, "raised_at": moment},
                )
                if created:
                    raised += 1
                    audit.record(
                        "alert.raised",
                        report=Report(pk=report_id),
                        kind=kind,
                    )
            Alert.objects.filter(kind=kind, cleared_at__isnull=True).exclude(
                report__state__in=states
            ).update(cleared_at=moment)
        # A report that went up a level is the next body's to watch.
        Alert.objects.filter(cleared_at__isnull=True).exclude(
            body_id=F("report__body_id")
        ).update(cleared_at=moment)
    return raised
