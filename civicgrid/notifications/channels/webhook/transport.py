"""Webhooks: POST {event, subject_ref, payload, created_at} as JSON to the URL in
the recipient field, signed so that the receiver can tell it came from us:
``X-CivicGrid-Signature: sha256=<hex HMAC-SHA256 of the body>``.

Delivery is at least once (a retry after a timeout may repeat a delivery that did
arrive); ``X-CivicGrid-Delivery`` carries the outbox id so receivers can dedupe.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from civicgrid.core.signatures import sign
from civicgrid.notifications.channels.http import DeliveryError, post_json
from civicgrid.notifications.models import Notification


def send(notification: Notification) -> None:
    secret = settings.CIVICGRID_WEBHOOK_SECRET
    if not secret:
        raise DeliveryError("CIVICGRID_WEBHOOK_SECRET is not set")
    body = json.dumps(
        {
            "event": notification.event,
            "subject_ref": notification.subject_ref,
            "payload": notification.payload,
            "created_at": notification.created_at,
        },
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    post_json(
        notification.recipient,
        body,
        headers={
            "X-CivicGrid-Signature": sign(body, secret),
            "X-CivicGrid-Event": notification.event,
            "X-CivicGrid-Delivery": str(notification.pk),
        },
        timeout=settings.CIVICGRID_WEBHOOK_TIMEOUT_SECONDS,
    )
