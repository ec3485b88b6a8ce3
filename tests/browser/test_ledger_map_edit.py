"""The street's administrator edits the map in a real browser: drags a grid's
corner with the editing tools and saves it, draws a footprint for a building
that has none; the database holds the new shapes. The page on a phone keeps
its import form usable."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, shape

from civicgrid.ledger.models import Building
from civicgrid.ledger.tests.conftest import ledger_people as ledger_people
from civicgrid.ledger.tests.conftest import make_building
from civicgrid.org.models import Area
from conftest import PASSWORD
from tests.browser.conftest import PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

E1 = "540103001001001"
DESKTOP = {"width": 1366, "height": 900}


def _signed_in(browser, live_server, *, viewport, locale):
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return context, page


def _pixel(page, lon: float, lat: float) -> tuple[float, float]:
    """Where a point of the map is on the screen."""
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.CivicGridMapEdit.map"
        ".latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.locator("#map-edit").bounding_box()
    return box["x"] + x, box["y"] + y


def _drag(page, start, end) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=5)
    page.mouse.move(*end, steps=5)
    page.mouse.up()


def test_the_admin_moves_a_grids_corner_and_draws_a_footprint(
    browser, live_server, street, ledger_people, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    bare = make_building(street.grids["e2"], "3号楼")
    context, page = _signed_in(browser, live_server, viewport=DESKTOP, locale="zh-CN")
    page.goto(live_server.url + "/ledger/map/edit/")
    assert "地图编辑" in page.locator("h1").inner_text()
    assert page.locator(".grid-code").count() == 4  # every grid, with its code
    page.select_option("#grid-choice", E1)
    page.wait_for_timeout(400)  # the map's zoom animation
    corner = _pixel(page, 91.0, 29.6)
    inward = _pixel(page, 91.003, 29.603)
    _drag(page, corner, inward)
    page.click("#map-edit-save")
    status = page.locator("#map-edit-status")
    status.get_by_text("已保存 网格 东嘎一网格 (540103001001001) 的边界").wait_for()
    screenshot(page, "ledger-map-edit-grid-zh")

    boundary = shape(Area.objects.get(code=E1).boundary)
    corners = list(boundary.exterior.coords)
    assert (91.0, 29.6) not in corners
    moved = [
        c for c in corners if abs(c[0] - 91.003) < 3e-4 and abs(c[1] - 29.603) < 3e-4
    ]
    assert moved, corners
    # The shared border with 东嘎二网格 is untouched.
    assert any(abs(c[0] - 91.01) < 1e-9 and abs(c[1] - 29.6) < 1e-9 for c in corners)

    # A footprint for the building that has none.
    page.select_option("#building-choice", str(bare.pk))
    page.wait_for_timeout(400)
    lon, lat = bare.lon, bare.lat
    points = [
        (lon - 0.0002, lat - 0.0001),
        (lon + 0.0002, lat - 0.0001),
        (lon + 0.0002, lat + 0.0001),
        (lon - 0.0002, lat + 0.0001),
    ]
    for point in [*points, points[0]]:
        page.mouse.click(*_pixel(page, *point))
        page.wait_for_timeout(100)
    status.get_by_text("轮廓已画好").wait_for()
    page.click("#map-edit-save")
    status.get_by_text("已保存 3号楼 的轮廓").wait_for()
    screenshot(page, "ledger-map-edit-footprint-zh")
    bare.refresh_from_db()
    assert bare.footprint is not None
    drawn = shape(bare.footprint)
    assert drawn.contains(Point(lon, lat))
    assert drawn.area == pytest.approx(0.0004 * 0.0002, rel=0.1)
    assert Building.objects.get(pk=bare.pk).grid.code == "540103001001002"
    context.close()


def test_a_refused_boundary_is_shown_and_nothing_is_written(
    browser, live_server, street, ledger_people, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    before = Area.objects.get(code=E1).boundary
    context, page = _signed_in(browser, live_server, viewport=DESKTOP, locale="en-US")
    page.goto(live_server.url + "/ledger/map/edit/?grid=" + E1)
    page.wait_for_timeout(400)
    corner = _pixel(page, 91.0, 29.6)
    outside = _pixel(page, 90.998, 29.598)  # beyond the community's edge
    _drag(page, corner, outside)
    page.click("#map-edit-save")
    page.locator("#map-edit-status li.error").wait_for()
    assert "东嘎社区" in page.locator("#map-edit-status li.error").inner_text()
    screenshot(page, "ledger-map-edit-refused")
    assert Area.objects.get(code=E1).boundary == before
    context.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_editor_on_a_phone_keeps_the_import_form_usable(
    browser, live_server, street, ledger_people, settings, locale
):
    settings.LANGUAGE_CODE = "zh-hans"
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=locale,
    )
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/ledger/map/edit/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    form = page.locator("#map-import form")
    assert form.locator("input[type=file]").is_visible()
    form.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "bad.geojson",
                "mimeType": "application/json",
                "buffer": b"{not json",
            }
        ]
    )
    form.locator("button[type=submit]").click()
    page.locator("#map-import .errorlist, #map-import [role=alert]").first.wait_for()
    screenshot(page, f"ledger-map-edit-phone-{locale[:2]}")
    context.close()
