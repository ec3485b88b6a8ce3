"""A resident about to report sees that someone nearby already did; the pin
goes to the server by POST, never in a URL."""

from __future__ import annotations

import pytest

from civicgrid.appeals import actions
from civicgrid.appeals.actions import AppealInput
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HERE = {"latitude": 29.605, "longitude": 91.005}


def test_the_phone_offers_the_report_nearby_and_sends_the_pin_by_post(
    browser,
    live_server,
    street,
    people,
    lamp,
    settings,  # noqa: F811
):
    settings.LANGUAGE_CODE = "zh-hans"
    actions.appeal_submit(
        data=AppealInput(
            description="路灯坏了",
            street=street.street,
            category=lamp,
            anonymous=True,
            consent=True,
            **HERE,
        ),
        acting_user=None,
        photos=(),
        idempotency_key=None,
    )
    context = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        geolocation=HERE,
        permissions=["geolocation"],
    )
    page = context.new_page()
    asked: list[tuple[str, str]] = []
    page.on(
        "request",
        lambda request: (
            "nearby" in request.url and asked.append((request.method, request.url))
        ),
    )
    page.goto(live_server.url + "/report/")
    page.select_option("select[name=category]", label="路灯不亮")
    page.fill("textarea[name=description]", "路灯不亮")
    page.click("text=下一步")  # where it is
    page.click("#use-my-location")
    page.wait_for_selector("#nearby .nearby")
    assert "路灯不亮" in page.inner_text("#nearby")
    assert asked and all(method == "POST" for method, _ in asked)
    assert all("29.60" not in url and "latitude" not in url for _, url in asked)
    context.close()
