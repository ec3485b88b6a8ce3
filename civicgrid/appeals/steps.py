"""The workflow's steps as the console and the REST API take them: given the
acting user, the appeal and the parsed input (a form's cleaned data or a
serializer's validated data, under the same names), call the action. The console
and the API parse differently; what each step does is written once, here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from civicgrid.core.errors import DomainError

from . import actions, selectors
from .models import Appeal, Assignment
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
    "callback": lambda user, appeal, data: actions.appeal_callback(
        appeal=appeal,
        acting_user=user,
        resolved=data["resolved"],
        satisfaction=data["satisfaction"],
        comment=data.get("comment", ""),
    ),
}
