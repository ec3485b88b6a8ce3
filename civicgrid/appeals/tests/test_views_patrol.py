"""A grid worker's patrol finding (网格巡查) entered on the console: no resident
to name or call, the channel chosen for them, and the finding in their own list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicgrid.appeals.models import Appeal


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def patrol_form(street, **overrides):
    return {
        "idempotency_key": "patrol-1",
        "channel": "patrol",
        "received_at": "2026-11-27T09:30",
        "street": street.street.pk,
        "priority": "normal",
        "kind": "report",
        "description": "巡查发现井盖缺失。",
        "category": "",
        "address": "林堆社区3号路口",
        # On the spot: a pin in the neighbouring community's grid.
        "latitude": "29.615",
        "longitude": "91.005",
        **overrides,
    }


def test_the_entry_form_starts_on_patrol_for_a_grid_worker(client, staff):
    client.force_login(staff["gridworker"])
    page = client.get(reverse("appeals:staff_new")).content.decode()
    assert '<option value="patrol" selected>' in page


def test_the_entry_form_starts_on_a_call_for_an_operator(client, staff):
    client.force_login(staff["operator"])
    page = client.get(reverse("appeals:staff_new")).content.decode()
    assert '<option value="phone" selected>' in page
    assert '<option value="patrol" selected>' not in page


def test_a_patrol_finding_needs_no_resident_and_is_not_anonymous(client, staff, street):
    client.force_login(staff["gridworker"])
    response = client.post(reverse("appeals:staff_new"), patrol_form(street))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.channel == "patrol"
    assert appeal.entered_by == staff["gridworker"]
    assert appeal.anonymous is False
    assert appeal.appellant_name == "" and appeal.appellant_phone == ""


def test_a_patrol_finding_lands_in_the_grid_workers_own_queue(client, staff, street):
    client.force_login(staff["gridworker"])
    response = client.post(reverse("appeals:staff_new"), patrol_form(street))
    appeal = Appeal.objects.get()
    # Found outside their grids, it is still theirs to follow.
    assert appeal.grid == street.grids["w1"]
    assert response.url == reverse("appeals:detail", args=[appeal.pk])
    assert client.get(response.url).status_code == 200
    for queue in ("new", "all"):
        listed = client.get(reverse("appeals:console_queue", args=[queue]))
        assert appeal.tracking_code in listed.content.decode(), queue


def test_another_grid_worker_does_not_see_a_patrol_finding_outside_their_grid(
    client, staff, street
):
    from civicgrid.accounts.actions import membership_add
    from civicgrid.accounts.models import Role
    from conftest import make_user

    client.force_login(staff["gridworker"])
    client.post(reverse("appeals:staff_new"), patrol_form(street, latitude="29.605"))
    appeal = Appeal.objects.get()
    assert appeal.grid == street.grids["e1"]
    other = make_user("gridworker_w2", "格桑")
    membership_add(
        user=other, role=Role.GRID_WORKER, area=street.grids["w2"], acting_user=None
    )
    client.force_login(other)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    listed = client.get(reverse("appeals:console_queue", args=["all"]))
    assert appeal.tracking_code not in listed.content.decode()


def test_a_call_still_needs_a_phone_or_anonymity(client, staff, street):
    client.force_login(staff["operator"])
    response = client.post(
        reverse("appeals:staff_new"), patrol_form(street, channel="phone")
    )
    assert response.status_code == 400
    assert "Give a phone number for the callback" in response.content.decode()
    assert not Appeal.objects.exists()


def test_anonymous_ticked_on_a_patrol_keeps_no_resident_and_no_anonymity(
    client, staff, street
):
    client.force_login(staff["gridworker"])
    form = patrol_form(street, anonymous="on", name="次仁", phone="13900001111")
    assert client.post(reverse("appeals:staff_new"), form).status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.anonymous is False
    assert appeal.appellant_name == "" and appeal.appellant_phone == ""
    listed = client.get(reverse("appeals:console_queue", args=["all"]))
    assert "patrol finding" in listed.content.decode()


def jpeg(name: str):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def kept_token(response) -> str:
    import re

    found = re.search(r'name="kept_photos" value="([^"]*)"', response.content.decode())
    assert found is not None
    return found.group(1)


def test_a_patrol_entry_sent_back_keeps_its_photos_for_the_next_try(
    client, staff, street
):
    client.force_login(staff["gridworker"])
    response = client.post(
        reverse("appeals:staff_new"),
        {
            **patrol_form(street, description=""),
            "photos": [jpeg("a.jpg"), jpeg("b.jpg")],
        },
    )
    assert response.status_code == 400
    assert "2 photos kept" in response.content.decode()
    again = client.post(
        reverse("appeals:staff_new"),
        {**patrol_form(street), "kept_photos": kept_token(response)},
    )
    assert again.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.attachments.count() == 2
    assert all(a.uploaded_by == staff["gridworker"] for a in appeal.attachments.all())


def test_another_staff_member_cannot_use_a_grid_workers_kept_photos(
    client, staff, street
):
    client.force_login(staff["gridworker"])
    response = client.post(
        reverse("appeals:staff_new"),
        {**patrol_form(street, description=""), "photos": [jpeg("a.jpg")]},
    )
    token = kept_token(response)
    client.force_login(staff["operator"])
    refused = client.post(
        reverse("appeals:staff_new"),
        {**patrol_form(street, description=""), "kept_photos": token},
    )
    assert "photo kept" not in refused.content.decode()
    assert "data:image" not in refused.content.decode()
    taken = client.post(
        reverse("appeals:staff_new"),
        {**patrol_form(street, channel="visit", anonymous="on"), "kept_photos": token},
    )
    assert taken.status_code == 302
    assert Appeal.objects.get().attachments.count() == 0
