"""A grid worker's own work on a phone (390 × 844): 就地处置 from the patrol
page — a slip keeps the photo taken before, the finding closes for the grid,
and its tracking page shows the photos before and after — and 核查, asked by
the dispatcher and recorded on site."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal
from civicgrid.appeals.tests.conftest import (  # noqa: F401
    bring,
    catalogue,
    staff,
    submit,
)
from tests.browser.conftest import screenshot
from tests.browser.test_grid_worker_phone import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def picture(folder: Path, name: str, color: tuple[int, int, int]) -> Path:
    path = folder / name
    Image.new("RGB", (800, 600), color).save(path, "JPEG")
    return path


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width


def test_a_finding_dealt_with_on_the_spot_from_a_phone(
    phone,
    staff,  # noqa: F811
    street,
    settings,
    tmp_path,  # noqa: F811
):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.MEDIA_ROOT = tmp_path / "media"
    before = picture(tmp_path, "before.jpg", (120, 90, 60))
    after = picture(tmp_path, "after.jpg", (60, 160, 80))
    page = phone
    log_in(page, "gridworker")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/console/new/")
    page.click("a:has-text('发现并已就地处置')")
    page.wait_for_url("**/console/on-site/")
    page.select_option("select[name=grid]", str(street.grids["e1"].pk))
    page.select_option("select[name=kind]", "report")
    page.fill("textarea[name=description]", "巡查发现人行道井盖松动。")
    page.fill("input[name=address]", "东嘎社区2号路口")
    page.set_input_files("input[name=before_photos]", str(before))
    page.fill("textarea[name=note]", "已重新固定井盖并清理周边。")
    page.click("main button[type=submit]")  # the photo after was forgotten

    kept = page.locator(".kept-photos[data-field=before_photos]")
    kept.wait_for()
    assert "已保留 1 张照片" in kept.inner_text()
    assert kept.locator("img").evaluate("img => img.naturalWidth") > 0
    assert "请添加处置后的照片" in page.locator("#report-form").inner_text()
    no_sideways_scroll(page)
    screenshot(page, "on-site-photo-kept-phone")

    page.set_input_files("input[name=after_photos]", str(after))
    page.click("main button[type=submit]")
    page.wait_for_selector("h1 .badge.state-closed")
    appeal = Appeal.objects.get()
    assert appeal.close_reason == "on_site" and appeal.attachments.count() == 2
    assert "已登记为就地处置" in page.locator(".messages, main").first.inner_text()
    timeline = page.locator("ol.timeline").inner_text()
    assert "就地处置并办结" in timeline and "扎西（东嘎一网格）" in timeline
    no_sideways_scroll(page)
    screenshot(page, "on-site-closed-phone")

    page.goto(page.base_url + "/console/queue/my_grids/")
    assert page.locator("nav.tabs a.current").inner_text().startswith("本网格")
    assert page.locator(f"table.appeals a:has-text('{appeal.tracking_code}')").count()
    no_sideways_scroll(page)
    screenshot(page, "console-my-grids-phone")

    page.goto(page.base_url + f"/track/{appeal.tracking_code}/")
    page.wait_for_selector(".photo-caption.after")
    assert page.locator(".photo-caption.before").inner_text() == "处置前"
    assert page.locator(".photo-caption.after").inner_text() == "处置后"
    images = page.locator("ol.timeline .photos img")
    assert images.count() == 2
    assert all(images.nth(n).evaluate("img => img.naturalWidth") > 0 for n in range(2))
    no_sideways_scroll(page)
    screenshot(page, "on-site-track-phone")


def test_a_check_on_site_recorded_from_a_phone(
    phone,
    staff,  # noqa: F811
    street,
    departments,
    submit,  # noqa: F811
    settings,
    tmp_path,  # noqa: F811
):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.MEDIA_ROOT = tmp_path / "media"
    scene = picture(tmp_path, "scene.jpg", (40, 90, 160))
    appeal = submit(
        channel="patrol", name="", phone="", acting_user=staff["gridworker"]
    )
    dispatcher = staff["dispatcher"]
    actions.appeal_accept(appeal=appeal, acting_user=dispatcher)
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=dispatcher,
        lead=Unit(department=departments["cg"]),
    )
    share = appeal.assignments.get()
    actions.assignment_sign(assignment=share, acting_user=staff["handler_cg"])
    actions.appeal_reply(
        assignment=share,
        acting_user=staff["handler_cg"],
        outcome="resolved",
        public_reply="已更换灯泡。",
    )
    appeal.refresh_from_db()
    actions.verification_request(
        appeal=appeal,
        acting_user=dispatcher,
        grid_worker=staff["gridworker"],
        note="夜间看看路灯是否亮了",
    )

    page = phone
    log_in(page, "gridworker")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/console/queue/to_verify/")
    assert page.locator("nav.tabs a.current").inner_text().startswith("待核查")
    page.click(f"a:has-text('{appeal.tracking_code}')")
    page.wait_for_selector("#action-verify")
    assert "夜间看看路灯是否亮了" in page.locator(".verification-pending").inner_text()
    page.click("#action-verify summary")
    page.check("input[name=verify-passed][value=passed]")
    page.fill("textarea[name=verify-note]", "夜间查看，路灯已亮。")
    page.set_input_files("input[name=verify-photos]", str(scene))
    no_sideways_scroll(page)
    screenshot(page, "verify-form-phone")
    page.click("#action-verify button[type=submit]")
    page.wait_for_selector("h1 .badge.state-closed")
    assert "核查结案" in page.content()
    timeline = page.locator("ol.timeline").inner_text()
    assert "现场核查：通过" in timeline and "扎西（东嘎一网格）" in timeline
    checked = page.locator("ol.timeline .photos img").last
    checked.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=checked.element_handle()
    )
    no_sideways_scroll(page)
    screenshot(page, "verify-closed-phone")
    appeal.refresh_from_db()
    assert appeal.state == "closed" and appeal.close_reason == "verified"
