"""A number typed into a ledger text is masked on every page; who keeps the
grid's ledger reads the texts whole, once, saying why, and the reveal is in the
history — with the reason and which texts, never the texts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicgrid.core import clock
from civicgrid.core.errors import PermissionDeniedError
from civicgrid.ledger.actions.reveal import ledger_reveal_texts
from civicgrid.ledger.models import Change, Patrol, Visit

from .conftest import make_building, make_component, make_household, make_opinion

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture
def household(street, ledger_people):
    household = make_household(make_building(street.grids["e1"], "2号楼"), room="301")
    household.note = f"儿子电话 {PHONE}"
    household.save()
    Visit.objects.create(
        household=household,
        visitor=ledger_people["gridworker"],
        visited_at=clock.now(),
        notes="老人身体还好",
        findings=f"女儿 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]} 周末来",
    )
    return household


def _page(client, user, household):
    client.force_login(user)
    return client.get(reverse("ledger:household", args=[household.pk]))


def test_the_keeper_reads_the_household_and_its_visits_whole_with_a_reason(
    client, household, ledger_people
):
    page = _page(client, ledger_people["gridworker"], household).content.decode()
    assert PHONE not in page and "Show the numbers in full" in page
    url = reverse("ledger:reveal_texts", args=["household", household.pk])
    response = client.post(url, {"reason": "联系家属送药"})
    text = response.content.decode()
    assert response.status_code == 200
    assert f"儿子电话 {PHONE}" in text and PHONE[7:] + " 周末来" in text
    reveals = Change.objects.filter(action="reveal").order_by("model")
    assert [(c.model, c.changes["texts"], c.reason) for c in reveals] == [
        ("household", ["note"], "联系家属送药"),
        ("visit", ["findings"], "联系家属送药"),
    ]
    assert all(PHONE not in str(c.changes) for c in reveals)


def test_without_a_reason_nothing_is_revealed(client, household, ledger_people):
    client.force_login(ledger_people["gridworker"])
    url = reverse("ledger:reveal_texts", args=["household", household.pk])
    response = client.post(url, {"reason": " "})
    assert response.status_code == 400
    assert PHONE not in response.content.decode()
    assert "Say why" in response.content.decode()
    assert not Change.objects.filter(action="reveal").exists()


@pytest.mark.parametrize("who", ["leader", "dispatcher"])
def test_a_reader_of_the_street_sees_no_form_and_is_refused(
    client, household, ledger_people, who
):
    page = _page(client, ledger_people[who], household)
    assert page.status_code == 200
    assert "Show the numbers in full" not in page.content.decode()
    url = reverse("ledger:reveal_texts", args=["household", household.pk])
    assert client.post(url, {"reason": "看看"}).status_code == 403
    assert not Change.objects.filter(action="reveal").exists()


@pytest.mark.parametrize("who", ["outsider", "gridworker_w1", "handler_cg"])
def test_who_does_not_see_the_household_gets_404(client, household, ledger_people, who):
    client.force_login(ledger_people[who])
    url = reverse("ledger:reveal_texts", args=["household", household.pk])
    assert client.post(url, {"reason": "看看"}).status_code == 404


def test_an_unknown_kind_is_404(client, household, ledger_people):
    client.force_login(ledger_people["gridworker"])
    url = reverse("ledger:reveal_texts", args=["person", household.pk])
    assert client.post(url, {"reason": "看看"}).status_code == 404


def test_no_form_where_no_number_is_masked(client, street, ledger_people):
    plain = make_household(make_building(street.grids["e1"], "3号楼"))
    page = _page(client, ledger_people["gridworker"], plain)
    assert "Show the numbers in full" not in page.content.decode()
    url = reverse("ledger:reveal_texts", args=["household", plain.pk])
    response = client.post(url, {"reason": "看看"})
    assert response.status_code == 400
    assert "no number to reveal" in response.content.decode()


def test_an_opinion_a_component_and_a_patrol_reveal_their_texts(street, ledger_people):
    worker = ledger_people["gridworker"]
    grid = street.grids["e1"]
    opinion = make_opinion(grid, worker, text=f"王师傅 {PHONE} 反映噪音")
    component = make_component(grid, note=f"物业 {PHONE}")
    patrol = Patrol.objects.create(
        worker=worker, grid=grid, started_at=clock.now(), summary=f"联系 {PHONE}"
    )
    for obj in (opinion, component, patrol):
        (text,) = ledger_reveal_texts(obj=obj, acting_user=worker, reason="回访")
        assert PHONE in text.text
    assert Change.objects.filter(action="reveal").count() == 3
    with pytest.raises(PermissionDeniedError):
        ledger_reveal_texts(
            obj=opinion, acting_user=ledger_people["leader"], reason="x"
        )


def test_the_api_reveals_through_the_same_action(household, ledger_people):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(ledger_people["gridworker"])
    url = f"/api/ledger/households/{household.pk}/reveal-texts/"
    assert api.post(url, {}, format="json").status_code == 400
    answer = api.post(url, {"reason": "联系家属"}, format="json")
    assert answer.status_code == 200
    assert any(PHONE in t["text"] for t in answer.json()["texts"])
    assert Change.objects.filter(action="reveal", reason="联系家属").count() == 2
    api.force_authenticate(ledger_people["leader"])
    assert api.post(url, {"reason": "看看"}, format="json").status_code == 403
    api.force_authenticate(ledger_people["outsider"])
    assert api.post(url, {"reason": "看看"}, format="json").status_code == 404
