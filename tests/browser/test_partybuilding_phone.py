"""A micro-wish on phones, from gathering to the credit: the grid worker writes
it down on the household's page, the community verifies and publishes it, a
registered party member claims it on the wall and delivers it with a photo,
and the grid worker confirms it for the beneficiary."""

from __future__ import annotations

import pytest
from PIL import Image

from civicgrid.ledger.tests.conftest import ledger_people as ledger_people
from civicgrid.partybuilding.models import ServiceEntry, Wish
from civicgrid.partybuilding.tests.conftest import pb as pb
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, username: str) -> None:
    from conftest import PASSWORD

    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_wish_from_the_household_to_the_service_ledger_on_phones(
    phone, pb, settings, tmp_path
):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "delivery.jpg"
    Image.new("RGB", (800, 600), (200, 120, 40)).save(photo, "JPEG")
    page = phone
    household = pb["household"]

    _log_in(page, "gridworker")
    page.goto(f"{page.base_url}/ledger/households/{household.pk}/")
    page.click("text=登记微心愿")
    page.fill("textarea[name=need]", "想要一个电饭锅")
    page.fill("input[name=value]", "180")
    page.fill("input[name=shown_as]", "次仁老人")
    page.check("input[name=consent]")
    _fits(page)
    screenshot(page, "partybuilding-gather-phone")
    page.click("form.wish-form button[type=submit]")
    page.wait_for_selector("text=接下来由社区核实")
    wish = Wish.objects.get()

    _log_in(page, "community_east")
    page.goto(f"{page.base_url}/partybuilding/wishes/{wish.pk}/")
    page.click("form.step-verify button[type=submit]")
    page.wait_for_selector("text=请发布到心愿墙")
    page.click("form.step-publish button[type=submit]")
    page.wait_for_selector("text=已发布到心愿墙")

    _log_in(page, "member_a")
    page.goto(f"{page.base_url}/partybuilding/wall/")
    card = page.locator(".wish-card", has_text="想要一个电饭锅")
    assert "5号楼" not in card.inner_text() and "次仁卓嘎" not in card.inner_text()
    _fits(page)
    screenshot(page, "partybuilding-wall-phone")
    card.locator("button[type=submit]").click()
    page.wait_for_url("**/partybuilding/claims/")
    assert "您已认领次仁老人的心愿" in page.inner_text(".messages")
    page.set_input_files("form.fulfil-form input[name=photo]", str(photo))
    _fits(page)
    screenshot(page, "partybuilding-claims-phone")
    page.click("form.fulfil-form button[type=submit]")
    page.wait_for_selector("text=已记录送达")

    _log_in(page, "gridworker")
    page.goto(f"{page.base_url}/partybuilding/wishes/{wish.pk}/")
    page.click("form.step-confirm button[type=submit]")
    page.wait_for_selector("text=已确认，并记入服务台账")
    _fits(page)
    screenshot(page, "partybuilding-wish-done-phone")
    wish.refresh_from_db()
    assert wish.state == "confirmed" and wish.photo["file"]
    (credit,) = ServiceEntry.objects.all()
    assert credit.volunteer is not None and credit.volunteer.user == pb["member_a"]

    _log_in(page, "member_a")
    page.goto(f"{page.base_url}/partybuilding/me/")
    assert "为次仁老人圆梦微心愿" in page.inner_text(".service-ledger")
    _fits(page)
    screenshot(page, "partybuilding-my-ledger-phone")
