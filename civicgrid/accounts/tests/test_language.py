from __future__ import annotations

from django.urls import reverse


def test_the_default_language_is_simplified_chinese(client, db, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    response = client.get(reverse("accounts:login"))
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_the_browser_language_is_followed(client, db, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    response = client.get(
        reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()


def test_a_users_saved_language_wins_over_the_browser(client, people, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(people["dispatcher"])
    response = client.post(reverse("accounts:profile"), {"language": "en"})
    assert response.status_code == 302
    people["dispatcher"].refresh_from_db()
    assert people["dispatcher"].language == "en"
    client.cookies.clear()
    client.force_login(people["dispatcher"])
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "My roles" in response.content.decode()


def test_an_unknown_language_is_refused(client, people):
    client.force_login(people["dispatcher"])
    response = client.post(reverse("accounts:profile"), {"language": "xx"})
    assert response.status_code == 200
    assert response.context["form"].errors["language"]


def test_staff_switch_language_from_the_header_and_stay_on_their_page(
    client, people, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(people["dispatcher"])
    console = reverse("appeals:console")
    page = client.get(console, follow=True).content.decode()
    assert f'action="{reverse("accounts:language")}"' in page  # in the header
    assert 'value="en"' in page
    response = client.post(
        reverse("accounts:language"), {"language": "en", "next": console}
    )
    assert response.status_code == 302 and response["Location"] == console
    people["dispatcher"].refresh_from_db()
    assert people["dispatcher"].language == "en"
    assert "Log out" in client.get(console, follow=True).content.decode()


def test_the_header_switch_goes_back_only_to_this_site(client, people):
    client.force_login(people["dispatcher"])
    response = client.post(
        reverse("accounts:language"),
        {"language": "en", "next": "https://evil.example/phish"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    refused = client.post(reverse("accounts:language"), {"language": "xx"})
    assert refused.status_code == 302
    people["dispatcher"].refresh_from_db()
    assert people["dispatcher"].language == "en"


def test_signed_out_the_header_switch_does_not_save_on_an_account(client, db):
    response = client.post(reverse("accounts:language"), {"language": "en"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
