"""Signed-in devices (API tokens): each sign-in its own token, kept as a hash,
ending when idle or old, on a new password, a deactivation or a sign-out
everywhere; listed and revoked on /accounts/devices/ and /api/auth/devices/."""

from __future__ import annotations

import hashlib

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from civicgrid.accounts.models import DeviceToken
from conftest import PASSWORD, make_user

NEW_PASSWORD = "a-new-and-long-pass-42"


@pytest.fixture
def user(db):
    return make_user("tashi", "扎西")


class Device(APIClient):
    """A client signed in by token, and the token it was given."""

    token = ""


def sign_in(username="tashi", password=PASSWORD, device="") -> Device:
    response = APIClient().post(
        "/api/auth/token/",
        {"username": username, "password": password, "device": device},
        format="json",
    )
    assert response.status_code == 200, response.json()
    client = Device()
    client.token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {client.token}")
    return client


def works(api: APIClient) -> bool:
    status = api.get("/api/auth/devices/").status_code
    assert status in (200, 401)
    return status == 200


def browser(username="tashi", password=PASSWORD) -> Client:
    client = Client()
    assert (
        client.post(
            reverse("accounts:login"), {"username": username, "password": password}
        ).status_code
        == 302
    )
    return client


def signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:devices")).status_code == 200


def test_every_sign_in_gets_its_own_token_kept_only_as_a_hash(user):
    phone = sign_in(device="扎西的手机")
    tablet = sign_in(device="平板")
    assert phone.token != tablet.token
    assert works(phone) and works(tablet)
    stored = DeviceToken.objects.get(label="扎西的手机")
    assert stored.key_hash == hashlib.sha256(phone.token.encode()).hexdigest()
    assert not DeviceToken.objects.filter(key_hash=phone.token).exists()


def test_a_token_ends_after_idle_days_and_use_keeps_it(user, settings):
    assert settings.CIVICGRID_TOKEN_IDLE_DAYS == 14
    with time_machine.travel("2026-11-23 09:00 +0800", tick=False) as traveller:
        phone = sign_in()
        traveller.shift(13 * 86400)
        assert works(phone)  # used: the fourteen days start again
        traveller.shift(13 * 86400)
        assert works(phone)
        traveller.shift(15 * 86400)
        refused = phone.get("/api/auth/devices/")
        assert refused.status_code == 401
        assert "expired" in refused.json()["error"]["message"]


def test_a_token_ends_at_its_absolute_expiry_however_often_it_is_used(user, settings):
    assert settings.CIVICGRID_TOKEN_MAX_DAYS == 90
    with time_machine.travel("2026-11-23 09:00 +0800", tick=False) as traveller:
        phone = sign_in()
        for _ in range(8):
            traveller.shift(11 * 86400)
            assert works(phone)
        traveller.shift(3 * 86400)  # 91 days after signing in
        assert not works(phone)


def test_a_password_change_ends_every_token_and_other_session(user):
    phone = sign_in()
    other_browser = browser()
    here = browser()
    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert not works(phone)
    assert not signed_in(other_browser)
    assert signed_in(here)
    assert not DeviceToken.objects.filter(user=user).exists()
    # A new sign-in gives a new token that works.
    assert works(sign_in(password=NEW_PASSWORD))


def test_a_password_set_outside_the_pages_ends_the_tokens_too(user):
    phone = sign_in()
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not works(phone)


def test_deactivation_in_the_admin_ends_every_token_and_session_for_good(user):
    admin = make_user("root", is_superuser=True, is_staff=True)
    phone = sign_in()
    session = browser()
    desk = Client()
    desk.force_login(admin)
    page = reverse("admin:accounts_user_change", args=[user.pk])
    form = desk.get(page).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"is_active", "password", "groups"}
    }
    data.update(
        {
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        }
    )
    response = desk.post(page, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert not user.is_active
    assert not works(phone) and not signed_in(session)
    # Activated again, the person signs in afresh; the old ones stay ended.
    user.is_active = True
    user.save(update_fields=["is_active"])
    assert not works(phone) and not signed_in(session)
    assert works(sign_in())


def test_the_api_lists_my_devices_and_revokes_one_or_this_one(user):
    phone = sign_in(device="手机")
    tablet = sign_in(device="平板")
    listed = phone.get("/api/auth/devices/").json()
    assert {d["label"]: d["current"] for d in listed} == {"手机": True, "平板": False}
    tablet_id = next(d["id"] for d in listed if d["label"] == "平板")
    assert phone.delete(f"/api/auth/devices/{tablet_id}/").status_code == 204
    assert not works(tablet)
    assert works(phone)
    assert phone.post("/api/auth/token/revoke/").status_code == 204
    assert not works(phone)


def test_another_persons_device_is_not_found(user):
    make_user("dolma")
    mine = sign_in()
    theirs = sign_in("dolma")
    their_id = theirs.get("/api/auth/devices/").json()[0]["id"]
    missing = mine.delete(f"/api/auth/devices/{their_id}/")
    assert missing.status_code == 404
    assert (
        browser().post(reverse("accounts:device_revoke", args=[their_id])).status_code
        == 404
    )
    assert works(theirs)


def test_the_devices_page_lists_and_signs_out_a_device(user):
    phone = sign_in(device="扎西的手机")
    page = browser()
    listing = page.get(reverse("accounts:devices")).content.decode()
    assert "扎西的手机" in listing
    device = DeviceToken.objects.get(label="扎西的手机")
    done = page.post(reverse("accounts:device_revoke", args=[device.pk]), follow=True)
    assert "扎西的手机 is signed out" in done.content.decode()
    assert not works(phone)
    assert "扎西的手机" not in page.get(reverse("accounts:devices")).content.decode()


def test_sign_out_everywhere_keeps_only_this_session(user):
    phone = sign_in()
    other_browser = browser()
    here = browser()
    done = here.post(reverse("accounts:sign_out_everywhere"), follow=True)
    assert "Every other browser and every device is signed out" in (
        done.content.decode()
    )
    assert signed_in(here)
    assert not signed_in(other_browser)
    assert not works(phone)


def test_the_api_sign_in_is_slowed_down_like_the_page(user, settings):
    settings.CIVICGRID_LOGIN_SLOWDOWN_AFTER = 2
    with time_machine.travel("2026-11-23 09:00 +0800", tick=False):
        for address in ("10.0.0.1", "10.0.0.2"):
            APIClient().post(
                "/api/auth/token/",
                {"username": "tashi", "password": "wrong"},
                format="json",
                REMOTE_ADDR=address,
            )
        slowed = APIClient().post(
            "/api/auth/token/",
            {"username": "tashi", "password": PASSWORD},
            format="json",
            REMOTE_ADDR="10.0.0.3",
        )
    assert slowed.status_code == 400
    assert "Try again in 10 seconds" in slowed.json()["error"]["fields"]["username"][0]
