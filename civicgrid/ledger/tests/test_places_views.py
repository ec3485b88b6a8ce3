"""The places, components and organisation pages as each role sees them: a
grid worker keeps their grids, community staff their community, the street's
leader and dispatcher read, its admin keeps all, a department sees only the
components it owns, an outsider gets 404. Contact numbers never show whole."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from civicgrid.appeals.models import Appeal
from civicgrid.ledger.actions import organisations as oa
from civicgrid.ledger.models import (
    Change,
    Component,
    ComponentAppeal,
    Organisation,
    Place,
)
from civicgrid.ledger.tests.conftest import centre, make_building, make_component

pytestmark = pytest.mark.django_db

WHOLE_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
K = Organisation.Kind


@pytest.fixture
def rows(street, ledger_people, departments):
    e1, w1 = street.grids["e1"], street.grids["w1"]
    lon, lat = centre(e1)
    shop = Place.objects.create(
        grid=e1,
        lon=lon,
        lat=lat,
        kind=Place.Kind.SHOP,
        name="扎西甜茶馆",
        contact_name="扎西",
        contact_phone="13900001234",
    )
    west_shop = Place.objects.create(
        grid=w1, lon=centre(w1)[0], lat=centre(w1)[1], kind="shop", name="林堆小卖部"
    )
    return {
        "building": make_building(e1, "1号楼"),
        "west_building": make_building(w1, "1号楼"),
        "shop": shop,
        "west_shop": west_shop,
        "lamp": make_component(e1, "0120", department=departments["cg"]),
        "west_cover": make_component(w1, "0101", department=departments["zj"]),
        "west_lamp": make_component(w1, "0120", department=departments["cg"]),
    }


def _get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(f"ledger:{name}", args=args), query)


@pytest.mark.parametrize(
    ("who", "sees_west"),
    [
        ("gridworker", False),
        ("community_east", False),
        ("leader", True),
        ("dispatcher", True),
        ("admin", True),
    ],
)
def test_the_place_list_shows_the_grids_each_role_reads(
    client, rows, ledger_people, who, sees_west
):
    page = _get(client, ledger_people[who], "places").content.decode()
    assert "扎西甜茶馆" in page
    assert ("林堆小卖部" in page) is sees_west
    assert not WHOLE_PHONE.search(page)


@pytest.mark.parametrize("who", ["outsider", "resident", "handler_cg"])
def test_who_keeps_no_ledger_gets_404_for_places(client, rows, ledger_people, who):
    user = ledger_people[who]
    assert _get(client, user, "places").status_code == 404
    assert _get(client, user, "place", rows["shop"].pk).status_code == 404
    assert _get(client, user, "building", rows["building"].pk).status_code == 404
    assert _get(client, user, "organisations").status_code == 404


def test_the_west_grid_worker_gets_404_for_the_east_rows(client, rows, ledger_people):
    user = ledger_people["gridworker_w1"]
    assert _get(client, user, "place", rows["shop"].pk).status_code == 404
    assert _get(client, user, "building", rows["building"].pk).status_code == 404
    assert _get(client, user, "component", rows["lamp"].pk).status_code == 404
    assert _get(client, user, "place_edit", rows["shop"].pk).status_code == 404
    assert _get(client, user, "place", rows["west_shop"].pk).status_code == 200


def test_a_place_page_masks_its_contact(client, rows, ledger_people):
    for who in ("gridworker", "community_east", "leader", "admin"):
        page = _get(
            client, ledger_people[who], "place", rows["shop"].pk
        ).content.decode()
        assert "139****1234" in page and not WHOLE_PHONE.search(page)


@pytest.mark.parametrize("who", ["leader", "dispatcher"])
def test_readers_cannot_edit(client, rows, ledger_people, who):
    user = ledger_people[who]
    page = _get(client, user, "place", rows["shop"].pk).content.decode()
    assert reverse("ledger:place_edit", args=[rows["shop"].pk]) not in page
    assert _get(client, user, "place_edit", rows["shop"].pk).status_code == 404
    response = client.post(
        reverse("ledger:component_state", args=[rows["lamp"].pk]),
        {"state": "damaged", "note": "x"},
    )
    assert response.status_code == 404
    rows["lamp"].refresh_from_db()
    assert rows["lamp"].state == "good"


def test_a_grid_worker_adds_a_building_and_it_says_so(client, street, ledger_people):
    client.force_login(ledger_people["gridworker"])
    lon, lat = centre(street.grids["e2"])
    response = client.post(
        reverse("ledger:building_new"),
        {"name": "3号楼", "lon": lon, "lat": lat, "floors": 6, "is_active": "on"},
        follow=True,
    )
    assert "3号楼" in response.content.decode()
    assert [str(m) for m in response.context["messages"]] == [
        "Building 3号楼 added to 东嘎二网格."
    ]


def test_a_building_outside_every_grid_is_refused_on_its_field(
    client, street, ledger_people
):
    client.force_login(ledger_people["admin"])
    response = client.post(
        reverse("ledger:building_new"), {"name": "3号楼", "lon": 100, "lat": 20}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["lon"] == [
        "This point lies outside every grid."
    ]


def test_a_grid_worker_closes_a_shop_and_it_is_kept(client, rows, ledger_people):
    client.force_login(ledger_people["gridworker"])
    response = client.post(
        reverse("ledger:place_open", args=[rows["shop"].pk]),
        {"open": "0", "reason": "停业"},
        follow=True,
    )
    assert "closed; it stays in the ledger" in response.content.decode()
    rows["shop"].refresh_from_db()
    assert rows["shop"].is_active is False
    page = _get(client, ledger_people["gridworker"], "places", closed="on")
    assert "扎西甜茶馆" in page.content.decode()


def test_the_place_list_filters_by_kind(client, rows, ledger_people):
    page = _get(client, ledger_people["admin"], "places", kind="station")
    assert "扎西甜茶馆" not in page.content.decode()
    page = _get(client, ledger_people["admin"], "places", kind="building")
    assert "1号楼" in page.content.decode()


def test_the_place_list_costs_the_same_for_more_rows(
    client, rows, ledger_people, django_assert_max_num_queries, street
):
    user = ledger_people["admin"]
    client.force_login(user)
    client.get(reverse("ledger:places"))
    for n in range(10):
        make_building(street.grids["e2"], f"{n + 10}号楼")
    with django_assert_max_num_queries(12):
        client.get(reverse("ledger:places"))


# --- components -------------------------------------------------------------------


def test_a_department_sees_only_the_components_it_owns(client, rows, ledger_people):
    user = ledger_people["handler_cg"]
    page = _get(client, user, "components").content.decode()
    assert rows["lamp"].code in page and rows["west_lamp"].code in page
    assert rows["west_cover"].code not in page
    assert _get(client, user, "component", rows["west_cover"].pk).status_code == 404
    assert _get(client, user, "component", rows["lamp"].pk).status_code == 200
    assert _get(client, user, "component_edit", rows["lamp"].pk).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "resident"])
def test_outsiders_get_404_for_components(client, rows, ledger_people, who):
    user = ledger_people[who]
    assert _get(client, user, "components").status_code == 404
    assert _get(client, user, "component", rows["lamp"].pk).status_code == 404


def test_the_component_list_filters_by_class_and_state(
    client, rows, ledger_people, street
):
    make_component(street.grids["e1"], "0302", state="damaged", code="0302999001")
    page = _get(client, ledger_people["admin"], "components", state="damaged")
    assert "0302999001" in page.content.decode()
    assert rows["lamp"].code not in page.content.decode()
    page = _get(client, ledger_people["admin"], "components", major="01")
    assert rows["lamp"].code in page.content.decode()
    assert "0302999001" not in page.content.decode()


def test_the_component_list_costs_the_same_for_more_rows(
    client, rows, ledger_people, street, django_assert_max_num_queries
):
    client.force_login(ledger_people["admin"])
    for _n in range(10):
        make_component(street.grids["e2"], "0302")
    with django_assert_max_num_queries(10):
        client.get(reverse("ledger:components"))


def test_a_grid_worker_marks_a_component_damaged_with_a_note(
    client, rows, ledger_people
):
    client.force_login(ledger_people["gridworker"])
    response = client.post(
        reverse("ledger:component_state", args=[rows["lamp"].pk]),
        {"state": "damaged", "note": "灯不亮"},
        follow=True,
    )
    rows["lamp"].refresh_from_db()
    assert rows["lamp"].state == "damaged"
    assert "is now: Damaged" in response.content.decode()
    assert "灯不亮" in response.content.decode()  # in its history


def test_a_state_change_without_a_note_is_refused_on_its_field(
    client, rows, ledger_people
):
    client.force_login(ledger_people["gridworker"])
    response = client.post(
        reverse("ledger:component_state", args=[rows["lamp"].pk]),
        {"state": "damaged", "note": ""},
    )
    assert response.status_code == 400
    assert "note" in response.context["state_form"].errors


def test_reporting_a_problem_files_a_linked_patrol_appeal(
    client, rows, ledger_people, street
):
    from civicgrid.appeals.models import Category

    Category.objects.create(code="street-lamp", name="路灯不亮")
    _make_leaf("street-lamp")
    client.force_login(ledger_people["gridworker"])
    url = reverse("ledger:component_report", args=[rows["lamp"].pk])
    page = client.get(url)
    assert page.context["form"]["category"].value() is not None
    response = client.post(
        url,
        {
            "description": "路灯整夜不亮",
            "category": page.context["form"]["category"].value(),
            "mark_damaged": "on",
        },
        follow=True,
    )
    link = ComponentAppeal.objects.get(component=rows["lamp"])
    appeal = link.appeal
    assert appeal.channel == "patrol" and appeal.grid == street.grids["e1"]
    assert appeal.tracking_code in response.content.decode()
    rows["lamp"].refresh_from_db()
    assert rows["lamp"].state == "damaged"


def _make_leaf(code: str):
    """Give the catalogue's category its current version, so intake takes it."""
    from civicgrid.appeals.catalogue import category_set_terms
    from civicgrid.appeals.models import Category

    category = Category.objects.get(code=code)
    category_set_terms(
        category=category,
        acting_user=None,
        kind="help",
        default_unit_type="grid",
        default_department=None,
        response_hours=2,
        handling_days=5,
    )
    return category


