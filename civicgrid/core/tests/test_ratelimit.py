from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.CIVICGRID_RATE_LIMITS = True
    cache.clear()
    yield
    cache.clear()


def test_an_address_that_floods_the_lookup_gets_429(client, db):
    url = reverse("appeals:track_lookup")
    statuses = [client.post(url, {"code": "ZZZZZZZZZZ"}).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    response = client.post(url, {"code": "ZZZZZZZZZZ"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 60


def test_another_address_is_not_held_back(client, db):
    url = reverse("appeals:track_lookup")
    for _ in range(31):
        client.post(url, {"code": "ZZZZZZZZZZ"}, REMOTE_ADDR="10.0.0.1")
    assert (
        client.post(url, {"code": "ZZZZZZZZZZ"}, REMOTE_ADDR="10.0.0.2").status_code
        == 200
    )


def test_reading_pages_is_not_counted(client, db):
    url = reverse("appeals:track_lookup")
    for _ in range(40):
        assert client.get(url).status_code == 200
