"""Phones without signal (the offline app): the report page and a visit keep
working when the network is taken away — the page comes from the phone, the
form is kept there with its photo and says it is waiting — and are sent once
when the network is given back, also when the first answer was lost on the
way."""

from __future__ import annotations

import pytest

from civicgrid.appeals.jobs import register_submissions
from civicgrid.appeals.models import Appeal, Attachment, Submission
from civicgrid.ledger.models import Building, Household, Visit
from tests.browser.conftest import PHONE, give_contact, pin_the_map, screenshot
from tests.browser.test_grid_worker_phone import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def app(settings, tmp_path):
    settings.CIVICGRID_SERVICE_WORKER = True
    settings.LANGUAGE_CODE = "zh-hans"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVICGRID_INTAKE_PER_MINUTE = 100


def phone_for(browser, live_server, language: str = "zh-hans"):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.base_url = live_server.url
    return context, page


def installed(page, path: str) -> None:
    """Open ``path`` until the worker serves it (it is then kept on the phone)."""
    page.goto(page.base_url + path)
    # Registered from this page (or the one before), active, then in charge
    # of this page (it claims the pages open when it starts).
    assert page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
    page.wait_for_function(
        "navigator.serviceWorker.controller !== null", timeout=60_000
    )
    page.reload()  # now through the worker, which keeps this copy


def no_signal(context) -> None:
    """The network gone, for the pages and for the worker."""
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def signal_back(context) -> None:
    context.unroute("**/*")
    context.set_offline(False)


def waiting(page) -> str:
    page.wait_for_selector("#outbox:not([hidden]) .outbox-status:has-text('等待信号')")
    return page.inner_text("#outbox")


def fill_the_report(page, photo, text: str) -> None:
    page.fill("textarea[name=description]", text)
    page.select_option("select[name=category]", label="路灯不亮")
    if photo is not None:
        page.set_input_files("input[name=photos]", str(photo))
    page.click("text=下一步")
    pin_the_map(page)
    page.click("text=下一步")
    give_contact(page)


def test_a_report_written_without_signal_is_sent_once_when_it_returns(
    browser, live_server, app, people, lamp, photo
):
    context, page = phone_for(browser, live_server)
    try:
        installed(page, "/report/")
        no_signal(context)
        # The page opens from the phone.
        page.reload()
        assert page.inner_text("h1") == "我要反映"
        fill_the_report(page, photo, "小区门口的路灯坏了三天，晚上很黑。")
        page.click("main button[type=submit]")
        panel = waiting(page)
        assert "1" in panel and "小区门口的路灯坏了三天" in panel
        # The form is empty again, back at its first step, for the next one.
        assert page.input_value("textarea[name=description]") == ""
        assert page.is_visible("textarea[name=description]")
        screenshot(page, "offline-report-waiting-phone")
        assert Submission.objects.count() == 0

        signal_back(context)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_selector("#outbox .outbox-sent")
        submission = Submission.objects.get()
        assert submission.tracking_code in page.inner_text("#outbox")
        screenshot(page, "offline-report-sent-phone")
        # The tracking page opens from the panel.
        page.click("#outbox .outbox-sent a.button")
        page.wait_for_selector("#tracking-code")
        assert page.inner_text("#tracking-code") == submission.tracking_code
    finally:
        context.close()
    assert register_submissions() == 1
    appeal = Appeal.objects.get()
    assert appeal.description == "小区门口的路灯坏了三天，晚上很黑。"
    assert Attachment.objects.filter(appeal=appeal).count() == 1


