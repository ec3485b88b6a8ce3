from __future__ import annotations

import pytest
from django.urls import reverse

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from conftest import make_user


def dept_url(department):
    return reverse("org:department_detail", args=[department.code])


def area_url(area):
    return reverse("org:area_detail", args=[area.code])


def test_a_handler_sees_their_own_departments_handlers(client, people, departments):
    client.force_login(people["handler_cg"])
    response = client.get(dept_url(departments["cg"]))
    assert response.status_code == 200
    assert "李明" in response.content.decode()


def test_a_handler_of_one_department_cannot_see_another_departments_users(
    client, people, departments
):
    client.force_login(people["handler_cg"])
    response = client.get(dept_url(departments["zj"]))
    assert response.status_code == 404
    assert "拉巴" not in response.content.decode()


def test_a_dispatcher_sees_every_department_serving_the_street(
    client, people, departments
):
    client.force_login(people["dispatcher"])
    for department, handler in (("cg", "李明"), ("zj", "拉巴")):
        response = client.get(dept_url(departments[department]))
        assert response.status_code == 200
        assert handler in response.content.decode()


def test_a_department_of_another_district_is_hidden_from_the_dispatcher(
    client, people, street
):
    from civicgrid.org.models import Area, Department

    other = Area.objects.create(
        code="540102",
        name="城关区",
        level="district",
        parent=street.city,
        path="540100/540102/",
    )
    department = Department.objects.create(
        code="cg-chengguan", name="城关区城管局", area=other
    )
    client.force_login(people["dispatcher"])
    assert client.get(dept_url(department)).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "gridworker"])
def test_outsiders_get_404_for_a_department(client, people, departments, who):
    client.force_login(people[who])
    assert client.get(dept_url(departments["cg"])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, departments):
    response = client.get(dept_url(departments["cg"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_grid_worker_sees_their_grids_and_not_their_neighbours(
    client, people, street
):
    client.force_login(people["gridworker"])
    response = client.get(area_url(street.grids["e1"]), follow=True)
    assert response.status_code == 200
    assert "grid-outline" in response.content.decode()
    # Not a redirect to a page that would say 404 later: 404 here.
    assert client.get(area_url(street.grids["w1"])).status_code == 404
    # Nor the community above their grids.
    assert client.get(area_url(street.east)).status_code == 404


def test_community_staff_see_their_community_and_its_grids(client, street):
    staff = make_user("staff")
    membership_add(
        user=staff, role=Role.COMMUNITY_STAFF, area=street.east, acting_user=None
    )
    client.force_login(staff)
    assert client.get(area_url(street.east)).status_code == 200
    assert client.get(area_url(street.grids["e2"]), follow=True).status_code == 200
    assert client.get(area_url(street.west)).status_code == 404
    assert client.get(area_url(street.grids["w1"])).status_code == 404


def test_a_grid_s_page_is_the_one_that_shows_its_appeals_and_rates(
    client, people, street
):
    """The grid's page shows what this app may not read (appeals, rates):
    this app sends whoever may see the grid to it."""
    client.force_login(people["gridworker"])
    response = client.get(area_url(street.grids["e1"]))
    assert response.status_code == 302
    assert response.url == reverse("metrics:area", args=[street.grids["e1"].code])


def test_the_street_page_lists_its_communities_and_draws_them(client, people, street):
    client.force_login(people["dispatcher"])
    response = client.get(area_url(street.street))
    content = response.content.decode()
    assert "东嘎社区" in content and "林堆社区" in content
    assert response.context["features"]["features"][0]["properties"]["self"] is True
    assert len(response.context["features"]["features"]) == 3


def test_the_area_page_query_count_does_not_grow_with_its_children(
    client, people, street, django_assert_num_queries
):
    # The same count for a street with communities and a community with grids.
    client.force_login(people["dispatcher"])
    with django_assert_num_queries(10):
        client.get(area_url(street.street))
    with django_assert_num_queries(10):
        client.get(area_url(street.east))


def test_home_shows_who_you_are_your_roles_and_where_to_go(client, people, street):
    client.force_login(people["gridworker"])
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert "扎西" in content
    assert content.count("Grid worker") >= 2
    assert area_url(street.grids["e1"]) in content
    assert area_url(street.grids["e2"]) in content
    assert reverse("admin:index") not in content


def test_home_of_a_handler_links_to_the_department(client, people, departments):
    client.force_login(people["handler_cg"])
    content = client.get(reverse("home")).content.decode()
    assert dept_url(departments["cg"]) in content
    assert dept_url(departments["zj"]) not in content


def test_text_from_users_is_escaped(client, people, departments):
    handler = people["handler_cg"]
    handler.full_name = "<script>alert(1)</script>"
    handler.save()
    client.force_login(handler)
    content = client.get(dept_url(departments["cg"])).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content
