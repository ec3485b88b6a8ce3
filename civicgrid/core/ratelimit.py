"""A small fixed-window rate limit for the public pages (report, track, nearby),
against scripts, not people: the limits are generous because many residents share
one mobile-carrier address. Counts live in Django's cache — per process with the
default local-memory cache; configure a shared cache (CACHES) to count across
processes and machines."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(
    request: HttpRequest, name: str, per_minute: int, *, cost: int = 1
) -> bool:
    """Count this request (as ``cost`` requests) against its address; True once
    over ``per_minute``."""
    if not settings.CIVICGRID_RATE_LIMITS:
        return False
    window = int(time.time() // 60)
    key = f"rl:{name}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key, cost)
    except ValueError:  # evicted between add and incr
        count = cost
    return count > per_minute


def seconds_to_next_window() -> int:
    return 60 - int(time.time()) % 60


def rate_limited(
    name: str, *, per_minute: int, methods: tuple[str, ...] = ("POST",)
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Answer 429 once an address has made ``per_minute`` requests this minute."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods and over_limit(request, name, per_minute):
                response = render(request, "core/rate_limited.html", status=429)
                response["Retry-After"] = str(seconds_to_next_window())
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
