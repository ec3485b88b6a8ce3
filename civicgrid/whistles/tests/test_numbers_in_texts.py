"""A phone or ID number in a whistle's reason, in who came to report in or to
a joint meeting, and in its minutes, is stored masked with the original sealed;
the summoned departments see it masked; the street (or, on an appeal, who may
reveal the appeal's contact) sees it whole, and the reveal is recorded."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from civicgrid.api.testing import api_client as api
from civicgrid.appeals import actions as appeal_actions
from civicgrid.appeals.actions import Unit
from civicgrid.core import clock
from civicgrid.whistles import actions
from civicgrid.whistles.models import Whistle, WhistleType

MOBILE = "13900008000"
CHECK_IN_MOBILE = "13712344321"
ID = "540102199001011233"
WHOLE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|\d{17}[\dX])(?!\d)")
REASON = f"河道淤堵，报告人 {MOBILE}"


@pytest.fixture
def whistle(people, departments, street) -> Whistle:
    kind = WhistleType.objects.create(
        code="emergency", name="应急处置", report_in_minutes=30
    )
    blown = actions.whistle_blow(
        street=street.street,
        whistle_type=kind,
        title="河道淤堵",
        reason=REASON,
        departments=[departments["cg"], departments["zj"]],
        lead=departments["cg"],
        acting_user=people["dispatcher"],
    )
    summons = blown.summonses.get(department=departments["cg"])
    actions.summons_check_in(
        summons=summons,
        acting_user=people["handler_cg"],
        attendees=f"李明 {CHECK_IN_MOBILE}",
    )
    actions.meeting_record(
        whistle=blown,
        acting_user=people["dispatcher"],
        held_at=clock.now(),
        attendees=f"次仁（身份证 {ID}）、李明",
        decisions=f"由城管牵头，联系人 {MOBILE}",
    )
    return Whistle.objects.get(pk=blown.pk)


def test_the_whistles_texts_are_stored_masked_and_sealed(whistle):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reason, reason_sealed FROM whistles_whistle WHERE id = %s",
            [whistle.pk],
        )
        (reason, sealed), *_rest = cursor.fetchall()
        cursor.execute("SELECT attendees FROM whistles_summons")
        summonses = cursor.fetchall()
        cursor.execute("SELECT attendees, decisions FROM whistles_jointmeeting")
        meetings = cursor.fetchall()
        cursor.execute("SELECT note FROM whistles_whistleevent")
        events = cursor.fetchall()
    assert reason == "河道淤堵，报告人 139****8000" and sealed
    assert WHOLE.findall(str([sealed, summonses, meetings, events])) == []
    assert "137****4321" in str(summonses) and "5401*************3" in str(meetings)


def test_a_summoned_department_sees_the_numbers_masked(client, whistle, people):
    client.force_login(people["handler_zj"])
    page = client.get(reverse("whistles:detail", args=[whistle.pk]))
    shown = page.content.decode()
    assert page.status_code == 200
    assert WHOLE.findall(shown) == []
    assert "139****8000" in shown and "137****4321" in shown
    assert reverse("whistles:act", args=[whistle.pk, "reveal_texts"]) not in shown
    refused = client.post(reverse("whistles:act", args=[whistle.pk, "reveal_texts"]))
    assert refused.status_code == 302
    assert not whistle.events.filter(action="reveal_texts").exists()
    answer = api(people["handler_zj"]).get(f"/api/whistles/{whistle.pk}/")
    assert answer.status_code == 200 and WHOLE.findall(answer.content.decode()) == []


def test_the_streets_dispatcher_reveals_them_and_the_reveal_is_recorded(
    client, whistle, people
):
    client.force_login(people["dispatcher"])
    page = client.get(reverse("whistles:detail", args=[whistle.pk])).content.decode()
    assert WHOLE.findall(page) == []
    reveal = reverse("whistles:act", args=[whistle.pk, "reveal_texts"])
    assert reveal in page

    shown = client.post(reveal).content.decode()

    assert REASON in shown
    assert f"李明 {CHECK_IN_MOBILE}" in shown
    assert ID in shown and f"联系人 {MOBILE}" in shown
    event = whistle.events.get(action="reveal_texts")
    assert event.actor == people["dispatcher"]
    assert "reason" in event.data["texts"]
    assert WHOLE.findall(str(event.data) + event.note) == []


def test_on_an_appeal_the_appeals_rule_decides(client, submit, staff, departments):
    appeal = submit()
    appeal_actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    appeal_actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
    )
    lead = appeal.assignments.get(role="lead")
    appeal_actions.assignment_sign(assignment=lead, acting_user=staff["handler_cg"])
    kind = WhistleType.objects.create(
        code="joint", name="联合处置", report_in_minutes=30
    )
    blown = actions.whistle_blow(
        street=appeal.street,
        whistle_type=kind,
        title="路灯",
        reason=REASON,
        departments=[departments["cg"], departments["zj"]],
        lead=departments["cg"],
        acting_user=staff["dispatcher"],
        appeal=appeal,
    )
    reveal = reverse("whistles:act", args=[blown.pk, "reveal_texts"])
    # The handler of the signed share may call the resident: they may see it.
    client.force_login(staff["handler_cg"])
    assert REASON in client.post(reveal).content.decode()
    # The other summoned department holds no signed share of the appeal.
    client.force_login(staff["handler_zj"])
    assert client.post(reveal).status_code == 302
    assert blown.events.filter(action="reveal_texts").count() == 1


def test_an_outsider_gets_404(client, whistle, people):
    client.force_login(people["outsider"])
    assert client.get(reverse("whistles:detail", args=[whistle.pk])).status_code == 404
    response = client.post(reverse("whistles:act", args=[whistle.pk, "reveal_texts"]))
    assert response.status_code == 404
    assert not whistle.events.filter(action="reveal_texts").exists()
