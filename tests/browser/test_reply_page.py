"""An appeal's page with a reply, on a desk and on a phone: the outcome, its
reason and who acted, in words (the desk's picture, from var/screenshots/, is
docs/screenshots/reply-page.png)."""

from __future__ import annotations

import pytest

from civicgrid.appeals import actions
from civicgrid.appeals.tests.conftest import (  # noqa: F401
    bring,
    catalogue,
    staff,
    submit,
)
from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_appeal_loop import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1366, "height": 900}


def test_the_appeal_page_shows_the_reply_its_outcome_and_who_acted(
    browser,
    live_server,
    bring,  # noqa: F811
    staff,  # noqa: F811
    settings,
    tmp_path,
):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.MEDIA_ROOT = tmp_path / "media"
    appeal = bring("handling")
    actions.appeal_reply(
        assignment=appeal.assignments.get(role="lead"),
        acting_user=staff["handler_cg"],
        outcome="partly_resolved",
        outcome_reason="另一盏路灯需更换灯杆，已列入本月维修计划",
        public_reply="您好，您反映的拉萨北路路段路灯不亮问题，经现场核实为灯泡损坏，"
        "已于12月2日更换，目前照明正常。",
    )
    url = f"{live_server.url}/console/appeals/{appeal.pk}/"
    for name, viewport in (("reply-page", DESK), ("reply-page-phone", PHONE)):
        context = browser.new_context(
            viewport=viewport, is_mobile=viewport is PHONE, locale="zh-CN"
        )
        page = context.new_page()
        page.base_url = live_server.url
        log_in(page, "handler_cg")
        page.goto(url)
        timeline = page.locator("ol.timeline").inner_text()
        assert "办理结果： 部分解决" in timeline or "办理结果：部分解决" in timeline
        assert "李明（城管局）" in timeline and "次仁（东嘎街道）" in timeline
        assert "居民" in timeline
        screenshot(page, name)  # var/screenshots/, for review
        context.close()

    # The resident's page, on a phone: the outcome in plain words, units only.
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/track/{appeal.tracking_code}/")
    text = page.locator("main").inner_text()
    assert "部分解决" in text and "城管局" in text and "李明" not in text
    screenshot(page, "reply-track-phone")
    context.close()
