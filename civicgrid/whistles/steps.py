"""The whistle's steps as its page and the REST API take them: given the acting
user, the whistle and the parsed input (a form's cleaned data or a serializer's
validated data, under the same names), call the action. The page and the API
parse differently; what each step does is written once, here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.shortcuts import get_object_or_404

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
