"""An appeal names its component from the appeal's page, by the component's
code: who keeps the ledger of the appeal's grid may link one they keep; readers
see the link but not the form; an outsider gets 404. The component's page then
lists the appeal, as when the link is made from the component's side."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicgrid.appeals.models import Appeal
from civicgrid.core import clock
from civicgrid.ledger.models import Change, ComponentAppeal
from civicgrid.ledger.tests.conftest import make_component
from conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(street, ledger_people, departments):
    e1, w1 = street.grids["e1"], street.grids["w1"]
    appeal = Appeal.objects.create(
        tracking_code="LAMPE1AB23",
        street=street.street,
        grid=e1,
        description="路灯不亮",
        channel="patrol",
        kind="help",
        received_at=clock.now(),
    )
    return {
        "appeal": appeal,
        "lamp": make_component(e1, "0120", department=departments["cg"]),
        "west_lamp": make_component(w1, "0120", department=departments["cg"]),
    }


def _name(client, user, appeal, code):
    client.force_login(user)
    return client.post(
        reverse("ledger:appeal_component", args=[appeal.pk]),
        {"component": code},
        follow=True,
    )


def test_a_grid_worker_names_the_component_from_the_appeals_page(
    client, rows, ledger_people
):
    appeal, lamp = rows["appeal"], rows["lamp"]
    client.force_login(ledger_people["gridworker"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="appeal-component-code"' in page

    response = _name(client, ledger_people["gridworker"], appeal, lamp.code.lower())
    page = response.content.decode()
    assert f"Appeal {appeal.tracking_code} is linked to component {lamp.code}" in page
    assert reverse("ledger:component", args=[lamp.pk]) in page
    assert ComponentAppeal.objects.filter(component=lamp, appeal=appeal).exists()
    change = Change.objects.filter(model="component", object_id=lamp.pk).latest("pk")
    assert change.changes == {"appeals": [None, appeal.tracking_code]}

    component_page = client.get(reverse("ledger:component", args=[lamp.pk]))
    assert appeal.tracking_code in component_page.content.decode()

    again = _name(client, ledger_people["gridworker"], appeal, lamp.code)
    assert "already linked" in again.content.decode()
    assert ComponentAppeal.objects.filter(appeal=appeal).count() == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Give the component&#x27;s code."),
        ("9999999999", "There is no component 9999999999 in the ledger you keep."),
        ("west", "in the ledger you keep."),
    ],
)
def test_an_unknown_or_foreign_code_is_refused_and_nothing_is_linked(
    client, rows, ledger_people, code, message
):
    if code == "west":
        code = rows["west_lamp"].code  # a component of a grid they do not keep
    response = _name(client, ledger_people["gridworker"], rows["appeal"], code)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "is linked to component" not in page
    assert not ComponentAppeal.objects.exists()


def test_readers_see_the_named_component_but_cannot_name_one(
    client, rows, ledger_people
):
    appeal, lamp = rows["appeal"], rows["lamp"]
    ComponentAppeal.objects.create(component=lamp, appeal=appeal, linked_at=clock.now())
    dispatcher = ledger_people["dispatcher"]
    client.force_login(dispatcher)
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert reverse("ledger:component", args=[lamp.pk]) in page
    assert 'id="appeal-component-code"' not in page

    response = _name(client, dispatcher, appeal, rows["west_lamp"].code)
    assert "You do not keep the ledger" in response.content.decode()
    assert ComponentAppeal.objects.filter(appeal=appeal).count() == 1


def test_who_cannot_see_the_appeal_gets_404(client, rows):
    response = _name(client, make_user("passer_by"), rows["appeal"], rows["lamp"].code)
    assert response.status_code == 404
    assert not ComponentAppeal.objects.exists()
