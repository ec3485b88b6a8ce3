"""A co-handler (协办) is told of its dispatch, signs for its share and completes
it itself (协办完成) with a note — or the lead closes it, with a note. The lead's
reply no longer ends an unsigned co-handler's share quietly: it is refused,
naming the co-handlers it waits for. Through the actions, the console and
the REST API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicgrid.api.testing import api_client as api
from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal, Assignment
from civicgrid.appeals.permissions import available_actions
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.notifications.models import Notification


@pytest.fixture(autouse=True)
def _chinese_and_console(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.CIVICGRID_NOTIFY_STAFF_CHANNEL = "console"


@pytest.fixture
def signed(bring, staff, departments) -> Appeal:
    """城管 leads and has signed; 住建 co-handles and has not signed yet."""
    appeal = bring("accepted")
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(department=departments["zj"])],
    )
    actions.assignment_sign(
        assignment=appeal.assignments.get(role="lead"), acting_user=staff["handler_cg"]
    )
    appeal.refresh_from_db()
    return appeal


def share(appeal: Appeal, role: str) -> Assignment:
    return appeal.assignments.select_related("appeal").get(role=role)


def told(appeal: Appeal, event: str) -> list[Notification]:
    return list(
        Notification.objects.filter(event=event, subject_ref=f"appeal:{appeal.pk}")
    )


def reply(appeal: Appeal, staff) -> Appeal:
    return actions.appeal_reply(
        assignment=share(appeal, "lead"),
        acting_user=staff["handler_cg"],
        outcome="resolved",
        public_reply="已修复",
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_lead_reply_is_refused_while_a_co_handler_is_open_and_names_it(
    signed, staff
):
    events = signed.events.count()
    with pytest.raises(DomainError) as caught:
        reply(signed, staff)
    assert caught.value.field == "co_handlers"
    assert "住建局" in caught.value.message
    signed.refresh_from_db()
    assert signed.state == Appeal.State.HANDLING
    assert share(signed, "co").state == "dispatched"
    assert signed.events.count() == events
    # The page offers the lead no reply, but closing the share.
    allowed = available_actions(staff["handler_cg"], signed)
    assert "reply" not in allowed and "close_share" in allowed


def test_the_co_handler_completes_its_share_and_the_lead_is_told(signed, staff):
    co = share(signed, "co")
    with pytest.raises(DomainError) as unsigned:
        actions.assignment_complete(
            assignment=co, acting_user=staff["handler_zj"], note="已配合"
        )
    assert unsigned.value.field == "state"
    actions.assignment_sign(assignment=co, acting_user=staff["handler_zj"])
    assert "complete_share" in available_actions(staff["handler_zj"], signed)
    with pytest.raises(DomainError) as blank:
        actions.assignment_complete(
            assignment=co, acting_user=staff["handler_zj"], note=""
        )
    assert blank.value.field == "note"

    actions.assignment_complete(
        assignment=co, acting_user=staff["handler_zj"], note="已配合排查管线"
    )

    co.refresh_from_db()
    assert co.state == "done" and co.completed_at is not None
    event = signed.events.get(action="complete_share")
    assert event.note == "已配合排查管线" and event.assignment == co
    assert [n.recipient for n in told(signed, "appeal.co_completed")] == ["handler_cg"]
    reply(signed, staff)
    signed.refresh_from_db()
    assert signed.state == Appeal.State.REPLIED


def test_only_the_co_handler_completes_its_share(signed, staff):
    co = share(signed, "co")
    actions.assignment_sign(assignment=co, acting_user=staff["handler_zj"])
    with pytest.raises(PermissionDeniedError):
        actions.assignment_complete(
            assignment=co, acting_user=staff["handler_cg"], note="替他完成"
        )
    with pytest.raises(DomainError):
        actions.assignment_complete(
            assignment=share(signed, "lead"),
            acting_user=staff["handler_cg"],
            note="主办不走协办完成",
        )
    assert share(signed, "co").state == "handling"


def test_the_lead_closes_an_unsigned_co_share_with_a_note(signed, staff):
    co = share(signed, "co")
    with pytest.raises(PermissionDeniedError):
        actions.assignment_close(
            assignment=co, acting_user=staff["handler_zj"], note="自己关"
        )
    with pytest.raises(DomainError) as blank:
        actions.assignment_close(
            assignment=co, acting_user=staff["handler_cg"], note=" "
        )
    assert blank.value.field == "note"

    actions.assignment_close(
        assignment=co, acting_user=staff["handler_cg"], note="已自行处理，无需协办"
    )

    co.refresh_from_db()
    assert co.state == "done" and co.signed_at is None
    event = signed.events.get(action="close_share")
    assert event.note == "已自行处理，无需协办"
    assert event.data["unit"] == "住建局" and event.data["share"] == co.pk
    [notice] = told(signed, "appeal.co_closed")
    assert notice.recipient == "handler_zj" and "城管局" in notice.body
    assert "reply" in available_actions(staff["handler_cg"], signed)
    reply(signed, staff)


def test_the_console_closes_a_co_share_then_replies(client, signed, staff):
    client.force_login(staff["handler_cg"])
    page = client.get(reverse("appeals:detail", args=[signed.pk]))
    assert 'id="waiting-co"' in page.content.decode()
    assert "住建局" in page.content.decode()
    assert b'id="action-reply"' not in page.content

    response = client.post(
        reverse("appeals:action", args=[signed.pk, "close_share"]),
        {
            "close_share-assignment": share(signed, "co").pk,
            "close_share-note": "已自行处理",
        },
        follow=True,
    )

    assert messages_of(response) == ["已关闭 住建局 的协办并通知该单位，现在可以答复"]
    assert b'id="action-reply"' in response.content
    assert "主办单位关闭协办： 住建局" in response.content.decode()


def test_the_api_completes_a_co_share(signed, staff):
    co_handler = api(staff["handler_zj"])
    base = f"/api/appeals/{signed.pk}"
    co_handler.post(f"{base}/sign/")
    blank = co_handler.post(f"{base}/complete-share/", {}, format="json")
    assert blank.status_code == 400 and "note" in blank.json()["error"]["fields"]

    done = co_handler.post(f"{base}/complete-share/", {"note": "已配合"}, format="json")

    assert done.status_code == 200, done.json()
    assert done.json()["message"] == "协办已完成（住建局），已告知主办单位"
    lead = api(staff["handler_cg"]).get(f"{base}/").json()
    assert "reply" in lead["actions"] and "close_share" not in lead["actions"]


def test_the_api_refuses_a_reply_naming_the_open_co_handler(signed, staff):
    answer = api(staff["handler_cg"]).post(
        f"/api/appeals/{signed.pk}/reply/",
        {"outcome": "resolved", "public_reply": "已修复"},
        format="json",
    )
    # Not offered, and refused as the action refuses it.
    assert answer.status_code == 400, answer.json()
    assert "住建局" in answer.json()["error"]["fields"]["co_handlers"][0]


def test_the_whistles_consolidated_reply_closes_open_co_shares_on_the_timeline(
    signed, staff
):
    """A whistle closes only when every summoned department is done (事不完、
    人不撤): its reply ends a co-handler's share still open, and says so."""
    actions.appeal_whistle_reply(
        appeal=signed,
        acting_user=staff["dispatcher"],
        public_reply="经联合处置，已修复",
        whistle_id=7,
    )

    signed.refresh_from_db()
    assert signed.state == Appeal.State.REPLIED
    assert share(signed, "co").state == "done"
    closed = signed.events.get(action="close_share")
    assert closed.data["unit"] == "住建局" and closed.data["whistle"] == 7
    assert closed.note and closed.actor == staff["dispatcher"]
