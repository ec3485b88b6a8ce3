from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.core.errors import ConflictError
from civicgrid.whistles import actions
from civicgrid.whistles.models import Summons, WhistleType
from conftest import make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent connections: PostgreSQL only",
    ),
]


def test_two_handlers_of_one_department_checking_in_at_once_make_one_check_in(
    street, departments, people
):
    kind = WhistleType.objects.create(
        code="emergency", name="应急处置", report_in_minutes=30
    )
    whistle = actions.whistle_blow(
        street=street.street,
        whistle_type=kind,
        title="x",
        reason="y",
        departments=[departments["cg"]],
        lead=departments["cg"],
        acting_user=people["dispatcher"],
    )
    second = make_user("second_cg")
    membership_add(
        user=second,
        role=Role.DEPARTMENT_HANDLER,
        department=departments["cg"],
        acting_user=None,
    )
    summons_id = whistle.summonses.get().pk
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def check_in(user):
        try:
            summons = Summons.objects.select_related("whistle", "department").get(
                pk=summons_id
            )
            barrier.wait()
            actions.summons_check_in(summons=summons, acting_user=user)
            outcomes.append("in")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=check_in, args=(u,))
        for u in (people["handler_cg"], second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "in"]
    assert whistle.events.filter(action="check_in").count() == 1


def test_two_handlers_completing_one_share_at_once_complete_it_once(
    street, departments, people, monkeypatch
):
    """The share's guard compares its own row only: a condition through the
    whistle's table would be written as a subquery that PostgreSQL does not
    check again after waiting for the first writer, and both would complete."""
    kind = WhistleType.objects.create(
        code="emergency", name="应急处置", report_in_minutes=30
    )
    whistle = actions.whistle_blow(
        street=street.street,
        whistle_type=kind,
        title="x",
        reason="y",
        departments=[departments["cg"]],
        lead=departments["cg"],
        acting_user=people["dispatcher"],
    )
    summons_id = whistle.summonses.get().pk
    actions.summons_check_in(
        summons=whistle.summonses.get(), acting_user=people["handler_cg"]
    )
    second = make_user("second_cg")
    membership_add(
        user=second,
        role=Role.DEPARTMENT_HANDLER,
        department=departments["cg"],
        acting_user=None,
    )
    written = actions._event

    def event_then_linger(*args, **kwargs):
        # Hold the first writer's transaction open past the second's update.
        event = written(*args, **kwargs)
        threading.Event().wait(0.5)
        return event

    monkeypatch.setattr(actions, "_event", event_then_linger)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def complete(user, note):
        try:
            summons = Summons.objects.select_related("whistle", "department").get(
                pk=summons_id
            )
            barrier.wait()
            actions.summons_complete(summons=summons, acting_user=user, note=note)
            outcomes.append("done")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=complete, args=(user, note))
        for user, note in ((people["handler_cg"], "first"), (second, "second"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "done"]
    assert whistle.events.filter(action="share_done").count() == 1
