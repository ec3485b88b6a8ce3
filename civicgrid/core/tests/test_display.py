"""Large text and high contrast (适老化): switches on every page, remembered on
the phone; and the street's hotline at the foot of every page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicgrid.core import display

pytestmark = pytest.mark.django_db


def toggle(client, option: str, back: str = "/report/"):
    return client.post(reverse("display"), {"option": option, "next": back})


def test_large_text_is_switched_on_remembered_and_off_again(client, street):
    answer = toggle(client, "large")
    assert answer.status_code == 302 and answer["Location"] == "/report/"
    cookie = answer.cookies[display.COOKIE]
    assert cookie.value == "large" and cookie["max-age"] == display.COOKIE_AGE
    page = client.get("/report/").content.decode()
    assert '<html lang="en" class="text-large">' in page
    assert 'value="large" class="linklike" aria-pressed="true"' in page
    toggle(client, "contrast")
    assert 'class="text-large contrast-high"' in client.get("/report/").content.decode()
    toggle(client, "large")
    page = client.get("/report/").content.decode()
    assert 'class=" contrast-high"' in page and "text-large" not in page


def test_an_unknown_option_is_refused_and_nothing_is_remembered(client):
    answer = toggle(client, "tiny")
    assert answer.status_code == 400
    assert display.COOKIE not in answer.cookies


def test_the_switch_goes_back_only_to_our_own_pages(client):
    answer = toggle(client, "large", back="https://elsewhere.example/")
    assert answer["Location"] == "/"


def test_the_switch_is_a_post(client):
    assert client.get(reverse("display")).status_code == 405


@pytest.mark.parametrize("url", ["/report/", "/accounts/login/", "/track/"])
def test_the_streets_hotline_is_at_the_foot_of_every_page(
    client, street, settings, url
):
    settings.CIVICGRID_HOTLINE = "0891-6512345"
    page = client.get(url).content.decode()
    assert 'href="tel:08916512345"' in page and "0891-6512345" in page
