"""SMS through an HTTP gateway: POST {"to": …, "text": …} as JSON to
``CIVICGRID_SMS_URL``, with a bearer token when ``CIVICGRID_SMS_TOKEN`` is set."""

from __future__ import annotations

import json

from django.conf import settings

from civicgrid.notifications.channels.http import DeliveryError, post_json
from civicgrid.notifications.models import Notification


def send(notification: Notification) -> None:
    url = settings.CIVICGRID_SMS_URL
    if not url:
        raise DeliveryError("CIVICGRID_SMS_URL is not set")
    headers = {}
    if settings.CIVICGRID_SMS_TOKEN:
        headers["Authorization"] = f"Bearer {settings.CIVICGRID_SMS_TOKEN}"
    body = json.dumps(
        {"to": notification.recipient, "text": notification.body},
        ensure_ascii=False,
    ).encode()
    post_json(
        url, body, headers=headers, timeout=settings.CIVICGRID_SMS_TIMEOUT_SECONDS
    )
