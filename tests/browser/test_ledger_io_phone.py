"""The import page on a phone (390 × 844): a refused file's cells as cards."""

from __future__ import annotations

import pytest

from civicgrid.ledger.tests.conftest import (
    ledger_people,  # noqa: F401 — fixture
    make_building,
)
from civicgrid.ledger.tests.io_helpers import person_row, workbook
from tests.browser.conftest import screenshot
from tests.browser.test_grid_worker_phone import log_in
from tests.browser.test_phone_lists import cards_are_readable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_grid_worker_sees_every_bad_cell_on_a_phone(
    phone,
    street,
    ledger_people,  # noqa: F811 — the fixture imported above
    settings,
    tmp_path,
):
    settings.LANGUAGE_CODE = "zh-hans"
    e1 = street.grids["e1"]
    home = make_building(e1, "1号楼")
    rows = [
        person_row(e1, home),
        person_row(e1, home, id_number="540102195003010010", room="102"),
        person_row(e1, home, grid="540103001009009", room="103"),
        person_row(e1, home, moved_in_on="2999-01-01", room="104"),
    ]
    path = tmp_path / "户籍人口.xlsx"
    path.write_bytes(workbook("people", rows).getvalue())
    page = phone
    log_in(page, "gridworker")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/ledger/import/")
    page.select_option("select[name=kind]", "people")
    page.set_input_files("input[name=file]", str(path))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    cards_are_readable(page, "#import-errors table.list", 3)
    text = page.locator("#import-errors").inner_text()
    assert "校验码" in text and "540103001009009" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "ledger-io-import-errors-phone")
