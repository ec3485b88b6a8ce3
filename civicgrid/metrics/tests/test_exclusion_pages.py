"""核减 through the pages: the unit asks from the appeal, the dispatcher decides."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from civicgrid.metrics.models import Exclusion, Fact

pytestmark = pytest.mark.django_db


def said(client) -> list[str]:
    """The messages the next page shows."""
    page = client.get("/metrics/exclusions/")
    return [str(m) for m in get_messages(page.wsgi_request)]


def test_the_unit_asks_from_the_appeal_and_the_dispatcher_decides(client, staff, bring):
    appeal = bring("closed")
    share = appeal.assignments.get(role="lead")
    client.force_login(staff["handler_cg"])
    page = client.get(f"/console/appeals/{appeal.pk}/")
    assert f"/metrics/exclusions/ask/{share.pk}/" in page.content.decode()
    asked = client.post(
        f"/metrics/exclusions/ask/{share.pk}/", {"reason": "同一诉求人重复反映"}
    )
    assert asked.status_code == 302
    assert Exclusion.objects.get().state == "pending"
    assert said(client) == [
        f"Exclusion requested for 城管局 on appeal {appeal.tracking_code}; "
        "the street's dispatchers decide."
    ]
    # The unit reads its own request but cannot decide it.
    own = client.get("/metrics/exclusions/")
    assert own.status_code == 200 and "同一诉求人重复反映" in own.content.decode()
    assert 'name="approve"' not in own.content.decode()
    refused = client.post(
        "/metrics/exclusions/",
        {"exclusion": Exclusion.objects.get().pk, "approve": "yes"},
    )
    assert refused.status_code == 403
    assert Exclusion.objects.get().state == "pending"

    client.force_login(staff["dispatcher"])
    listed = client.get("/metrics/exclusions/")
    assert "同一诉求人重复反映" in listed.content.decode()
    refused = client.post(
        "/metrics/exclusions/",
        {"exclusion": Exclusion.objects.get().pk, "approve": "no"},
    )
    assert refused.status_code == 400  # a refusal needs a note
    assert Exclusion.objects.get().state == "pending"
    approved = client.post(
        "/metrics/exclusions/",
        {"exclusion": Exclusion.objects.get().pk, "approve": "yes"},
    )
    assert approved.status_code == 302
    assert Exclusion.objects.get().state == "approved"
    assert said(client) == [
        f"Exclusion approved: appeal {appeal.tracking_code} no longer counts "
        "against 城管局 in the reviewed rates."
    ]
    assert Fact.objects.filter(assignment=share, excluded=True).exists()


def test_strangers_cannot_ask_or_see(client, staff, bring):
    share = bring("closed").assignments.get(role="lead")
    for who in ("outsider", "handler_zj"):
        client.force_login(staff[who])
        response = client.post(f"/metrics/exclusions/ask/{share.pk}/", {"reason": "x"})
        assert response.status_code == 404
    assert not Exclusion.objects.exists()
    client.force_login(staff["outsider"])
    assert client.get("/metrics/exclusions/").status_code == 404


def _asked_and_decided(staff, bring):
    """One request of 城管局 waiting, one decided (refused, with a note)."""
    from civicgrid.metrics import actions

    waiting, decided = (bring("closed").assignments.get(role="lead") for _ in range(2))
    actions.exclusion_request(
        assignment=waiting, acting_user=staff["handler_cg"], reason="重复诉求"
    )
    refused = actions.exclusion_request(
        assignment=decided, acting_user=staff["handler_cg"], reason="无理诉求"
    )
    actions.exclusion_decide(
        exclusion=refused,
        acting_user=staff["dispatcher"],
        approve=False,
        note="诉求合理",
    )
    return waiting, decided


def test_the_streets_dispatchers_decide_and_its_leaders_read(client, staff, bring):
    _asked_and_decided(staff, bring)
    client.force_login(staff["dispatcher"])
    desk = client.get("/metrics/exclusions/").content.decode()
    assert "重复诉求" in desk and 'name="approve"' in desk
    assert "诉求合理" in desk  # the decision, with its note

    client.force_login(staff["leader"])
    overview = client.get("/metrics/").content.decode()
    assert 'href="/metrics/exclusions/"' in overview
    page = client.get("/metrics/exclusions/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "重复诉求" in body and "无理诉求" in body and "诉求合理" in body
    assert 'name="approve"' not in body  # read-only
    pending = Exclusion.objects.get(state="pending")
    tried = client.post(
        "/metrics/exclusions/", {"exclusion": pending.pk, "approve": "yes"}
    )
    assert tried.status_code == 403
    assert Exclusion.objects.get(pk=pending.pk).state == "pending"


def test_a_unit_reads_its_own_requests_only(client, staff, departments, bring):
    _asked_and_decided(staff, bring)
    client.force_login(staff["handler_cg"])
    unit_page = client.get(f"/metrics/departments/{departments['cg'].pk}/")
    assert 'href="/metrics/exclusions/"' in unit_page.content.decode()
    own = client.get("/metrics/exclusions/").content.decode()
    assert "重复诉求" in own and "无理诉求" in own and "诉求合理" in own
    assert 'name="approve"' not in own
    for other in ("handler_zj", "gridworker"):
        client.force_login(staff[other])
        page = client.get("/metrics/exclusions/")
        assert page.status_code == 200, other
        assert "重复诉求" not in page.content.decode(), other


@pytest.mark.parametrize("who", ["outsider", "resident", "operator"])
def test_the_exclusion_reviews_are_not_for_others(client, staff, bring, who):
    _asked_and_decided(staff, bring)
    client.force_login(staff[who])
    assert client.get("/metrics/exclusions/").status_code == 404
    pending = Exclusion.objects.get(state="pending")
    tried = client.post(
        "/metrics/exclusions/", {"exclusion": pending.pk, "approve": "yes"}
    )
    assert tried.status_code == 404
    assert Exclusion.objects.get(pk=pending.pk).state == "pending"
    if who == "operator":  # overseeing the figures, not the reviews: no link
        overview = client.get("/metrics/").content.decode()
        assert 'href="/metrics/exclusions/"' not in overview