def test_a_report_whose_answer_was_lost_is_not_recorded_twice(
    browser, live_server, app, people, lamp
):
    context, page = phone_for(browser, live_server)
    try:
        installed(page, "/report/")
        # No photo: an intercepted request's files are not handed back to be
        # sent on (the report with a photo is the test above).
        fill_the_report(page, None, "路灯又坏了，整条路都是黑的。")

        def lost(route):
            if route.request.method != "POST":
                route.continue_()
                return
            route.fetch()  # the server records it …
            route.abort("connectionreset")  # … and its answer never arrives

        page.route("**/report/", lost)
        page.click("main button[type=submit]")
        page.wait_for_selector("#outbox:not([hidden]) .outbox-waiting")
        assert Submission.objects.count() == 1
        page.unroute("**/report/")
        page.click("#outbox .outbox-send")
        page.wait_for_selector("#outbox .outbox-sent")
        assert Submission.objects.count() == 1
        code = Submission.objects.get().tracking_code
        assert code in page.inner_text("#outbox")
    finally:
        context.close()


def test_a_visit_recorded_without_signal_is_sent_once_in_tibetan(
    browser, live_server, app, people, street
):
    building = Building.objects.create(
        grid=street.grids["e1"], name="幸福路12号", lon=91.005, lat=29.605
    )
    household = Household.objects.create(
        building=building, grid=street.grids["e1"], unit="1", room="101"
    )
    context, page = phone_for(browser, live_server, "bo")
    try:
        log_in(page, "gridworker")
        page.wait_for_url(live_server.url + "/")
        installed(page, f"/ledger/households/{household.pk}/visit/")
        # With signal, a form with nothing written comes back with its error,
        # as it does without the page's script.
        page.click("main button[type=submit]")
        page.wait_for_selector(".errorlist")
        assert Visit.objects.count() == 0
        no_signal(context)
        page.reload()
        page.fill("textarea[name=notes]", "老人身体好，送了米面油")
        page.click("main button[type=submit]")
        page.wait_for_selector("#outbox:not([hidden]) .outbox-waiting")
        assert "老人身体好" in page.inner_text("#outbox")
        screenshot(page, "offline-visit-waiting-phone-bo")
        assert Visit.objects.count() == 0

        signal_back(context)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_selector("#outbox .outbox-sent")
        screenshot(page, "offline-visit-sent-phone-bo")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
    visit = Visit.objects.get()
    assert visit.household == household and visit.notes == "老人身体好，送了米面油"


def test_a_patrol_without_signal_keeps_its_route_and_findings(
    browser, live_server, app, people, street
):
    from civicgrid.ledger.actions import patrol as patrol_actions
    from civicgrid.ledger.models import Opinion, Patrol

    worker = people["gridworker"]
    patrol = patrol_actions.patrol_start(grid=street.grids["e1"], acting_user=worker)
    context = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        geolocation={"latitude": 29.6051, "longitude": 91.0052},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.base_url = live_server.url
    try:
        log_in(page, "gridworker")
        page.wait_for_url(live_server.url + "/")
        installed(page, f"/ledger/patrols/{patrol.pk}/")
        page.wait_for_function(
            "document.getElementById('route-points').textContent !== '0'"
        )
        no_signal(context)
        context.set_geolocation({"latitude": 29.6058, "longitude": 91.0061})
        page.reload()  # the patrol page from the phone; its point is kept
        page.wait_for_selector(
            "#outbox:not([hidden]) .outbox-status:has-text('路线点')"
        )
        page.click("#finding-opinion summary")
        page.fill(
            "#finding-opinion textarea[name=text]", "村口路灯不亮，老人晚上出门不方便"
        )
        page.click("#record-opinion")
        waiting(page)
        screenshot(page, "offline-patrol-waiting-phone")
        assert Opinion.objects.count() == 0
        assert len(Patrol.objects.get(pk=patrol.pk).route) == 1

        signal_back(context)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_selector("#outbox .outbox-sent")
        status = "document.querySelector('#outbox .outbox-status').textContent"
        page.wait_for_function(f"!{status}.includes('路线点')")
    finally:
        context.close()
    assert Opinion.objects.get().text == "村口路灯不亮，老人晚上出门不方便"
    route = Patrol.objects.get(pk=patrol.pk).route
    assert [point[:2] for point in route] == [[91.0052, 29.6051], [91.0061, 29.6058]]
    assert [point[2] for point in route] == sorted(point[2] for point in route)
