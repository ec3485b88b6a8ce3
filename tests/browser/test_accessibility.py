"""Accessibility in the browser: every resident page and the grid worker's pages
pass axe-core with no serious or critical violation, on a phone (390×844) and a
desktop (1366×900), in Chinese, Tibetan and English, and in the large-text and
high-contrast modes (适老化); a resident without a mouse reports with the
keyboard alone.

axe-core runs in the page (``vendor/axe-core``, used by the tests only). On a
phone the target-size rule asks for the project's 44 px touch targets (or as
much room around a smaller one); on a desktop, WCAG 2.2's 24 px.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from civicgrid.appeals import actions
from civicgrid.appeals.access import follow_token, resident_key
from civicgrid.appeals.actions import AppealInput, Unit
from civicgrid.appeals.jobs import register_submissions
from civicgrid.discipline import actions as discipline_actions
from civicgrid.discipline import qr
from civicgrid.discipline.tests.conftest import (
    audit_cleared_at_teardown as audit_cleared_at_teardown,
)
from civicgrid.discipline.tests.conftest import sealed as sealed
from civicgrid.ledger.actions import patrol as patrol_actions
from civicgrid.ledger.models import Building, Household
from conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_cleared_at_teardown"),
]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 900},
}
LANGUAGES = ("zh-hans", "bo", "en")
BAD = ("serious", "critical")
INSIDE_E1 = {"latitude": 29.605, "longitude": 91.005}
# The smallest touch target (or room around a smaller one) axe accepts, in px.
TARGET = {"phone": 44, "desktop": 24}


def axe(page, where: str, touch: int) -> list[str]:
    """The page's serious and critical violations, one line per element."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """(size) => {
          axe.configure({checks: [
            {id: 'target-size', options: {minSize: size}},
            {id: 'target-offset', options: {minOffset: size}},
          ]});
          return axe.run(document, {
            resultTypes: ['violations'],
            rules: {'target-size': {enabled: true}},
          });
        }""",
        touch,
    )
    return [
        f"{where}: {violation['id']} ({violation['impact']}) {node['target']}"
        f" — {node['failureSummary'].splitlines()[-1].strip()}"
        for violation in results["violations"]
        if violation["impact"] in BAD
        for node in violation["nodes"]
    ]


def context_for(browser, live_server, viewport: str, language: str, display: str = ""):
    phone = viewport == "phone"
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],
        is_mobile=phone,
        has_touch=phone,
        locale="zh-CN",
        geolocation=INSIDE_E1,
        permissions=["geolocation"],
        # The discipline channel's pages allow no inline script: axe is one.
        bypass_csp=True,
    )
    cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
    if display:
        cookies.append(
            {"name": "civicgrid_display", "value": display, "url": live_server.url}
        )
    context.add_cookies(cookies)
    page = context.new_page()
    page.base_url = live_server.url
    return context, page


@pytest.fixture
def place(people, street, departments, lamp, sealed, settings, tmp_path):
    """What the pages show: an appeal replied to (the callback), one on the grid
    worker's grid, a household to visit, a patrol under way and a 码上巡 code."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVICGRID_INTAKE_PER_MINUTE = 100
    settings.CIVICGRID_INTAKE_PER_HOUR = 100
    settings.CIVICGRID_TRACK_PER_MINUTE = 1000
    dispatcher = people["dispatcher"]

    def dispatched(**unit: Any):
        appeal, _created = actions.appeal_submit(
            data=AppealInput(
                description="小区门口的路灯坏了三天。",
                street=street.street,
                category=lamp,
                name="卓玛",
                phone="13812345678",
                consent=True,
                address="东嘎社区幸福路12号",
                **INSIDE_E1,
            ),
            acting_user=None,
        )
        actions.appeal_accept(appeal=appeal, acting_user=dispatcher)
        actions.appeal_dispatch(
            appeal=appeal, acting_user=dispatcher, lead=Unit(**unit)
        )
        return appeal

    replied = dispatched(department=departments["cg"])
    share = replied.assignments.get(role="lead")
    actions.assignment_sign(assignment=share, acting_user=people["handler_cg"])
    actions.appeal_reply(
        assignment=share,
        acting_user=people["handler_cg"],
        outcome="resolved",
        public_reply="您好，路灯已更换灯泡，恢复照明。",
    )
    on_grid = dispatched(area=street.grids["e1"])
    actions.assignment_sign(
        assignment=on_grid.assignments.get(role="lead"),
        acting_user=people["gridworker"],
    )
    building = Building.objects.create(
        grid=street.grids["e1"], name="幸福路12号", lon=91.005, lat=29.605
    )
    household = Household.objects.create(
        building=building, grid=street.grids["e1"], unit="1", room="101"
    )
    patrol = patrol_actions.patrol_start(
        grid=street.grids["e1"], acting_user=people["gridworker"]
    )
    patrol_actions.patrol_add_point(
        patrol=patrol, acting_user=people["gridworker"], lon=91.005, lat=29.605
    )
    code = discipline_actions.code_create(
        body=sealed.district,
        kind="unit",
        label="第一巡察组·某局",
        target="某局",
        questions="作风如何? | 好 | 一般 | 差\n办事效率? | 高 | 低",
        acting_user=sealed["head"],
    )
    return {
        "replied": replied,
        "on_grid": on_grid,
        "household": household,
        "patrol": patrol,
        "code": qr.token(code),
        "grid": street.grids["e1"],
    }


