"""The ledger's lists page through everything they hold — none stops at a
hidden limit — and each page link keeps the list's filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicgrid.ledger.tests.conftest import make_building, make_component

pytestmark = pytest.mark.django_db


def test_the_component_list_pages_through_every_component_keeping_its_filter(
    client, street, ledger_people
):
    e1 = street.grids["e1"]
    codes = {make_component(e1, "0120").code for _ in range(55)}
    make_component(e1, "0201")  # roads and traffic: filtered out
    client.force_login(ledger_people["gridworker"])
    url = reverse("ledger:components")
    first = client.get(url, {"major": "01", "state": "", "grid": e1.pk})
    assert first.status_code == 200
    page = first.context["components"]
    assert page.paginator.count == 55 and len(page.object_list) == 50
    html = first.content.decode()
    assert "page=2" in html and f"grid={e1.pk}" in html

    lamps = client.get(url, {"major": "01", "grid": e1.pk, "page": 2})
    assert len(lamps.context["components"].object_list) == 5
    seen = {c.code for c in first.context["components"]} | {
        c.code for c in lamps.context["components"]
    }
    assert codes <= seen


def test_the_place_list_pages_buildings_and_places_apart(client, street, ledger_people):
    e1 = street.grids["e1"]
    for n in range(52):
        make_building(e1, f"{n + 1}号楼")
    client.force_login(ledger_people["gridworker"])
    url = reverse("ledger:places")
    first = client.get(url)
    assert len(first.context["buildings"].object_list) == 50
    assert "buildings=2" in first.content.decode()
    second = client.get(url, {"buildings": 2})
    names = {b.name for b in second.context["buildings"]}
    assert len(names) == 2 and names <= {f"{n + 1}号楼" for n in range(52)}
