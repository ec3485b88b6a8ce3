"""Putting messages into the outbox (发件箱). Other apps' actions call
:func:`notify` inside their own transaction; nothing leaves before commit."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template import Context, Engine
from django.utils import translation
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.errors import PermissionDeniedError
from civicgrid.core.pii import mask_text

from .models import Notification

EVENT_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


def sms_channel() -> str:
    """The channel for messages meant for a phone: "sms", or "console" where no
    gateway is configured (``CIVICGRID_NOTIFY_SMS_CHANNEL``)."""
    channel = settings.CIVICGRID_NOTIFY_SMS_CHANNEL
    if channel not in (Notification.Channel.SMS, Notification.Channel.CONSOLE):
        raise ImproperlyConfigured(
            'CIVICGRID_NOTIFY_SMS_CHANNEL must be "sms" or "console"'
        )
    return str(channel)


def render(
    *, event: str, channel: str, context: dict[str, Any], language: str
) -> tuple[str, str]:
    """(subject, body) of ``notifications/<event>/<channel>.txt`` in ``language``.

    Plain text, so nothing is HTML-escaped. For e-mail the first line is the
    subject. A missing template raises ``TemplateDoesNotExist``: it is a bug in
    the caller, not something to send around.
    """
    if not EVENT_PATTERN.fullmatch(event):
        raise ValueError(f"not an event name: {event!r}")
    template = Engine.get_default().get_template(f"notifications/{event}/{channel}.txt")
    with translation.override(language):
        text = template.render(
            Context(
                {"site_name": settings.CIVICGRID_SITE_NAME, **context},
                autoescape=False,
            )
        ).strip()
    if channel == Notification.Channel.EMAIL:
        subject, _newline, body = text.partition("\n")
        return subject.strip(), body.strip()
    return "", text


def _masked(context: dict[str, Any]) -> dict[str, Any]:
    """The context with any phone or ID number in a text masked: a message body
    carries nothing personal (the texts read from the database are masked
    already; this holds for a text handed over as it was typed). Links are
    left as they are."""
    return {
        key: mask_text(value)
        if isinstance(value, str) and "://" not in value and not value.startswith("/")
        else value
        for key, value in context.items()
    }


def notify(
    *,
    event: str,
    channel: str,
    recipient: str,
    context: dict[str, Any],
    language: str = "zh-hans",
    subject_ref: str = "",
    dedupe_key: str | None = None,
    payload: dict[str, Any] | None = None,
) -> Notification | None:
    """Queue one message in the caller's transaction; the worker sends it after
    commit. Returns None when ``dedupe_key`` was queued before.

    Webhooks carry ``payload`` as JSON and need no template; every other channel
    renders its template now, so the text is fixed in the language of the moment.
    """
    if channel not in Notification.Channel.values:
        raise ValueError(f"unknown channel: {channel!r}")
    if language not in Notification.Language.values:
        raise ValueError(f"unknown language: {language!r}")
    if not EVENT_PATTERN.fullmatch(event):
        raise ValueError(f"not an event name: {event!r}")
    if not recipient.strip():
        raise ValueError("a notification needs a recipient")
    context = _masked(context)
    if channel == Notification.Channel.WEBHOOK:
        if not recipient.startswith(("https://", "http://")):
            raise ValueError("a webhook recipient is an http(s) URL")
        subject, body = "", ""
    else:
        subject, body = render(
            event=event, channel=channel, context=context, language=language
        )
    if (
        dedupe_key is not None
        and Notification.objects.filter(dedupe_key=dedupe_key).exists()
    ):
        return None
    now = clock.now()
    notification = Notification(
        event=event,
        channel=channel,
        recipient=recipient.strip(),
        language=language,
        subject=subject[:255],
        body=body,
        payload=payload or {},
        subject_ref=subject_ref,
        dedupe_key=dedupe_key,
        next_attempt_at=now,
        created_at=now,
    )
    if dedupe_key is None:
        notification.save(force_insert=True)
        return notification
    try:
        # A savepoint, so that losing a dedupe race leaves the caller's
        # transaction usable.
        with transaction.atomic():
            notification.save(force_insert=True)
    except IntegrityError:
        return None
    return notification


def notification_retry(
    *, notifications: QuerySet[Notification], acting_user: Any
) -> int:
    """Send dead or pending rows at the next drain ("retry now"). A dead row gets
    one more attempt; if that fails too it is dead again. Returns the rows moved."""
    if acting_user is not None and not acting_user.is_superuser:
        raise PermissionDeniedError(_("Only a superuser may retry notifications."))
    return notifications.filter(
        state__in=[Notification.State.DEAD, Notification.State.PENDING]
    ).update(
        state=Notification.State.PENDING,
        next_attempt_at=clock.now(),
        claimed_until=None,
    )


def notify_webhooks(*, event: str, subject_ref: str, payload: dict[str, Any]) -> None:
    """Tell every configured other system (CIVICGRID_WEBHOOK_URLS) of an event,
    through the outbox: signed JSON, sent after commit, retried."""
    for url in settings.CIVICGRID_WEBHOOK_URLS:
        notify(
            event=event,
            channel=Notification.Channel.WEBHOOK,
            recipient=url,
            context={},
            subject_ref=subject_ref,
            payload=payload,
        )


def notify_staff(
    user: Any,
    *,
    event: str,
    context: dict[str, Any],
    subject_ref: str = "",
    dedupe_key: str | None = None,
) -> Notification | None:
    """Queue a message for a member of staff on the staff channel
    (CIVICGRID_NOTIFY_STAFF_CHANNEL), in their own language; nothing for an
    inactive account or one without an address on that channel."""
    channel = settings.CIVICGRID_NOTIFY_STAFF_CHANNEL
    recipient = {"email": user.email, "sms": user.phone}.get(channel, user.username)
    if not user.is_active or not recipient:
        return None
    return notify(
        event=event,
        channel=channel,
        recipient=recipient,
        context=context,
        language=user.language or settings.LANGUAGE_CODE,
        subject_ref=subject_ref,
        dedupe_key=dedupe_key,
    )