def report_in_three_steps(page, photo: Path, found: list[str], touch: int) -> None:
    """The report page, each of its steps checked, then sent."""
    page.goto(page.base_url + "/report/")
    page.wait_for_selector(".step-progress:not([hidden])")
    found += axe(page, "/report/ step 1", touch)
    page.fill("textarea[name=description]", "小区门口的路灯坏了三天，晚上很黑。")
    page.select_option("select[name=category]", index=1)
    page.set_input_files("input[name=photos]", str(photo))
    page.click("[data-step=next]")
    page.click("#use-my-location")
    page.wait_for_function("document.querySelector('[name=latitude]').value !== ''")
    page.wait_for_selector(".leaflet-marker-icon")
    page.wait_for_selector("#nearby a")  # the appeals reported near the pin
    found += axe(page, "/report/ step 2", touch)
    page.click("[data-step=next]")
    page.fill("input[name=name]", "卓玛")
    page.fill("input[name=phone]", "13812345678")
    page.check("input[name=consent]")
    found += axe(page, "/report/ step 3", touch)
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#tracking-code")


def resident_pages(page, place: dict, photo: Path, touch: int) -> list[str]:
    found: list[str] = []
    page.goto(page.base_url + "/")
    found += axe(page, "/ (a visitor)", touch)
    report_in_three_steps(page, photo, found, touch)
    found += axe(page, "/report/done/", touch)
    page.click("#my-appeal")
    page.wait_for_selector("#pending")
    found += axe(page, "/track/ (being registered)", touch)
    assert register_submissions() == 1
    page.wait_for_selector(".photos img", timeout=15_000)
    page.wait_for_selector("textarea[name=info-text]")
    found += axe(page, "/track/ (registered, the resident's own)", touch)
    replied = place["replied"]
    code = replied.tracking_code
    page.goto(f"{page.base_url}/track/{code}/{resident_key(code)}/")
    page.wait_for_selector("#callback")
    found += axe(page, "/track/ (the callback)", touch)
    page.check("input[name=callback-resolved][value=yes]")
    page.check("input[name=callback-satisfaction][value=satisfied]")
    with page.expect_navigation():
        page.click("#callback button[type=submit]")
    page.wait_for_selector(".messages")
    found += axe(page, "/track/ (answered)", touch)
    for path in (
        "/track/",
        f"/follow/{follow_token(place['on_grid'].pk)}/",
        "/privacy/",
        "/metrics/digest/",
        "/discipline/",
        "/discipline/report/dl/",
        "/discipline/follow-up/",
        "/discipline/guide/dl/",
        f"/discipline/q/{place['code']}/",
        f"/discipline/q/{place['code']}/survey/",
        "/accounts/login/",
    ):
        response = page.goto(page.base_url + path)
        assert response is not None and response.status == 200, path
        found += axe(page, path, touch)
    return found


def grid_worker_pages(page, place: dict, touch: int) -> list[str]:
    found: list[str] = []
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", "gridworker")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(page.base_url + "/")
    grid = place["grid"]
    for path, ready in (
        ("/", None),
        ("/console/", None),
        (f"/console/appeals/{place['on_grid'].pk}/", None),
        ("/console/new/", None),
        (f"/org/areas/{grid.code}/", "#grid-map path.leaflet-interactive"),
        ("/ledger/patrols/", None),
        (f"/ledger/patrols/{place['patrol'].pk}/", "#patrol-map .leaflet-interactive"),
        (f"/ledger/households/{place['household'].pk}/visit/", None),
        ("/ledger/today/", None),
        (f"/ledger/grids/{grid.code}/households/", None),
        ("/ledger/opinions/", None),
        ("/ledger/places/", None),
        ("/ledger/components/", None),
    ):
        response = page.goto(page.base_url + path)
        assert response is not None and response.status == 200, path
        if ready:
            page.wait_for_selector(ready)
        found += axe(page, path, touch)
    return found


