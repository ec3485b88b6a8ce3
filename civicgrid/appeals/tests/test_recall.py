"""撤回 and 改派: the street takes back a share its unit has not signed for, with
a reason — to dispatch the appeal again, or to another unit in the same step.
Through the actions, the console's page and the REST API; the old unit is
told, the new one too, the timeline says both, and it is never the unit's
return (退单)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from civicgrid.api.testing import api_client as api
from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal, Assignment, ExtensionRequest
from civicgrid.appeals.permissions import available_actions
from civicgrid.appeals.selectors import appeal_list_for_user
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.notifications.models import Notification


@pytest.fixture(autouse=True)
def _chinese_and_console(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.CIVICGRID_NOTIFY_STAFF_CHANNEL = "console"


def told(appeal: Appeal, event: str) -> list[str]:
    return sorted(
        Notification.objects.filter(
            event=event, subject_ref=f"appeal:{appeal.pk}"
        ).values_list("recipient", flat=True)
    )


def local(moment) -> str:
    return dateformat.format(timezone.localtime(moment), "m-d H:i")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def shared(bring, staff, departments, street) -> Appeal:
    """Dispatched to 城管 (lead) with 东嘎一网格 co-handling; nobody signed yet."""
    appeal = bring("accepted")
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(area=street.grids["e1"])],
    )
    return appeal


def share(appeal: Appeal, role: str) -> Assignment:
    return appeal.assignments.select_related("appeal").get(
        role=role, state__in=Assignment.ACTIVE_STATES
    )


# --- the actions -----------------------------------------------------------------


def test_a_recalled_lead_goes_back_to_be_dispatched_and_is_no_return(shared, staff):
    lead = share(shared, "lead")

    actions.assignment_recall(
        assignment=lead, acting_user=staff["dispatcher"], reason="派错单位"
    )

    shared.refresh_from_db()
    lead.refresh_from_db()
    assert shared.state == Appeal.State.ACCEPTED
    assert shared.return_count == 0  # the street's step, not the unit's 退单
    assert lead.state == "recalled" and lead.recall_reason == "派错单位"
    assert lead.recalled_at is not None and lead.returned_at is None
    # The co-handler goes back with its lead, as on a return.
    assert shared.assignments.get(role="co").state == "withdrawn"
    event = shared.events.get(action="recall")
    assert (event.from_state, event.to_state) == ("dispatched", "accepted")
    assert event.note == "派错单位" and event.assignment == lead
    assert event.actor == staff["dispatcher"] and event.public is False
    assert not shared.events.filter(action="return").exists()
    assert told(shared, "appeal.recalled") == ["gridworker", "handler_cg"]
    # The unit no longer follows it; the dispatcher dispatches it again.
    assert "dispatch" in available_actions(staff["dispatcher"], shared)
    assert not appeal_list_for_user(staff["handler_cg"]).filter(pk=shared.pk).exists()


def test_a_recalled_co_handler_leaves_the_lead_as_it_is(shared, staff):
    co = share(shared, "co")
    actions.assignment_sign(
        assignment=share(shared, "lead"), acting_user=staff["handler_cg"]
    )
    co.appeal.refresh_from_db()

    actions.assignment_recall(
        assignment=co, acting_user=staff["dispatcher"], reason="网格无需协办"
    )

    shared.refresh_from_db()
    assert shared.state == Appeal.State.HANDLING
    assert share(shared, "lead").state == "handling"
    assert shared.assignments.get(pk=co.pk).state == "recalled"
    assert told(shared, "appeal.recalled") == ["gridworker"]


def test_reassigning_the_lead_sends_it_to_another_unit_with_fresh_clocks(
    shared, staff, departments
):
    old = share(shared, "lead")

    new = actions.assignment_reassign(
        assignment=old,
        acting_user=staff["dispatcher"],
        to=Unit(department=departments["zj"]),
        reason="属住建职责",
    )

    shared.refresh_from_db()
    old.refresh_from_db()
    assert shared.state == Appeal.State.DISPATCHED
    assert old.state == "recalled" and old.recall_reason == "属住建职责"
    assert (new.role, new.state, new.department) == (
        "lead",
        "dispatched",
        departments["zj"],
    )
    assert shared.due_at == new.due_at and new.dispatched_by == staff["dispatcher"]
    # The co-handler stays with the new lead.
    assert share(shared, "co").state == "dispatched"
    recall, reassign = shared.events.filter(action__in=["recall", "reassign"])
    assert (recall.action, recall.assignment, recall.data["to"]) == (
        "recall",
        old,
        "住建局",
    )
    assert (reassign.action, reassign.assignment) == ("reassign", new)
    assert reassign.data["from"] == "城管局" and reassign.data["to"] == "住建局"
    assert reassign.public is True  # the resident sees who handles it now
    assert told(shared, "appeal.recalled") == ["handler_cg"]
    assert told(shared, "appeal.dispatched") == ["handler_cg", "handler_zj"]
    # The new unit signs and the appeal goes on as usual.
    actions.assignment_sign(assignment=new, acting_user=staff["handler_zj"])
    shared.refresh_from_db()
    assert shared.state == Appeal.State.HANDLING


def test_a_reassigned_co_handler_is_told_it_co_handles(shared, staff, street):
    new = actions.assignment_reassign(
        assignment=share(shared, "co"),
        acting_user=staff["dispatcher"],
        to=Unit(area=street.grids["e2"]),
        reason="在二网格",
    )

    assert new.role == "co" and new.area == street.grids["e2"]
    # The grid worker of both grids hears both: recalled, then co-handling.
    assert told(shared, "appeal.recalled") == ["gridworker"]
    assert told(shared, "appeal.co_dispatched") == ["gridworker", "gridworker"]


@pytest.mark.parametrize(
    ("to", "field"),
    [("cg", "to"), ("e1", "to")],
    ids=["the same unit", "a unit with a share already"],
)
def test_a_reassignment_to_a_unit_holding_a_share_is_refused(
    shared, staff, departments, street, to, field
):
    unit = (
        Unit(department=departments["cg"])
        if to == "cg"
        else Unit(area=street.grids["e1"])
    )
    events = shared.events.count()
    with pytest.raises(DomainError) as caught:
        actions.assignment_reassign(
            assignment=share(shared, "lead"),
            acting_user=staff["dispatcher"],
            to=unit,
            reason="改派",
        )
    assert caught.value.field == field
    assert shared.events.count() == events
    assert share(shared, "lead").department == departments["cg"]


def test_a_signed_share_cannot_be_recalled(shared, staff):
    lead = share(shared, "lead")
    actions.assignment_sign(assignment=lead, acting_user=staff["handler_cg"])
    lead.refresh_from_db()
    with pytest.raises(DomainError, match="城管局") as caught:
        actions.assignment_recall(
            assignment=lead, acting_user=staff["dispatcher"], reason="派错"
        )
    assert caught.value.field == "assignment"


@pytest.mark.parametrize("who", ["handler_cg", "operator", "leader", "outsider"])
def test_only_who_dispatches_recalls(shared, staff, who):
    with pytest.raises(PermissionDeniedError):
        actions.assignment_recall(
            assignment=share(shared, "lead"), acting_user=staff[who], reason="派错"
        )
    assert share(shared, "lead").state == "dispatched"


def test_a_recall_needs_its_reason(shared, staff):
    with pytest.raises(DomainError) as caught:
        actions.assignment_recall(
            assignment=share(shared, "lead"),
            acting_user=staff["dispatcher"],
            reason=" ",
        )
    assert caught.value.field == "reason"
    assert share(shared, "lead").state == "dispatched"


def test_the_time_a_recalled_share_asked_for_is_refused(shared, staff):
    lead = share(shared, "lead")
    request = actions.extension_request(
        assignment=lead, acting_user=staff["handler_cg"], days=2, reason="等配件"
    )
    shared.refresh_from_db()
    lead.appeal = shared
    actions.assignment_recall(
        assignment=lead, acting_user=staff["dispatcher"], reason="派错"
    )
    request.refresh_from_db()
    assert request.state == ExtensionRequest.State.REFUSED


def test_recall_and_reassign_are_offered_to_the_dispatcher_while_a_share_is_unsigned(
    shared, staff
):
    assert {"recall", "reassign"} <= available_actions(staff["dispatcher"], shared)
    for who in ("handler_cg", "gridworker", "leader"):
        assert not {"recall", "reassign"} & available_actions(staff[who], shared)
    for role, handler in (("lead", "handler_cg"), ("co", "gridworker")):
        actions.assignment_sign(
            assignment=share(shared, role), acting_user=staff[handler]
        )
    shared.refresh_from_db()
    assert not {"recall", "reassign"} & available_actions(staff["dispatcher"], shared)


# --- the console and the API --------------------------------------------------------


def test_the_dispatcher_reassigns_from_the_console(client, shared, staff, departments):
    old = share(shared, "lead")
    client.force_login(staff["dispatcher"])
    page = client.get(reverse("appeals:detail", args=[shared.pk]))
    assert b'id="action-reassign"' in page.content
    assert b'id="action-recall"' in page.content

    response = client.post(
        reverse("appeals:action", args=[shared.pk, "reassign"]),
        {
            "reassign-assignment": old.pk,
            "reassign-to": f"department:{departments['zj'].pk}",
            "reassign-reason": "属住建职责",
        },
        follow=True,
    )

    new = share(shared, "lead")
    assert messages_of(response) == [
        f"已从 城管局 改派至 住建局，并通知双方；签收时限 "
        f"{local(new.response_due_at)}，办结时限 {local(new.due_at)}"
    ]
    assert "街道撤回派单： 城管局" in response.content.decode()
    assert "改派至 住建局" in response.content.decode()
    # The old unit no longer sees it.
    client.force_login(staff["handler_cg"])
    assert client.get(reverse("appeals:detail", args=[shared.pk])).status_code == 404


def test_the_console_names_the_field_of_a_refused_recall(client, shared, staff):
    client.force_login(staff["dispatcher"])
    response = client.post(
        reverse("appeals:action", args=[shared.pk, "recall"]),
        {"recall-assignment": share(shared, "lead").pk, "recall-reason": ""},
    )
    assert response.status_code == 400
    assert response.context["action_forms"]["recall"].errors.keys() == {"reason"}
    assert share(shared, "lead").state == "dispatched"


def test_the_console_recalls_and_says_so(client, shared, staff):
    client.force_login(staff["dispatcher"])
    response = client.post(
        reverse("appeals:action", args=[shared.pk, "recall"]),
        {"recall-assignment": share(shared, "lead").pk, "recall-reason": "派错单位"},
        follow=True,
    )
    assert messages_of(response) == ["已从 城管局 撤回并通知该单位，诉求待重新派单"]
    shared.refresh_from_db()
    assert shared.state == Appeal.State.ACCEPTED


def test_the_api_reassigns_and_answers_what_it_did(shared, staff, departments):
    old = share(shared, "lead")
    desk = api(staff["dispatcher"])
    assert {"recall", "reassign"} <= set(
        desk.get(f"/api/appeals/{shared.pk}/").json()["actions"]
    )

    answer = desk.post(
        f"/api/appeals/{shared.pk}/reassign/",
        {
            "assignment": old.pk,
            "to": f"department:{departments['zj'].pk}",
            "reason": "属住建职责",
        },
        format="json",
    )

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["message"].startswith("已从 城管局 改派至 住建局")
    states = {(a["unit"]["name"], a["role"]): a["state"] for a in body["assignments"]}
    assert states[("城管局", "lead")] == "recalled"
    assert states[("住建局", "lead")] == "dispatched"
    assert [e["action"] for e in body["timeline"]][-2:] == ["recall", "reassign"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"assignment": None}, "assignment"),
        ({"assignment": 999999}, "assignment"),
        ({"reason": None}, "reason"),
        ({"to": "city:1"}, "to"),
        ({"to": None}, "to"),
    ],
)
def test_the_api_names_the_field_of_a_refused_reassignment(
    shared, staff, departments, change, field
):
    lead = share(shared, "lead")
    body = {
        "assignment": lead.pk,
        "to": f"department:{departments['zj'].pk}",
        "reason": "属住建职责",
        **change,
    }
    body = {name: value for name, value in body.items() if value is not None}
    response = api(staff["dispatcher"]).post(
        f"/api/appeals/{shared.pk}/reassign/", body, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"], response.json()
    assert share(shared, "lead").pk == lead.pk
    assert not shared.events.filter(action="recall").exists()


def test_a_handler_may_not_recall_through_the_api(shared, staff):
    response = api(staff["handler_cg"]).post(
        f"/api/appeals/{shared.pk}/recall/",
        {"assignment": share(shared, "lead").pk, "reason": "不想办"},
        format="json",
    )
    assert response.status_code == 403, response.json()
    assert share(shared, "lead").state == "dispatched"
