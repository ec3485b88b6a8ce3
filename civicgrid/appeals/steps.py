"""The workflow's steps as the console and the REST API take them: given the
acting user, the appeal and the parsed input (a form's cleaned data or a
serializer's validated data, under the same names), call the action. The console
and the API parse differently; what each step does is written once, here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from civicgrid.core.errors import DomainError
from civicgrid.core.words import join_names

from . import actions, permissions, selectors
from .clocks import deadlines_from_receipt
from .labels import deadlines_label, outcome_label, unit_name, when
from .models import Appeal, Assignment, CaseEvent, ExtensionRequest, Verification
from .permissions import one_assignment
from .workflow import OPEN_SHARE_STATES

Step = Callable[[Any, Appeal, Mapping[str, Any]], object]


def _merge(user: Any, appeal: Appeal, data: Mapping[str, Any]) -> object:
    # Only into an appeal the dispatcher may open: a code alone reveals nothing.
    into = selectors.appeal_by_code_for_user(user, data["into"])
    if into is None:
        raise DomainError(_("No appeal of yours has this tracking code."), field="into")
    return actions.appeal_merge(appeal=appeal, into=into, acting_user=user)


def _decide_extension(user: Any, appeal: Appeal, data: Mapping[str, Any]) -> object:
    return actions.extension_decide(
        request=selectors.extension_request_get(appeal, data["request_id"]),
        acting_user=user,
        approve=data["approve"],
        note=data.get("note", ""),
    )


def _recall(user: Any, appeal: Appeal, data: Mapping[str, Any]) -> object:
    return actions.assignment_recall(
        assignment=selectors.share_get(appeal, data["assignment"]),
        acting_user=user,
        reason=data["reason"],
    )


def _reassign(user: Any, appeal: Appeal, data: Mapping[str, Any]) -> object:
    return actions.assignment_reassign(
        assignment=selectors.share_get(appeal, data["assignment"]),
        acting_user=user,
        to=data["to"],
        reason=data["reason"],
    )


def _close_share(user: Any, appeal: Appeal, data: Mapping[str, Any]) -> object:
    return actions.assignment_close(
        assignment=selectors.share_get(appeal, data["assignment"]),
        acting_user=user,
        note=data["note"],
    )


def _grid_worker(appeal: Appeal, given: Any) -> Any:
    """The grid worker named: the form's choice, or the API's id among the
    appeal's grid's workers (any other id names nobody)."""
    if given is None or hasattr(given, "pk"):
        return given
    return permissions.grid_workers_of(appeal.grid).filter(pk=given).first()


def _transcribe(user: Any, appeal: Appeal, data: Mapping[str, Any]) -> object:
    return actions.voice_transcribe(
        voice=selectors.voice_get(appeal, data["voice"], revision=data.get("revision")),
        transcript=data["transcript"],
        acting_user=user,
    )


STEPS: dict[str, Step] = {
    "accept": lambda user, appeal, data: actions.appeal_accept(
        appeal=appeal, acting_user=user, note=data.get("note", "")
    ),
    "categorise": lambda user, appeal, data: actions.appeal_categorise(
        appeal=appeal,
        acting_user=user,
        category=data.get("category"),
        kind=data.get("kind"),
        priority=data.get("priority"),
        grid=data.get("grid"),
    ),
    "reject": lambda user, appeal, data: actions.appeal_reject(
        appeal=appeal,
        acting_user=user,
        reason=data["reason"],
        redirect_to=data.get("redirect_to", ""),
    ),
    "merge": _merge,
    "dispatch": lambda user, appeal, data: actions.appeal_dispatch(
        appeal=appeal,
        acting_user=user,
        lead=data["lead"],
        co_handlers=data.get("co_handlers", ()),
        note=data.get("note", ""),
    ),
    "sign": lambda user, appeal, data: actions.assignment_sign(
        assignment=one_assignment(user, appeal, (Assignment.State.DISPATCHED,)),
        acting_user=user,
    ),
    "return": lambda user, appeal, data: actions.assignment_return(
        assignment=one_assignment(user, appeal, (Assignment.State.DISPATCHED,)),
        acting_user=user,
        reason=data["reason"],
    ),
    "recall": _recall,
    "reassign": _reassign,
    "complete_share": lambda user, appeal, data: actions.assignment_complete(
        assignment=one_assignment(
            user, appeal, (Assignment.State.HANDLING,), role=Assignment.Role.CO
        ),
        acting_user=user,
        note=data["note"],
    ),
    "close_share": _close_share,
    "progress": lambda user, appeal, data: actions.assignment_progress(
        assignment=one_assignment(user, appeal, OPEN_SHARE_STATES),
        acting_user=user,
        note=data["note"],
        public=data.get("public", False),
    ),
    "reply": lambda user, appeal, data: actions.appeal_reply(
        assignment=one_assignment(
            user, appeal, (Assignment.State.HANDLING,), lead_only=True
        ),
        acting_user=user,
        outcome=data.get("outcome", ""),
        outcome_reason=data.get("outcome_reason", ""),
        public_reply=data["public_reply"],
        internal_note=data.get("internal_note", ""),
        photos=data.get("photos", ()),
    ),
    "request_extension": lambda user, appeal, data: actions.extension_request(
        assignment=one_assignment(user, appeal, OPEN_SHARE_STATES),
        acting_user=user,
        days=data["days"],
        reason=data["reason"],
    ),
    "decide_extension": _decide_extension,
    "urge": lambda user, appeal, data: actions.appeal_urge(
        appeal=appeal, acting_user=user, note=data.get("note", "")
    ),
    "supervise": lambda user, appeal, data: actions.appeal_supervise(
        appeal=appeal, acting_user=user, note=data.get("note", "")
    ),
    "request_verification": lambda user, appeal, data: actions.verification_request(
        appeal=appeal,
        acting_user=user,
        grid_worker=_grid_worker(appeal, data.get("grid_worker")),
        note=data.get("note", ""),
    ),
    "transcribe": _transcribe,
    "verify": lambda user, appeal, data: actions.appeal_verify(
        appeal=appeal,
        acting_user=user,
        passed=data["passed"],
        note=data.get("note", ""),
        photos=data.get("photos", ()),
    ),
    "callback": lambda user, appeal, data: (
        actions.appeal_callback_unreachable(
            appeal=appeal, acting_user=user, comment=data.get("comment", "")
        )
        if data.get("call") == "unreachable"
        else actions.appeal_callback(
            appeal=appeal,
            acting_user=user,
            resolved=data["resolved"],
            satisfaction=data["satisfaction"],
            comment=data.get("comment", ""),
        )
    ),
}


# --- what each step did, in words (the console's message; the API may say it too)


def _units(shares: Iterable[Assignment]) -> str:
    """The units of ``shares``, the lead first."""
    ordered = sorted(shares, key=lambda s: (s.role != Assignment.Role.LEAD, s.pk))
    return join_names(unit_name(share) for share in ordered)


def _dispatched(appeal: Appeal, result: Any) -> str:
    shares = list(
        appeal.assignments.filter(state=Assignment.State.DISPATCHED)
        .select_related("area", "department")
        .order_by("id")
    )
    lead = next(s for s in shares if s.role == Assignment.Role.LEAD)
    co = [s for s in shares if s.role == Assignment.Role.CO]
    given = {
        "lead": unit_name(lead),
        "sign_by": when(lead.response_due_at),
        "due": when(lead.due_at),
    }
    if co:
        return _(
            "Dispatched to %(lead)s with %(co)s; sign for it by %(sign_by)s, "
            "answer by %(due)s."
        ) % {**given, "co": _units(co)}
    return (
        _("Dispatched to %(lead)s; sign for it by %(sign_by)s, answer by %(due)s.")
        % given
    )


def _signed(appeal: Appeal, share: Assignment) -> str:
    return _("Signed for (%(unit)s); answer by %(due)s.") % {
        "unit": unit_name(share),
        "due": when(share.due_at),
    }


def _returned(appeal: Appeal, share: Assignment) -> str:
    if share.role == Assignment.Role.LEAD:
        return _("Returned (%(unit)s); the street dispatches it again.") % {
            "unit": unit_name(share)
        }
    return _("Returned (%(unit)s).") % {"unit": unit_name(share)}


def _recalled(appeal: Appeal, share: Assignment) -> str:
    if share.role == Assignment.Role.LEAD:
        return _(
            "Recalled from %(unit)s, who is told; the appeal is back to be dispatched."
        ) % {"unit": unit_name(share)}
    return _("Recalled from %(unit)s (co-handler), who is told.") % {
        "unit": unit_name(share)
    }


def _reassigned(appeal: Appeal, share: Assignment) -> str:
    old = (
        appeal.assignments.filter(state=Assignment.State.RECALLED, role=share.role)
        .select_related("area", "department")
        .order_by("-recalled_at", "-pk")
        .first()
    )
    return _(
        "Reassigned from %(old)s to %(new)s; both are told. Sign for it by "
        "%(sign_by)s, answer by %(due)s."
    ) % {
        "old": unit_name(old) if old else "—",
        "new": unit_name(share),
        "sign_by": when(share.response_due_at),
        "due": when(share.due_at),
    }


def _share_completed(appeal: Appeal, share: Assignment) -> str:
    return _("Co-handler's share completed (%(unit)s); the lead unit is told.") % {
        "unit": unit_name(share)
    }


def _share_closed(appeal: Appeal, share: Assignment) -> str:
    left = [
        s
        for s in appeal.assignments.select_related("area", "department")
        if s.role == Assignment.Role.CO and s.state in OPEN_SHARE_STATES
    ]
    if left:
        return _(
            "Closed the share of %(unit)s with your note; they are told. Still "
            "open: %(left)s."
        ) % {"unit": unit_name(share), "left": _units(left)}
    return _(
        "Closed the share of %(unit)s with your note; they are told. You may reply now."
    ) % {"unit": unit_name(share)}


def _progress(appeal: Appeal, event: CaseEvent) -> str:
    if event.public:
        return _("Progress noted; the resident can read it.")
    return _("Progress noted (internal).")


def _replied(appeal: Appeal, result: Any) -> str:
    return _("Replied (%(outcome)s).") % {
        "outcome": outcome_label(appeal.reply_outcome)
    }


def _categorised(appeal: Appeal, result: Any) -> str:
    saved = {
        "category": appeal.category.name if appeal.category else "—",
        "kind": appeal.get_kind_display(),
        "priority": appeal.get_priority_display(),
    }
    due = deadlines_from_receipt(appeal)
    if due is None:
        return _("Saved: %(category)s · %(kind)s · %(priority)s.") % saved
    return _(
        "Saved: %(category)s · %(kind)s · %(priority)s; %(deadlines)s, "
        "counted from receipt."
    ) % {**saved, "deadlines": deadlines_label(due["response_due_at"], due["due_at"])}


def _extension_decided(appeal: Appeal, request: ExtensionRequest) -> str:
    share = request.assignment
    if request.state == ExtensionRequest.State.APPROVED:
        return _("Extension approved: %(unit)s now answers by %(due)s.") % {
            "unit": unit_name(share),
            "due": when(share.due_at),
        }
    return _("Extension refused (%(unit)s).") % {"unit": unit_name(share)}


def _urged(appeal: Appeal, result: Any) -> str:
    shares = appeal.assignments.filter(state__in=OPEN_SHARE_STATES).select_related(
        "area", "department"
    )
    return _("Urged: %(units)s.") % {"units": _units(shares)}


def _called_back(appeal: Appeal, result: Any) -> str:
    if appeal.close_reason == Appeal.CloseReason.UNREACHABLE:
        return _(
            "Not reached %(tries)s times: the appeal is closed as unreachable, "
            "counted apart from the rates."
        ) % {"tries": appeal.callback_tries}
    if appeal.state == Appeal.State.REPLIED and appeal.callback_tries:
        return _("Not reached (try %(try)s of %(of)s); call again later.") % {
            "try": appeal.callback_tries,
            "of": settings.CIVICGRID_CALLBACK_TRIES,
        }
    if appeal.state == Appeal.State.CLOSED:
        return _("Callback recorded; the appeal is closed.")
    lead = (
        appeal.assignments.filter(
            role=Assignment.Role.LEAD, state=Assignment.State.HANDLING
        )
        .select_related("area", "department")
        .first()
    )
    if lead is None:
        return _("Callback recorded.")
    return _(
        "Callback recorded; sent back to %(unit)s to handle again, answer by %(due)s."
    ) % {"unit": unit_name(lead), "due": when(lead.due_at)}


def _verification_requested(appeal: Appeal, verification: Verification) -> str:
    return _(
        "Asked %(name)s (%(grid)s) to verify the reply on site; the callback "
        "waits for it."
    ) % {
        "name": verification.grid_worker.get_full_name(),
        "grid": appeal.grid.name if appeal.grid else "—",
    }


def _verified(appeal: Appeal, verification: Verification) -> str:
    if verification.state == Verification.State.PASSED:
        if appeal.state == Appeal.State.CLOSED:
            return _("Verified on site: the appeal is closed.")
        return _("Verified on site; the resident's callback follows.")
    lead = (
        appeal.assignments.filter(
            role=Assignment.Role.LEAD, state=Assignment.State.HANDLING
        )
        .select_related("area", "department")
        .first()
    )
    return _(
        "Not passed: sent back to %(unit)s to handle again, answer by %(due)s."
    ) % {
        "unit": unit_name(lead) if lead else "—",
        "due": when(lead.due_at if lead else None),
    }


def _transcribed(appeal: Appeal, event: CaseEvent) -> str:
    if event.data.get("description"):
        return _("Written down; the transcript is the appeal's description too.")
    return _("Written down; the transcript is on the timeline.")


def disposed_on_site(appeal: Appeal) -> str:
    """What 就地处置 did (the patrol page's message; the API's too)."""
    return _(
        "Appeal %(code)s recorded as dealt with on the spot and closed for %(grid)s."
    ) % {"code": appeal.tracking_code, "grid": appeal.grid.name if appeal.grid else ""}


DONE: dict[str, Callable[[Appeal, Any], str]] = {
    "accept": lambda appeal, result: _("Accepted."),
    "categorise": _categorised,
    "reject": lambda appeal, result: _(
        "Not accepted (out of scope); the resident is told why."
    ),
    "merge": lambda appeal, result: (
        _("Merged into %(code)s.")
        % {"code": appeal.merged_into.tracking_code if appeal.merged_into else "—"}
    ),
    "dispatch": _dispatched,
    "sign": _signed,
    "return": _returned,
    "recall": _recalled,
    "reassign": _reassigned,
    "complete_share": _share_completed,
    "close_share": _share_closed,
    "progress": _progress,
    "reply": _replied,
    "request_extension": lambda appeal, request: (
        _("Asked for %(days)s more working days; the street decides.")
        % {"days": f"{request.days:g}"}
    ),
    "decide_extension": _extension_decided,
    "urge": _urged,
    "supervise": lambda appeal, result: _("Under supervision."),
    "callback": _called_back,
    "request_verification": _verification_requested,
    "verify": _verified,
    "transcribe": _transcribed,
}


def describe(name: str, appeal: Appeal, result: Any) -> str:
    """What step ``name`` did, given what it returned: the units it named and
    the deadlines it set, in one sentence."""
    return DONE[name](appeal, result)
