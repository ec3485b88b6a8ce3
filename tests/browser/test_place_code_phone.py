"""扫码报事 in the browser: a grid worker prints a street lamp's code; a
resident's phone opens its link — the form at the lamp, its category chosen,
in Chinese and in Tibetan — reports in three steps, and shares the page."""

from __future__ import annotations

import pytest

from civicgrid.appeals.jobs import register_submissions
from civicgrid.appeals.models import Appeal, CaseEvent
from civicgrid.ledger.models import Component
from tests.browser.conftest import PHONE, give_contact, screenshot
from tests.browser.test_grid_worker_phone import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lamps_code_opens_the_report_form_at_the_lamp(
    browser, live_server, people, street, lamp, settings, tmp_path
):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVICGRID_PUBLIC_URL = live_server.url
    post = Component.objects.create(
        grid=street.grids["e1"],
        subclass="0120",
        code="0120001001001",
        lon=91.0042,
        lat=29.6047,
    )

    # The grid worker prints the lamp's card from its page in the ledger.
    staff = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = staff.new_page()
    page.base_url = live_server.url
    log_in(page, "gridworker")
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/ledger/components/{post.pk}/")
    page.click("text=报事码")
    page.wait_for_selector("#place-card img")
    assert "这里有问题？扫码告诉街道。" in page.inner_text("#place-card")
    link = page.inner_text(".place-code-link").strip()
    assert link.startswith(live_server.url + "/report/at/")
    screenshot(page, "place-code-card")
    staff.close()

    for language in ("bo", "zh-hans"):
        resident = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN"
        )
        resident.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        phone = resident.new_page()
        phone.goto(link)
        phone.wait_for_selector(".leaflet-marker-icon", state="attached")
        assert "0120001001001" in phone.inner_text("#scanned-place")
        # The pin is at the lamp, the category the lamp's.
        assert phone.input_value("input[name=latitude]") == "29.604700"
        assert phone.input_value("input[name=longitude]") == "91.004200"
        chosen = phone.locator("select[name=category] option:checked")
        assert chosen.get_attribute("value") == str(lamp.pk)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(phone, f"place-code-report-phone-{language}")
        # Step 2 shows the map at the lamp, up close.
        phone.fill("textarea[name=description]", "路灯不亮了，晚上很黑。")
        phone.click("[data-step=next]")
        phone.wait_for_selector(".leaflet-marker-icon")
        marker = phone.locator(".leaflet-marker-icon").bounding_box()
        frame = phone.locator("#pick-map").bounding_box()
        assert marker is not None and frame is not None
        middle = marker["x"] + marker["width"] / 2 - frame["x"]
        assert abs(middle - frame["width"] / 2) < 30, (marker, frame)
        screenshot(phone, f"place-code-map-phone-{language}")
        phone.click("[data-step=back]")
        if language == "bo":
            resident.close()
            continue

        # The share button shares this page's public link, nobody's report.
        share = phone.locator(".share-button")
        assert share.get_attribute("data-share-url") == link
        share.click()
        phone.wait_for_function(
            "document.querySelector('.share-status').textContent.trim() !== ''"
        )

        phone.click("text=下一步")
        phone.click("text=下一步")
        give_contact(phone)
        phone.click("main button[type=submit]")
        phone.wait_for_selector("#tracking-code")
        resident.close()

    assert register_submissions() == 1
    appeal = Appeal.objects.get()
    assert appeal.category == lamp
    assert appeal.address == str(post)
    submitted = CaseEvent.objects.get(appeal=appeal, action="submit")
    assert submitted.data["place"] == f"component:{post.pk}"
