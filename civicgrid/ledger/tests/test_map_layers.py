"""The grid map's layers as each role sees them: only what the user may see,
only inside the box asked for, cut at the cap with ``truncated``, no resident's
name or number on any layer; a bad box or layer named; an outsider 404."""

from __future__ import annotations

import datetime as dt
import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from civicgrid.appeals.models import Appeal, Assignment
from civicgrid.core import clock
from civicgrid.ledger import map_selectors
from civicgrid.ledger.models import Organisation, Pairing, PersonTag, Place, Residence
from civicgrid.ledger.tests.conftest import (
    centre,
    id_number,
    make_building,
    make_component,
    make_household,
    make_opinion,
    make_person,
)
from conftest import make_user

pytestmark = pytest.mark.django_db

WHOLE_ID = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")
WHOLE_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
STREET_BOX = "90.99,29.59,91.03,29.63"


@pytest.fixture
def ledger(street, ledger_people, departments):
    e1, w1 = street.grids["e1"], street.grids["w1"]
    rows: dict[str, Any] = {
        "lamp": make_component(e1, "0120", department=departments["cg"]),
        "cover": make_component(
            e1, "0101", state="damaged", department=departments["zj"]
        ),
        "west_lamp": make_component(w1, "0120", department=departments["cg"]),
        "opinion": make_opinion(
            e1,
            ledger_people["gridworker"],
            text="卓玛说她家电话 13900008000 没人接",
            risk="warning",
            lon=centre(e1)[0],
            lat=centre(e1)[1],
        ),
    }
    lon, lat = centre(e1)
    rows["station"] = Place.objects.create(
        grid=e1, lon=lon, lat=lat, kind=Place.Kind.SERVICE_STATION, name="龙行侠微e站"
    )
    household = make_household(make_building(e1, "1号楼"))
    for serial, name in ((901, "次仁旺姆"), (902, "扎西多吉")):
        person = make_person(
            household, name, number=id_number(serial=serial), phone=f"1390000{serial}0"
        )
        Residence.objects.create(
            person=person, household=household, moved_in_on=dt.date(2000, 1, 1)
        )
        PersonTag.objects.create(
            person=person, tag=PersonTag.Tag.PARTY_MEMBER, since=dt.date(2001, 7, 1)
        )
    unit = Organisation.objects.create(
        kind="unit_branch",
        name="区住建局机关党支部",
        area=street.street,
        lon=91.015,
        lat=29.615,
    )
    branch = Organisation.objects.create(
        kind="grid_branch", name="东嘎一网格大支部", area=e1, lon=lon, lat=lat
    )
    Pairing.objects.create(
        unit_branch=unit, grid_branch=branch, since=dt.date(2025, 3, 1)
    )
    now = clock.now()
    appeal = Appeal.objects.create(
        tracking_code="LATEE1AB23",
        street=street.street,
        grid=e1,
        description="井盖丢了",
        channel="patrol",
        kind="help",
        state=Appeal.State.DISPATCHED,
        received_at=now - timedelta(days=10),
        latitude=lat,
        longitude=lon,
    )
    Assignment.objects.create(
        appeal=appeal,
        role=Assignment.Role.LEAD,
        department=departments["zj"],
        state=Assignment.State.DISPATCHED,
        dispatched_at=now - timedelta(days=10),
        response_due_at=now - timedelta(days=9),
        due_at=now - timedelta(days=2),
        warn_at=now - timedelta(days=3),
    )
    rows["appeal"] = appeal
    return rows


def _layer(client, user, layer, bbox=STREET_BOX):
    client.force_login(user)
    return client.get(reverse("ledger:map_layer", args=[layer]), {"bbox": bbox})


def _urls(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {f["properties"]["url"] for f in response.json()["features"]}


def _page(name, pk):
    return reverse(f"ledger:{name}", args=[pk])


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("gridworker", {"lamp", "cover"}),
        ("community_east", {"lamp", "cover"}),
        ("gridworker_w1", {"west_lamp"}),
        ("dispatcher", {"lamp", "cover", "west_lamp"}),
        ("leader", {"lamp", "cover", "west_lamp"}),
        ("admin", {"lamp", "cover", "west_lamp"}),
        ("handler_cg", {"lamp", "west_lamp"}),
        ("handler_zj", {"cover"}),
    ],
)
def test_each_role_sees_the_components_it_may(client, ledger, ledger_people, who, sees):
    urls = _urls(_layer(client, ledger_people[who], "components"))
    assert urls == {_page("component", ledger[key].pk) for key in sees}


def test_a_component_shows_its_state_and_a_damaged_one_stands_out(
    client, ledger, ledger_people
):
    answer = _layer(client, ledger_people["gridworker"], "components").json()
    states = {
        f["properties"]["url"]: f["properties"]["state"] for f in answer["features"]
    }
    assert states[_page("component", ledger["cover"].pk)] == "damaged"
    assert states[_page("component", ledger["lamp"].pk)] == "good"


