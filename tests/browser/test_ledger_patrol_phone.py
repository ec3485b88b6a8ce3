"""A grid worker's patrol on a phone (390×844, Chinese, location shared): start
it, record a 社情民意 item heard on the way in two taps, end it, and see the
route and the finding on the patrol's page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civicgrid.ledger.models import Opinion, Patrol
from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_grid_worker_phone import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
INSIDE_E1 = {"latitude": 29.605, "longitude": 91.005}


@pytest.fixture
def located_phone(browser, live_server):
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        geolocation=INSIDE_E1,
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def test_a_grid_worker_records_what_they_heard_on_patrol_in_two_taps(
    located_phone, people, street, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    page = located_phone
    log_in(page, "gridworker")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/ledger/patrols/")
    page.select_option("select[name=grid]", str(street.grids["e1"].pk))
    # The form takes the phone's point once the browser has shared it.
    page.wait_for_function("document.querySelector('input[name=lon]').value !== ''")
    page.click("#start-patrol")
    page.wait_for_selector("#patrol-tracker", state="attached")
    patrol = Patrol.objects.get()
    assert patrol.ended_at is None and len(patrol.route) >= 1

    page.click("#finding-opinion summary")  # one tap opens the form
    page.fill("textarea[name=text]", "骑手反映附近没有充电的地方，只能回出租屋充电。")
    page.wait_for_function(
        "document.querySelector('#finding-opinion input[name=lat]').value !== ''"
    )
    page.click("#record-opinion")  # the second records it
    page.wait_for_selector(".messages")
    assert "已在东嘎一网格记录一条社情民意" in page.locator(".messages").inner_text()
    opinion = Opinion.objects.get()
    assert opinion.source == "patrol" and opinion.grid == street.grids["e1"]
    assert (opinion.lon, opinion.lat) == (91.005, 29.605)
    assert list(patrol.opinions.all()) == [opinion]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot = screenshot(page, "ledger-opinion-patrol-phone")
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, DOCS / "ledger-opinion-patrol-phone.png")

    page.fill("textarea[name=summary]", "巡查一圈，未发现安全隐患。")
    page.click("#end-patrol")
    page.wait_for_selector(".messages")
    assert "巡查已结束" in page.locator(".messages").inner_text()
    patrol.refresh_from_db()
    assert patrol.ended_at is not None
    assert page.locator("#patrol-map .leaflet-interactive").count() >= 1
    assert "骑手反映" in page.locator(".findings").inner_text()
    screenshot(page, "ledger-patrol-ended-phone")
