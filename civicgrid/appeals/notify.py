"""Who hears about what happens to an appeal: the resident (by SMS, if they left
a number), the members of a unit, and any configured webhooks. Everything goes
through the outbox, so nothing leaves for a transaction that rolled back."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import formats, timezone

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.notifications.actions import notify, notify_staff, notify_webhooks

from .access import resident_link
from .models import Appeal, Assignment


def tracking_url(appeal: Appeal, anchor: str = "") -> str:
    """The resident's own link: follow, add information, rate the reply. The key
    rides in the fragment (never in a server's access log); the outbox keeps
    the message body encrypted."""
    return settings.CIVICGRID_PUBLIC_URL.rstrip("/") + resident_link(
        appeal.tracking_code, anchor
    )


def _subject(appeal: Appeal) -> str:
    return f"appeal:{appeal.pk}"


def _webhooks(event: str, appeal: Appeal, extra: dict[str, Any]) -> None:
    notify_webhooks(
        event=event,
        subject_ref=_subject(appeal),
        payload={
            "tracking_code": appeal.tracking_code,
            "state": appeal.state,
            "category": appeal.category.code if appeal.category else None,
            **extra,
        },
    )


def resident(appeal: Appeal, event: str) -> None:
    """Tell the resident, if they left a number (anonymous residents follow with
    their tracking code)."""
    context: dict[str, Any] = {
        "tracking_code": appeal.tracking_code,
        "tracking_url": tracking_url(appeal),
        "reason": appeal.reject_reason,
        "redirect_to": appeal.redirect_to,
        "callback_url": tracking_url(appeal, "callback"),
    }
    # A merged resident follows the main appeal through their own page, which
    # shows its progress but never its code.
    if appeal.appellant_phone:
        notify(
            event=event,
            channel=settings.CIVICGRID_NOTIFY_SMS_CHANNEL,
            recipient=appeal.appellant_phone,
            context=context,
            language=appeal.language,
            subject_ref=_subject(appeal),
        )
    _webhooks(event, appeal, {})


def _unit_members(assignment: Assignment) -> list[Any]:
    memberships = access.unit_members(
        department_id=assignment.department_id, area_id=assignment.area_id
    )
    return [m.user for m in memberships.select_related("user") if m.user.is_active]


def unit(
    assignment: Assignment, event: str, *, dedupe: bool = False, **extra: Any
) -> None:
    """Tell every member of the unit, in their own language."""
    appeal = assignment.appeal
    due_at = formats.date_format(timezone.localtime(assignment.due_at), "Y-m-d H:i")
    context = {
        "tracking_code": appeal.tracking_code,
        "category": appeal.category.name if appeal.category else "",
        "due_at": due_at,
        "unit": str(assignment.unit),
        **extra,
    }
    for user in _unit_members(assignment):
        notify_staff(
            user,
            event=event,
            context=context,
            subject_ref=_subject(appeal),
            dedupe_key=f"{event}:{assignment.pk}:{assignment.due_at:%Y%m%d%H%M}:{user.pk}"
            if dedupe
            else None,
        )
    _webhooks(event, appeal, {"unit": str(assignment.unit)})


def dispatchers(appeal: Appeal, event: str, **extra: Any) -> None:
    """Tell the street's dispatchers (who decide extensions and exclusions), in
    their own language: the code and the unit, never the resident's words."""
    context = {
        "tracking_code": appeal.tracking_code,
        "category": appeal.category.name if appeal.category else "",
        **extra,
    }
    for user in access.holders_over(appeal.street, (Role.DISPATCHER,)):
        notify_staff(user, event=event, context=context, subject_ref=_subject(appeal))


def person(user: Any, appeal: Appeal, event: str, **extra: Any) -> None:
    """Tell one member of staff (the grid worker asked to verify, the
    dispatcher who asked), in their own language. Internal: no webhook."""
    notify_staff(
        user,
        event=event,
        context={
            "tracking_code": appeal.tracking_code,
            "category": appeal.category.name if appeal.category else "",
            "grid": appeal.grid.name if appeal.grid else "",
            **extra,
        },
        subject_ref=_subject(appeal),
    )
