"""Two members claiming one wish at the same moment, on two connections: one
wins, the other is told (PostgreSQL: SQLite runs one writer at a time)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from civicgrid.core.errors import ConflictError
from civicgrid.partybuilding import actions
from civicgrid.partybuilding.models import Wish

from .conftest import on_the_wall

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent connections: PostgreSQL only",
    ),
]


def test_two_members_claiming_at_once_make_one_claim(pb):
    wish_id = on_the_wall(pb).pk
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def claim(user):
        try:
            wish = Wish.objects.get(pk=wish_id)
            barrier.wait()
            actions.wish_claim(wish=wish, acting_user=user)
            outcomes.append("claimed")
        except ConflictError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=claim, args=(pb[who],))
        for who in ("member_a", "member_b")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [
        "Someone else claimed this wish a moment before you.",
        "claimed",
    ]
    wish = Wish.objects.get(pk=wish_id)
    assert wish.state == "claimed"
    assert wish.events.filter(action="claim").count() == 1
