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
