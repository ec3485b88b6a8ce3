"""Client systems managed in the admin: registered, shown their key once,
given a new one, revoked; the use log for superusers only."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages

from civicgrid.api.clients import client_for_key
from civicgrid.api.models import ApiClient

pytestmark = pytest.mark.django_db
KEY = re.compile(r"cg_[\w-]{40,}")


def shown_key(response) -> str:
    (key,) = {
        found
        for message in get_messages(response.wsgi_request)
        for found in KEY.findall(str(message))
    }
    return key


def test_a_client_is_registered_with_its_own_account_and_its_key_shown_once(
    admin_client,
):
    response = admin_client.post(
        "/admin/api/apiclient/add/",
        {"name": "12345 热线平台", "rate_per_minute": "60", "contact": "", "note": ""},
    )
    assert response.status_code == 302
    key = shown_key(response)
    client = ApiClient.objects.get()
    assert client.user.username.startswith("api-")
    assert not client.user.has_usable_password()
    assert client_for_key(key) == client
    assert key not in str(ApiClient.objects.values().get())  # only its hash
    # The next page shows it; no page after that.
    assert key in admin_client.get("/admin/api/apiclient/").content.decode()
    page = admin_client.get(f"/admin/api/apiclient/{client.pk}/change/")
    assert key not in page.content.decode()


def test_a_new_key_replaces_the_old_and_revoking_stops_it(admin_client):
    admin_client.post(
        "/admin/api/apiclient/add/",
        {"name": "城管案件系统", "rate_per_minute": "60", "contact": "", "note": ""},
    )
    admin_client.get("/admin/api/apiclient/")  # the first key, shown
    client = ApiClient.objects.get()
    old = client.key_hash
    response = admin_client.post(
        "/admin/api/apiclient/",
        {"action": "issue_new_key", "_selected_action": [client.pk]},
    )
    new_key = shown_key(response)
    client.refresh_from_db()
    assert client.key_hash != old and client_for_key(new_key) == client
    admin_client.post(
        "/admin/api/apiclient/",
        {"action": "revoke", "_selected_action": [client.pk]},
    )
    client.refresh_from_db()
    assert client.revoked_at is not None and not client.usable


def test_the_use_log_is_for_superusers_only(client, people):
    staff = people["dispatcher"]
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/api/apiclientuse/").status_code == 403
