"""The steps of 社情民意 and the patrol log, shared by the pages and the API:
each takes the acting user, the item (or patrol) and the parsed input, calls
its action, and :func:`describe` says what was done in the page's words."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from civicgrid.appeals.models import Appeal

from .actions import opinion as opinion_actions
from .actions import patrol as patrol_actions
from .models import Opinion, Patrol

Step = Callable[[Any, Any, Mapping[str, Any]], Any]


def _to_appeal(user: Any, opinion: Opinion, data: Mapping[str, Any]) -> Appeal:
    return opinion_actions.opinion_to_appeal(
        opinion=opinion,
        acting_user=user,
        category=data.get("category"),
        kind=data.get("kind") or "",
    )


def _close(user: Any, opinion: Opinion, data: Mapping[str, Any]) -> Opinion:
    return opinion_actions.opinion_close(
        opinion=opinion, acting_user=user, note=data.get("note", "")
    )


def _point(user: Any, patrol: Patrol, data: Mapping[str, Any]) -> int:
    return patrol_actions.patrol_add_point(
        patrol=patrol,
        acting_user=user,
        lon=data.get("lon"),
        lat=data.get("lat"),
        at=data.get("at"),
    )


def _opinion(user: Any, patrol: Patrol, data: Mapping[str, Any]) -> Opinion:
    return patrol_actions.patrol_record_opinion(
        patrol=patrol,
        acting_user=user,
        text=data.get("text", ""),
        risk=data.get("risk") or Opinion.Risk.GENERAL,
        topic=data.get("topic") or "",
        lon=data.get("lon"),
        lat=data.get("lat"),
    )


def _appeal(user: Any, patrol: Patrol, data: Mapping[str, Any]) -> Appeal:
    return patrol_actions.patrol_record_appeal(
        patrol=patrol,
        acting_user=user,
        description=data.get("description", ""),
        category=data.get("category"),
        kind=data.get("kind") or "",
        lon=data.get("lon"),
        lat=data.get("lat"),
        photos=data.get("photos") or (),
        idempotency_key=data.get("idempotency_key") or None,
    )


def _end(user: Any, patrol: Patrol, data: Mapping[str, Any]) -> Patrol:
    return patrol_actions.patrol_end(
        patrol=patrol, acting_user=user, summary=data.get("summary", "")
    )


STEPS: dict[str, Step] = {
    "to_appeal": _to_appeal,
    "close": _close,
    "point": _point,
    "opinion": _opinion,
    "appeal": _appeal,
    "end": _end,
}


def describe(name: str, result: Any) -> str:
    """What the step did, for the page's message and the API's answer."""
    if name == "to_appeal":
        return _("Turned into appeal %(code)s.") % {"code": result.tracking_code}
    if name == "close":
        return _("The item is closed.")
    if name == "point":
        return _("The route has %(n)d points.") % {"n": result}
    if name == "opinion":
        return _("Public opinion item recorded in %(grid)s.") % {
            "grid": result.grid.name
        }
    if name == "appeal":
        return _("Appeal %(code)s received.") % {"code": result.tracking_code}
    if name == "end":
        return _("The patrol is ended.")
    return ""
