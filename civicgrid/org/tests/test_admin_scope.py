from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.core.demo import STREET_ADMIN_PERMISSIONS, _street_admin_group
from civicgrid.org.models import Area, Department
from conftest import make_user


@pytest.fixture
def street_admin(street, departments, people):
    other_street = Area.objects.create(
        code="540103002",
        name="乃琼街道",
        level="street",
        parent=street.district,
        path="540100/540103/540103002/",
    )
    Department.objects.create(code="naiqiong-pcs", name="乃琼派出所", area=other_street)
    user = make_user("street_admin", is_staff=True)
    membership_add(user=user, role=Role.ADMIN, area=street.street, acting_user=None)
    user.groups.add(_street_admin_group())
    return user


def test_the_street_admin_group_has_the_permissions_it_needs(db):
    group = _street_admin_group()
    assert Group.objects.filter(name=group.name).exists()
    models = set(group.permissions.values_list("content_type__model", flat=True))
    assert models == {model for _app, model in STREET_ADMIN_PERMISSIONS}


def test_a_street_admin_sees_only_their_streets_areas(client, street_admin, street):
    client.force_login(street_admin)
    response = client.get(reverse("admin:org_area_changelist"))
    assert response.status_code == 200
    codes = {area.code for area in response.context["cl"].queryset}
    assert "540103001001001" in codes
    assert "540103002" not in codes
    assert "540103" not in codes
    other = Area.objects.get(code="540103002")
    assert (
        client.get(reverse("admin:org_area_change", args=[other.pk])).status_code == 302
    )


def test_a_street_admin_sees_only_departments_of_their_street(client, street_admin):
    client.force_login(street_admin)
    response = client.get(reverse("admin:org_department_changelist"))
    assert {d.code for d in response.context["cl"].queryset} == set()


def test_a_street_admin_sees_users_of_their_street_only(client, street_admin, people):
    client.force_login(street_admin)
    response = client.get(reverse("admin:accounts_user_changelist"))
    usernames = {user.username for user in response.context["cl"].queryset}
    assert {"dispatcher", "gridworker", "street_admin"} <= usernames
    assert "outsider" not in usernames
    assert "handler_cg" not in usernames


def test_the_admin_speaks_chinese_by_default(admin_client, settings, db):
    settings.LANGUAGE_CODE = "zh-hans"
    response = admin_client.get(reverse("admin:index"))
    content = response.content.decode()
    assert "网格" in content or "区域" in content
    assert "工作日历" in content


def test_a_street_admin_cannot_create_an_area_outside_their_street(
    client, street_admin
):
    client.force_login(street_admin)
    response = client.post(
        reverse("admin:org_area_add"),
        {
            "level": "district",
            "parent": "",
            "code": "540104",
            "name": "达孜区",
            "community_kind": "",
            "boundary": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"]
    assert not Area.objects.filter(code="540104").exists()


def test_a_street_admin_edits_their_own_street_without_touching_its_parent(
    client, street_admin, street
):
    client.force_login(street_admin)
    url = reverse("admin:org_area_change", args=[street.street.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "parent" not in page.context["adminform"].form.fields
    import json

    response = client.post(
        url,
        {
            "code": street.street.code,
            "name": "东嘎街道（新）",
            "community_kind": "",
            "boundary": json.dumps(street.street.boundary),
            "is_active": "on",
            "children-TOTAL_FORMS": "0",
            "children-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    street.street.refresh_from_db()
    assert street.street.name == "东嘎街道（新）"
    assert street.street.parent == street.district


def test_deleting_a_grid_in_admin_frees_its_points(admin_client, street):
    from civicgrid.org.selectors import grid_for_point

    grid = street.grids["e1"]
    response = admin_client.post(
        reverse("admin:org_area_delete", args=[grid.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Area.objects.filter(pk=grid.pk).exists()
    assert grid_for_point(91.005, 29.605) is None


def test_a_community_with_grids_cannot_be_deleted(admin_client, street):
    admin_client.post(
        reverse("admin:org_area_delete", args=[street.east.pk]), {"post": "yes"}
    )
    assert Area.objects.filter(pk=street.east.pk).exists()
