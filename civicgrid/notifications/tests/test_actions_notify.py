from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.template import TemplateDoesNotExist
from django.utils import translation

from civicgrid.notifications.actions import notify, render, sms_channel
from civicgrid.notifications.models import Notification
from civicgrid.notifications.outbox import drain

from .conftest import PHONE

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "notifications"
CONTEXT = {
    "tracking_code": "DG20261123-0001",
    "tracking_url": "https://civicgrid.example/t/abc123",
    "category": "道路破损",
    "due_at": datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
    "reason": "不属于本街道",
    "redirect_to": "12345",
    "main_tracking_code": "DG20261120-0007",
    "callback_url": "https://civicgrid.example/cb/xyz",
    "approved": True,
    # whistles
    "title": "东嘎村河道淤堵",
    "department": "堆龙德庆区城市管理和综合执法局",
    "report_in_due_at": "2026-11-23 10:30",
    # intake
    "attempts": 3,
    # shares: the unit, the lead, a co-handler, days asked for
    "unit": "东嘎一网格",
    "lead": "堆龙德庆区城市管理和综合执法局",
    "co_unit": "住建局",
    "days": "2",
    # grid work (核查)
    "grid": "东嘎一网格",
    "note": "夜间看看路灯是否亮了",
    "passed": True,
    "closed": False,
}
EVENTS = sorted(path.name for path in TEMPLATES.iterdir())


def received(**overrides: object) -> Notification | None:
    arguments: dict = {
        "event": "appeal.received",
        "channel": "console",
        "recipient": PHONE,
        "context": CONTEXT,
        "subject_ref": "appeal:1",
        **overrides,
    }
    return notify(**arguments)


def test_a_rolled_back_transaction_leaves_no_row_and_sends_nothing(db, caplog):
    caplog.set_level("INFO", logger="civicgrid.notifications")
    with pytest.raises(RuntimeError), transaction.atomic():
        received()
        raise RuntimeError("the action failed after queueing")

    assert Notification.objects.count() == 0
    assert drain("worker-a") == 0
    assert caplog.records == []


def test_a_queued_notification_is_rendered_pending_and_due_now(db):
    notification = received()

    assert notification is not None
    notification.refresh_from_db()
    assert notification.state == Notification.State.PENDING
    assert notification.attempts == 0
    assert "DG20261123-0001" in notification.body
    assert notification.next_attempt_at == notification.created_at


def test_the_recipient_is_encrypted_at_rest(db):
    notification = received()
    assert notification is not None

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT recipient FROM notifications_notification WHERE id = %s",
            [notification.pk],
        )
        stored = cursor.fetchone()[0]
    assert PHONE not in stored
    assert Notification.objects.get(pk=notification.pk).recipient == PHONE


def test_a_second_notify_with_the_same_dedupe_key_is_a_no_op(db):
    first = received(dedupe_key="appeal:1:received")
    second = received(dedupe_key="appeal:1:received")

    assert first is not None
    assert second is None
    assert Notification.objects.count() == 1
    # Without a key, the same message may be queued twice.
    assert received() is not None
    assert Notification.objects.count() == 2


def test_an_unknown_event_or_channel_template_is_a_programming_error(db):
    with pytest.raises(TemplateDoesNotExist):
        received(event="appeal.no_such_event")
    with pytest.raises(ValueError, match="channel"):
        received(channel="fax")
    with pytest.raises(ValueError, match="event"):
        received(event="../../secrets")
    with pytest.raises(ValueError, match="language"):
        received(language="fr")
    assert Notification.objects.count() == 0


def test_a_webhook_needs_an_http_url_and_no_template(db):
    with pytest.raises(ValueError, match="URL"):
        received(channel="webhook", recipient="ftp://example.com/x")

    notification = received(
        event="appeal.whatever_the_receiver_wants",
        channel="webhook",
        recipient="https://hooks.example.com/in",
        payload={"tracking_code": "DG20261123-0001"},
    )
    assert notification is not None
    assert notification.body == ""
    assert notification.payload == {"tracking_code": "DG20261123-0001"}


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("channel", ["sms", "email", "console"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_event_renders_on_every_person_channel(event, channel, language):
    subject, body = render(
        event=event, channel=channel, context=CONTEXT, language=language
    )

    assert body
    assert "{" not in body and "{" not in subject
    assert (subject != "") == (channel == "email")
    if channel != "email":
        assert "\n" not in body
    if channel == "sms":
        assert len(body) <= 200, "keep SMS short"


def test_templates_use_no_personal_data():
    allowed = set(CONTEXT) | {"site_name"}
    for path in TEMPLATES.rglob("*.txt"):
        source = path.read_text()
        variables = set(re.findall(r"{{\s*(\w+)", source))
        variables |= set(re.findall(r"{%\s*if\s+(\w+)", source))
        assert variables <= allowed, f"{path}: {variables - allowed}"
        personal = " ".join(variables - {"site_name"})
        assert not re.search(r"name|phone|mobile|address", personal), path


def test_templates_render_in_english_when_asked():
    subject, body = render(
        event="appeal.received", channel="email", context=CONTEXT, language="en"
    )

    assert "received" in subject
    assert "Tracking code: DG20261123-0001" in body
    assert "https://civicgrid.example/t/abc123" in body


def test_templates_render_in_chinese_by_default_and_leave_the_language_alone():
    translation.activate("en")
    try:
        subject, body = render(
            event="appeal.dispatched",
            channel="email",
            context=CONTEXT,
            language="zh-hans",
        )
        assert translation.get_language() == "en"
    finally:
        translation.deactivate()

    # The site name is translated and dates take the Chinese format, in local time.
    assert "基层治理平台" in subject
    assert "2026年11月25日 17:30" in body
    _, english = render(
        event="appeal.dispatched", channel="sms", context=CONTEXT, language="en"
    )
    assert "Nov. 25, 2026, 5:30 p.m." in english


def test_the_phone_channel_is_console_unless_a_gateway_is_configured(settings):
    assert sms_channel() == "console"
    settings.CIVICGRID_NOTIFY_SMS_CHANNEL = "sms"
    assert sms_channel() == "sms"
