"""The REST API's rates count where the pages' limits count, shared by every
process: a local cache emptied (another process's memory) forgets nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework import throttling
from rest_framework.test import APIClient

from civicgrid.core.models import RateCounter

pytestmark = pytest.mark.django_db

PUBLIC = "/api/track/NOSUCHCODE/"  # open to anyone: a 404, counted all the same


@pytest.fixture
def tight(monkeypatch):
    # DRF reads the rates once, into the class.
    monkeypatch.setattr(
        throttling.SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "3/minute", "user": "3/minute"},
    )


def test_anonymous_calls_are_counted_in_the_shared_store(tight, time_machine):
    time_machine.move_to("2026-06-01 10:00:05+08:00", tick=False)
    api = APIClient()
    answers = []
    for _n in range(4):
        cache.clear()  # each call on another process, with its own memory
        answers.append(api.get(PUBLIC).status_code)
    assert answers == [404, 404, 404, 429]
    assert RateCounter.objects.filter(key__startswith="api-anon/60:").exists()
    throttled = api.get(PUBLIC)
    assert throttled.json()["error"]["code"] == "throttled"
    assert 0 < int(throttled["Retry-After"]) <= 60
    time_machine.shift(60)
    assert api.get(PUBLIC).status_code == 404


def test_behind_trusted_proxies_each_resident_has_their_own_count(tight, settings):
    settings.CIVICGRID_TRUSTED_PROXIES = 1
    api = APIClient()

    def call(client_address: str) -> int:
        return api.get(
            PUBLIC,
            REMOTE_ADDR="10.0.0.1",  # the load balancer
            HTTP_X_FORWARDED_FOR=client_address,
        ).status_code

    assert [call("203.0.113.7") for _n in range(4)] == [404, 404, 404, 429]
    assert call("198.51.100.9") == 404


def test_signed_in_people_are_counted_by_account(tight, people):
    api = APIClient()
    api.force_authenticate(people["dispatcher"])
    answers = [api.get("/api/categories/").status_code for _n in range(4)]
    assert answers == [200, 200, 200, 429]
    other = APIClient()
    other.force_authenticate(people["gridworker"])
    assert other.get("/api/categories/").status_code == 200
