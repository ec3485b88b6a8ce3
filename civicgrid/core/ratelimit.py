"""A small fixed-window rate limit for the public pages (report, track, nearby) and
the residents' API intake, against scripts, not people: the limits are generous
because many residents share one mobile-carrier address.

The address is the client's, not the proxy's: behind ``CIVICGRID_TRUSTED_PROXIES``
proxies it is read from ``X-Forwarded-For`` (the entry the outermost trusted proxy
added), so residents behind the street's load balancer do not share one bucket.

Counts are shared by every process on every machine: by default they live in the
database (``RateCounter``, one upserted row per key and window); with
``CIVICGRID_RATE_LIMIT_STORE = "cache"`` they live in Django's default cache, which
must then be a shared one (Redis, Memcached, the database cache), never the
per-process local-memory cache. Addresses are stored only as keyed hashes."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac

from .models import RateCounter

SALT = "civicgrid.core.ratelimit"


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind ``CIVICGRID_TRUSTED_PROXIES``
    proxies the ``X-Forwarded-For`` entry the outermost of them appended (an
    entry further left is the client's own say and may be forged)."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = int(getattr(settings, "CIVICGRID_TRUSTED_PROXIES", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded.strip():
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(proxies, len(hops))]


def _bucket(name: str, who: str) -> str:
    digest = salted_hmac(SALT, who, algorithm="sha256").hexdigest()[:32]
    return f"{name}:{digest}"


def _count_in_database(key: str, window: int, cost: int) -> int:
    q = connection.ops.quote_name
    table, key_, window_, count_ = (
        q(RateCounter._meta.db_table),
        q("key"),
        q("window"),
        q("count"),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {window_}, {count_}) "  # noqa: S608
            f"VALUES (%s, %s, %s) ON CONFLICT ({key_}, {window_}) "
            f"DO UPDATE SET {count_} = {table}.{count_} + %s RETURNING {count_}",
            [key, window, cost, cost],
        )
        count = int(cursor.fetchone()[0])
    if count == cost:  # a new window for this key: forget windows long past
        RateCounter.objects.filter(window__lt=time.time() - 60).delete()
    return count


def _count_in_cache(key: str, window: int, cost: int, seconds: int) -> int:
    cache_key = f"rl:{key}:{window}"
    cache.add(cache_key, 0, timeout=seconds + 30)
    try:
        return int(cache.incr(cache_key, cost))
    except ValueError:  # evicted between add and incr
        return cost


def count(name: str, who: str, *, cost: int = 1, seconds: int = 60) -> int:
    """Add ``cost`` to ``who``'s count under ``name`` in this window of ``seconds``;
    the count so far."""
    # A window is known by the second it ends.
    window = (int(time.time() // seconds) + 1) * seconds
    key = _bucket(f"{name}/{seconds}", who)
    if getattr(settings, "CIVICGRID_RATE_LIMIT_STORE", "database") == "cache":
        return _count_in_cache(key, window, cost, seconds)
    return _count_in_database(key, window, cost)


def over_limit(
    request: HttpRequest, name: str, per_minute: int, *, cost: int = 1
) -> bool:
    """Count this request (as ``cost`` requests) against its address; True once
    over ``per_minute``."""
    if not settings.CIVICGRID_RATE_LIMITS:
        return False
    return count(name, client_address(request), cost=cost) > per_minute


def resident_over_limit(user: Any, name: str, per_hour: int) -> bool:
    """Count one request against a signed-in person; True once over ``per_hour``."""
    if not settings.CIVICGRID_RATE_LIMITS or not getattr(user, "pk", None):
        return False
    return count(name, f"user:{user.pk}", seconds=3600) > per_hour


def seconds_to_next_window(seconds: int = 60) -> int:
    return seconds - int(time.time()) % seconds


def intake_over_limit(request: HttpRequest, user: Any = None) -> int:
    """The residents' intake limits, shared by the report page and the API: per
    address a minute and, signed in, per person an hour. Seconds to wait, or 0."""
    if over_limit(request, "report", settings.CIVICGRID_INTAKE_PER_MINUTE):
        return seconds_to_next_window()
    if resident_over_limit(user, "report", settings.CIVICGRID_INTAKE_PER_HOUR):
        return seconds_to_next_window(3600)
    return 0


def refused(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(request, "core/rate_limited.html", status=429)
    response["Retry-After"] = str(wait)
    return response


def rate_limited(
    name: str, *, per_minute: int | str, methods: tuple[str, ...] = ("POST",)
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Answer 429 once an address has made ``per_minute`` requests this minute
    (a number, or the name of the setting that holds it)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limit = (
                int(getattr(settings, per_minute))
                if isinstance(per_minute, str)
                else per_minute
            )
            if request.method in methods and over_limit(request, name, limit):
                return refused(request, seconds_to_next_window())
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
