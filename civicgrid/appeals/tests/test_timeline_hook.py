"""The timeline's hook: listeners are told in the order they registered, inside
the transaction of what they are told of."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from civicgrid.appeals import actions, listeners
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal, Assignment, CaseEvent

pytestmark = pytest.mark.django_db


def listener(name: str, heard: list[tuple[str, str, Any]]) -> listeners.Listener:
    def event_written(event: CaseEvent) -> None:
        heard.append((name, "event", event.action))

    def appeals_registered(appeals: list[Appeal]) -> None:
        heard.append((name, "registered", len(appeals)))

    def shares_dispatched(appeal: Appeal, shares: list[Assignment]) -> None:
        heard.append((name, "dispatched", len(shares)))

    return listeners.Listener(
        name=name,
        event_written=event_written,
        appeals_registered=appeals_registered,
        shares_dispatched=shares_dispatched,
    )


@pytest.fixture
def told() -> Iterator[list[tuple[str, str, Any]]]:
    heard: list[tuple[str, str, Any]] = []
    listeners.register(listener("test.first", heard))
    listeners.register(listener("test.second", heard))
    yield heard
    listeners.unregister("test.first")
    listeners.unregister("test.second")


def test_listeners_are_told_in_the_order_they_registered(
    told, submit, staff, departments
):
    appeal = submit()
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(department=departments["zj"])],
    )

    assert told == [
        ("test.first", "registered", 1),
        ("test.second", "registered", 1),
        ("test.first", "event", "accept"),
        ("test.second", "event", "accept"),
        ("test.first", "event", "dispatch"),
        ("test.second", "event", "dispatch"),
        ("test.first", "dispatched", 2),
        ("test.second", "dispatched", 2),
    ]


def test_a_listener_that_fails_undoes_the_action(told, submit, staff):
    appeal = submit()
    told.clear()

    def refuse(event: Any) -> None:
        raise RuntimeError("the listener failed")

    listeners.register(listeners.Listener(name="test.first", event_written=refuse))
    with pytest.raises(RuntimeError):
        actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])

    assert Appeal.objects.get(pk=appeal.pk).state == Appeal.State.RECEIVED
    assert not appeal.events.filter(action="accept").exists()
    assert told == []


def test_registering_a_name_again_replaces_it_in_its_place(told):
    names = [listener.name for listener in listeners.listeners()]
    listeners.register(listeners.Listener(name="test.first"))

    assert [listener.name for listener in listeners.listeners()] == names
    assert names.index("test.first") < names.index("test.second")
