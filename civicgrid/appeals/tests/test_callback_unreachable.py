"""未接通: the operator's callback that did not reach the resident is a try,
counted and on the timeline; the last allowed try closes the appeal as
unreachable, which is neither resolved nor satisfied."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicgrid.api.testing import api_client as api
from civicgrid.appeals.models import Appeal


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVICGRID_CALLBACK_TRIES = 2
    settings.LANGUAGE_CODE = "zh-hans"  # the words the operator reads


def console_try(client, appeal: Appeal, **extra: str):
    return client.post(
        reverse("appeals:action", args=[appeal.pk, "callback"]),
        {"callback-call": "unreachable", **extra},
        follow=True,
    )


def test_the_console_counts_each_try_and_the_last_closes_as_unreachable(
    client, bring, staff
):
    appeal = bring("replied")
    client.force_login(staff["operator"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'name="callback-call"' in page and 'value="unreachable"' in page

    first = console_try(client, appeal, **{"callback-comment": "关机"})

    assert first.status_code == 200
    appeal.refresh_from_db()
    assert appeal.state == "replied" and appeal.callback_tries == 1
    assert [str(m) for m in first.context["messages"]] == [
        "未接通（第 1 次，共 2 次），请稍后再拨"
    ]
    event = appeal.events.get(action="callback_unreachable")
    assert event.actor == staff["operator"] and event.note == "关机"
    assert event.data == {"try": 1, "of": 2}

    console_try(client, appeal)

    appeal.refresh_from_db()
    assert appeal.state == "closed" and appeal.close_reason == "unreachable"
    assert appeal.resolved is None and appeal.satisfaction == ""
    assert appeal.events.filter(action="callback_unreachable").count() == 2
    assert appeal.events.filter(action="close_unreachable").count() == 1
    assert not appeal.events.filter(action="callback").exists()
    assert set(appeal.assignments.values_list("state", flat=True)) == {"done"}


def test_a_re_handled_appeal_s_next_callback_starts_its_tries_afresh(
    client, bring, staff
):
    appeal = bring("replied")
    client.force_login(staff["operator"])
    console_try(client, appeal)
    client.post(
        reverse("appeals:action", args=[appeal.pk, "callback"]),
        {
            "callback-call": "reached",
            "callback-resolved": "no",
            "callback-satisfaction": "unsatisfied",
        },
    )
    appeal.refresh_from_db()
    assert appeal.state == "handling" and appeal.callback_tries == 0
    client.force_login(staff["handler_cg"])
    client.post(
        reverse("appeals:action", args=[appeal.pk, "reply"]),
        {"reply-outcome": "resolved", "reply-public_reply": "已重新处理。"},
    )
    appeal.refresh_from_db()
    assert appeal.state == "replied"
    client.force_login(staff["operator"])

    console_try(client, appeal)

    appeal.refresh_from_db()
    assert appeal.state == "replied" and appeal.callback_tries == 1


def test_a_reached_callback_still_needs_the_answer(client, bring, staff):
    appeal = bring("replied")
    client.force_login(staff["operator"])

    response = client.post(
        reverse("appeals:action", args=[appeal.pk, "callback"]),
        {"callback-call": "reached"},
    )

    assert response.status_code == 400
    errors = response.context["action_forms"]["callback"].errors
    assert set(errors) == {"resolved", "satisfaction"}
    appeal.refresh_from_db()
    assert appeal.state == "replied" and appeal.callback_tries == 0


@pytest.mark.parametrize("who", ["handler_cg", "leader"])
def test_who_does_not_call_back_may_not_record_a_try(client, bring, staff, who):
    appeal = bring("replied")
    client.force_login(staff[who])

    console_try(client, appeal)
    refused = api(staff[who]).post(
        f"/api/appeals/{appeal.pk}/callback/", {"call": "unreachable"}, format="json"
    )

    assert refused.status_code == 403
    appeal.refresh_from_db()
    assert appeal.callback_tries == 0
    assert not appeal.events.filter(action="callback_unreachable").exists()


def test_an_outsider_gets_404_for_a_try(client, bring, staff):
    appeal = bring("replied")
    client.force_login(staff["outsider"])

    assert console_try(client, appeal).status_code == 404
    refused = api(staff["outsider"]).post(
        f"/api/appeals/{appeal.pk}/callback/", {"call": "unreachable"}, format="json"
    )
    assert refused.status_code == 404
    appeal.refresh_from_db()
    assert appeal.callback_tries == 0


def test_the_api_records_tries_and_closes_as_unreachable(bring, staff):
    appeal = bring("replied")
    operator = api(staff["operator"])
    step = f"/api/appeals/{appeal.pk}/callback/"

    first = operator.post(step, {"call": "unreachable"}, format="json")
    assert first.status_code == 200, first.json()
    assert first.json()["state"] == "replied"
    assert first.json()["timeline"][-1]["action"] == "callback_unreachable"

    closed = operator.post(step, {"call": "unreachable"}, format="json")

    assert closed.json()["state"] == "closed"
    assert [e["action"] for e in closed.json()["timeline"]][-3:] == [
        "callback_unreachable",
        "callback_unreachable",
        "close_unreachable",
    ]
    again = operator.post(step, {"call": "unreachable"}, format="json")
    assert again.status_code in (400, 409)
    appeal.refresh_from_db()
    assert appeal.callback_tries == 2


def test_the_api_names_the_missing_answer_of_a_reached_callback(bring, staff):
    appeal = bring("replied")

    response = api(staff["operator"]).post(
        f"/api/appeals/{appeal.pk}/callback/", {"resolved": True}, format="json"
    )

    assert response.status_code == 400
    assert "satisfaction" in str(response.json())
    appeal.refresh_from_db()
    assert appeal.state == "replied"
