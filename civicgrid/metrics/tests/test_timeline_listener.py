"""The rates follow the appeals' timeline through its hook, set up at start-up."""

from __future__ import annotations

from civicgrid.appeals import listeners
from civicgrid.metrics import facts


def test_the_facts_listen_to_the_timeline_from_start_up():
    (listener,) = [
        known for known in listeners.listeners() if known.name == "metrics.facts"
    ]
    assert listener.event_written is facts.on_event
    assert listener.appeals_registered is facts.on_intake
    assert listener.shares_dispatched is facts.on_dispatch
