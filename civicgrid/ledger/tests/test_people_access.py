"""Who reaches which people, households and visits, on the pages and the API;
and no whole ID number or phone in any answer, as any role, but after a
reveal."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from civicgrid.api.testing import api_client
from civicgrid.core import clock
from civicgrid.ledger.models import Change, PersonTag, Residence, Visit

from .conftest import id_number, make_building, make_component, make_household
from .conftest import make_person as _make_person

pytestmark = pytest.mark.django_db

FULL_ID = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
NUMBER = id_number(dt.date(1944, 2, 3), serial=77)
PHONE = "13900000077"


def make_person(household, name="卓玛", **extra):
    person = _make_person(household, name, **extra)
    Residence.objects.create(
        person=person, household=household, moved_in_on=dt.date(2020, 1, 1)
    )
    return person


@pytest.fixture
def row(street, ledger_people):
    """A household of e1 with a tagged, consenting member with both numbers,
    a past member and a visit; e1 also has a damaged component."""
    household = make_household(make_building(street.grids["e1"], "1号楼"))
    person = make_person(
        household,
        number=NUMBER,
        phone=PHONE,
        appeals_consent_at=clock.now(),
        appeals_consent_by=ledger_people["gridworker"],
    )
    PersonTag.objects.create(
        person=person, tag=PersonTag.Tag.LIVES_ALONE, since=dt.date(2021, 1, 1)
    )
    gone = make_person(household, "次仁", number=id_number(serial=78))
    Residence.objects.filter(person=gone).update(moved_out_on=dt.date(2023, 5, 1))
    gone.household = None
    gone.save()
    visit = Visit.objects.create(
        household=household,
        visitor=ledger_people["gridworker"],
        visited_at=clock.now() - dt.timedelta(days=45),
        notes="一切正常",
    )
    visit.people_met.set([person])
    make_component(street.grids["e1"], state="damaged")
    return {"household": household, "person": person, "gone": gone, "visit": visit}


def _pages(row):
    household, person = row["household"], row["person"]
    grid = household.grid
    return [
        reverse("ledger:today"),
        reverse("ledger:household_list", args=[grid.code]),
        reverse("ledger:household", args=[household.pk]),
        reverse("ledger:person", args=[person.pk]),
        reverse("ledger:person", args=[row["gone"].pk]),
    ]


def _apis(row):
    household, person = row["household"], row["person"]
    return [
        "/api/ledger/households/",
        f"/api/ledger/households/{household.pk}/",
        "/api/ledger/people/",
        f"/api/ledger/people/{person.pk}/",
        f"/api/ledger/people/{row['gone'].pk}/",
        "/api/ledger/visits/",
        f"/api/ledger/visits/{row['visit'].pk}/",
    ]


READERS = ["gridworker", "community_east", "leader", "dispatcher", "admin"]


@pytest.mark.parametrize("who", READERS)
def test_every_ledger_role_reads_e1s_people_and_no_answer_shows_a_whole_number(
    client, ledger_people, row, who
):
    client.force_login(ledger_people[who])
    for url in _pages(row):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not FULL_ID.search(text), url
        assert not FULL_PHONE.search(text), url
    api = api_client(ledger_people[who])
    for url in _apis(row):
        response = api.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not FULL_ID.search(text), url
        assert not FULL_PHONE.search(text), url


@pytest.mark.parametrize("who", ["gridworker_w1", "handler_cg", "outsider"])
def test_who_does_not_keep_or_read_e1_gets_404(client, ledger_people, row, who):
    client.force_login(ledger_people[who])
    household, person = row["household"], row["person"]
    for url in _pages(row)[2:] + [
        reverse("ledger:household_edit", args=[household.pk]),
        reverse("ledger:visit_new", args=[household.pk]),
        reverse("ledger:person_new", args=[household.pk]),
        reverse("ledger:person_edit", args=[person.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("ledger:person_reveal", args=[person.pk]),
            {"field": "phone", "reason": "x"},
        ).status_code
        == 404
    )
    api = api_client(ledger_people[who])
    for url in _apis(row):
        response = api.get(url)
        if url.endswith("/ledger/households/") or url.endswith(
            ("/ledger/people/", "/ledger/visits/")
        ):
            assert response.status_code == 200 and response.json()["count"] == 0
        else:
            assert response.status_code == 404, url
    assert (
        api.post(
            f"/api/ledger/people/{person.pk}/reveal/", {"field": "phone", "reason": "x"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("who", ["handler_cg", "outsider"])
def test_who_keeps_no_ledger_gets_404_on_the_grid_pages(
    client, ledger_people, row, who
):
    client.force_login(ledger_people[who])
    assert client.get(reverse("ledger:today")).status_code == 404
    code = row["household"].grid.code
    assert client.get(reverse("ledger:household_list", args=[code])).status_code == 404


def test_the_west_grid_worker_gets_404_on_e1s_household_list(
    client, ledger_people, row
):
    client.force_login(ledger_people["gridworker_w1"])
    code = row["household"].grid.code
    assert client.get(reverse("ledger:household_list", args=[code])).status_code == 404


@pytest.mark.parametrize("who", ["leader", "dispatcher"])
def test_readers_are_refused_every_edit(client, ledger_people, row, who):
    client.force_login(ledger_people[who])
    household, person = row["household"], row["person"]
    for url in [
        reverse("ledger:household_new", args=[household.grid.code]),
        reverse("ledger:household_edit", args=[household.pk]),
        reverse("ledger:visit_new", args=[household.pk]),
        reverse("ledger:person_new", args=[household.pk]),
        reverse("ledger:person_edit", args=[person.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    for url, data in [
        (
            reverse("ledger:person_move_out", args=[person.pk]),
            {"moved_out_on": "2024-01-01"},
        ),
        (reverse("ledger:person_tag_add", args=[person.pk]), {"tag": "veteran"}),
        (reverse("ledger:person_consent", args=[person.pk]), {}),
        (
            reverse("ledger:person_reveal", args=[person.pk]),
            {"field": "phone", "reason": "x"},
        ),
    ]:
        assert client.post(url, data).status_code == 403, url
    page = client.get(reverse("ledger:person", args=[person.pk])).content.decode()
    assert "卓玛" not in page and "卓*" in page  # names masked for readers
    api = api_client(ledger_people[who])
    assert (
        api.post(
            "/api/ledger/visits/", {"household": household.pk, "notes": "x"}
        ).status_code
        == 403
    )
    assert (
        api.post(
            f"/api/ledger/people/{person.pk}/reveal/",
            {"field": "phone", "reason": "x"},
        ).status_code
        == 403
    )
    assert api.get(f"/api/ledger/people/{person.pk}/").json()["name"] == "卓*"
    assert not Visit.objects.filter(notes="x").exists()
    assert not Change.objects.exists()


@pytest.mark.parametrize("who", ["gridworker", "community_east", "admin"])
def test_keepers_record_a_visit_and_see_whole_names(client, ledger_people, row, who):
    client.force_login(ledger_people[who])
    household, person = row["household"], row["person"]
    response = client.post(
        reverse("ledger:visit_new", args=[household.pk]),
        {"people_met": [person.pk], "notes": "送了米面油"},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "送了米面油" in text and "卓玛" in text
    assert Visit.objects.filter(household=household).count() == 2


def test_the_west_grid_worker_cannot_record_a_visit_through_the_api(ledger_people, row):
    response = api_client(ledger_people["gridworker_w1"]).post(
        "/api/ledger/visits/", {"household": row["household"].pk, "notes": "x"}
    )
    assert response.status_code == 400
    assert "household" in response.json()["error"]["fields"]


def test_a_reveal_on_the_page_shows_the_whole_number_once_and_is_recorded(
    client, ledger_people, row
):
    client.force_login(ledger_people["gridworker"])
    person = row["person"]
    refused = client.post(
        reverse("ledger:person_reveal", args=[person.pk]),
        {"field": "id_number", "reason": ""},
    )
    assert refused.status_code == 400 and NUMBER not in refused.content.decode()
    response = client.post(
        reverse("ledger:person_reveal", args=[person.pk]),
        {"field": "id_number", "reason": "核对低保申请"},
    )
    assert NUMBER in response.content.decode()
    assert Change.objects.get(action="reveal").reason == "核对低保申请"
    again = client.get(reverse("ledger:person", args=[person.pk])).content.decode()
    assert NUMBER not in again


def test_a_reveal_through_the_api_needs_a_reason(ledger_people, row):
    api = api_client(ledger_people["admin"])
    url = f"/api/ledger/people/{row['person'].pk}/reveal/"
    assert api.post(url, {"field": "phone"}).status_code == 400
    response = api.post(url, {"field": "phone", "reason": "回访"})
    assert response.json() == {"field": "phone", "value": PHONE}


def test_my_grids_today_counts_what_waits_in_each_grid(client, ledger_people, row):
    client.force_login(ledger_people["gridworker"])
    response = client.get(reverse("ledger:today"))
    grids = {g["grid"].code: g for g in response.context["grids"]}
    e1 = grids[row["household"].grid.code]
    assert e1["households"] == 1 and e1["people"] == 1
    assert e1["to_visit"] == [row["person"]]
    assert e1["damaged"] == 1


def test_the_household_list_filters_by_tag_and_building_in_few_queries(
    client, ledger_people, row, django_assert_max_num_queries
):
    household = row["household"]
    for room in ("201", "202", "203"):
        make_household(household.building, room=room)
    client.force_login(ledger_people["gridworker"])
    url = reverse("ledger:household_list", args=[household.grid.code])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 4
    tagged = client.get(url, {"tag": "lives_alone"})
    assert list(tagged.context["page"].object_list) == [household]
    with django_assert_max_num_queries(14):
        client.get(url, {"building": household.building.pk})


def test_a_consenting_persons_appeals_are_listed_from_their_phone_as_the_viewer_may_see(
    client, street, ledger_people, row
):
    from civicgrid.ledger.actions.people import visit_record

    visit_record(
        acting_user=ledger_people["gridworker"],
        household=row["household"],
        findings="屋顶漏水",
        make_appeal=True,
        appellant=row["person"],
    )
    # The same phone on an appeal of the west grid, which e1's worker cannot see.
    west = make_household(make_building(street.grids["w1"], "9号楼"))
    namesake = make_person(west, "次旦", number="", phone=PHONE)
    visit_record(
        acting_user=ledger_people["gridworker_w1"],
        household=west,
        findings="下水道堵了",
        make_appeal=True,
        appellant=namesake,
    )
    client.force_login(ledger_people["gridworker"])
    page = client.get(reverse("ledger:person", args=[row["person"].pk]))
    appeals = list(page.context["appeals"])
    assert len(appeals) == 1 and appeals[0].grid == street.grids["e1"]
    client.force_login(ledger_people["leader"])  # the street sees both
    page = client.get(reverse("ledger:person", args=[row["person"].pk]))
    assert len(page.context["appeals"]) == 2


def test_without_consent_no_appeals_are_listed(client, ledger_people, row):
    row["person"].appeals_consent_at = None
    row["person"].save()
    client.force_login(ledger_people["gridworker"])
    page = client.get(reverse("ledger:person", args=[row["person"].pk]))
    assert page.context["appeals"] is None
