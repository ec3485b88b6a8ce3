"""A short-lived in-process cache for reference rows that intake reads on every
request and people change rarely: the streets and the category catalogue.

An entry lives ``CIVICGRID_REFERENCE_CACHE_SECONDS`` (0 turns the cache off). A
write to a cached model in this process clears the cache when it commits (the
apps connect :func:`clear_on_commit` in ``ready()``); other processes see the
change when their entries expire. What is not found is not cached, so a new
category is never hidden for long and made-up keys cannot fill the memory.
Cached objects are shared between threads: read them, never change them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction

T = TypeVar("T")
MAX_ENTRIES = 10_000

_lock = threading.Lock()
_entries: dict[Hashable, tuple[float, Any]] = {}
_generation = 0  # moves on every clear(): a load begun before it is not kept


def cached(key: Hashable, load: Callable[[], T | None]) -> T | None:
    """The value under ``key``, loaded by ``load()`` when missing or expired."""
    seconds = float(settings.CIVICGRID_REFERENCE_CACHE_SECONDS)
    if seconds <= 0:
        return load()
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]
    generation = _generation
    value = load()
    if value is not None:
        with _lock:
            if generation == _generation:
                if len(_entries) >= MAX_ENTRIES:
                    _entries.clear()
                _entries[key] = (now + seconds, value)
    return value


def clear() -> None:
    global _generation
    with _lock:
        _generation += 1
        _entries.clear()


def clear_on_commit(**kwargs: Any) -> None:
    """A signal receiver: a cached model changed in this process."""
    transaction.on_commit(clear)
