"""Lists on a phone (390 × 844): every table.list is drawn as one card per row,
each cell labelled, so nothing wraps one character to a line."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from civicgrid.appeals import actions
from civicgrid.appeals.actions import AppealInput, Unit
from civicgrid.appeals.catalogue import category_set_terms
from civicgrid.appeals.models import Category
from civicgrid.whistles.actions import whistle_blow
from civicgrid.whistles.models import WhistleType
from tests.browser.conftest import screenshot
from tests.browser.test_grid_worker_phone import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
E1 = {"latitude": 29.605, "longitude": 91.005}


@pytest.fixture
def appeals(people, street, departments, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    lamp = Category.objects.create(code="street-lamp", name="路灯不亮")
    category_set_terms(
        category=lamp,
        acting_user=None,
        kind="help",
        default_unit_type="department",
        default_department=departments["cg"],
        response_hours=2,
        handling_days=3,
    )
    made = []
    for n, text in enumerate(
        ["东嘎社区2号楼前路灯不亮三天", "巷子里垃圾堆放，气味很大", "井盖松动"]
    ):
        appeal, _created = actions.appeal_submit(
            data=AppealInput(
                description=text,
                street=street.street,
                channel="phone",
                category=lamp,
                name="卓玛",
                phone=f"1390000111{n}",
                address="东嘎社区幸福路12号院内东侧",
                **E1,
            ),
            acting_user=people["dispatcher"],
        )
        made.append(appeal)
    actions.appeal_accept(appeal=made[0], acting_user=people["dispatcher"])
    actions.appeal_dispatch(
        appeal=made[0],
        acting_user=people["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(area=street.grids["e1"])],
    )
    return made


def cards_are_readable(page, selector: str, expected: int) -> None:
    """Each row is a card about as wide as the screen, and each cell's text is
    laid out on lines far wider than one character."""
    rows = page.locator(f"{selector} tbody tr")
    # Waits for the rows: a click that opens the page returns before it loads.
    expect(rows).to_have_count(expected)
    for n in range(expected):
        box = rows.nth(n).bounding_box()
        assert box is not None and box["width"] > 300, box
    narrow = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector + ' tbody td')]
        .filter(td => td.innerText.trim().length > 1)
        .map(td => {
          const label = td.getAttribute('data-label') ? 6.4 * 17 : 0;
          return td.getBoundingClientRect().width - label;
        })
        .filter(w => w < 150)""",
        selector,
    )
    assert narrow == []
    # The page never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_grid_workers_queue_is_a_list_of_cards_on_a_phone(
    phone, people, street, appeals, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    page = phone
    log_in(page, "gridworker")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/console/")
    cards_are_readable(page, "table.appeals", 3)
    # The queues are named in the page's language, not the import's.
    assert "待派单" in page.locator(".tabs").inner_text()
    first = page.locator("table.appeals tbody tr").first
    # The card is headed by its tracking code.
    title = first.locator("td.card-title")
    assert title.evaluate("td => td.getBoundingClientRect().top") <= min(
        first.locator("td").evaluate_all(
            "tds => tds.map(td => td.getBoundingClientRect().top)"
        )
    )
    code = title.locator("a.code")
    assert code.is_visible()
    assert code.inner_text() in {a.tracking_code for a in appeals}
    # The code stays on one line, the state badge is shown and labelled.
    code_box = code.bounding_box()
    assert code_box is not None and code_box["height"] < 40
    assert first.locator(".badge").first.is_visible()
    labels = first.locator("td[data-label]").evaluate_all(
        "tds => tds.map(td => td.dataset.label)"
    )
    headings = page.locator("table.appeals thead th").all_text_contents()
    assert labels == headings and labels[:2] == ["代码", "状态"]
    # The resident is masked on the card too.
    assert "13900001110" not in page.content()
    # docs/screenshots/console-grid-worker-phone.png is a copy of this one.
    screenshot(page, "console-grid-worker-phone")

    page.goto(page.base_url + f"/console/appeals/{appeals[0].pk}/")
    cards_are_readable(page, "section.card table.list", 2)
    screenshot(page, "appeal-shares-phone")


def test_the_whistle_board_and_history_read_as_cards_on_a_phone(
    phone, people, street, departments, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    kind = WhistleType.objects.create(
        code="emergency", name="应急处置", report_in_minutes=30
    )
    for title in ("东嘎村河道淤堵", "南嘎村供水管爆裂，多户停水"):
        whistle_blow(
            street=street.street,
            whistle_type=kind,
            title=title,
            reason="需多部门联合处置",
            departments=[departments["cg"], departments["zj"]],
            lead=departments["cg"],
            acting_user=people["dispatcher"],
        )
    page = phone
    log_in(page, "handler_cg")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/whistles/")
    assert page.locator("#open-whistles section.card").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "whistle-board-phone")

    page.goto(page.base_url + "/whistles/history/")
    cards_are_readable(page, "table.list", 2)
    screenshot(page, "whistle-history-phone")

    page.click("text=东嘎村河道淤堵")
    page.wait_for_url(re.compile(r".*/whistles/\d+/$"))
    cards_are_readable(page, "section.card table.list", 2)
    screenshot(page, "whistle-detail-phone")