def test_a_component_with_an_open_appeal_shows_as_damaged(client, rows, ledger_people):
    appeal = _appeal(rows["lamp"].grid)
    ComponentAppeal.objects.create(
        component=rows["lamp"], appeal=appeal, linked_at=appeal.received_at
    )
    page = _get(client, ledger_people["gridworker"], "components", state="damaged")
    assert rows["lamp"].code in page.content.decode()


def _appeal(grid, **extra) -> Appeal:
    from civicgrid.core import clock

    street = grid.parent.parent
    return Appeal.objects.create(
        tracking_code=extra.pop("code", "ABCDEFGH23"),
        street=street,
        grid=grid,
        description="井盖丢了",
        channel="patrol",
        kind="help",
        received_at=clock.now(),
        **extra,
    )


def test_a_keeper_links_an_appeal_by_its_code(client, rows, ledger_people, street):
    appeal = _appeal(street.grids["e1"])
    client.force_login(ledger_people["admin"])
    response = client.post(
        reverse("ledger:component_link", args=[rows["lamp"].pk]),
        {"appeal": appeal.tracking_code.lower()},
        follow=True,
    )
    assert f"Appeal {appeal.tracking_code} is linked" in response.content.decode()
    response = client.post(
        reverse("ledger:component_link", args=[rows["lamp"].pk]),
        {"appeal": "NOSUCHCODE"},
    )
    assert response.status_code == 400
    assert "appeal" in response.context["link_form"].errors


