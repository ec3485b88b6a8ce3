"""The dispatcher makes an appeal urgent (紧急) in a real browser, at a desk and
on a phone: the message and the timeline give the new deadlines."""

from __future__ import annotations

import pytest

from civicgrid.appeals import actions
from civicgrid.appeals.actions import AppealInput
from civicgrid.appeals.catalogue import category_set_terms
from civicgrid.appeals.models import Appeal, Category
from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_appeal_loop import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def manhole(departments, people, street) -> Appeal:
    group = Category.objects.create(code="city", name="城建管理")
    category = Category.objects.create(
        code="manhole-cover", name="井盖缺失或破损", parent=group
    )
    category_set_terms(
        category=category,
        acting_user=None,
        kind="help",
        default_unit_type="department",
        default_department=departments["cg"],
        response_hours=1,
        handling_days=2,
        urgent_response_hours="0.5",
        urgent_handling_days="0.5",
    )
    appeal, _created = actions.appeal_submit(
        data=AppealInput(
            description="路口的井盖缺了一块，晚上骑车很危险。",
            street=street.street,
            channel="phone",
            category=category,
            name="卓玛",
            phone="13812345678",
            consent=True,
            latitude=29.605,
            longitude=91.005,
        ),
        acting_user=people["dispatcher"],
    )
    return appeal


@pytest.mark.parametrize("screen", ["desk", "phone"])
def test_the_dispatcher_makes_an_appeal_urgent(browser, live_server, manhole, screen):
    viewport = PHONE if screen == "phone" else {"width": 1280, "height": 900}
    context = browser.new_context(
        viewport=viewport, is_mobile=screen == "phone", locale="zh-CN"
    )
    page = context.new_page()
    page.base_url = live_server.url
    log_in(page, "dispatcher")
    page.goto(f"{live_server.url}/console/appeals/{manhole.pk}/")
    page.click("#action-categorise summary")
    page.select_option("select[name=categorise-priority]", value="urgent")
    page.click("#action-categorise button[type=submit]")

    page.wait_for_selector(".timeline li >> text=紧急程度改为 紧急")
    content = page.content()
    assert "紧急" in content and "（自接诉时起算）" in content
    manhole.refresh_from_db()
    assert manhole.priority == "urgent"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"priority-urgent-{screen}")
    context.close()
