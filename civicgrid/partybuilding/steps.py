"""The steps of a micro-wish after it is gathered, shared by the pages and the
API: each takes the acting user, the wish and the parsed input, calls its
action, and :func:`describe` says what was done in the page's words."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from . import actions, permissions
from .models import Wish

Step = Callable[[Any, Wish, Mapping[str, Any]], Any]


def _verify(user: Any, wish: Wish, data: Mapping[str, Any]) -> None:
    actions.wish_verify(wish=wish, acting_user=user, note=data.get("note", ""))


def _refuse(user: Any, wish: Wish, data: Mapping[str, Any]) -> None:
    actions.wish_refuse(wish=wish, acting_user=user, reason=data.get("reason", ""))


def _publish(user: Any, wish: Wish, data: Mapping[str, Any]) -> None:
    actions.wish_publish(wish=wish, acting_user=user)


def _claim(user: Any, wish: Wish, data: Mapping[str, Any]) -> None:
    actions.wish_claim(wish=wish, acting_user=user, unit=data.get("unit"))


def _release(user: Any, wish: Wish, data: Mapping[str, Any]) -> None:
    actions.wish_release(wish=wish, acting_user=user, reason=data.get("reason", ""))


def _fulfil(user: Any, wish: Wish, data: Mapping[str, Any]) -> None:
    actions.wish_fulfil(
        wish=wish,
        acting_user=user,
        on=data.get("on"),
        photo=data.get("photo"),
        note=data.get("note", ""),
    )


def _confirm(user: Any, wish: Wish, data: Mapping[str, Any]) -> Any:
    return actions.wish_confirm(wish=wish, acting_user=user, note=data.get("note", ""))


def _cancel(user: Any, wish: Wish, data: Mapping[str, Any]) -> None:
    actions.wish_cancel(wish=wish, acting_user=user, reason=data.get("reason", ""))


STEPS: dict[str, Step] = {
    "verify": _verify,
    "refuse": _refuse,
    "publish": _publish,
    "claim": _claim,
    "release": _release,
    "fulfil": _fulfil,
    "confirm": _confirm,
    "cancel": _cancel,
}


def describe(name: str, wish: Wish) -> str:
    """What the step did, for the page's message and the API's answer."""
    who = wish.shown_as
    messages = {
        "verify": _("The wish of %(who)s is verified; publish it to the wall."),
        "refuse": _("The wish of %(who)s is refused."),
        "publish": _("The wish of %(who)s is on the wall."),
        "claim": _("You claimed the wish of %(who)s; deliver it by %(date)s."),
        "release": _("The wish of %(who)s is back on the wall."),
        "fulfil": _("Delivery recorded; the grid worker confirms it with %(who)s."),
        "confirm": _("Confirmed and credited to the service ledger."),
        "cancel": _("The wish of %(who)s is cancelled."),
    }
    date = wish.claim_expires_at.date().isoformat() if wish.claim_expires_at else ""
    return messages[name] % {"who": who, "date": date}


def available(user: Any, wish: Wish) -> list[str]:
    """The steps the user may take on the wish now (the buttons a page shows);
    the actions check again."""
    S = Wish.State
    steps: list[str] = []
    deciding = permissions.may_decide(user, wish.community)
    if wish.state == S.GATHERED and deciding:
        steps += ["verify", "refuse"]
    if wish.state == S.VERIFIED and deciding:
        steps.append("publish")
    if wish.state == S.PUBLISHED and (
        permissions.volunteer_of(user, wish.community)
        or permissions.units_of(user, wish.community)
    ):
        steps.append("claim")
    claimer = (wish.claimed_by is not None and wish.claimed_by.user_id == user.pk) or (
        wish.claimed_by_unit is not None and wish.claimed_by_unit.contact_id == user.pk
    )
    if wish.state == S.CLAIMED and claimer:
        steps += ["fulfil", "release"]
    if wish.state == S.FULFILLED and permissions.may_confirm_for(user, wish):
        steps.append("confirm")
    if wish.state in (S.GATHERED, S.VERIFIED, S.PUBLISHED, S.CLAIMED) and (
        deciding or permissions.may_gather(user, wish.household)
    ):
        steps.append("cancel")
    return steps
