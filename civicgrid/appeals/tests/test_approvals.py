"""Requests waiting for a decision (待审批): an extension (延期) or an exclusion
(核减) has its own queue tab, with its count, for those who decide it — the
street's dispatchers — and nobody else; each request tells the deciders, and
each decision tells whoever asked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicgrid.api.testing import api_client as api
from civicgrid.appeals import actions
from civicgrid.appeals.models import Appeal
from civicgrid.metrics.actions import exclusion_decide, exclusion_request
from civicgrid.metrics.models import Exclusion
from civicgrid.notifications.models import Notification


@pytest.fixture(autouse=True)
def _chinese_and_console(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.CIVICGRID_NOTIFY_STAFF_CHANNEL = "console"


def told(appeal: Appeal, event: str) -> list[Notification]:
    return list(
        Notification.objects.filter(event=event, subject_ref=f"appeal:{appeal.pk}")
    )


def tabs(client, user) -> dict[str, str]:
    client.force_login(user)
    page = client.get(reverse("appeals:console_queue", args=["all"]))
    return {name: str(label) for name, label, _count in page.context["queues"]} | {
        f"{name}:count": count for name, _label, count in page.context["queues"]
    }


def ask_extension(appeal: Appeal, staff):
    return actions.extension_request(
        assignment=appeal.assignments.get(role="lead"),
        acting_user=staff["handler_cg"],
        days=2,
        reason="等配件",
    )


def test_an_extension_request_tells_the_dispatchers_and_waits_in_their_queue(
    client, bring, staff
):
    appeal = bring("handling")
    other = bring("handling")
    ask_extension(appeal, staff)

    [notice] = told(appeal, "appeal.extension_requested")
    assert notice.recipient == "dispatcher"
    assert appeal.tracking_code in notice.body and "城管局" in notice.body
    assert "2 个工作日" in notice.body and "等配件" not in notice.body

    shown = tabs(client, staff["dispatcher"])
    assert shown["pending_extension"] == "待审批（延期）"
    assert shown["pending_exclusion"] == "待审批（核减）"
    assert shown["pending_extension:count"] == 1
    page = client.get(reverse("appeals:console_queue", args=["pending_extension"]))
    assert [a.pk for a in page.context["page"]] == [appeal.pk]
    assert other.tracking_code not in page.content.decode()
    listed = api(staff["dispatcher"]).get(
        "/api/appeals/", {"queue": "pending_extension"}
    )
    assert [a["id"] for a in listed.json()["results"]] == [appeal.pk]


def test_the_decision_tells_whoever_asked_and_empties_the_queue(client, bring, staff):
    appeal = bring("handling")
    request = ask_extension(appeal, staff)

    actions.extension_decide(
        request=request, acting_user=staff["dispatcher"], approve=False, note="按期办"
    )

    assert [n.recipient for n in told(appeal, "appeal.extension_decided")] == [
        "handler_cg"
    ]
    assert tabs(client, staff["dispatcher"])["pending_extension:count"] == 0


@pytest.mark.parametrize("who", ["handler_cg", "gridworker", "operator", "leader"])
def test_the_approval_queues_are_only_for_those_who_decide(client, bring, staff, who):
    appeal = bring("handling")
    ask_extension(appeal, staff)
    shown = tabs(client, staff[who])
    assert "pending_extension" not in shown and "pending_exclusion" not in shown
    for queue in ("pending_extension", "pending_exclusion"):
        page = client.get(reverse("appeals:console_queue", args=[queue]))
        assert page.status_code == 404


def test_an_exclusion_request_tells_the_deciders_and_its_decision_the_asker(
    client, bring, staff
):
    appeal = bring("handling")
    other = bring("handling")
    lead = appeal.assignments.get(role="lead")

    asked = exclusion_request(
        assignment=lead, acting_user=staff["handler_cg"], reason="居民无理诉求"
    )

    [notice] = told(appeal, "metrics.exclusion_requested")
    assert notice.recipient == "dispatcher"
    assert appeal.tracking_code in notice.body and "居民无理诉求" not in notice.body
    assert tabs(client, staff["dispatcher"])["pending_exclusion:count"] == 1
    page = client.get(reverse("appeals:console_queue", args=["pending_exclusion"]))
    assert [a.pk for a in page.context["page"]] == [appeal.pk]
    assert other.tracking_code not in page.content.decode()
    assert reverse("metrics:exclusions") in page.content.decode()

    exclusion_decide(exclusion=asked, acting_user=staff["dispatcher"], approve=True)

    [answer] = told(appeal, "metrics.exclusion_decided")
    assert answer.recipient == "handler_cg" and "已批准" in answer.body
    assert Exclusion.objects.get().state == Exclusion.State.APPROVED
    assert tabs(client, staff["dispatcher"])["pending_exclusion:count"] == 0


def test_a_refused_exclusion_says_so_to_the_asker(bring, staff):
    appeal = bring("handling")
    asked = exclusion_request(
        assignment=appeal.assignments.get(role="lead"),
        acting_user=staff["handler_cg"],
        reason="不合理",
    )
    exclusion_decide(
        exclusion=asked, acting_user=staff["dispatcher"], approve=False, note="应办"
    )
    [answer] = told(appeal, "metrics.exclusion_decided")
    assert answer.recipient == "handler_cg" and "未获批准" in answer.body
