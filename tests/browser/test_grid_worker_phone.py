from __future__ import annotations

import pytest

from conftest import PASSWORD
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def test_a_grid_worker_on_a_phone_logs_in_and_opens_their_grid_map(
    phone, people, street, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    page = phone
    page.goto(page.base_url + "/console/")
    assert "/accounts/login/" in page.url
    screenshot(page, "login-phone")

    log_in(page, "gridworker")
    page.wait_for_url(page.base_url + "/")
    assert page.locator("h1").inner_text() == "您好，扎西"
    assert page.locator(".roles .badge").count() == 2
    screenshot(page, "home-grid-worker-phone")

    page.click(f"a[href='/org/areas/{street.grids['e1'].code}/'] >> nth=0")
    # The roles' link to the grid leads to the grid's own page.
    page.wait_for_selector("#grid-map path.leaflet-interactive")
    assert page.locator("#grid-map path.leaflet-interactive").count() == 1
    screenshot(page, "grid-map-phone")

    # The neighbouring grid is not theirs: a 404, not a map.
    response = page.goto(page.base_url + f"/org/areas/{street.grids['w1'].code}/")
    assert response is not None and response.status == 404


def test_a_wrong_password_five_times_locks_the_account_in_the_browser(
    phone, people, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    page = phone
    for _ in range(5):
        log_in(page, "dispatcher", "wrong-password")
    assert "账号已锁定" in page.content()
    screenshot(page, "locked-out-phone")
    log_in(page, "dispatcher")
    assert "账号已锁定" in page.content()


def test_area_names_on_the_map_are_shown_as_text_not_markup(phone, people, street):
    east = street.east
    east.name = '<img id="xss" src="x" onerror="window.pwned=1">东嘎'
    east.save(update_fields=["name"])
    page = phone
    log_in(page, "dispatcher")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + f"/org/areas/{street.street.code}/")
    page.wait_for_selector("#area-map path.leaflet-interactive")
    page.evaluate(
        "window.CivicGridMap.maps.forEach(m => m.eachLayer(l => l.openTooltip && "
        "l.getTooltip && l.getTooltip() && l.openTooltip()))"
    )
    tooltips = page.locator(".leaflet-tooltip")
    assert tooltips.count() >= 1
    assert any('<img id="xss"' in text for text in tooltips.all_inner_texts())
    assert page.locator("#xss").count() == 0
    assert page.evaluate("window.pwned === undefined")
