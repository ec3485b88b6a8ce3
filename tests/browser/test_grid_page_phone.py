"""A grid worker opens their grid's page on a phone: the map fills the screen's
width, the open appeals are pins coloured by their deadline whose popups lead
to the appeal, the lists are cards, the rates below; and the same page on a
desk."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from civicgrid.appeals import actions
from civicgrid.appeals.actions import AppealInput, Unit
from civicgrid.appeals.models import Category, Channel
from civicgrid.appeals.tests.conftest import (  # noqa: F401
    bring,
    catalogue,
    staff,
    submit,
)
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.browser.test_grid_worker_phone import log_in
from tests.browser.test_phone_lists import cards_are_readable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
PINS = "#grid-map path.appeal-pin"


def handled(make, people, departments, latitude: float, longitude: float, sign=False):
    """An appeal at the point, dispatched to 城管局 (and signed for)."""
    appeal = make(latitude=latitude, longitude=longitude)
    actions.appeal_accept(appeal=appeal, acting_user=people["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=people["dispatcher"],
        lead=Unit(department=departments["cg"]),
    )
    if sign:
        actions.assignment_sign(
            assignment=appeal.assignments.get(role="lead"),
            acting_user=people["handler_cg"],
        )
    return appeal


@pytest.fixture
def grid_work(staff, street, departments, submit, time_machine):  # noqa: F811
    """As on Wednesday 11 March 2026, 15:00: in 东嘎一网格 one appeal overdue,
    one due soon, one in time, and a patrol finding just reported."""
    time_machine.move_to(START, tick=False)
    overdue = handled(submit, staff, departments, 29.6035, 91.0062)
    time_machine.move_to(START + timedelta(days=7), tick=False)
    due_soon = handled(submit, staff, departments, 29.6081, 91.0074, sign=True)
    time_machine.move_to(START + timedelta(days=7, hours=53.5), tick=True)
    in_time = handled(submit, staff, departments, 29.6052, 91.0024)
    finding, _created = actions.appeal_submit(
        data=AppealInput(
            description="巡查发现井盖缺失，已设置警示。",
            street=street.street,
            channel=Channel.PATROL,
            kind="report",
            address="东嘎社区2号路口",
            latitude=29.6072,
            longitude=91.0031,
        ),
        acting_user=staff["gridworker"],
    )
    # A category's name is data: the popup must show it as text.
    Category.objects.filter(pk=overdue.category_id).update(
        name='<img id="xss" src="x" onerror="window.pwned=1">路灯不亮'
    )
    return {
        "overdue": overdue,
        "due_soon": due_soon,
        "in_time": in_time,
        "finding": finding,
    }


def test_a_grid_worker_reads_their_grid_on_a_phone(
    phone,
    browser,
    live_server,
    staff,  # noqa: F811
    street,
    grid_work,
    settings,
):
    settings.LANGUAGE_CODE = "zh-hans"
    page = phone
    log_in(page, "gridworker")
    page.wait_for_url(page.base_url + "/")
    grid = street.grids["e1"]
    page.click(f"a[href='/metrics/areas/{grid.code}/']")
    page.wait_for_selector(PINS)
    page.evaluate("() => document.fonts.ready")

    assert page.locator("h1").inner_text().startswith("东嘎一网格")
    pins = page.locator(PINS)
    assert pins.count() == 4
    assert page.locator(f"{PINS}.pin-overdue").count() == 1
    assert page.locator(f"{PINS}.pin-due_soon").count() == 1
    assert page.locator(f"{PINS}.pin-open").count() == 2
    # The map takes the screen's width but for the margins, and about half
    # its height: the lists begin on the first screen.
    box = page.locator("#grid-map").bounding_box()
    assert box is not None and box["width"] >= 330 and 280 <= box["height"] <= 460
    # Every pin is on the map as drawn, not off its edge.
    for n in range(pins.count()):
        pin = pins.nth(n).bounding_box()
        assert pin is not None
        assert (
            box["x"] <= pin["x"] and pin["x"] + pin["width"] <= box["x"] + box["width"]
        )
        assert (
            box["y"] <= pin["y"]
            and pin["y"] + pin["height"] <= box["y"] + box["height"]
        )
    cards_are_readable(page, "table.grid-appeals", 4)
    cards_are_readable(page, "table.findings", 1)
    assert "巡查发现" not in page.locator("table.findings").inner_text()
    assert "扎西" in page.locator("table.findings").inner_text()
    assert page.locator("table.rates").is_visible()
    assert "卓玛" not in page.content()
    screenshot(page, "grid-page-phone")

    page.locator(f"{PINS}.pin-overdue").click()
    popup = page.locator(".leaflet-popup .pin-popup")
    popup.wait_for()
    # Faded in and panned into the map.
    page.wait_for_function(
        """() => {
          const popup = document.querySelector('.leaflet-popup');
          const map = document.getElementById('grid-map').getBoundingClientRect();
          const box = popup.getBoundingClientRect();
          return getComputedStyle(popup).opacity === '1'
            && box.left >= map.left && box.right <= map.right;
        }"""
    )
    overdue = grid_work["overdue"]
    assert popup.locator("a.code").inner_text() == overdue.tracking_code
    assert "已超期" in popup.inner_text()
    assert '<img id="xss"' in popup.inner_text()
    assert page.locator("#xss").count() == 0
    assert page.evaluate("window.pwned === undefined")
    # The popup as the phone shows it: the screen, not the whole page.
    page.screenshot(path=str(SCREENSHOTS / "grid-page-popup-phone.png"))
    popup.locator("a.code").click()
    page.wait_for_url(page.base_url + f"/console/appeals/{overdue.pk}/")

    desk = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = desk.new_page()
    page.base_url = live_server.url
    log_in(page, "gridworker")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + f"/metrics/areas/{grid.code}/")
    page.wait_for_selector(PINS)
    page.evaluate("() => document.fonts.ready")
    assert page.locator(PINS).count() == 4
    screenshot(page, "grid-page-desktop")
    desk.close()
