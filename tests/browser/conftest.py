"""Browser tests: Debian's chromium driven by Playwright for Python.

Playwright's own browser download does not work on closed networks, so the tests
use the system chromium (``CIVICGRID_CHROMIUM``, default /usr/bin/chromium) and skip,
saying why, where there is none. Screenshots go to var/screenshots/ for review.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from civicgrid.appeals.catalogue import category_set_terms
from civicgrid.appeals.models import Category, ResponseTemplate

CHROMIUM = os.environ.get("CIVICGRID_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}  # a phone-sized screen


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright runs an event loop in this thread; Django must allow the ORM here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Routes see a service worker's requests too: the offline app's tests take
    # the network away from its worker as from the page.
    os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def photo(tmp_path, settings) -> Path:
    """A photo on the phone, and a media folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "lamp.jpg"
    Image.new("RGB", (800, 600), (200, 80, 40)).save(path, "JPEG")
    return path


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def lamp(departments):
    """路灯不亮, a help category 城管 handles, with a reply template."""
    group = Category.objects.create(code="city", name="市容环境")
    category = Category.objects.create(
        code="street-lamp", name="路灯不亮", parent=group
    )
    category_set_terms(
        category=category,
        acting_user=None,
        kind="help",
        default_unit_type="department",
        default_department=departments["cg"],
        response_hours=2,
        handling_days=3,
    )
    ResponseTemplate.objects.create(title="已修复", body="您好，您反映的【】已修复。")
    return category


def pin_the_map(page) -> None:
    """The report's step 2: a tap in the middle of the map places the pin."""
    box = page.locator("#pick-map").bounding_box()
    page.locator("#pick-map").tap(
        position={"x": box["width"] / 2, "y": box["height"] / 2}
    )


def give_contact(page) -> None:
    """The report's step 3: a name, a number and the privacy notice accepted."""
    page.fill("input[name=name]", "卓玛")
    page.fill("input[name=phone]", "13812345678")
    page.check("input[name=consent]")
