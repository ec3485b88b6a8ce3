"""The discipline channel in a browser: a resident reports anonymously on a
phone with two photos, is shown the receipt once and reads the officer's
answer with it; the officer signs in with the second factor, is assigned the
report by the head and accepts it — and no page asks the browser for anything
from another host."""

from __future__ import annotations

import pytest
from PIL import Image

from civicgrid.discipline.models import Report
from civicgrid.discipline.tests.conftest import (
    audit_cleared_at_teardown as audit_cleared_at_teardown,
)
from civicgrid.discipline.tests.conftest import sealed as sealed
from civicgrid.discipline.tests.conftest import token as token
from tests.browser.conftest import screenshot
from tests.browser.test_partybuilding_phone import _fits, _log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_cleared_at_teardown"),
]


def _only_our_host(page, requests: list[str]) -> None:
    foreign = [url for url in requests if not url.startswith(page.base_url)]
    assert foreign == [], foreign


def _verify(page, user) -> None:
    """Sign in with the password, then the authenticator's code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _log_in(page, user.username)
    page.goto(f"{page.base_url}/discipline/desk/")
    page.wait_for_selector("input[name=token]")
    page.fill("input[name=token]", token(TOTPDevice.objects.get(user=user)))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{page.base_url}/discipline/desk/")


def test_an_anonymous_report_and_its_answer_on_a_phone(
    phone, sealed, settings, tmp_path
):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.MEDIA_ROOT = tmp_path / "media"
    photos = []
    for n, colour in enumerate([(200, 40, 40), (40, 120, 200)]):
        path = tmp_path / f"evidence-{n}.jpg"
        Image.new("RGB", (800, 600), colour).save(path, "JPEG")
        photos.append(str(path))
    page = phone
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{page.base_url}/discipline/report/dl/")
    # The reporter's own details show only for a real-name report.
    assert not page.is_visible("input[name=name]")
    page.check("input[name=matter][value=duty_violation]")
    page.fill("input[name=accused_name]", "某某")
    page.fill("input[name=accused_unit]", "某局")
    page.fill("textarea[name=what]", "在发放补贴时收受礼金。")
    page.set_input_files("input[name=evidence]", photos)
    _fits(page)
    screenshot(page, "discipline-report-form-phone")
    page.click("form.report-form button[type=submit]")
    page.wait_for_selector(".receipt")
    receipt = page.inner_text(".receipt")
    assert len(receipt.replace(" ", "")) == 16
    assert receipt.replace(" ", "") not in page.url
    _fits(page)
    screenshot(page, "discipline-receipt-phone")
    report = Report.objects.get()
    assert report.attachments.count() == 2

    # The head assigns it; the officer signs in with the second factor and
    # accepts it.
    desk = page.context.browser.new_page(viewport={"width": 1366, "height": 900})
    desk.base_url = page.base_url
    _verify(desk, sealed["head"])
    desk.goto(f"{desk.base_url}/discipline/desk/docket/dl/{report.number}/")
    desk.select_option("select[name=officer]", str(sealed["officer"].pk))
    desk.fill("input[name=reason]", "承办")
    desk.click("form.card button[type=submit]")
    desk.wait_for_selector("ul.grants li")
    _verify(desk, sealed["officer"])
    desk.goto(f"{desk.base_url}/discipline/desk/reports/{report.number}/")
    assert "在发放补贴时收受礼金" in desk.inner_text(".sealed-content")
    desk.click("details.action:has(form[action$='/do/register/']) summary")
    desk.click("form[action$='/do/register/'] button[type=submit]")
    desk.wait_for_selector("details.action:has(form[action$='/do/accept/'])")
    desk.click("details.action:has(form[action$='/do/accept/']) summary")
    desk.click("form[action$='/do/accept/'] button[type=submit]")
    desk.wait_for_selector(".messages .message")
    screenshot(desk, "discipline-case-desktop")
    report.refresh_from_db()
    assert report.state == Report.State.ACCEPTED

    # With the receipt, the reporter reads that it was accepted.
    page.goto(f"{page.base_url}/discipline/follow-up/")
    page.fill("input[name=receipt]", receipt)
    page.click("main form button[type=submit]")
    page.wait_for_selector("ol.timeline li.step-accepted")
    _fits(page)
    screenshot(page, "discipline-follow-up-phone")
    _only_our_host(page, requests)
