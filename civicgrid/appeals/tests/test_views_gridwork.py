"""The grid worker's pages: their grids' queue (本网格) and the checks asked of
them (待核查), an appeal of their grid read-only with the contact masked,
the steps on a share of their grid, 就地处置 from the patrol page (photos
kept through a fix), and 核查 asked by the dispatcher and recorded by the
grid worker — with the outsider's 404 everywhere."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.api.testing import jpeg_upload
from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal, Verification
from conftest import make_user

from .conftest import PHONE


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def w1_worker(street):
    worker = make_user("gridworker_w1", "格桑")
    membership_add(
        user=worker, role=Role.GRID_WORKER, area=street.grids["w1"], acting_user=None
    )
    return worker


def jpeg(name="a.jpg", color=(30, 120, 200)):
    upload = jpeg_upload(name, color)
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, upload.getvalue(), content_type="image/jpeg")


def to_grid(appeal, staff, street):
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(area=street.grids["e1"]),
    )
    return appeal


def replied(submit, staff, street, **given):
    appeal = to_grid(submit(**given), staff, street)
    share = appeal.assignments.get()
    actions.assignment_sign(assignment=share, acting_user=staff["gridworker"])
    actions.appeal_reply(
        assignment=share,
        acting_user=staff["gridworker"],
        outcome="resolved",
        public_reply="已处理。",
    )
    appeal.refresh_from_db()
    return appeal


def on_site_form(street, **change):
    return {
        "idempotency_key": "onsite-page-1",
        "grid": street.grids["e1"].pk,
        "kind": "report",
        "category": "",
        "description": "巡查发现井盖松动。",
        "address": "东嘎社区2号路口",
        "latitude": "29.605",
        "longitude": "91.005",
        "note": "已重新固定。",
        **change,
    }


def kept(response, name) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    assert found is not None
    return found.group(1)


def test_the_grid_workers_queues_list_their_grids_appeals_only(
    client, submit, staff, street
):
    mine = submit()
    theirs = submit(latitude=29.615, longitude=91.005)
    client.force_login(staff["gridworker"])
    page = client.get(reverse("appeals:console_queue", args=["my_grids"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert mine.tracking_code in text and theirs.tracking_code not in text
    assert reverse("appeals:console_queue", args=["to_verify"]) in text
    assert PHONE not in text and "138****5678" in text  # masked
    client.force_login(staff["handler_cg"])
    text = client.get(reverse("appeals:console")).content.decode()
    assert reverse("appeals:console_queue", args=["my_grids"]) not in text


def test_an_appeal_of_the_grid_is_read_only_with_the_contact_masked(
    client, submit, staff
):
    appeal = submit()
    client.force_login(staff["gridworker"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "it was not dispatched to your grid" in page
    assert 'id="action-' not in page
    assert PHONE not in page and "138****5678" in page
    refused = client.post(reverse("appeals:action", args=[appeal.pk, "accept"]))
    assert refused.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == "received"


def test_a_grid_worker_of_another_grid_gets_404_everywhere(
    client, submit, staff, street, w1_worker
):
    appeal = replied(submit, staff, street)
    client.force_login(w1_worker)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    for action in ("sign", "progress", "reply", "verify", "request_verification"):
        url = reverse("appeals:action", args=[appeal.pk, action])
        assert client.post(url, {}).status_code == 404, action
    for queue in ("my_grids", "to_verify", "all"):
        listed = client.get(reverse("appeals:console_queue", args=[queue]))
        assert appeal.tracking_code not in listed.content.decode(), queue


def test_the_grid_worker_signs_and_replies_on_the_console(
    client, submit, staff, street
):
    appeal = to_grid(submit(), staff, street)
    client.force_login(staff["gridworker"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="action-sign"' in page
    signed = client.post(
        reverse("appeals:action", args=[appeal.pk, "sign"]), follow=True
    )
    assert "Signed for (东嘎一网格)" in signed.content.decode()
    replied_page = client.post(
        reverse("appeals:action", args=[appeal.pk, "reply"]),
        {
            "reply-outcome": "resolved",
            "reply-public_reply": "已调解。",
            "reply-photos": [jpeg()],
        },
        follow=True,
    )
    assert "Replied (Resolved)." in replied_page.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == "replied"


def test_the_patrol_page_leads_a_grid_worker_to_on_the_spot(client, staff):
    client.force_login(staff["gridworker"])
    page = client.get(reverse("appeals:staff_new")).content.decode()
    assert reverse("appeals:on_site") in page
    client.force_login(staff["operator"])
    page = client.get(reverse("appeals:staff_new")).content.decode()
    assert reverse("appeals:on_site") not in page
    assert client.get(reverse("appeals:on_site")).status_code == 404


def test_on_the_spot_keeps_its_photos_through_a_fix_and_closes_for_the_grid(
    client, staff, street
):
    client.force_login(staff["gridworker"])
    first = client.post(
        reverse("appeals:on_site"),
        {**on_site_form(street), "before_photos": [jpeg("before.jpg")]},
    )
    assert first.status_code == 400
    text = first.content.decode()
    assert "Add a photo taken after you dealt with it." in text
    assert "1 photo kept" in text
    assert not Appeal.objects.exists()
    second = client.post(
        reverse("appeals:on_site"),
        {
            **on_site_form(street, note=""),
            "kept_before": kept(first, "kept_before"),
            "after_photos": [jpeg("after.jpg", (200, 200, 40))],
        },
    )
    assert second.status_code == 400
    assert "This field is required." in second.content.decode()
    third = client.post(
        reverse("appeals:on_site"),
        {
            **on_site_form(street),
            "kept_before": kept(second, "kept_before"),
            "kept_after": kept(second, "kept_after"),
        },
        follow=True,
    )
    appeal = Appeal.objects.get()
    assert third.redirect_chain[-1][0] == reverse("appeals:detail", args=[appeal.pk])
    assert (
        f"Appeal {appeal.tracking_code} recorded as dealt with on the spot and "
        "closed for 东嘎一网格." in third.content.decode()
    )
    assert appeal.state == "closed" and appeal.close_reason == "on_site"
    before = appeal.events.get(action="submit").attachments.get()
    after = appeal.events.get(action="dispose_on_site").attachments.get()
    assert before.uploaded_by == after.uploaded_by == staff["gridworker"]
    # Anyone with the code sees the photos before and after, and what was done.
    track = client.get(reverse("appeals:track", args=[appeal.tracking_code]))
    page = track.content.decode()
    assert "Before it was dealt with" in page and "After it was dealt with" in page
    assert "已重新固定。" in page
    for photo in (before, after):
        url = reverse(
            "appeals:track_photo", args=[appeal.tracking_code, photo.pk, "thumb"]
        )
        assert url in page
        assert client.get(url).status_code == 200


def test_on_the_spot_in_someone_elses_grid_is_refused_on_the_grid_field(
    client, staff, street
):
    client.force_login(staff["gridworker"])
    response = client.post(
        reverse("appeals:on_site"),
        {
            **on_site_form(street, grid=street.grids["w1"].pk),
            "before_photos": [jpeg()],
            "after_photos": [jpeg()],
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Appeal.objects.exists()


def test_the_dispatcher_asks_and_the_grid_worker_verifies_on_the_console(
    client, submit, staff, street
):
    appeal = replied(
        submit,
        staff,
        street,
        channel="patrol",
        name="",
        phone="",
        acting_user=staff["gridworker"],
    )
    client.force_login(staff["dispatcher"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="action-request_verification"' in page
    asked = client.post(
        reverse("appeals:action", args=[appeal.pk, "request_verification"]),
        {
            "request_verification-grid_worker": staff["gridworker"].pk,
            "request_verification-note": "看井盖是否装好",
        },
        follow=True,
    )
    assert "Asked 扎西 (东嘎一网格) to verify the reply on site" in (
        asked.content.decode()
    )
    assert "Waiting for 扎西 to verify the reply on site" in asked.content.decode()
    client.force_login(staff["gridworker"])
    queue = client.get(reverse("appeals:console_queue", args=["to_verify"]))
    assert appeal.tracking_code in queue.content.decode()
    missing = client.post(
        reverse("appeals:action", args=[appeal.pk, "verify"]),
        {"verify-passed": "failed", "verify-note": ""},
    )
    assert missing.status_code == 400
    assert "The reason it does not pass is required." in missing.content.decode()
    done = client.post(
        reverse("appeals:action", args=[appeal.pk, "verify"]),
        {"verify-passed": "passed", "verify-note": "已装好", "verify-photos": [jpeg()]},
        follow=True,
    )
    assert "Verified on site: the appeal is closed." in (done.content.decode())
    appeal.refresh_from_db()
    assert appeal.state == "closed" and appeal.close_reason == "verified"
    assert Verification.objects.get().state == "passed"
