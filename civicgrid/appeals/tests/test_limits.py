"""Limits on what the public can make the server do (issue 13, points 9, 10, 12,
13 and 14): photo pixels, the client's address behind proxies and counts shared
by every process, the API's resident intake, the resident key kept out of logged
URLs and stored messages, the tracking page and the "nearby" check."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image

from civicgrid.api.testing import api_client as api
from civicgrid.appeals.access import resident_key
from civicgrid.appeals.models import Submission
from civicgrid.core import images
from civicgrid.core.models import RateCounter
from civicgrid.notifications.models import Notification

from .conftest import INSIDE_E1, PHONE


@pytest.fixture(autouse=True)
def _limits_on(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVICGRID_RATE_LIMITS = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def form_data(street, catalogue) -> dict[str, Any]:
    return {
        "idempotency_key": "k-1",
        "description": "路灯坏了，晚上很黑。",
        "category": str(catalogue["lamp"].pk),
        "kind": "",
        "latitude": "29.605",
        "longitude": "91.005",
        "address": "",
        "name": "卓玛",
        "phone": "13812345678",
        "consent": "on",
    }


def one_colour_png(side: int, name: str) -> SimpleUploadedFile:
    """A few kilobytes on the wire, side × side pixels once decoded."""
    buffer = io.BytesIO()
    Image.new("1", (side, side), 1).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def no_decoding(monkeypatch) -> list[str]:
    decoded: list[str] = []

    def refuse(raw: bytes, *, label: str, field: str) -> Any:
        decoded.append(label)
        raise AssertionError("a photo was decoded")

    monkeypatch.setattr(images, "_decode", refuse)
    return decoded


# --- 9. image amplification ---------------------------------------------------------


def test_nine_huge_one_colour_pngs_are_refused_before_any_is_decoded(
    client, form_data, monkeypatch
):
    photos = [one_colour_png(6300, f"p{n}.png") for n in range(9)]
    assert sum(len(p.read()) for p in photos) < 2 * 1024 * 1024
    for photo in photos:
        photo.seek(0)
    decoded = no_decoding(monkeypatch)
    response = client.post(reverse("appeals:report"), {**form_data, "photos": photos})
    assert response.status_code == 400
    assert decoded == []
    errors = response.context["form"].errors
    assert "photos" in errors
    assert "too many pixels" in errors["photos"][0]
    assert "120 megapixels" in errors["photos"][0]
    assert not Submission.objects.exists()


def test_one_photo_over_the_per_photo_limit_is_refused_by_its_header(
    client, form_data, monkeypatch, settings
):
    settings.CIVICGRID_MAX_PHOTO_PIXELS = 30_000_000
    decoded = no_decoding(monkeypatch)
    huge = one_colour_png(6300, "huge.png")
    response = client.post(reverse("appeals:report"), {**form_data, "photos": [huge]})
    assert response.status_code == 400 and decoded == []
    message = response.context["form"].errors["photos"][0]
    assert "“huge.png” has too many pixels" in message


def test_the_api_refuses_the_same_photos_with_the_field_named(
    staff, monkeypatch, street
):
    decoded = no_decoding(monkeypatch)
    app = api(staff["resident"])
    body = {
        "description": "路灯坏了",
        "phone": PHONE,
        "consent": True,
        **INSIDE_E1,
        "photos": [one_colour_png(6300, f"p{n}.png") for n in range(9)],
    }
    response = app.post("/api/appeals/", body, format="multipart")
    assert response.status_code == 400, response.content
    assert decoded == []
    assert "photos" in response.content.decode()
    assert not Submission.objects.exists()


def test_ordinary_phone_photos_still_pass(client, form_data):
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), (120, 80, 40)).save(buffer, "JPEG")
    photos = [
        SimpleUploadedFile(f"IMG_{n}.jpg", buffer.getvalue(), "image/jpeg")
        for n in range(3)
    ]
    response = client.post(reverse("appeals:report"), {**form_data, "photos": photos})
    assert response.status_code == 302


# --- 10. behind a proxy; counts shared by every process --------------------------


def lookup(client, address: str, forwarded: str | None = None) -> int:
    headers = {"REMOTE_ADDR": address}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        reverse("appeals:track_lookup"), {"code": "ZZZZZZZZZZ"}, **headers
    ).status_code


def test_behind_a_trusted_proxy_each_resident_has_their_own_bucket(
    client, db, settings
):
    settings.CIVICGRID_TRUSTED_PROXIES = 1
    proxy = "10.0.0.9"
    assert [lookup(client, proxy, "1.2.3.4") for _ in range(31)][-1] == 429
    assert lookup(client, proxy, "5.6.7.8") == 200
    # A client's own X-Forwarded-For entries (left of the proxy's) change nothing.
    assert lookup(client, proxy, "9.9.9.9, 1.2.3.4") == 429


def test_without_trusted_proxies_a_forwarded_header_is_ignored(client, db, settings):
    settings.CIVICGRID_TRUSTED_PROXIES = 0
    for n in range(30):
        assert lookup(client, "10.0.0.9", f"1.2.3.{n}") == 200
    assert lookup(client, "10.0.0.9", "5.6.7.8") == 429


def test_counts_live_in_the_database_not_in_one_process(client, db, settings):
    settings.CIVICGRID_RATE_LIMIT_STORE = "database"
    for _ in range(30):
        assert lookup(client, "10.0.0.1") == 200
    cache.clear()  # another process has its own local memory; the count stays
    assert lookup(client, "10.0.0.1") == 429
    counters = list(RateCounter.objects.values_list("key", "count"))
    assert [count for _key, count in counters] == [31]
    assert "10.0.0.1" not in counters[0][0]  # only a keyed hash of the address


def test_the_cache_store_counts_in_the_configured_cache(client, db, settings):
    settings.CIVICGRID_RATE_LIMIT_STORE = "cache"
    for _ in range(30):
        assert lookup(client, "10.0.0.1") == 200
    assert lookup(client, "10.0.0.1") == 429
    assert not RateCounter.objects.exists()


# --- 12. the API's intake for resident accounts ----------------------------------


def filing(n: int) -> dict[str, Any]:
    return {
        "description": f"路灯坏了 {n}",
        "phone": PHONE,
        "consent": True,
        **INSIDE_E1,
    }


def test_a_resident_account_is_held_to_the_report_pages_limits(staff, street, settings):
    settings.CIVICGRID_INTAKE_PER_HOUR = 100
    settings.CIVICGRID_INTAKE_PER_MINUTE = 5
    app = api(staff["resident"])
    statuses = [
        app.post(
            "/api/appeals/", filing(n), format="json", HTTP_IDEMPOTENCY_KEY=f"r-{n}"
        ).status_code
        for n in range(7)
    ]
    assert statuses == [202] * 5 + [429] * 2
    assert Submission.objects.count() == 5
    refused = app.post("/api/appeals/", filing(9), format="json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) <= 60


def test_the_report_page_and_the_api_count_in_one_bucket(
    client, form_data, staff, settings
):
    settings.CIVICGRID_INTAKE_PER_MINUTE = 3
    for n in range(3):
        sent = client.post(
            reverse("appeals:report"), {**form_data, "idempotency_key": f"w-{n}"}
        )
        assert sent.status_code == 302
    app = api(staff["resident"])
    assert app.post("/api/appeals/", filing(1), format="json").status_code == 429


def test_a_resident_is_limited_per_hour_from_any_address(staff, street, settings):
    settings.CIVICGRID_INTAKE_PER_HOUR = 3
    app = api(staff["resident"])
    statuses = [
        app.post(
            "/api/appeals/", filing(n), format="json", REMOTE_ADDR=f"10.1.0.{n}"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [202, 202, 202, 429]


def test_staff_entering_calls_are_not_held_to_the_residents_limits(
    staff, street, catalogue, settings
):
    settings.CIVICGRID_INTAKE_PER_MINUTE = 1
    settings.CIVICGRID_INTAKE_PER_HOUR = 1
    desk = api(staff["operator"])
    for n in range(3):
        call = {
            "channel": "phone",
            "description": f"楼下路灯坏了 {n}",
            "kind": "help",
            "category": catalogue["lamp"].pk,
            "phone": PHONE,
            **INSIDE_E1,
        }
        assert desk.post("/api/appeals/", call, format="json").status_code == 201


# --- 13. the resident key in logs -------------------------------------------------


def test_the_sms_carries_the_key_in_a_fragment_and_the_outbox_keeps_it_encrypted(
    client, form_data
):
    from civicgrid.appeals.jobs import register_submissions

    client.post(reverse("appeals:report"), form_data)
    register_submissions()
    code = Submission.objects.get().tracking_code
    key = resident_key(code)
    message = Notification.objects.get(event="appeal.received")
    assert f"/track/{code}/#key={key}" in message.body
    assert f"/{key}/" not in message.body
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body FROM notifications_notification WHERE id = %s", [message.pk]
        )
        (stored,) = cursor.fetchone()
    assert key not in stored and code not in stored


# --- 14. the tracking page and the nearby check -----------------------------------


def test_reading_the_tracking_page_is_limited_per_address(client, submit, settings):
    settings.CIVICGRID_TRACK_PER_MINUTE = 30
    appeal = submit()
    url = reverse("appeals:track", args=[appeal.tracking_code])
    statuses = [client.get(url).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200


def nearby(client, catalogue, **extra: Any) -> Any:
    return client.post(
        reverse("appeals:nearby"),
        {
            "latitude": "29.6051",
            "longitude": "91.0051",
            "category": catalogue["lamp"].pk,
        },
        **extra,
    )


def test_nearby_says_only_the_category_and_a_coarse_distance(client, submit, catalogue):
    appeal = submit()
    content = nearby(client, catalogue).content.decode()
    assert "路灯不亮" in content
    assert re.search(r"within (50|100|200) m", content)
    assert appeal.received_at.strftime("%Y-%m-%d") not in content
    assert appeal.get_state_display() not in content
    assert str(appeal.latitude) not in content


def test_the_pin_never_goes_in_a_query_string(client, submit, catalogue):
    submit()
    asked = client.get(
        reverse("appeals:nearby"), {"latitude": "29.6051", "longitude": "91.0051"}
    )
    assert asked.status_code == 405


def test_nearby_is_limited_per_address(client, submit, catalogue, settings):
    submit()
    settings.CIVICGRID_NEARBY_PER_MINUTE = 5
    statuses = [nearby(client, catalogue).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert nearby(client, catalogue, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_photos_wait_for_a_free_decoder_and_are_refused_rather_than_queued(
    client, form_data, settings
):
    """At most CIVICGRID_PHOTO_DECODERS photos are decoded at once: with every
    slot taken, an upload is asked to come back instead of holding a worker."""
    settings.CIVICGRID_PHOTO_DECODERS = 1
    settings.CIVICGRID_PHOTO_DECODE_WAIT_SECONDS = 0
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(buffer, "JPEG")
    photo = SimpleUploadedFile("a.jpg", buffer.getvalue(), "image/jpeg")
    slots = images._slots()
    assert slots.acquire(timeout=0)
    try:
        busy = client.post(reverse("appeals:report"), {**form_data, "photos": [photo]})
    finally:
        slots.release()
    assert busy.status_code == 400
    assert "busy" in busy.context["form"].errors["photos"][0]
    assert not Submission.objects.exists()
    photo.seek(0)
    sent = client.post(reverse("appeals:report"), {**form_data, "photos": [photo]})
    assert sent.status_code == 302