def fail_on(found: list[str]) -> None:
    assert not found, f"{len(found)} serious or critical:\n" + "\n".join(found)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_resident_and_grid_worker_pages_pass_axe(
    browser, live_server, place, photo, viewport, language
):
    found: list[str] = []
    for pages in (resident_pages, grid_worker_pages):
        context, page = context_for(browser, live_server, viewport, language)
        try:
            html_lang = page.evaluate("document.documentElement.lang")
            arguments = (place, photo) if pages is resident_pages else (place,)
            found += [
                f"[{language} {viewport}] {line}"
                for line in pages(page, *arguments, TARGET[viewport])
            ]
            assert page.evaluate("document.documentElement.lang") == (
                "bo" if language == "bo" else language
            ), html_lang
        finally:
            context.close()
    fail_on(found)


@pytest.mark.parametrize("language", ["zh-hans", "bo"])
def test_large_text_and_high_contrast_pass_axe(
    browser, live_server, place, photo, language
):
    """适老化: both switches on, on a phone."""
    context, page = context_for(
        browser, live_server, "phone", language, display="large.contrast"
    )
    try:
        found = resident_pages(page, place, photo, TARGET["phone"])
        assert page.evaluate("document.documentElement.className") == (
            "text-large contrast-high"
        )
    finally:
        context.close()
    fail_on(found)


def focused(page) -> dict[str, Any]:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {
            name: el.name || el.id || el.textContent.trim().slice(0, 20),
            tag: el.tagName.toLowerCase(),
            type: el.type || '',
            outline: style.outlineStyle !== 'none'
              && parseFloat(style.outlineWidth) >= 2,
            ring: style.boxShadow !== 'none',
            visible: el.matches(':focus-visible'),
          };
        }"""
    )


def tab_through(page, stop: str, limit: int = 60) -> list[dict[str, Any]]:
    """Tab from the top of the page until the element matching ``stop``."""
    reached: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        reached.append(focused(page))
        if page.evaluate("(s) => document.activeElement.matches(s)", stop):
            return reached
    raise AssertionError(f"{stop} never reached: {json.dumps(reached)[:2000]}")


def test_a_resident_reports_with_the_keyboard_alone(
    browser, live_server, people, street, lamp, settings, tmp_path
):
    """Tab reaches each control of each step in order, each drawn with a focus
    ring; Enter moves to the next step, Space ticks the consent and Enter
    sends."""
    settings.MEDIA_ROOT = tmp_path / "media"
    context, page = context_for(browser, live_server, "desktop", "zh-hans")
    try:
        page.goto(page.base_url + "/report/")
        page.wait_for_selector(".step-progress:not([hidden])")
        rules = page.evaluate(
            """() => [...document.styleSheets].flatMap(s => [...s.cssRules])
               .map(r => r.selectorText || '')
               .filter(t => t.includes(':focus-visible'))"""
        )
        assert rules, "no :focus-visible style"

        # Step 1: the top bar, then the step's fields in order, then 下一步;
        # the description typed and a category chosen on the way.
        reached = tab_through(page, "textarea[name=description]")
        page.keyboard.type("小区门口的路灯坏了三天。")
        reached += tab_through(page, "select[name=category]")
        page.keyboard.press("ArrowDown")
        assert page.input_value("select[name=category]") != ""
        reached += tab_through(page, "[data-step=next]")
        names = [r["name"] for r in reached]
        at = [names.index(n) for n in ("description", "photos", "category", "kind")]
        assert at == sorted(at) and at[-1] < len(names) - 1, names
        unringed = [r for r in reached if not (r["visible"] and r["outline"])]
        assert unringed == [], unringed
        page.keyboard.press("Enter")
        assert page.inner_text(".step-progress") == "第 2 步，共 3 步"
        # The step's title takes the focus; the next Tab goes into the step.
        assert page.evaluate("document.activeElement.classList.contains('step-title')")

        # Step 2: the map (arrows move it, Enter drops the pin at its centre),
        # my location, the address.
        reached = tab_through(page, "#pick-map")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('[name=latitude]').value !== ''")
        assert page.locator(".leaflet-marker-icon").get_attribute("alt") == (
            "问题所在位置"
        )
        reached += tab_through(page, "input[name=address]")
        assert [r for r in reached if not (r["visible"] and r["outline"])] == []
        page.keyboard.type("东嘎社区幸福路12号")
        reached = tab_through(page, "[data-step=next]")
        page.keyboard.press("Enter")
        assert page.inner_text(".step-progress") == "第 3 步，共 3 步"

        # Step 3: name, phone, consent (Space), send (Enter).
        reached = tab_through(page, "input[name=name]")
        page.keyboard.type("卓玛")
        page.keyboard.press("Tab")
        assert focused(page)["name"] == "phone"
        page.keyboard.type("13812345678")
        tab_through(page, "input[name=consent]")
        page.keyboard.press("Space")
        assert page.is_checked("input[name=consent]")
        reached = tab_through(page, "#report-form button[type=submit]")
        assert all(r["visible"] and r["outline"] for r in reached), reached
        page.keyboard.press("Enter")
        page.wait_for_selector("#tracking-code")
        assert register_submissions() == 1
    finally:
        context.close()
