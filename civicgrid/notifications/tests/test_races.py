from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from civicgrid.notifications.actions import notify
from civicgrid.notifications.channels.console import transport as console
from civicgrid.notifications.models import Notification
from civicgrid.notifications.outbox import drain

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent connections: PostgreSQL only",
    ),
]


def test_workers_draining_at_once_send_every_message_exactly_once(monkeypatch):
    for n in range(30):
        notify(
            event="appeal.closed",
            channel="console",
            recipient=f"1381234{n:04d}",
            context={"tracking_code": f"DG-{n}"},
        )
    sent: Counter[int] = Counter()
    lock = threading.Lock()

    def send(notification: Notification) -> None:
        with lock:
            sent[notification.pk] += 1

    monkeypatch.setattr(console, "send", send)
    barrier = threading.Barrier(3)

    def work(worker_id: str) -> None:
        try:
            barrier.wait()
            while drain(worker_id, batch=4):
                pass
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(sent) == 30
    assert set(sent.values()) == {1}
    assert not Notification.objects.exclude(state=Notification.State.SENT).exists()
