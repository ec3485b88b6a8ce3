"""核减 through the pages: the unit asks from the appeal, the dispatcher decides."""

from __future__ import annotations

import pytest

from civicgrid.metrics.models import Exclusion, Fact

pytestmark = pytest.mark.django_db


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
    # The unit cannot decide its own request; the list is not theirs.
    assert client.get("/metrics/exclusions/").status_code == 404

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
    assert Fact.objects.filter(assignment=share, excluded=True).exists()


def test_strangers_cannot_ask_or_see(client, staff, bring):
    share = bring("closed").assignments.get(role="lead")
    for who in ("outsider", "handler_zj"):
        client.force_login(staff[who])
        response = client.post(f"/metrics/exclusions/ask/{share.pk}/", {"reason": "x"})
        assert response.status_code == 404
        assert client.get("/metrics/exclusions/").status_code == 404
    assert not Exclusion.objects.exists()
