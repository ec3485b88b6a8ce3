"""The timeline in the reader's words, at display time: who acted (居民, 系统, a
unit, or a person and their unit) and what a reply said came of it.
``CaseEvent.actor_role`` and ``data`` stay as stored; the staff's page, the
resident's page and the API read them through here."""

from __future__ import annotations

from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import Appeal, Assignment, CaseEvent, Channel, Kind, ReplyOutcome

# Steps a unit takes on its own share (permissions.acts_for): their actor acted
# for the share's unit. Every other step with an actor is the street's (accept,
# dispatch, urge, extensions, whistles, a callback by phone …), even when it
# names a share — the whistle's consolidated reply is written by a dispatcher.
SHARE_ACTIONS = frozenset(
    {
        "sign",
        "return",
        "progress",
        "reply",
        "request_extension",
        "internal_note",
        "complete_share",
        # the lead's, on its own share, closing a co-handler's (named in data)
        "close_share",
        "dispose_on_site",
    }
)
# Steps a grid worker takes for their grid without a share of it: the
# finding they report on patrol, the check on site a dispatcher asked for.
GRID_ACTIONS = frozenset({"verify"})


def unit_name(assignment: Assignment) -> str:
    """A share's unit by its name (a grid's or community's without its code)."""
    unit = assignment.department or assignment.area
    return unit.name if unit is not None else ""


def _by_client_system(event: CaseEvent, appeal: Appeal) -> bool:
    """Another system filed the appeal or added to it (a mini program, the
    12345 platform): its user's name is the system's."""
    return (event.action == "submit" and appeal.channel == Channel.API) or (
        event.action == "add_information"
    )


def actor_unit(event: CaseEvent) -> str:
    """The unit the event's actor acted for; "" for another system."""
    appeal = event.appeal
    if (
        event.assignment_id
        and event.action in SHARE_ACTIONS
        and "whistle" not in event.data
        and event.assignment is not None
    ):
        return unit_name(event.assignment)
    if _by_client_system(event, appeal):
        return ""
    if event.action == "submit" and appeal.channel == Channel.PATROL and appeal.grid:
        return appeal.grid.name  # a grid worker's own finding
    if event.action in GRID_ACTIONS and appeal.grid:
        return appeal.grid.name
    return appeal.street.name


def actor_label(event: CaseEvent, *, public: bool = False) -> str:
    """居民 (resident), 系统 (system), or for staff the person and their unit —
    the unit alone on the resident's page, which never names a staff member."""
    if event.actor_id is None:
        if event.actor_role == "resident":
            return _("Resident")
        return _("System")
    unit = actor_unit(event)
    if not unit:  # another system: its name is no person's
        return event.actor.get_full_name() if event.actor else ""
    if public:
        return unit
    name = event.actor.get_full_name() if event.actor else ""
    return _("%(name)s (%(unit)s)") % {"name": name, "unit": unit} if name else unit


def outcome_label(value: str) -> str:
    """A reply's outcome in plain words (已解决, 部分解决 …); "" for none."""
    try:
        return str(ReplyOutcome(value).label)
    except ValueError:
        return ""


def when(moment: datetime | str | None) -> str:
    """A deadline as the console shows it: local time, month-day hour:minute
    (an event's data keeps it as ISO text)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment is None:
        return "—"
    return dateformat.format(timezone.localtime(moment), "m-d H:i")


def deadlines_label(response_due: datetime | str, due: datetime | str) -> str:
    """响应时限 … ，办结时限 … : an appeal's two deadlines in words."""
    return _("respond by %(response)s, answer by %(due)s") % {
        "response": when(response_due),
        "due": when(due),
    }


def _choice(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def categorise_summary(event: CaseEvent) -> str:
    """What a correction (categorise) changed and the deadlines it gave, in the
    reader's words: "紧急程度改为 紧急；响应时限 12-03 09:30，办结时限 12-04 17:30…"."""
    data = event.data
    changed = []
    if "priority" in data:
        changed.append(
            _("priority changed to %(priority)s")
            % {"priority": _choice(Appeal.Priority, data["priority"])}
        )
    if "category" in data:
        changed.append(_("category changed to %(category)s") % data)
    if "kind" in data:
        changed.append(
            _("kind changed to %(kind)s") % {"kind": _choice(Kind, data["kind"])}
        )
    if "grid" in data:
        changed.append(_("grid changed to %(grid)s") % data)
    if "due_at" in data:
        changed.append(
            _("%(deadlines)s, counted from receipt")
            % {"deadlines": deadlines_label(data["response_due_at"], data["due_at"])}
        )
    text = pgettext("between the parts of a sentence", "; ").join(changed)
    return text[:1].upper() + text[1:]


def event_summary(event: CaseEvent) -> str:
    """An event's own words beside its label, for the events that have them."""
    if event.action == "categorise":
        return categorise_summary(event)
    return ""
