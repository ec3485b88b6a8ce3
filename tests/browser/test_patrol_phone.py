"""A grid worker on patrol, on a phone: the entry form starts on 网格巡查, a
slip in the form keeps the photo, and the finding is in their queue at once."""

from __future__ import annotations

import pytest

from civicgrid.appeals.models import Appeal
from tests.browser.conftest import screenshot
from tests.browser.test_grid_worker_phone import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patrol_finding_keeps_its_photo_through_a_fix_and_lands_in_the_queue(
    phone, people, street, photo, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    page = phone
    log_in(page, "gridworker")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/console/new/")
    assert page.locator("select[name=channel]").input_value() == "patrol"
    # A finding of one's own patrol: nobody to name, no number to leave.
    assert not page.locator("input[name=phone]").is_visible()
    page.select_option("select[name=channel]", "phone")  # a call after all
    assert page.locator("input[name=phone]").is_visible()
    page.select_option("select[name=channel]", "patrol")
    assert not page.locator("input[name=phone]").is_visible()
    page.select_option("select[name=kind]", "report")
    page.fill("input[name=address]", "东嘎社区2号路口")
    page.set_input_files("input[name=photos]", str(photo))
    page.click("main button[type=submit]")  # the description was forgotten

    kept = page.locator(".kept-photos")
    kept.wait_for()
    assert "已保留 1 张照片" in kept.inner_text()
    assert kept.locator("img").evaluate("img => img.naturalWidth") > 0
    assert page.locator("#id_description + .errorlist, .has-error").count() >= 1
    screenshot(page, "patrol-photo-kept-phone")

    page.fill("textarea[name=description]", "巡查发现井盖缺失，已设置警示。")
    page.click("main button[type=submit]")
    page.wait_for_selector(".photos img")
    appeal = Appeal.objects.get()
    assert appeal.channel == "patrol" and appeal.attachments.count() == 1
    assert appeal.tracking_code in page.locator("h1").inner_text()

    page.goto(page.base_url + "/console/")
    assert page.locator(f"table.appeals a:has-text('{appeal.tracking_code}')").count()
    assert "巡查发现" in page.locator("table.appeals").inner_text()
