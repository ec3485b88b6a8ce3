"""A grid worker on a phone: from "my grids today" to a household visit."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from civicgrid.ledger.models import PersonTag, Residence, Visit
from civicgrid.ledger.tests.conftest import make_building, make_household, make_person
from tests.browser.conftest import screenshot
from tests.browser.test_grid_worker_phone import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_a_grid_worker_records_a_visit_on_a_phone(phone, people, street, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    household = make_household(make_building(street.grids["e1"], "3号楼"), room="502")
    elder = make_person(household, "次仁卓嘎", birth_date=dt.date(1941, 4, 2))
    Residence.objects.create(
        person=elder, household=household, moved_in_on=dt.date(1990, 1, 1)
    )
    PersonTag.objects.create(
        person=elder, tag=PersonTag.Tag.LIVES_ALONE, since=dt.date(2019, 1, 1)
    )
    page = phone
    log_in(page, "gridworker")
    page.wait_for_url(page.base_url + "/")
    page.click("a[href='/ledger/today/']")
    page.wait_for_url("**/ledger/today/")
    assert "次仁卓嘎" in page.inner_text(f"#visit-{street.grids['e1'].pk} ~ table")
    screenshot(page, "ledger-people-today-phone")

    page.click(f"a[href='/ledger/households/{household.pk}/visit/'] >> nth=0")
    page.wait_for_url(f"**/ledger/households/{household.pk}/visit/")
    page.check("input[name=people_met]")
    page.fill("textarea[name=notes]", "老人身体还好，送去了米面油")
    page.fill("textarea[name=findings]", "楼道灯不亮，晚上上下楼不方便")
    page.check("input[name=make_appeal]")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing runs off the side of the phone
    path = screenshot(page, "ledger-people-visit-form-phone")
    page.click("form.visit-form button[type=submit]")
    page.wait_for_url(f"**/ledger/households/{household.pk}/")
    notice = page.inner_text(".messages, [role=status], main")
    assert "已记录对3号楼 1单元502的走访" in notice
    visit = Visit.objects.get(household=household)
    assert visit.appeal is not None and visit.appeal.tracking_code in notice
    assert list(visit.people_met.all()) == [elder]
    screenshot(page, "ledger-people-visit-done-phone")
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, DOCS / "ledger-people-visit-phone.png")


def test_a_grid_worker_reads_a_masked_number_of_a_visit_whole_on_a_phone(
    phone, people, street, settings
):
    from civicgrid.core import clock
    from civicgrid.ledger.models import Change

    settings.LANGUAGE_CODE = "zh-hans"
    household = make_household(make_building(street.grids["e1"], "4号楼"), room="201")
    Visit.objects.create(
        household=household,
        visitor=people["gridworker"],
        visited_at=clock.now(),
        notes="老人儿子电话13912345678，有事可以联系",
    )
    page = phone
    log_in(page, "gridworker")
    page.wait_for_url(page.base_url + "/")
    page.goto(f"{page.base_url}/ledger/households/{household.pk}/")
    assert "139****5678" in page.inner_text("main")
    assert "13912345678" not in page.content()
    page.fill("form.texts-reveal input[name=reason]", "联系家属送药")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "ledger-texts-reveal-phone")
    page.click("form.texts-reveal button[type=submit]")
    page.wait_for_selector(".revealed-texts")
    assert "老人儿子电话13912345678" in page.inner_text(".revealed-texts")
    screenshot(page, "ledger-texts-revealed-phone")
    (reveal,) = Change.objects.filter(action="reveal")
    assert reveal.reason == "联系家属送药" and reveal.changes == {"texts": ["notes"]}
