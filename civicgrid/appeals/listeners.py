"""The one hook through which other apps follow the appeal timeline as the
actions write it.

An app that follows the timeline — the three rates (三率) today; a
place's history (the ledger) and hotspots (insight) later — registers a
:class:`Listener` once, at start-up (in its ``AppConfig.ready()``)::

    listeners.register(listeners.Listener(name="metrics.facts", event_written=…))

Each part of a listener is optional and is called, listener by listener in the
order they registered, inside the transaction that writes what it is told of:

- ``event_written(event)``: a timeline event the actions just saved, one at a
  time (every action's event; not the "submit" events of a registration);
- ``appeals_registered(appeals)``: appeals intake just registered, in bulk
  (their "submit" events are written next, in the same transaction);
- ``shares_dispatched(appeal, assignments)``: the shares a dispatch just made,
  after its "dispatch" event.

So what a listener writes commits or rolls back with the action, and a listener
that raises undoes the action. It is not a Django signal on purpose: the
listeners are few, known, called in a fixed order and not allowed to fail
quietly. Appeals does not import its listeners; they import this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import Appeal, Assignment, CaseEvent


@dataclass(frozen=True)
class Listener:
    """What an app following the timeline wants to be told; see the module."""

    name: str
    event_written: Callable[[CaseEvent], None] | None = None
    appeals_registered: Callable[[list[Appeal]], None] | None = None
    shares_dispatched: Callable[[Appeal, list[Assignment]], None] | None = None


_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    """Tell ``listener`` after those registered before it. The same name again
    replaces the earlier one in its place (an app made ready twice)."""
    for n, known in enumerate(_listeners):
        if known.name == listener.name:
            _listeners[n] = listener
            return
    _listeners.append(listener)


def unregister(name: str) -> None:
    """Stop telling the listener of that name (a test's own listener)."""
    _listeners[:] = [known for known in _listeners if known.name != name]


def listeners() -> tuple[Listener, ...]:
    """The listeners, in the order they are told."""
    return tuple(_listeners)


def appeals_registered(appeals: list[Appeal]) -> None:
    """Tell the listeners of appeals just registered (intake calls this)."""
    for listener in _listeners:
        if listener.appeals_registered is not None:
            listener.appeals_registered(appeals)


def shares_dispatched(appeal: Appeal, assignments: list[Assignment]) -> None:
    """Tell the listeners of the shares a dispatch just made (routing calls this)."""
    for listener in _listeners:
        if listener.shares_dispatched is not None:
            listener.shares_dispatched(appeal, assignments)


def event_written(event: CaseEvent) -> None:
    """Tell the listeners of a timeline event just saved (the actions' writer
    calls this)."""
    for listener in _listeners:
        if listener.event_written is not None:
            listener.event_written(event)
