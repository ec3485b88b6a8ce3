"""吹哨报到 in a real browser: the dispatcher blows, two departments report in on
time and one late, every share is done, the whistle closes with the lead's reply,
and the counters on the board move by exactly that."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.org.models import Department
from civicgrid.whistles.models import Whistle, WhistleType
from conftest import PASSWORD, make_user
from tests.browser.conftest import PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
START = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def page_for(browser, live_server, username, phone=False):
    context = browser.new_context(
        viewport=PHONE if phone else {"width": 1280, "height": 900},
        locale="zh-CN",
        # A handler at the river bank, whose phone shares where it is.
        geolocation={"latitude": 29.6451, "longitude": 91.0052},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def test_blow_report_in_close_and_count(
    browser, live_server, people, departments, street, settings, photo
):
    settings.LANGUAGE_CODE = "zh-hans"
    WhistleType.objects.create(code="emergency", name="应急处置", report_in_minutes=30)
    police = Department.objects.create(
        code="paichusuo", name="东嘎派出所", area=street.street
    )
    officer = make_user("officer", "警官")
    membership_add(
        user=officer, role=Role.DEPARTMENT_HANDLER, department=police, acting_user=None
    )
    people["officer"] = officer
    leader = make_user("leader", "王建国")
    membership_add(user=leader, role=Role.LEADER, area=street.street, acting_user=None)

    with time_machine.travel(START, tick=True) as clock:
        desk = page_for(browser, live_server, "dispatcher")
        desk.goto(live_server.url + "/whistles/new/")
        desk.select_option("select[name=type]", label="应急处置")
        desk.fill("input[name=title]", "东嘎村河道淤堵")
        desk.fill("textarea[name=reason]", "需城管、住建、派出所联合处置")
        for name in ("城管局", "住建局", "东嘎派出所"):
            desk.check(f"//label[contains(., '{name}')]/input")
        desk.select_option("select[name=lead]", label="城管局")
        desk.click("main button[type=submit]")
        whistle = Whistle.objects.get()
        url = live_server.url + f"/whistles/{whistle.pk}/"

        for username, minutes in (
            ("handler_cg", 10),
            ("handler_zj", 20),
            ("officer", 45),
        ):
            clock.move_to(START + timedelta(minutes=minutes))
            phone = page_for(browser, live_server, username, phone=True)
            phone.goto(url)
            if username == "handler_cg":  # reports in with the place and a photo
                phone.click("form[action$='check_in/'] .share-location")
                phone.wait_for_function(
                    'document.querySelector("form.check-in input[name=latitude]")'
                    ".value !== ''"
                )
                phone.set_input_files("form.check-in input[name=photo]", str(photo))
                screenshot(phone, "whistle-check-in-phone")
            phone.click("form[action$='check_in/'] button[type=submit]")
            if username == "handler_cg":
                img = phone.locator("img.check-in-photo")
                assert img.count() == 1
                # Decoded, not only in the page: waits for the image to load
                # (a busy machine is slow), fails if it never shows.
                phone.wait_for_function(
                    "img => img.complete && img.naturalWidth > 0",
                    arg=img.element_handle(),
                )
            if username == "officer":
                screenshot(phone, "whistle-late-check-in-phone")
            phone.fill("form[action$='share_done/'] textarea", "已按分工完成")
            phone.click("form[action$='share_done/'] button")
            phone.context.close()

        clock.move_to(START + timedelta(minutes=55))
        desk.goto(url)
        desk.fill("textarea[name=close-reply]", "河道已清理完毕，各部门已撤离现场。")
        desk.click("form[action$='close/'] button")
        whistle.refresh_from_db()
        assert whistle.state == "closed"
        late = {s.department.code: s.late for s in whistle.summonses.all()}
        located = whistle.summonses.get(department__code="chengguan")
        assert (round(located.latitude, 4), round(located.longitude, 4)) == (
            29.6451,
            91.0052,
        )
        assert located.check_in_photo and located.check_in_thumbnail
        assert late == {"chengguan": False, "zhujian": False, "paichusuo": True}

        desk.goto(live_server.url + "/whistles/")
        counters = desk.locator(f".counters[data-street='{street.street.code}']")
        screenshot(desk, "whistle-board")
        assert counters.get_attribute("data-blown") == "1"
        assert counters.get_attribute("data-resolved") == "1"
        assert counters.get_attribute("data-departments") == "3"
        assert counters.get_attribute("data-late") == "1"
        assert counters.get_attribute("data-average") == "25.0"  # (10 + 20 + 45) / 3
        assert "吹哨1次" in counters.inner_text()
        assert desk.evaluate("typeof window.htmx") == "object"  # the board refreshes
        desk.context.close()
