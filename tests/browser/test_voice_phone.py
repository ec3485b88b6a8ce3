"""语音留言 on a phone: a resident records a voice message with the page's
recorder (Chromium's fake microphone), which stops itself at the limit, plays
it back, and sends the report without typing; the worker registers one appeal
with the recording, which the resident's own page plays; the street's
dispatcher listens on the console and writes it down."""

from __future__ import annotations

import pytest

from civicgrid.appeals.jobs import register_submissions
from civicgrid.appeals.models import Appeal, VoiceMessage
from tests.browser.conftest import (
    CHROMIUM,
    PHONE,
    give_contact,
    pin_the_map,
    screenshot,
)
from tests.browser.test_appeal_loop import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAKE_MICROPHONE = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


@pytest.fixture
def with_microphone(browser):
    """A browser of its own whose microphone is Chromium's fake one (a beep)."""
    own = browser.browser_type.launch(executable_path=CHROMIUM, args=FAKE_MICROPHONE)
    yield own
    own.close()


def test_a_resident_records_a_voice_message_and_sends_it_without_typing(
    with_microphone, live_server, people, lamp, settings, tmp_path
):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVICGRID_MAX_VOICE_SECONDS = 3  # the recorder stops itself at 3 s
    context = with_microphone.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        permissions=["microphone"],
    )
    context.grant_permissions(["microphone"], origin=live_server.url)
    page = context.new_page()
    page.goto(live_server.url + "/report/")

    record = page.locator("[data-voice=record]")
    assert record.is_visible()
    size = record.bounding_box()
    assert size["height"] >= 44 and size["width"] >= 44
    record.click()
    page.locator("[data-voice=stop]").wait_for(state="visible")
    # Nobody presses stop: it stops itself at the limit.
    again = page.locator("[data-voice=again]")
    again.wait_for(state="visible", timeout=10_000)
    assert page.locator("[data-voice=remove]").is_visible()
    assert page.locator(".recorder audio").is_visible()
    assert "上限" in page.inner_text(".recorder-status")  # it stopped at the limit
    chosen = page.evaluate(
        "() => { const f = document.querySelector('input[name=voice]').files;"
        " return f.length ? [f[0].name, f[0].type, f[0].size] : null; }"
    )
    assert chosen is not None and chosen[1].startswith("audio/") and chosen[2] > 500
    screenshot(page, "voice-recorded-phone")

    page.select_option("select[name=category]", label="路灯不亮")
    page.click("text=下一步")  # no description: the voice message stands for it
    pin_the_map(page)
    page.click("text=下一步")
    give_contact(page)
    page.click("main button[type=submit]")
    page.wait_for_selector("#tracking-code")
    code = page.inner_text("#tracking-code")

    assert register_submissions() == 1
    appeal = Appeal.objects.get()
    assert appeal.tracking_code == code and appeal.description == ""
    voice = VoiceMessage.objects.get()
    assert voice.appeal == appeal and voice.event.action == "submit"
    assert voice.content_type in ("audio/webm", "audio/ogg", "audio/mp4")
    assert voice.duration is not None and 1 <= voice.duration <= 3.5

    # The resident's own page plays it.
    page.click("a.button")
    player = page.locator(".voice-audio audio")
    player.wait_for(timeout=10_000)
    assert (
        page.evaluate(
            "async () => { const r = await fetch("
            "document.querySelector('.voice-audio audio').src); return r.status; }"
        )
        == 200
    )
    screenshot(page, "voice-track-phone")
    context.close()

    # The street's dispatcher listens on the console and writes it down.
    staff = with_microphone.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="zh-CN"
    )
    console = staff.new_page()
    console.base_url = live_server.url
    log_in(console, "dispatcher")
    console.goto(f"{live_server.url}/console/appeals/{appeal.pk}/")
    assert console.locator("section.card .voice-audio audio").count() == 1
    console.click("#action-transcribe summary")
    console.fill("textarea[name=transcribe-transcript]", "村口的路灯坏了，晚上很黑。")
    console.click("#action-transcribe button[type=submit]")
    console.wait_for_selector(".timeline .voice-audio")
    appeal.refresh_from_db()
    voice.refresh_from_db()
    assert appeal.description == "村口的路灯坏了，晚上很黑。"
    assert (
        voice.transcript_is_description
        and voice.transcribed_by.username == "dispatcher"
    )
    assert "村口的路灯坏了" in console.inner_text("p.description")
    screenshot(console, "voice-console-phone")
    staff.close()


def test_the_recorder_speaks_tibetan_on_the_tibetan_page(
    with_microphone, live_server, people, lamp, settings
):
    context = with_microphone.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    context.add_cookies(
        [{"name": "django_language", "value": "bo", "url": live_server.url}]
    )
    context.grant_permissions(["microphone"], origin=live_server.url)
    page = context.new_page()
    page.goto(live_server.url + "/report/")
    record = page.locator("[data-voice=record]")
    assert record.is_visible()
    # Its words are the catalogue's Tibetan, not the English msgid.
    assert "Record" not in record.inner_text()
    assert any("\u0f00" <= ch <= "\u0fff" for ch in record.inner_text())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "voice-recorder-phone-bo")
    context.close()