def test_the_box_decides_what_is_answered(client, ledger, ledger_people, street):
    west, south = 91.0, 29.6  # e1 is [91.00, 91.01] × [29.60, 29.61]
    inside = f"{west},{south},{west + 0.01},{south + 0.01}"
    beside = "91.011,29.6,91.02,29.609"  # e2 only: nothing of e1's points
    admin = ledger_people["admin"]
    assert _page("component", ledger["lamp"].pk) in _urls(
        _layer(client, admin, "components", inside)
    )
    assert _urls(_layer(client, admin, "components", beside)) == set()
    grids = _layer(client, admin, "grids", beside).json()["features"]
    assert {f["properties"]["code"] for f in grids} >= {street.grids["e2"].code}
    assert street.grids["w2"].code not in {f["properties"]["code"] for f in grids}


def test_the_grid_layer_names_the_grid_workers(client, ledger, ledger_people, street):
    grids = _layer(client, ledger_people["dispatcher"], "grids").json()["features"]
    e1 = next(f for f in grids if f["properties"]["code"] == street.grids["e1"].code)
    assert e1["properties"]["workers"] == [ledger_people["gridworker"].get_full_name()]
    assert e1["geometry"]["type"] == "Polygon"


def test_a_layer_stops_at_its_cap_and_says_so(
    client, ledger, ledger_people, monkeypatch
):
    monkeypatch.setattr(map_selectors, "MAX_FEATURES", 2)
    answer = _layer(client, ledger_people["admin"], "components").json()
    assert len(answer["features"]) == 2 and answer["truncated"] is True
    answer = _layer(client, ledger_people["admin"], "stations").json()
    assert len(answer["features"]) == 1 and answer["truncated"] is False


@pytest.mark.parametrize(
    ("bbox", "field"),
    [
        ("", "bbox"),
        ("91,29", "bbox"),
        ("a,b,c,d", "bbox"),
        ("91,29,90,30", "bbox"),
        ("nan,29,91,30", "bbox"),
        ("91,29,200,30", "bbox"),
    ],
)
def test_a_bad_box_is_refused_naming_it(client, ledger, ledger_people, bbox, field):
    response = _layer(client, ledger_people["admin"], "components", bbox)
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["error"]


def test_an_unknown_layer_is_refused_naming_it(client, ledger, ledger_people):
    response = _layer(client, ledger_people["admin"], "people")
    assert response.status_code == 400 and response.json()["field"] == "layer"


def test_who_sees_no_ledger_and_handles_nothing_gets_404(client, ledger):
    outsider = make_user("passer_by")
    client.force_login(outsider)
    assert client.get(reverse("ledger:map")).status_code == 404
    assert _layer(client, outsider, "components").status_code == 404


def test_no_layer_carries_a_residents_name_or_number(client, ledger, ledger_people):
    for who in ("admin", "gridworker", "dispatcher", "handler_zj"):
        for name in map_selectors.LAYERS:
            text = _layer(client, ledger_people[who], name).content.decode()
            assert not WHOLE_ID.search(text), (who, name)
            assert not WHOLE_PHONE.search(text), (who, name)
            for word in ("次仁旺姆", "扎西多吉", "卓玛", "没人接"):
                assert word not in text, (who, name, word)


def test_party_members_are_a_count_per_grid(client, ledger, ledger_people, street):
    answer = _layer(client, ledger_people["gridworker"], "members").json()
    (feature,) = answer["features"]
    assert feature["properties"]["count"] == 2
    assert feature["properties"]["label"] == street.grids["e1"].name
    assert (
        _layer(client, ledger_people["gridworker_w1"], "members").json()["features"]
        == []
    )


def test_an_overdue_appeal_is_on_both_appeal_layers_for_who_may_see_it(
    client, ledger, ledger_people
):
    url = reverse("appeals:detail", args=[ledger["appeal"].pk])
    for layer in ("appeals", "overdue"):
        features = _layer(client, ledger_people["dispatcher"], layer).json()["features"]
        assert [f["properties"]["url"] for f in features] == [url]
        assert features[0]["properties"]["overdue"] is True
    assert _urls(_layer(client, ledger_people["handler_zj"], "overdue")) == {url}
    assert _urls(_layer(client, ledger_people["handler_cg"], "appeals")) == set()


def test_the_sandbox_draws_organisations_and_their_pairs(client, ledger, ledger_people):
    admin = ledger_people["admin"]
    names = {
        f["properties"]["label"]
        for f in _layer(client, admin, "organisations").json()["features"]
    }
    assert names == {"区住建局机关党支部", "东嘎一网格大支部"}
    (pair,) = _layer(client, admin, "pairings").json()["features"]
    assert pair["geometry"]["type"] == "LineString"
    assert pair["properties"]["label"] == "区住建局机关党支部 — 东嘎一网格大支部"


def test_the_page_lists_the_layers_in_its_two_groups(client, ledger, ledger_people):
    client.force_login(ledger_people["gridworker"])
    page = client.get(reverse("ledger:map"))
    assert page.status_code == 200
    groups = {
        group: [x["name"] for x in members]
        for group, _l, members in page.context["groups"]
    }
    assert groups["party"] == ["organisations", "positions", "members", "pairings"]
    assert "grids" in groups["grid"] and "overdue" in groups["grid"]
