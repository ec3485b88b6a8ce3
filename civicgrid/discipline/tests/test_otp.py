"""The second factor (双因素登录) over HTTP: a post-holder signed in with a
password only is sent to enter a code before any staff page; a wrong code
is refused on its field; the right one verifies and returns to the page
asked for (one of the channel's, never elsewhere); a new device is
confirmed by its first right code; without a device the page says whom to
ask; and nobody without a post has a verify page at all."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicgrid.discipline import actions

from .conftest import granted, submit, token, verified_login
from .pages import assert_clean_page, audit_count

VERIFY = reverse("discipline:verify")
DESK = reverse("discipline:desk")


@pytest.fixture
def pages(sealed):
    """Every staff page of the district's head and officer, by URL (a GET
    of a page that only takes a POST is sent to verify all the same)."""
    report = granted(sealed, submit(sealed.district).report)
    code = actions.code_create(
        body=sealed.district, kind="poster", label="海报", acting_user=sealed["head"]
    )
    number = report.number
    return {
        "officer": [
            DESK,
            reverse("discipline:enter", args=["dl"]),
            reverse("discipline:report_detail", args=[number]),
            reverse("discipline:step", args=[number, "register"]),
            reverse("discipline:identity", args=[number]),
            reverse(
                "discipline:attachment",
                args=[number, "00000000-0000-0000-0000-000000000000"],
            ),
        ],
        "head": [
            reverse("discipline:docket", args=["dl"]),
            reverse("discipline:docket_entry", args=["dl", number]),
            reverse("discipline:rollup", args=["dl"]) + "?year=2026&quarter=2",
            reverse("discipline:codes", args=["dl"]),
            reverse("discipline:code_card", args=["dl", code.pk]),
            reverse("discipline:code_retire", args=["dl", code.pk]),
        ],
        "custodian": [
            reverse("discipline:custody"),
            reverse("discipline:custody_decide", args=[1]),
        ],
    }


@pytest.mark.parametrize("who", ["officer", "head", "custodian"])
def test_a_post_holder_without_the_second_factor_is_sent_to_verify(
    client, sealed, pages, who
):
    client.force_login(sealed[who])
    for url in pages[who]:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            location = urlsplit(response["Location"])
            assert location.path == VERIFY, url
            assert parse_qs(location.query)["next"] == [url], url
            assert_clean_page(response, url)


def test_the_verify_page_asks_for_the_code(client, sealed):
    client.force_login(sealed["officer"])
    response = client.get(f"{VERIFY}?next={DESK}")
    assert response.status_code == 200
    assert "authenticator app" in response.content.decode()
    assert "token" in response.context["form"].fields
    assert response.context["next"] == DESK
    assert_clean_page(response, VERIFY)


def test_a_wrong_code_is_refused_on_its_field(client, sealed):
    officer = sealed["officer"]
    client.force_login(officer)
    device = TOTPDevice.objects.get(user=officer)
    wrong = f"{(int(token(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong, "next": DESK})
    assert response.status_code == 400
    errors = response.context["form"].errors["token"]
    assert "not right" in errors[0]
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get(DESK).status_code == 302
    assert audit_count("signin.verified") == 0


def test_no_code_is_refused_on_its_field(client, sealed):
    client.force_login(sealed["officer"])
    response = client.post(VERIFY, {"token": ""})
    assert response.context["form"].errors["token"]
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_the_right_code_verifies_and_returns_to_the_page_asked_for(client, sealed):
    officer = sealed["officer"]
    report = granted(sealed, submit(sealed.district).report)
    page = reverse("discipline:report_detail", args=[report.number])
    client.force_login(officer)
    sent = client.get(page)
    next_url = parse_qs(urlsplit(sent["Location"]).query)["next"][0]
    device = TOTPDevice.objects.get(user=officer)
    response = client.post(VERIFY, {"token": token(device), "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == page
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert audit_count("signin.verified") == 1
    opened = client.get(page)
    assert opened.status_code == 200
    assert "Second factor accepted." in opened.content.decode()
    # Verified already, the verify page sends straight on.
    again = client.get(f"{VERIFY}?next={DESK}")
    assert again.status_code == 302 and again["Location"] == DESK


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/discipline/desk/",
        "//evil.example/discipline/desk/",
        "http://testserver.evil.example/discipline/",
        "/admin/",
        "/accounts/profile/",
        "javascript:alert(1)",
    ],
)
def test_the_code_never_sends_elsewhere(client, sealed, elsewhere):
    officer = sealed["officer"]
    client.force_login(officer)
    device = TOTPDevice.objects.get(user=officer)
    response = client.post(VERIFY, {"token": token(device), "next": elsewhere})
    assert response.status_code == 302
    assert response["Location"] == DESK


def test_an_unconfirmed_device_is_confirmed_by_its_first_right_code(client, sealed):
    officer = sealed["officer"]
    TOTPDevice.objects.filter(user=officer).delete()
    device = TOTPDevice.objects.create(user=officer, name="new phone", confirmed=False)
    client.force_login(officer)
    page = client.get(VERIFY)
    assert page.context["has_device"]
    response = client.post(VERIFY, {"token": token(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(DESK).status_code == 200


def test_a_post_holder_without_a_device_is_told_to_ask_the_operator(client, sealed):
    officer = sealed["officer"]
    TOTPDevice.objects.filter(user=officer).delete()
    client.force_login(officer)
    response = client.get(VERIFY)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ask the operator" in text
    assert 'name="token"' not in text
    refused = client.post(VERIFY, {"token": "123456"})
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert refused.status_code == 400
    assert client.get(DESK).status_code == 302


def test_another_users_device_does_not_verify(client, sealed):
    """A session that names a device of someone else is not verified."""
    officer, head = sealed["officer"], sealed["head"]
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=head).persistent_id
    session.save()
    assert client.get(DESK).status_code == 302


@pytest.mark.parametrize("verified", [False, True])
def test_nobody_without_a_post_has_a_verify_page(client, people, sealed, verified):
    for user in [*people.values(), sealed["superuser"]]:
        if verified:
            verified_login(client, user)
        else:
            client.force_login(user)
        assert client.get(VERIFY).status_code == 404, user
        device = TOTPDevice.objects.filter(user=user).first()
        code = token(device) if device else "123456"
        assert client.post(VERIFY, {"token": code}).status_code == 404, user
    assert audit_count("signin.verified") == 0


def test_a_signed_out_visitor_is_sent_to_sign_in_first(client, sealed):
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_ended_post_ends_the_desk(client, sealed):
    officer = sealed["officer"]
    verified_login(client, officer)
    assert client.get(DESK).status_code == 200
    actions.post_end(post=officer.discipline_posts.get())
    assert client.get(DESK).status_code == 404
    assert client.get(VERIFY).status_code == 404
