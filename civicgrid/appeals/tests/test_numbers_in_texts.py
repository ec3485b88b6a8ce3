"""A phone or ID number typed into an appeal's texts (the description, a
reply, its reason, a progress note, a return's reason) is stored masked with
the original encrypted beside it; staff see it masked unless they may reveal
the contact, which is recorded; the public record never shows it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from civicgrid.api.testing import api_client as api
from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal, Assignment, CaseEvent
from civicgrid.core import crypto
from civicgrid.core.fields import full_text
from civicgrid.notifications.models import Notification

MOBILE = "13900008000"
LANDLINE = "0891-6812345"
ID = "540102199001011233"  # synthetic, with its check digit
REPLY_MOBILE = "13712344321"
DESCRIPTION = f"路灯坏了三天。联系我 {MOBILE}，身份证 {ID}。"
# Whole numbers as a person types them: a mobile, a landline, an ID number.
WHOLE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0891-?6812345|\d{17}[\dX])(?!\d)")


def whole_numbers(text: str) -> list[str]:
    return WHOLE.findall(text)


TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def replied(submit, staff, departments) -> Appeal:
    """An appeal with numbers in its description, a progress note, the reply
    and its reason."""
    appeal = submit(description=DESCRIPTION)
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
    )
    lead = appeal.assignments.get(role="lead")
    actions.assignment_sign(assignment=lead, acting_user=staff["handler_cg"])
    actions.assignment_progress(
        assignment=lead,
        acting_user=staff["handler_cg"],
        note=f"已电话联系 {MOBILE}，约好明早上门。",
        public=True,
    )
    actions.appeal_reply(
        outcome="not_resolved",
        outcome_reason=f"需供电所处理，请拨 {LANDLINE}",
        assignment=lead,
        acting_user=staff["handler_cg"],
        public_reply=f"已转供电所，负责人电话 {REPLY_MOBILE}。",
    )
    appeal.refresh_from_db()
    return appeal


def column(table: str, name: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


# --- storage ------------------------------------------------------------------------


def test_the_column_holds_the_text_masked_and_the_companion_the_original_encrypted(
    submit,
):
    appeal = submit(description=DESCRIPTION)

    stored = column("appeals_appeal", "description", appeal.pk)
    sealed = column("appeals_appeal", "description_sealed", appeal.pk)
    assert stored == "路灯坏了三天。联系我 139****8000，身份证 5401*************3。"
    assert whole_numbers(stored) == [] and whole_numbers(sealed) == []
    assert crypto.decrypt(sealed) == DESCRIPTION
    fresh = Appeal.objects.get(pk=appeal.pk)
    assert fresh.description == stored and full_text(fresh, "description") == (
        DESCRIPTION
    )


def test_a_text_without_numbers_has_no_companion(submit):
    appeal = submit(description="楼下路灯坏了三天，网格 540103001001001。")
    assert column("appeals_appeal", "description_sealed", appeal.pk) == ""
    assert appeal.description == "楼下路灯坏了三天，网格 540103001001001。"


def test_saving_again_keeps_the_original_and_a_new_text_replaces_it(submit):
    appeal = Appeal.objects.get(pk=submit(description=DESCRIPTION).pk)
    appeal.save()
    assert full_text(Appeal.objects.get(pk=appeal.pk), "description") == DESCRIPTION

    appeal.description = "改为：没有号码"
    appeal.save(update_fields=["description"])
    assert column("appeals_appeal", "description_sealed", appeal.pk) == ""


def test_a_partial_save_writes_the_companion_too(submit):
    appeal = submit(description="路灯坏了")
    appeal.description = f"路灯坏了，电话 {REPLY_MOBILE}"
    appeal.save(update_fields=["description"])

    assert (
        column("appeals_appeal", "description", appeal.pk)
        == "路灯坏了，电话 137****4321"
    )
    sealed = column("appeals_appeal", "description_sealed", appeal.pk)
    assert crypto.decrypt(sealed) == f"路灯坏了，电话 {REPLY_MOBILE}"


def test_an_update_that_forgets_the_companion_never_stores_a_number_in_clear(
    submit,
):
    appeal = submit(description="路灯坏了")
    Appeal.objects.filter(pk=appeal.pk).update(description=f"电话 {MOBILE}")
    event = appeal.events.get(action="submit")
    CaseEvent.objects.filter(pk=event.pk).update(note=f"身份证 {ID}")

    assert column("appeals_appeal", "description", appeal.pk) == "电话 139****8000"
    assert whole_numbers(column("appeals_caseevent", "note", event.pk)) == []


def test_every_text_of_the_timeline_is_stored_masked(replied):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT note, data FROM appeals_caseevent WHERE appeal_id = %s",
            [replied.pk],
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT reply_outcome_reason FROM appeals_appeal WHERE id = %s",
            [replied.pk],
        )
        rows += cursor.fetchall()
    assert rows and whole_numbers(str(rows)) == []
    reply = replied.events.get(action="reply")
    assert reply.data["outcome_reason"] == "需供电所处理，请拨 0891-***2345"
    assert "outcome_reason_sealed" in reply.data


def test_a_return_reason_is_sealed(submit, staff, departments):
    appeal = submit()
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
    )
    lead = appeal.assignments.get(role="lead")
    actions.assignment_return(
        assignment=lead,
        acting_user=staff["handler_cg"],
        reason=f"不属于城管，请转 {LANDLINE}",
    )
    assert column("appeals_assignment", "return_reason", lead.pk) == (
        "不属于城管，请转 0891-***2345"
    )
    assert full_text(Assignment.objects.get(pk=lead.pk), "return_reason") == (
        f"不属于城管，请转 {LANDLINE}"
    )


# --- the public record --------------------------------------------------------------


def test_the_tracking_page_and_its_api_show_no_number_not_even_masked(client, replied):
    code = replied.tracking_code
    page = client.get(reverse("appeals:track", args=[code])).content.decode()
    answer = client.get(f"/api/track/{code}/").content.decode()

    for shown in (page, answer):
        assert whole_numbers(shown) == []
        # Timestamps (their microseconds) and the tracking code are digits of
        # their own, whatever the run: only what is left may not hold a number.
        shown = TIMESTAMP.sub("", shown).replace(code, "")
        assert "****" not in shown and "8000" not in shown and "4321" not in shown
        assert "2345" not in shown and "1233" not in shown
    assert "[number hidden]" in page and "需供电所处理" in page
    assert "已转供电所" in answer


def test_a_rejected_appeals_reason_shows_no_number_on_the_tracking_page(
    client, submit, staff
):
    appeal = submit()
    actions.appeal_reject(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        reason=f"请直接致电供电所 {LANDLINE}",
    )
    page = client.get(reverse("appeals:track", args=[appeal.tracking_code]))
    assert "请直接致电供电所" in page.content.decode()
    assert "2345" not in TIMESTAMP.sub("", page.content.decode())
    answer = client.get(f"/api/track/{appeal.tracking_code}/").json()
    assert answer["reject_reason"] == "请直接致电供电所 [number hidden]"


# --- staff pages --------------------------------------------------------------------


def test_staff_who_may_not_reveal_see_the_numbers_masked(
    client, replied, submit, staff, departments
):
    # A department whose share is only dispatched, on another appeal.
    waiting = submit(description=DESCRIPTION)
    actions.appeal_accept(appeal=waiting, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=waiting,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
    )
    pages = []
    client.force_login(staff["handler_cg"])
    pages.append(client.get(reverse("appeals:detail", args=[waiting.pk])))
    pages.append(client.get(reverse("appeals:console"), follow=True))
    client.force_login(staff["leader"])
    pages.append(client.get(reverse("appeals:detail", args=[replied.pk])))
    pages.append(client.get(reverse("appeals:detail", args=[waiting.pk])))
    pages.append(api(staff["leader"]).get(f"/api/appeals/{replied.pk}/"))

    for response in pages:
        assert response.status_code == 200
        shown = response.content.decode()
        assert whole_numbers(shown) == []
    detail = pages[2].content.decode()
    assert "139****8000" in detail and "5401*************3" in detail
    assert "137****4321" in detail and "0891-***2345" in detail
    reveal = reverse("appeals:action", args=[replied.pk, "reveal_contact"])
    assert reveal not in detail


def test_who_may_reveal_sees_every_sealed_text_whole_and_the_reveal_is_recorded(
    client, replied, staff
):
    client.force_login(staff["dispatcher"])
    page = client.get(reverse("appeals:detail", args=[replied.pk])).content.decode()
    assert whole_numbers(page) == []

    shown = client.post(
        reverse("appeals:action", args=[replied.pk, "reveal_contact"])
    ).content.decode()

    assert DESCRIPTION in shown
    assert f"已电话联系 {MOBILE}" in shown
    assert f"负责人电话 {REPLY_MOBILE}" in shown
    assert f"请拨 {LANDLINE}" in shown
    event = replied.events.get(action="reveal_contact")
    assert event.actor == staff["dispatcher"]
    progress = replied.events.get(action="progress")
    reply = replied.events.get(action="reply")
    assert set(event.data["texts"]) >= {
        "description",
        "reply_outcome_reason",
        f"event:{progress.pk}",
        f"event:{reply.pk}",
        f"event:{reply.pk}:outcome_reason",
    }
    assert whole_numbers(str(event.data) + event.note) == []
    # The next view is masked again.
    again = client.get(reverse("appeals:detail", args=[replied.pk])).content.decode()
    assert whole_numbers(again) == []


def test_an_anonymous_appeal_with_a_number_offers_the_reveal(client, submit, staff):
    appeal = submit(description=DESCRIPTION, name="", phone="", anonymous=True)
    client.force_login(staff["dispatcher"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert reverse("appeals:action", args=[appeal.pk, "reveal_contact"]) in page


def test_the_api_reveal_answers_the_texts_in_full(replied, staff):
    plain = api(staff["handler_cg"]).get(f"/api/appeals/{replied.pk}/").json()
    assert plain["texts_in_full"] is None
    assert whole_numbers(str(plain)) == []

    dispatcher = api(staff["dispatcher"])
    revealed = dispatcher.post(f"/api/appeals/{replied.pk}/reveal-contact/").json()

    assert revealed["texts_in_full"]["description"] == DESCRIPTION
    assert "texts" not in revealed["contact"]
    assert replied.events.filter(action="reveal_contact").count() == 1


def test_an_outsider_gets_404_for_the_appeal_and_its_reveal(client, replied, staff):
    client.force_login(staff["outsider"])
    assert client.get(reverse("appeals:detail", args=[replied.pk])).status_code == 404
    response = client.post(
        reverse("appeals:action", args=[replied.pk, "reveal_contact"])
    )
    assert response.status_code == 404
    answer = api(staff["outsider"]).post(f"/api/appeals/{replied.pk}/reveal-contact/")
    assert answer.status_code == 404
    assert not replied.events.filter(action="reveal_contact").exists()


# --- messages -----------------------------------------------------------------------


def test_message_bodies_carry_typed_numbers_masked(replied, staff, people):
    actions.verification_request(
        appeal=replied,
        acting_user=staff["dispatcher"],
        grid_worker=people["gridworker"],
        note=f"请核实，居民电话 {MOBILE}",
    )
    bodies = " ".join(Notification.objects.values_list("body", flat=True))
    assert bodies and whole_numbers(bodies) == []


# --- the data migration -------------------------------------------------------------


def test_the_migration_seals_the_texts_written_before(submit):
    from importlib import import_module

    from django.apps import apps

    appeal = submit(description="路灯坏了")
    event = appeal.events.get(action="submit")
    with connection.cursor() as cursor:  # as they were: in clear
        cursor.execute(
            "UPDATE appeals_appeal SET description = %s WHERE id = %s",
            [DESCRIPTION, appeal.pk],
        )
        cursor.execute(
            "UPDATE appeals_caseevent SET note = %s WHERE id = %s",
            [f"电话 {MOBILE}", event.pk],
        )
    migration = import_module("civicgrid.appeals.migrations.0012_seal_existing_texts")

    migration.seal(apps, None)

    assert whole_numbers(column("appeals_appeal", "description", appeal.pk)) == []
    assert full_text(Appeal.objects.get(pk=appeal.pk), "description") == DESCRIPTION
    assert column("appeals_caseevent", "note", event.pk) == "电话 139****8000"
    assert full_text(CaseEvent.objects.get(pk=event.pk), "note") == f"电话 {MOBILE}"
