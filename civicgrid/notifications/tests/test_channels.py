from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

import time_machine
from django.core import mail

from civicgrid.notifications.actions import notify
from civicgrid.notifications.models import Notification
from civicgrid.notifications.outbox import drain

from .conftest import PHONE, Gateway

CONTEXT = {
    "tracking_code": "DG20261123-0001",
    "tracking_url": "https://civicgrid.example/t/abc123",
}


def queue(channel: str, recipient: str, **extra: object) -> Notification:
    notification = notify(
        event="appeal.received",
        channel=channel,
        recipient=recipient,
        context=CONTEXT,
        language="en",
        subject_ref="appeal:7",
        **extra,  # type: ignore[arg-type]
    )
    assert notification is not None
    return notification


def test_console_logs_one_line_with_the_number_masked(db, caplog):
    caplog.set_level("INFO", logger="civicgrid.notifications")
    notification = queue("console", PHONE)

    assert drain("worker-a") == 1

    [record] = [r for r in caplog.records if r.name.endswith(".console")]
    line = record.getMessage()
    assert record.levelname == "INFO"
    assert "138****1234" in line
    assert PHONE not in line
    assert "DG20261123-0001" in line
    assert "\n" not in line
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert notification.sent_at is not None
    assert notification.attempts == 1


def test_email_goes_through_the_django_mail_backend(db, settings):
    settings.DEFAULT_FROM_EMAIL = "noreply@civicgrid.example"
    queue("email", "resident@example.com")

    assert drain("worker-a") == 1

    [message] = mail.outbox
    assert message.to == ["resident@example.com"]
    assert message.from_email == "noreply@civicgrid.example"
    assert (
        message.subject == "[CivicGrid] Your appeal DG20261123-0001 has been received"
    )
    assert "https://civicgrid.example/t/abc123" in message.body
    assert not message.body.startswith(message.subject)


def test_sms_posts_json_with_the_bearer_token(db, settings, gateway: Gateway):
    settings.CIVICGRID_SMS_URL = f"{gateway.url}/send"
    settings.CIVICGRID_SMS_TOKEN = "gateway-token"
    notification = queue("sms", PHONE)

    assert drain("worker-a") == 1

    [request] = gateway.requests
    assert request.path == "/send"
    assert request.headers["Authorization"] == "Bearer gateway-token"
    assert request.headers["Content-Type"].startswith("application/json")
    assert json.loads(request.body) == {"to": PHONE, "text": notification.body}
    assert "DG20261123-0001" in notification.body


def test_sms_without_a_token_sends_no_authorization_header(
    db, settings, gateway: Gateway
):
    settings.CIVICGRID_SMS_URL = gateway.url
    queue("sms", PHONE)

    assert drain("worker-a") == 1

    assert "Authorization" not in gateway.requests[0].headers


def test_sms_without_a_gateway_fails_and_waits_for_a_retry(db, settings):
    settings.CIVICGRID_SMS_URL = ""
    notification = queue("sms", PHONE)

    assert drain("worker-a") == 0

    notification.refresh_from_db()
    assert notification.state == Notification.State.PENDING
    assert notification.last_error == "DeliveryError: CIVICGRID_SMS_URL is not set"


@time_machine.travel(datetime(2026, 11, 23, 1, 0, tzinfo=UTC), tick=False)
def test_a_webhook_posts_the_signed_payload(db, settings, gateway: Gateway):
    settings.CIVICGRID_WEBHOOK_SECRET = "webhook-secret"
    notification = queue(
        "webhook",
        f"{gateway.url}/hooks/in",
        payload={
            "tracking_code": "DG20261123-0001",
            "due_at": datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        },
    )

    assert drain("worker-a") == 1

    [request] = gateway.requests
    assert request.path == "/hooks/in"
    expected = hmac.new(b"webhook-secret", request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-CivicGrid-Signature"] == f"sha256={expected}"
    assert request.headers["X-CivicGrid-Delivery"] == str(notification.pk)
    body = json.loads(request.body)
    assert body == {
        "event": "appeal.received",
        "subject_ref": "appeal:7",
        "payload": {
            "tracking_code": "DG20261123-0001",
            "due_at": "2026-11-25T09:30:00Z",
        },
        "created_at": "2026-11-23T01:00:00Z",
    }


def test_a_webhook_is_not_sent_unsigned(db, settings, gateway: Gateway):
    settings.CIVICGRID_WEBHOOK_SECRET = ""
    notification = queue("webhook", gateway.url)

    assert drain("worker-a") == 0

    assert gateway.requests == []
    notification.refresh_from_db()
    assert "CIVICGRID_WEBHOOK_SECRET" in notification.last_error
