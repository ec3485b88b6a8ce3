"""The whistle's steps as its page and the REST API take them: given the acting
user, the whistle and the parsed input (a form's cleaned data or a serializer's
validated data, under the same names), call the action. The page and the API
parse differently; what each step does is written once, here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civicgrid.appeals.steps import when

from . import actions
from .models import Summons, Whistle

Step = Callable[[Any, Whistle, Mapping[str, Any]], object]


def _share(whistle: Whistle, data: Mapping[str, Any]) -> Summons:
    """The share the input names; another whistle's is not found (404)."""
    return get_object_or_404(
        whistle.summonses.select_related("department"), pk=data["summons"]
    )


def _days(value: Any) -> float | None:
    return float(value) if value else None


STEPS: dict[str, Step] = {
    "check_in": lambda user, whistle, data: actions.summons_check_in(
        summons=_share(whistle, data),
        acting_user=user,
        attendees=data.get("attendees", ""),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        photo=data.get("photo"),
    ),
    "task": lambda user, whistle, data: actions.summons_set_task(
        summons=_share(whistle, data),
        acting_user=user,
        task=data["task"],
        days=_days(data.get("days")),
    ),
    "share_done": lambda user, whistle, data: actions.summons_complete(
        summons=_share(whistle, data), acting_user=user, note=data["note"]
    ),
    "score": lambda user, whistle, data: actions.street_score(
        summons=_share(whistle, data),
        acting_user=user,
        report_in=data["report_in"],
        handling=data["handling"],
        comment=data.get("comment", ""),
    ),
    "feedback": lambda user, whistle, data: actions.department_feedback(
        summons=_share(whistle, data),
        acting_user=user,
        justified=data["justified"],
        well_run=data["well_run"],
        comment=data.get("comment", ""),
    ),
    "meeting": lambda user, whistle, data: actions.meeting_record(
        whistle=whistle,
        acting_user=user,
        held_at=data["held_at"],
        attendees=data["attendees"],
        decisions=data["decisions"],
    ),
    "progress": lambda user, whistle, data: actions.whistle_progress(
        whistle=whistle, acting_user=user, note=data["note"]
    ),
    "reply": lambda user, whistle, data: actions.whistle_consolidated_reply(
        whistle=whistle, acting_user=user, reply=data["reply"]
    ),
    "close": lambda user, whistle, data: actions.whistle_close(
        whistle=whistle, acting_user=user, reply=data.get("reply", "")
    ),
}


# --- what each step did, in words (the page's message; the API says it too) --------


def _department(result: Any) -> str:
    """The department of the share a step acted on (a share, or a record of one)."""
    summons = result if isinstance(result, Summons) else result.summons
    return str(summons.department.name)


def _checked_in(whistle: Whistle, summons: Summons) -> str:
    said = _("%(dept)s reported in at %(at)s") % {
        "dept": _department(summons),
        "at": when(summons.checked_in_at),
    }
    return said + (_(", late") if summons.late else "")


def _tasked(whistle: Whistle, summons: Summons) -> str:
    said = _("Task given to %(dept)s") % {"dept": _department(summons)}
    if summons.due_at is not None:
        said += _(", due %(due)s") % {"due": when(summons.due_at)}
    return said


def _closed(whistle: Whistle, result: Any) -> str:
    if whistle.appeal is None:
        return _("Whistle closed")
    return _(
        "Whistle closed; appeal %(code)s is answered with its reply and waits "
        "for the callback"
    ) % {"code": whistle.appeal.tracking_code}


DONE: dict[str, Callable[[Whistle, Any], str]] = {
    "check_in": _checked_in,
    "task": _tasked,
    "share_done": lambda whistle, summons: (
        _("%(dept)s's share is done") % {"dept": _department(summons)}
    ),
    "score": lambda whistle, score: (
        _("%(dept)s scored: reporting in %(report_in)s/5, handling %(handling)s/5")
        % {
            "dept": _department(score),
            "report_in": score.report_in,
            "handling": score.handling,
        }
    ),
    "feedback": lambda whistle, feedback: (
        _("%(dept)s's feedback on the whistle is recorded")
        % {"dept": _department(feedback)}
    ),
    "meeting": lambda whistle, meeting: (
        _("Joint meeting of %(at)s recorded") % {"at": when(meeting.held_at)}
    ),
    "progress": lambda whistle, event: _("Progress note added"),
    "reply": lambda whistle, result: _(
        "Consolidated reply saved; the street closes the whistle with it"
    ),
    "close": _closed,
}


def describe(name: str, whistle: Whistle, result: Any) -> str:
    """What step ``name`` did, given what it returned, in one sentence."""
    return DONE[name](whistle, result)
