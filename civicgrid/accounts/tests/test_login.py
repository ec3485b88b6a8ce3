from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PASSWORD, make_user


@pytest.fixture
def user(db):
    return make_user("tashi", "扎西")


def login(client, username, password):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


def test_login_lands_on_the_home_page_with_a_new_session_id(client, user):
    client.get(reverse("accounts:login"))
    before = client.cookies.get("sessionid")
    response = login(client, "tashi", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    after = client.cookies["sessionid"].value
    assert after and (before is None or before.value != after)


def test_a_wrong_password_says_so_and_keeps_the_user_out(client, user):
    response = login(client, "tashi", "wrong")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(
    client, user, settings
):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert login(client, "tashi", "wrong").status_code == 200
    response = login(client, "tashi", "wrong")
    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    assert "Wait 15 minutes" in response.content.decode()
    response = login(client, "tashi", PASSWORD)
    assert response.status_code == 429
    assert client.get(reverse("accounts:profile")).status_code == 302


def login_from(client, address, username, password):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_the_lock_is_per_account_and_address_so_it_cannot_lock_staff_out(
    client, user, db
):
    """Five wrong passwords from one address lock that address out of that
    account; the member of staff signs in from their own address."""
    make_user("dolma")
    for _ in range(5):
        login_from(client, "10.0.0.1", "tashi", "wrong")
    assert login_from(client, "10.0.0.1", "tashi", PASSWORD).status_code == 429
    assert login_from(client, "10.0.0.2", "tashi", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    # A colleague behind the attacker's address is not locked out either.
    assert login_from(client, "10.0.0.1", "dolma", PASSWORD).status_code == 302


def test_guesses_from_many_addresses_slow_the_account_down_but_never_lock_it(
    client, user, settings
):
    import time_machine

    assert settings.CIVICGRID_LOGIN_SLOWDOWN_AFTER == 10
    assert settings.CIVICGRID_LOGIN_SLOWDOWN_SECONDS == 10
    with time_machine.travel("2026-11-23 09:00 +0800", tick=False) as traveller:
        for n in range(10):  # two wrong passwords each from five addresses
            response = login_from(client, f"10.0.1.{n // 2}", "tashi", "wrong")
            assert "correct username and password" in response.content.decode()
        # Now one check every ten seconds, whoever asks, the right password too.
        slowed = login_from(client, "10.0.2.1", "tashi", PASSWORD)
        assert slowed.status_code == 200
        assert "Try again in 10 seconds" in slowed.content.decode()
        assert client.get(reverse("accounts:profile")).status_code == 302
        traveller.shift(4)
        slowed = login_from(client, "10.0.2.1", "tashi", PASSWORD)
        assert "Try again in 6 seconds" in slowed.content.decode()
        traveller.shift(6)
        # A refused try did not push the next one back; a guess does.
        assert (
            "correct username"
            in login_from(client, "10.0.1.9", "tashi", "wrong").content.decode()
        )
        assert (
            "Try again in 10"
            in login_from(client, "10.0.2.1", "tashi", PASSWORD).content.decode()
        )
        traveller.shift(10)
        assert login_from(client, "10.0.2.1", "tashi", PASSWORD).status_code == 302
    # Another account is not slowed down.
    client.post(reverse("accounts:logout"))
    make_user("dolma")
    assert login_from(client, "10.0.1.0", "dolma", PASSWORD).status_code == 302


def test_every_failure_is_kept_with_its_address(client, user):
    from axes.models import AccessAttempt, AccessFailureLog

    login_from(client, "10.0.0.1", "tashi", "wrong")
    login_from(client, "10.0.0.2", "tashi", "wrong")
    login_from(client, "10.0.0.2", "tashi", PASSWORD)
    failures = AccessFailureLog.objects.filter(username="tashi")
    assert sorted(failures.values_list("ip_address", flat=True)) == [
        "10.0.0.1",
        "10.0.0.2",
    ]
    # A success resets the count of its address only.
    assert AccessAttempt.objects.get(ip_address="10.0.0.1").failures_since_start == 1


def test_a_success_before_the_limit_resets_the_count(client, user):
    for _ in range(4):
        login(client, "tashi", "wrong")
    assert login(client, "tashi", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert login(client, "tashi", "wrong").status_code == 200
    assert login(client, "tashi", PASSWORD).status_code == 302


def test_logout_needs_a_post_and_ends_the_session(client, user):
    login(client, "tashi", PASSWORD)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_change_password(client, user):
    login(client, "tashi", PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-and-long-pass-42",
            "new_password2": "a-new-and-long-pass-42",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-and-long-pass-42")
    # The session survives the change (Django updates its hash).
    assert client.get(reverse("home")).status_code == 200


def test_change_password_refuses_a_weak_one_naming_the_field(client, user):
    login(client, "tashi", PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_idle_hour_ends_the_session_and_activity_keeps_it(client, user):
    import time_machine

    with time_machine.travel("2026-11-23 09:00 +0800", tick=False) as traveller:
        login(client, "tashi", PASSWORD)
        traveller.shift(59 * 60)
        assert client.get(reverse("accounts:profile")).status_code == 200
        traveller.shift(59 * 60)  # active a minute ago: the hour starts again
        assert client.get(reverse("accounts:profile")).status_code == 200
        traveller.shift(61 * 60)
        response = client.get(reverse("accounts:profile"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_stored_passwords_are_argon2_hashes(user, settings):
    from config.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user.set_password("a-new-and-long-pass-42")
    user.save()
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("a-new-and-long-pass-42")