# --- organisations ----------------------------------------------------------------


@pytest.fixture
def structure(street, ledger_people):
    admin = ledger_people["admin"]
    committee = oa.organisation_create(
        data=oa.OrganisationInput(
            kind=K.STREET_COMMITTEE,
            name="东嘎街道大工委",
            area=street.street,
            contact_name="次仁",
            contact_phone="13900009999",
        ),
        acting_user=admin,
    )
    east = oa.organisation_create(
        data=oa.OrganisationInput(
            kind=K.COMMUNITY_COMMITTEE,
            name="东嘎社区大党委",
            area=street.east,
            parent=committee,
        ),
        acting_user=admin,
    )
    branch = oa.organisation_create(
        data=oa.OrganisationInput(
            kind=K.GRID_BRANCH,
            name="东嘎一网格大支部",
            area=street.grids["e1"],
            parent=east,
        ),
        acting_user=admin,
    )
    return {"committee": committee, "east": east, "branch": branch}


def test_the_street_reads_the_organisation_tree_masked(
    client, structure, ledger_people
):
    page = _get(client, ledger_people["leader"], "organisations").content.decode()
    assert (
        page.index("东嘎街道大工委")
        < page.index("东嘎社区大党委")
        < page.index("东嘎一网格大支部")
    )
    detail = _get(
        client, ledger_people["leader"], "organisation", structure["committee"].pk
    ).content.decode()
    assert "139****9999" in detail and not WHOLE_PHONE.search(detail)


