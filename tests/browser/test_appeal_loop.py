"""The whole 接诉即办 loop in a real browser: a resident on a phone reports with a
photo and follows it; the dispatcher dispatches; the handler signs and replies; the
resident rates it; a handler of another department sees nothing."""

from __future__ import annotations

import pytest

from civicgrid.appeals.jobs import register_submissions
from civicgrid.appeals.models import Appeal
from conftest import PASSWORD
from tests.browser.conftest import PHONE, give_contact, pin_the_map, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def test_the_whole_loop(browser, live_server, people, lamp, photo, settings, tmp_path):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.MEDIA_ROOT = tmp_path / "media"

    # A resident on a phone.
    resident = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = resident.new_page()
    page.base_url = live_server.url
    page.goto(live_server.url + "/report/")
    page.fill("textarea[name=description]", "小区门口的路灯坏了三天，晚上很黑。")
    page.select_option("select[name=category]", label="路灯不亮")
    page.set_input_files("input[name=photos]", str(photo))
    assert page.inner_text(".step-progress") == "第 1 步，共 3 步"
    page.click("text=下一步")  # step 2: where
    pin_the_map(page)
    assert page.input_value("input[name=latitude]")
    page.click("text=下一步")  # step 3: who
    give_contact(page)
    screenshot(page, "report-phone")
    page.click("main button[type=submit]")
    page.wait_for_selector("#tracking-code")
    code = page.inner_text("#tracking-code")
    screenshot(page, "report-done-phone")
    page.click("a.button")
    # The resident's own link: the code, and the key in the fragment, which the
    # browser never sends, so no access log holds it.
    my_page = page.url
    assert f"/track/{code}/#key=" in my_page
    # Received at once; the worker registers it moments later, and the page,
    # refreshing itself, then shows the appeal.
    page.wait_for_selector("#pending")
    screenshot(page, "report-pending-phone")
    assert register_submissions() == 1  # the worker's pass
    page.wait_for_selector(".photos img", timeout=10_000)
    appeal = Appeal.objects.get(tracking_code=code)

    # The same link on another phone (no session): the page's script hands the
    # key over by POST and the resident's own forms appear.
    elsewhere = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    second = elsewhere.new_page()
    second.goto(my_page)
    second.wait_for_selector("textarea[name=info-text]")
    # Browsers keep a fragment across the redirect; it stays in the browser.
    assert second.query_selector("#resident-claim") is None
    screenshot(second, "track-resident-claimed-phone")
    elsewhere.close()
    assert appeal.attachments.count() == 1
    assert page.locator(".photos img").count() == 1

    # The dispatcher accepts and dispatches to 城管.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff = desk.new_page()
    staff.base_url = live_server.url
    log_in(staff, "dispatcher")
    staff.goto(live_server.url + "/console/queue/new/")
    staff.click(f"text={code}")
    staff.click("#action-accept summary")
    staff.click("#action-accept button[type=submit]")
    staff.click("#action-dispatch summary")
    staff.click("#action-dispatch button[type=submit]")  # the category's default unit
    appeal.refresh_from_db()
    assert appeal.state == "dispatched"
    detail_url = staff.url

    # The 城管 handler signs for it and replies, on a phone.
    handler_context = browser.new_context(
        viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    handler = handler_context.new_page()
    handler.base_url = live_server.url
    log_in(handler, "handler_cg")
    handler.goto(live_server.url + "/console/queue/to_sign/")
    assert code in handler.content()
    handler.goto(detail_url)
    handler.click("#action-sign summary")
    handler.click("#action-sign button[type=submit]")
    handler.click("#action-reply summary")
    handler.select_option("select[name=reply-template]", label="已修复")
    assert (
        handler.input_value("textarea[name=reply-public_reply]")
        == "您好，您反映的【】已修复。"
    )
    # Sent with the template's blank left: refused, the blank quoted.
    handler.check("input[name=reply-outcome][value=resolved]")
    handler.click("#action-reply button[type=submit]")
    handler.wait_for_selector("text=第一处在“您好，您反映的【】已修复。”")
    appeal.refresh_from_db()
    assert appeal.state == "handling"
    handler.fill(
        "textarea[name=reply-public_reply]", "您好，路灯已更换灯泡，恢复照明。"
    )
    handler.check("input[name=reply-outcome][value=resolved]")
    handler.click("#action-reply button[type=submit]")
    # The page has been answered (and the redirect followed) before it is read.
    handler.wait_for_selector("text=已回复（已解决）")
    appeal.refresh_from_db()
    assert appeal.state == "replied"
    screenshot(handler, "handler-replied-phone")

    # A handler of another department gets nothing.
    other_context = browser.new_context(locale="zh-CN")
    other = other_context.new_page()
    other.base_url = live_server.url
    log_in(other, "handler_zj")
    assert other.goto(detail_url).status == 404
    other.goto(live_server.url + "/console/queue/all/")
    assert code not in other.content()

    # The resident rates it (a fresh load: the session remembers them).
    page.goto(live_server.url + f"/track/{code}/")
    assert "路灯已更换灯泡" in page.content()
    page.check("input[name=callback-resolved][value=yes]")
    page.check("input[name=callback-satisfaction][value=satisfied]")
    page.click("#callback button[type=submit]")
    appeal.refresh_from_db()
    assert appeal.state == "closed" and appeal.satisfaction == "satisfied"
    screenshot(page, "track-closed-phone")
    for context in (resident, desk, handler_context, other_context):
        context.close()
