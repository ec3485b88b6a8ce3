"""The grid map in a real browser: a grid worker on a phone sees the damaged
lamp of their grid, turns layers on and off and opens the lamp's page from the
map; a leader at a desk turns on the party-building sandbox and sees the 联建
pair and the count of party members, never a name."""

from __future__ import annotations

import datetime as dt

import pytest

from civicgrid.ledger.models import Organisation, Pairing, PersonTag, Residence
from civicgrid.ledger.tests.conftest import (
    centre,
    make_building,
    make_component,
    make_household,
    make_opinion,
    make_person,
)
from civicgrid.ledger.tests.conftest import ledger_people as ledger_people
from conftest import PASSWORD
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


def _log_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def _loaded(page, layer: str, times: int = 1) -> None:
    page.wait_for_function(
        "([name, n]) => (document.getElementById('ledger-map').dataset.loaded || '')"
        ".split(' ').filter((x) => x === name).length >= n",
        arg=[layer, times],
    )


@pytest.fixture
def lamp_in_e1(street, departments):
    lon, lat = centre(street.grids["e1"])
    return make_component(
        street.grids["e1"],
        "0120",
        state="damaged",
        lon=lon,
        lat=lat,
        department=departments["cg"],
    )


def test_a_grid_worker_opens_a_damaged_lamp_from_the_map_on_a_phone(
    phone, street, ledger_people, lamp_in_e1, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    e1 = street.grids["e1"]
    make_opinion(
        e1,
        ledger_people["gridworker"],
        risk="urgent",
        lon=centre(e1)[0] + 0.002,
        lat=centre(e1)[1] + 0.002,
        topic="用电",
    )
    page = phone
    _log_in(page, page.base_url, "gridworker")
    page.goto(page.base_url + "/ledger/map/")
    _loaded(page, "components")
    damaged = "#ledger-map path.leaflet-interactive[fill='#c62828']"
    assert page.locator(damaged).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "ledger-map-phone")

    # Layers: the panel folds on a phone; open it, add 社情民意, drop components.
    page.click("#map-layers summary")
    page.check("input[value=opinions]")
    _loaded(page, "opinions")
    assert (
        page.locator("#ledger-map path.leaflet-interactive[fill='#b71c1c']").count()
        == 1
    )
    page.uncheck("input[value=components]")
    page.wait_for_function(
        "() => !document.querySelector(\"#ledger-map path[fill='#c62828']\")"
    )
    page.check("input[value=components]")
    _loaded(page, "components", 2)
    screenshot(page, "ledger-map-layers-phone")

    page.click("#map-layers summary")  # folded again: the map has the screen
    page.locator(damaged).click()
    page.click(".leaflet-popup-content a")
    page.wait_for_url(f"**/ledger/components/{lamp_in_e1.pk}/")
    assert lamp_in_e1.code in page.inner_text("main")


def test_a_leader_sees_the_party_building_sandbox_at_a_desk(
    browser, live_server, street, ledger_people, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    e1 = street.grids["e1"]
    lon, lat = centre(e1)
    household = make_household(make_building(e1, "1号楼"))
    for name in ("次仁旺姆", "扎西多吉"):
        person = make_person(household, name)
        Residence.objects.create(
            person=person, household=household, moved_in_on=dt.date(2000, 1, 1)
        )
        PersonTag.objects.create(
            person=person, tag=PersonTag.Tag.PARTY_MEMBER, since=dt.date(2001, 7, 1)
        )
    unit = Organisation.objects.create(
        kind="unit_branch",
        name="区住建局机关党支部",
        area=street.street,
        lon=lon + 0.006,
        lat=lat + 0.006,
    )
    branch = Organisation.objects.create(
        kind="grid_branch", name="东嘎一网格大支部", area=e1, lon=lon, lat=lat
    )
    Pairing.objects.create(
        unit_branch=unit, grid_branch=branch, since=dt.date(2025, 3, 1)
    )

    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    _log_in(page, live_server.url, "leader")
    page.goto(live_server.url + "/ledger/map/")
    _loaded(page, "grids")
    for name in ("components", "overdue"):
        page.uncheck(f"input[value={name}]")
    for name in ("organisations", "members", "pairings"):
        page.check(f"input[value={name}]")
        _loaded(page, name)
    assert page.locator("#ledger-map path[stroke-dasharray]").count() == 1  # 联建
    assert page.inner_text(".count-marker") == "2"
    text = page.inner_text("#ledger-map")
    assert "次仁旺姆" not in text and "扎西多吉" not in text
    assert page.inner_text("[data-count=pairings]") == "(1)"
    screenshot(page, "ledger-map-sandbox-desktop")

    # What was ticked is there again next time.
    page.reload()
    _loaded(page, "pairings")
    assert page.is_checked("input[value=pairings]")
    assert not page.is_checked("input[value=components]")
    context.close()
