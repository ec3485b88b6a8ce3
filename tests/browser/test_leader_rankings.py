"""A street's leader reads the rankings in a real browser: each unit's appeals
dispatched, each rate beside its cases, a unit with nothing done unscored and
on neither list; the exclusion reviews open read-only."""

from __future__ import annotations

import pytest

from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.tests.conftest import (  # noqa: F401
    bring,
    catalogue,
    staff,
    submit,
)
from conftest import PASSWORD
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_leader_reads_counts_that_mean_one_thing(
    browser,
    live_server,
    staff,  # noqa: F811
    departments,
    bring,  # noqa: F811
    settings,
):
    settings.LANGUAGE_CODE = "zh-hans"
    from civicgrid.metrics.actions import exclusion_request

    for _ in range(5):
        share = bring("closed").assignments.get(role="lead")
    exclusion_request(
        assignment=share, acting_user=staff["handler_cg"], reason="同一诉求重复反映"
    )
    for _ in range(6):
        actions.appeal_dispatch(
            appeal=bring("accepted"),
            acting_user=staff["dispatcher"],
            lead=Unit(department=departments["zj"]),
        )
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/metrics/rankings/")
    table = page.locator("table.ranking")
    done = table.locator("tr", has_text="城管局")
    idle = table.locator("tr", has_text="住建局")
    assert done.locator("td").nth(3).inner_text() == "5"  # 派件
    assert "100.0% (5/5)" in done.locator("td").nth(4).inner_text()
    assert idle.locator("td").nth(2).inner_text() == "—"  # no score
    assert idle.locator("td").nth(3).inner_text() == "6"
    assert "无可评分" in idle.inner_text()
    red = page.locator("section", has_text="红榜").first
    assert "城管局" in red.inner_text() and "住建局" not in red.inner_text()
    screenshot(page, "leader-rankings")

    page.goto(live_server.url + "/metrics/")
    page.click("text=核减审批")
    page.wait_for_url(live_server.url + "/metrics/exclusions/")
    assert page.locator("h1").inner_text() == "核减审批"
    asked = page.locator("section.card", has_text="同一诉求重复反映")
    assert "等待街道指挥中心审核" in asked.inner_text()
    assert page.locator("[name=approve]").count() == 0  # read-only
    context.close()
