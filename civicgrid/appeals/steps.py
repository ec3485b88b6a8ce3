"""The workflow's steps as the console and the REST API take them: given the
acting user, the appeal and the parsed input (a form's cleaned data or a
serializer's validated data, under the same names), call the action. The console
and the API parse differently; what each step does is written once, here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from civicgrid.core.errors import DomainError
from civicgrid.core.words import join_names

from . import actions, selectors
from .labels import outcome_label, unit_name
from .models import Appeal, Assignment, CaseEvent, ExtensionRequest
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


def when(moment: datetime | None) -> str:
    """A deadline as the console shows it: local time, month-day hour:minute."""
    if moment is None:
        return "—"
    return dateformat.format(timezone.localtime(moment), "m-d H:i")


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


def _progress(appeal: Appeal, event: CaseEvent) -> str:
    if event.public:
        return _("Progress noted; the resident can read it.")
    return _("Progress noted (internal).")


def _replied(appeal: Appeal, result: Any) -> str:
    return _("Replied (%(outcome)s).") % {
        "outcome": outcome_label(appeal.reply_outcome)
    }


def _categorised(appeal: Appeal, result: Any) -> str:
    return _("Saved: %(category)s · %(kind)s · %(priority)s.") % {
        "category": appeal.category.name if appeal.category else "—",
        "kind": appeal.get_kind_display(),
        "priority": appeal.get_priority_display(),
    }


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
}


def describe(name: str, appeal: Appeal, result: Any) -> str:
    """What step ``name`` did, given what it returned: the units it named and
    the deadlines it set, in one sentence."""
    return DONE[name](appeal, result)
