"""先联系后办理: the handler of a signed share may see the resident's number to
call them before handling; a unit that has not signed, or no longer holds its
share, may not; an outsider does not see the appeal at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from civicgrid.api.testing import api_client as api
from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal
from civicgrid.core.errors import PermissionDeniedError

from .conftest import PHONE


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def reveal_url(appeal: Appeal) -> str:
    return reverse("appeals:action", args=[appeal.pk, "reveal_contact"])


def api_url(appeal: Appeal) -> str:
    return f"/api/appeals/{appeal.pk}/reveal-contact/"


def api_offers(user: Any, appeal: Appeal) -> list[str]:
    return api(user).get(f"/api/appeals/{appeal.pk}/").json()["actions"]


def reveals(appeal: Appeal) -> int:
    return appeal.events.filter(action="reveal_contact").count()


def test_the_handler_of_a_signed_share_is_offered_the_number_and_the_view_is_recorded(
    client, bring, staff
):
    appeal = bring("handling")
    client.force_login(staff["handler_cg"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert reveal_url(appeal) in page
    assert PHONE not in page

    response = client.post(reveal_url(appeal))

    assert response.status_code == 200
    assert PHONE in response.content.decode()
    event = appeal.events.get(action="reveal_contact")
    assert event.actor == staff["handler_cg"] and not event.public
    assert PHONE not in str(event.data) and PHONE not in event.note


def test_a_unit_whose_share_is_not_yet_signed_is_not_offered_the_number(
    client, bring, staff
):
    appeal = bring("dispatched")
    client.force_login(staff["handler_cg"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert reveal_url(appeal) not in page

    response = client.post(reveal_url(appeal))

    assert response.status_code == 302
    assert PHONE not in client.get(response.url).content.decode()
    assert reveals(appeal) == 0


def test_a_unit_that_returned_its_share_gets_404_for_the_number(client, bring, staff):
    appeal = bring("dispatched")
    lead = appeal.assignments.get(role="lead")
    actions.assignment_return(
        assignment=lead, acting_user=staff["handler_cg"], reason="不属于城管职责"
    )
    client.force_login(staff["handler_cg"])

    assert client.post(reveal_url(appeal)).status_code == 404
    assert api(staff["handler_cg"]).post(api_url(appeal)).status_code == 404
    with pytest.raises(PermissionDeniedError):
        actions.appeal_reveal_contact(appeal=appeal, acting_user=staff["handler_cg"])
    assert reveals(appeal) == 0


def test_a_co_handler_whose_signed_share_was_withdrawn_may_no_longer_see_the_number(
    client, submit, staff, departments
):
    appeal = submit()
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(department=departments["zj"])],
    )
    co_share = appeal.assignments.get(role="co")
    actions.assignment_sign(assignment=co_share, acting_user=staff["handler_zj"])
    assert "reveal_contact" in api_offers(staff["handler_zj"], appeal)
    actions.assignment_return(
        assignment=appeal.assignments.get(role="lead"),
        acting_user=staff["handler_cg"],
        reason="不属于城管职责",
    )
    co_share.refresh_from_db()
    assert co_share.state == "withdrawn"
    client.force_login(staff["handler_zj"])

    assert client.post(reveal_url(appeal)).status_code == 404
    assert api(staff["handler_zj"]).post(api_url(appeal)).status_code == 404
    with pytest.raises(PermissionDeniedError):
        actions.appeal_reveal_contact(appeal=appeal, acting_user=staff["handler_zj"])
    assert reveals(appeal) == 0


@pytest.mark.parametrize("who", ["handler_zj", "outsider"])
def test_an_outsider_gets_404_for_the_number_of_a_handled_appeal(
    client, bring, staff, who
):
    appeal = bring("handling")
    client.force_login(staff[who])

    assert client.post(reveal_url(appeal)).status_code == 404
    assert api(staff[who]).post(api_url(appeal)).status_code == 404
    assert reveals(appeal) == 0


def test_the_handler_reveals_the_number_through_the_api(bring, staff):
    appeal = bring("handling")
    handler = api(staff["handler_cg"])
    assert "reveal_contact" in api_offers(staff["handler_cg"], appeal)

    revealed = handler.post(api_url(appeal))

    assert revealed.status_code == 200
    assert revealed.json()["contact"]["phone"] == PHONE
    last = revealed.json()["timeline"][-1]
    assert last["action"] == "reveal_contact" and last["actor"] == "李明"


def test_the_api_refuses_the_number_to_a_unit_that_has_not_signed(bring, staff):
    appeal = bring("dispatched")
    handler = api(staff["handler_cg"])
    assert "reveal_contact" not in api_offers(staff["handler_cg"], appeal)

    refused = handler.post(api_url(appeal))

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert reveals(appeal) == 0


def test_no_reveal_is_offered_when_the_appeal_has_no_number(
    client, submit, staff, departments
):
    appeal: Any = submit(anonymous=True, name="", phone="")
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
    )
    actions.assignment_sign(
        assignment=appeal.assignments.get(role="lead"), acting_user=staff["handler_cg"]
    )
    client.force_login(staff["handler_cg"])

    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()

    assert reveal_url(appeal) not in page
    assert "reveal_contact" not in api_offers(staff["handler_cg"], appeal)
