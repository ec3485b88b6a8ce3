"""改派 from the console on a phone: the dispatcher opens an appeal dispatched to
the wrong unit, reassigns it with a reason, and reads what happened; the new
unit sees it to sign, the old one no longer does. Then the 待审批 tabs with
their counts (var/screenshots/reassign-*.png, approval-queue-phone.png)."""

from __future__ import annotations

import pytest

from civicgrid.appeals import actions
from civicgrid.appeals.tests.conftest import (  # noqa: F401
    bring,
    catalogue,
    staff,
    submit,
)
from tests.browser.conftest import screenshot
from tests.browser.test_appeal_loop import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to(page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def test_the_dispatcher_reassigns_a_share_from_the_console_on_a_phone(
    phone,
    bring,  # noqa: F811
    staff,  # noqa: F811
    departments,
    settings,
):
    settings.LANGUAGE_CODE = "zh-hans"
    appeal = bring("dispatched")
    log_in(phone, "dispatcher")
    phone.goto(f"{phone.base_url}/console/appeals/{appeal.pk}/")

    phone.locator("#action-reassign summary").click()
    form = phone.locator("#action-reassign form")
    form.get_by_label("改派至").select_option(label="住建局")
    form.get_by_label("改派原因").fill("路灯杆属住建局管养")
    screenshot(phone, "reassign-form-phone")
    form.get_by_role("button").click()

    notice = phone.locator(".messages").inner_text()
    assert "已从 城管局 改派至 住建局，并通知双方" in notice
    units = phone.locator("table.list").inner_text()
    assert "已撤回" in units and "住建局" in units
    timeline = phone.locator("ol.timeline").inner_text()
    assert "街道撤回派单： 城管局" in timeline and "改派至 住建局" in timeline
    assert "路灯杆属住建局管养" in timeline
    screenshot(phone, "reassign-done-phone")

    # The new unit has it to sign; the old one no longer sees it.
    switch_to(phone, "handler_zj")
    phone.goto(f"{phone.base_url}/console/appeals/{appeal.pk}/")
    assert phone.locator("#action-sign").count() == 1
    switch_to(phone, "handler_cg")
    missing = phone.goto(f"{phone.base_url}/console/appeals/{appeal.pk}/")
    assert missing is not None and missing.status == 404

    # A request for more time waits in the dispatcher's own tab, counted.
    appeal.refresh_from_db()
    actions.assignment_sign(
        assignment=appeal.assignments.get(role="lead", state="dispatched"),
        acting_user=staff["handler_zj"],
    )
    actions.extension_request(
        assignment=appeal.assignments.get(role="lead", state="handling"),
        acting_user=staff["handler_zj"],
        days=2,
        reason="等灯杆到货",
    )
    switch_to(phone, "dispatcher")
    phone.goto(f"{phone.base_url}/console/queue/pending_extension/")
    tab = phone.locator("nav.tabs a.current").inner_text()
    assert "待审批（延期）" in tab and "1" in tab
    assert appeal.tracking_code in phone.locator("table.list").inner_text()
    screenshot(phone, "approval-queue-phone")
