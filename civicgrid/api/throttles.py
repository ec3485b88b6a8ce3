"""The REST API's rates, counted where the public pages count theirs
(:mod:`civicgrid.core.ratelimit`: the database by default, or a shared cache
with ``CIVICGRID_RATE_LIMIT_STORE = "cache"``), so that every web process on
every machine counts one caller together — DRF's own throttles keep a history in
the default cache, which on one machine is each process's own memory.

Windows are fixed (a minute, an hour …, by the rate's unit), like the pages'."""

from __future__ import annotations

from typing import Any

from rest_framework import throttling

from civicgrid.core import ratelimit


class SharedCount:
    """Counting for a :class:`~rest_framework.throttling.SimpleRateThrottle`."""

    _wait = 0

    def allow_request(self, request: Any, view: Any) -> bool:
        throttle: Any = self  # mixed into a SimpleRateThrottle
        if throttle.rate is None:
            return True
        key = throttle.get_cache_key(request, view)
        if key is None:
            return True
        seconds = int(throttle.duration)
        counted = ratelimit.count(f"api-{throttle.scope}", key, seconds=seconds)
        self._wait = ratelimit.seconds_to_next_window(seconds)
        return bool(counted <= throttle.num_requests)

    def wait(self) -> float:
        return float(self._wait)


class AnonRateThrottle(SharedCount, throttling.AnonRateThrottle):
    """Callers without an account, by their address (behind the trusted
    proxies, the client's)."""

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return f"anon:{ratelimit.client_address(request._request)}"


class UserRateThrottle(SharedCount, throttling.UserRateThrottle):
    """Signed-in callers, by their account."""
