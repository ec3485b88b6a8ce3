from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from civicgrid.notifications.actions import notify
from civicgrid.notifications.models import Notification
from conftest import make_user

from .conftest import PHONE

FROZEN = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def queue(state: str, **fields: object) -> Notification:
    notification = notify(
        event="appeal.closed",
        channel="sms",
        recipient=PHONE,
        context={"tracking_code": "DG20261123-0001"},
        subject_ref="appeal:9",
    )
    assert notification is not None
    Notification.objects.filter(pk=notification.pk).update(state=state, **fields)
    return notification


def test_the_outbox_list_shows_recipients_masked(db, client):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    queue("dead", attempts=8)

    response = client.get(reverse("admin:notifications_notification_changelist"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "138****1234" in content
    assert PHONE not in content


def test_the_outbox_detail_shows_the_recipient_masked_and_cannot_be_changed(db, client):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    notification = queue("sent")
    url = reverse("admin:notifications_notification_change", args=[notification.pk])

    response = client.get(url)

    content = response.content.decode()
    assert "138****1234" in content
    assert PHONE not in content
    assert client.post(url, {"state": "pending"}).status_code == 403


def test_retry_now_puts_dead_and_pending_rows_back_in_the_queue(db, client):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    dead = queue("dead", attempts=8, next_attempt_at=FROZEN)
    sent = queue("sent")

    with time_machine.travel(FROZEN.replace(hour=5), tick=False):
        response = client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "retry_now", "_selected_action": [dead.pk, sent.pk]},
        )

    assert response.status_code == 302
    dead.refresh_from_db()
    sent.refresh_from_db()
    assert dead.state == Notification.State.PENDING
    assert dead.next_attempt_at == FROZEN.replace(hour=5)
    assert sent.state == Notification.State.SENT


def test_staff_who_are_not_superusers_do_not_see_the_outbox(db, client):
    client.force_login(make_user("staff", is_staff=True))
    queue("dead")

    response = client.get(reverse("admin:notifications_notification_changelist"))

    assert response.status_code == 403
