"""The signed-in devices page and the street choice on a phone (390 × 844)."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from civicgrid.accounts.actions import device_token_issue
from civicgrid.org.geometry import to_geojson
from civicgrid.org.models import Area
from conftest import make_area
from tests.browser.conftest import screenshot
from tests.browser.test_grid_worker_phone import log_in
from tests.browser.test_phone_lists import cards_are_readable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_dispatcher_lists_and_signs_out_a_device_on_a_phone(phone, people, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    device_token_issue(user=people["dispatcher"], label="次仁的手机（华为 Mate 60）")
    device_token_issue(user=people["dispatcher"], label="指挥中心平板")
    page = phone
    log_in(page, "dispatcher")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/accounts/devices/")
    cards_are_readable(page, "table.devices", 2)
    assert "指挥中心平板" in page.locator("table.devices").inner_text()
    screenshot(page, "devices-phone")
    page.locator("table.devices tbody tr").filter(has_text="指挥中心平板").locator(
        "button"
    ).click()
    page.wait_for_load_state()
    assert "指挥中心平板 已退出登录" in page.content()
    cards_are_readable(page, "table.devices", 1)
    screenshot(page, "devices-signed-out-phone")


def test_with_two_streets_a_resident_chooses_on_a_phone(phone, street, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.CIVICGRID_DEFAULT_STREET = ""
    make_area(
        "540103002",
        "乃琼街道",
        Area.Level.STREET,
        street.district,
        to_geojson(box(91.05, 29.6, 91.07, 29.62)),
    )
    page = phone
    page.goto(page.base_url + "/report/")
    choice = page.locator("nav.street-choice")
    assert choice.is_visible()
    assert choice.locator("a").all_inner_texts() == ["东嘎街道", "乃琼街道"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "report-choose-street-phone")
    choice.locator("a", has_text="乃琼街道").click()
    page.wait_for_url(page.base_url + "/report/street/540103002/")
    assert "乃琼街道" in page.locator("main").inner_text()
    page.goto(page.base_url + "/metrics/digest/")
    assert page.locator("nav.street-choice a").count() == 2
    screenshot(page, "digest-choose-street-phone")