def test_a_grid_worker_sees_their_grid_branch_only(client, structure, ledger_people):
    user = ledger_people["gridworker"]
    page = _get(client, user, "organisations").content.decode()
    assert "东嘎一网格大支部" in page and "东嘎街道大工委" not in page
    assert (
        _get(client, user, "organisation", structure["committee"].pk).status_code == 404
    )
    west = ledger_people["gridworker_w1"]
    assert _get(client, west, "organisation", structure["branch"].pk).status_code == 404


def test_a_member_joins_masked_and_leaves(client, structure, ledger_people):
    client.force_login(ledger_people["gridworker"])
    branch = structure["branch"]
    response = client.post(
        reverse("ledger:member_add", args=[branch.pk]),
        {"name": "卓玛", "phone": "13900004321", "title": "支部书记"},
        follow=True,
    )
    page = response.content.decode()
    assert "A member joined" in page and "卓*" in page and not WHOLE_PHONE.search(page)
    member = branch.members.get()
    client.post(reverse("ledger:member_leave", args=[branch.pk, member.pk]))
    member.refresh_from_db()
    assert member.left_on is not None
    response = client.post(
        reverse("ledger:member_leave", args=[branch.pk, member.pk]), follow=True
    )
    assert "has left already" in response.content.decode()


def test_a_grid_branch_under_the_wrong_committee_is_refused_on_its_field(
    client, structure, ledger_people, street
):
    client.force_login(ledger_people["admin"])
    response = client.post(
        reverse("ledger:organisation_new"),
        {
            "kind": K.GRID_BRANCH,
            "name": "林堆一网格大支部",
            "area": street.grids["w1"].pk,
            "parent": structure["east"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors


def test_a_unit_branch_is_paired_on_the_page(client, structure, ledger_people, street):
    admin = ledger_people["admin"]
    unit = oa.organisation_create(
        data=oa.OrganisationInput(
            kind=K.UNIT_BRANCH, name="区财政局党支部", area=street.street
        ),
        acting_user=admin,
    )
    client.force_login(admin)
    response = client.post(
        reverse("ledger:pairing_add", args=[unit.pk]),
        {"other": structure["branch"].pk},
        follow=True,
    )
    assert "are paired" in response.content.decode()
    assert Change.objects.filter(model="pairing").exists()
    branch_page = _get(client, admin, "organisation", structure["branch"].pk)
    assert "区财政局党支部" in branch_page.content.decode()


def test_component_detail_shows_its_appeals_scoped_for_a_department(
    client, rows, ledger_people, street
):
    appeal = _appeal(street.grids["e1"])
    ComponentAppeal.objects.create(
        component=rows["lamp"], appeal=appeal, linked_at=appeal.received_at
    )
    keeper = _get(client, ledger_people["gridworker"], "component", rows["lamp"].pk)
    assert appeal.tracking_code in keeper.content.decode()
    # Not dispatched to 城管: the department sees the component, not the appeal.
    department = _get(client, ledger_people["handler_cg"], "component", rows["lamp"].pk)
    assert appeal.tracking_code not in department.content.decode()
    assert Component.objects.get(pk=rows["lamp"].pk).state == "good"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("gridworker", 200),
        ("community_east", 200),
        ("admin", 200),
        ("leader", 404),
        ("dispatcher", 404),
        ("gridworker_w1", 404),
        ("handler_cg", 404),
        ("outsider", 404),
    ],
)
def test_who_may_open_the_edit_pages_of_an_east_grid(
    client, rows, ledger_people, who, status
):
    user = ledger_people[who]
    assert _get(client, user, "place_edit", rows["shop"].pk).status_code == status
    assert (
        _get(client, user, "building_edit", rows["building"].pk).status_code == status
    )
    assert _get(client, user, "component_edit", rows["lamp"].pk).status_code == status
    # Only a grid worker enters patrol appeals: the others keep, but report no problem.
    reports = status if who == "gridworker" else 404
    assert (
        _get(client, user, "component_report", rows["lamp"].pk).status_code == reports
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("gridworker", 200),
        ("community_east", 200),
        ("leader", 200),
        ("dispatcher", 200),
        ("admin", 200),
        ("handler_cg", 200),  # it owns the lamp
        ("handler_zj", 404),
        ("gridworker_w1", 404),
        ("outsider", 404),
        ("resident", 404),
    ],
)
def test_who_may_open_a_component_page(client, rows, ledger_people, who, status):
    response = _get(client, ledger_people[who], "component", rows["lamp"].pk)
    assert response.status_code == status
    if status == 200:
        assert not WHOLE_PHONE.search(response.content.decode())
