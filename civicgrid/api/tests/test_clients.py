"""Client systems on the REST API: their keys, their rate, their log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civicgrid.accounts.actions import device_token_issue
from civicgrid.accounts.models import DeviceToken
from civicgrid.api.actions import forget_old_requests
from civicgrid.api.clients import api_client_create, api_client_revoke
from civicgrid.api.models import ApiClientUse, IdempotentRequest
from civicgrid.core import clock

pytestmark = pytest.mark.django_db


def statuses() -> list[int]:
    return list(ApiClientUse.objects.order_by("pk").values_list("status", flat=True))


def test_a_client_key_authenticates_and_every_use_is_logged(client):
    _app, key = api_client_create(name="12345 热线平台")
    assert (
        client.get("/api/whistles/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code
        == 200
    )
    assert client.get("/api/whistles/", HTTP_X_API_KEY=key).status_code == 200
    wrong = client.get("/api/whistles/", HTTP_AUTHORIZATION="Api-Key cg_nope")
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "not_authenticated"
    assert statuses() == [200, 200]  # a key that is nobody's is no client's use


def test_a_revoked_key_and_its_token_stop_at_once(client):
    app, key = api_client_create(name="城管案件系统")
    device, token = device_token_issue(user=app.user)
    api_client_revoke(client=app)
    refused = client.get("/api/whistles/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert refused.status_code == 401
    assert "revoked" in refused.json()["error"]["message"]
    assert not DeviceToken.objects.filter(pk=device.pk).exists()
    assert (
        client.get("/api/whistles/", HTTP_AUTHORIZATION=f"Token {token}").status_code
        == 401
    )
    assert statuses() == [401]


def test_a_client_whose_account_was_disabled_is_refused(client):
    app, key = api_client_create(name="微信小程序")
    app.user.is_active = False
    app.user.save()
    assert client.get("/api/whistles/", HTTP_X_API_KEY=key).status_code == 401


def test_a_client_has_its_own_rate_and_gets_it_back(client, time_machine, settings):
    app, key = api_client_create(name="12345 热线平台", rate_per_minute=2)
    time_machine.move_to(clock.now(), tick=False)
    first = [client.get("/api/whistles/", HTTP_X_API_KEY=key) for _n in range(3)]
    assert [r.status_code for r in first] == [200, 200, 429]
    assert first[2]["Retry-After"] == "60"
    assert first[2].json()["error"]["code"] == "throttled"
    time_machine.shift(timedelta(seconds=61))
    assert client.get("/api/whistles/", HTTP_X_API_KEY=key).status_code == 200
    assert statuses() == [200, 200, 429, 200]


def test_old_idempotency_answers_and_uses_are_forgotten(client, people, time_machine):
    app, key = api_client_create(name="12345 热线平台")
    client.get("/api/whistles/", HTTP_X_API_KEY=key)
    IdempotentRequest.objects.create(
        user=people["dispatcher"],
        key="k",
        endpoint="POST /x",
        request_hash="h",
        status_code=201,
        body={"id": 1},
    )
    assert forget_old_requests() == 0
    time_machine.move_to(clock.now() + timedelta(hours=25), tick=False)
    assert forget_old_requests() == 1
    assert ApiClientUse.objects.count() == 1  # the log is kept far longer
    time_machine.move_to(clock.now() + timedelta(days=401), tick=False)
    assert forget_old_requests() == 1
    assert not ApiClientUse.objects.exists()
