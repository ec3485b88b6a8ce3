"""A grid worker on a phone opens a component of their grid (the list is
cards), marks it damaged with a note and reports a problem with it: a patrol
appeal at its place, linked and shown on the component's page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civicgrid.appeals.tests.conftest import catalogue  # noqa: F401
from civicgrid.ledger.models import ComponentAppeal
from civicgrid.ledger.tests.conftest import make_component
from tests.browser.conftest import screenshot
from tests.browser.test_grid_worker_phone import log_in
from tests.browser.test_phone_lists import cards_are_readable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_a_grid_worker_marks_a_component_damaged_and_reports_it_on_a_phone(
    phone,
    people,
    street,
    departments,
    catalogue,  # noqa: F811
    settings,
):
    settings.LANGUAGE_CODE = "zh-hans"
    grid = street.grids["e1"]
    lamp = make_component(
        grid, "0120", code="0120001001001", department=departments["cg"]
    )
    make_component(grid, "0302", code="0302001001001", department=departments["cg"])
    page = phone
    log_in(page, "gridworker")
    page.goto(page.base_url + "/ledger/components/")
    cards_are_readable(page, "table.list", 2)
    page.locator("tr", has_text="0120001001001").locator("a").click()
    page.wait_for_url(f"**/ledger/components/{lamp.pk}/")
    assert page.locator("h1").inner_text().startswith("路灯")

    page.select_option("select[name=state]", "damaged")
    page.fill("input[name=note]", "灯罩碎了，夜里不亮")
    page.click("text=保存状态")
    assert "部件0120001001001当前状态：损坏。" in page.locator(".messages").inner_text()

    page.click("text=上报问题")
    # The kind says which category: a street lamp's is 路灯不亮.
    chosen = page.locator("select[name=category] option:checked").inner_text()
    assert chosen.endswith("路灯不亮")
    page.fill("textarea[name=description]", "路口路灯整夜不亮，行人看不清路")
    page.click("text=提交诉求")
    message = page.locator(".messages").inner_text()
    link = ComponentAppeal.objects.select_related("appeal").get(component=lamp)
    assert link.appeal.tracking_code in message
    assert link.appeal.channel == "patrol" and link.appeal.grid == grid
    assert link.appeal.tracking_code in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot = screenshot(page, "ledger-places-component-phone")
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, DOCS / "ledger-places-component-phone.png")
