from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.org.demo import _street_admin_group
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
    Department.objects.create(code="dongga-pcs", name="东嘎派出所", area=street.street)
    user = make_user("street_admin", is_staff=True)
    membership_add(user=user, role=Role.ADMIN, area=street.street, acting_user=None)
    user.groups.add(_street_admin_group())
    return user


def test_a_street_admin_manages_areas_and_people_but_only_reads_the_calendar(
    street_admin,
):
    assert Group.objects.filter(name=_street_admin_group().name).exists()
    assert street_admin.has_perms(
        [
            "org.add_area",
            "org.change_area",
            "org.change_department",
            "accounts.add_user",
            "accounts.add_membership",
            "core.view_calendarday",
        ]
    )
    assert not street_admin.has_perm("core.change_calendarday")
    assert not street_admin.has_perm("accounts.delete_user")


def test_a_street_admin_cannot_edit_the_citywide_calendar(client, street_admin):
    client.force_login(street_admin)
    assert client.get(reverse("admin:core_calendarday_changelist")).status_code == 200
    assert client.get(reverse("admin:core_calendarday_add")).status_code == 403
    response = client.get(reverse("admin:core_calendarday_import"))
    assert response.status_code == 302


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
    assert {d.code for d in response.context["cl"].queryset} == {"dongga-pcs"}


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


# --- escalation: a street administrator stays inside their street -----------------


def test_a_street_admin_cannot_make_themselves_district_admin(
    client, street_admin, street
):
    from civicgrid.accounts.models import Membership

    client.force_login(street_admin)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": street_admin.pk,
            "role": "admin",
            "area": street.district.pk,
            "department": "",
        },
    )
    assert response.status_code == 200
    assert "area" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(area=street.district).exists()


def test_a_street_admin_cannot_take_over_a_superuser(client, street_admin, street):
    from civicgrid.accounts.models import Membership

    boss = make_user("boss", is_staff=True, is_superuser=True)
    client.force_login(street_admin)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": boss.pk,
            "role": "dispatcher",
            "area": street.street.pk,
            "department": "",
        },
    )
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(user=boss).exists()
    password_url = reverse("admin:auth_user_password_change", args=[boss.pk])
    assert client.get(password_url).status_code == 404


def test_a_person_with_a_post_elsewhere_is_not_the_street_admins_to_manage(
    client, street_admin, street, people, departments
):
    # 李明 handles for the district's 城管局: one more post in this street does not
    # hand his account to the street's administrator.
    handler = people["handler_cg"]
    membership_add(
        user=handler, role=Role.VOLUNTEER, area=street.east, acting_user=None
    )
    client.force_login(street_admin)
    assert (
        client.get(reverse("admin:accounts_user_change", args=[handler.pk])).status_code
        == 302
    )
    listed = (
        client.get(reverse("admin:accounts_user_changelist")).context["cl"].queryset
    )
    assert handler not in listed


def test_the_user_page_shows_only_memberships_in_the_admins_street(
    client, street_admin, street
):
    person = make_user("tenzin")
    membership_add(
        user=person, role=Role.GRID_WORKER, area=street.grids["e1"], acting_user=None
    )
    client.force_login(street_admin)
    response = client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    formset = response.context["inline_admin_formsets"][0].formset
    assert [m.area for m in formset.queryset] == [street.grids["e1"]]


def test_a_new_person_stays_with_the_admin_who_created_them(
    client, street_admin, street
):
    from civicgrid.accounts.models import Membership, User

    client.force_login(street_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newbie",
            "full_name": "新人",
            "password1": "a-long-pass-123",
            "password2": "a-long-pass-123",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    newbie = User.objects.get(username="newbie")
    assert newbie.created_by == street_admin
    assert (
        client.get(reverse("admin:accounts_user_change", args=[newbie.pk])).status_code
        == 200
    )
    client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": newbie.pk,
            "role": "grid_worker",
            "area": street.grids["w1"].pk,
            "department": "",
        },
    )
    assert Membership.objects.get(user=newbie).area == street.grids["w1"]


def test_the_add_page_does_not_leak_another_streets_shapes(client, street_admin):
    other = Area.objects.get(code="540103002")
    client.force_login(street_admin)
    response = client.get(reverse("admin:org_area_add") + f"?parent={other.pk}")
    content = response.content.decode()
    assert "乃琼" not in content
    assert "540103002" not in content


def test_the_department_filter_lists_only_the_admins_areas(client, street_admin):
    client.force_login(street_admin)
    content = client.get(reverse("admin:org_department_changelist")).content.decode()
    assert "乃琼" not in content


def test_the_actions_refuse_what_the_admin_does_not_administer(street_admin, street):

    from civicgrid.core.errors import PermissionDeniedError
    from civicgrid.org.actions import area_save

    other = Area.objects.get(code="540103002")
    with pytest.raises(PermissionDeniedError):
        area_save(
            area=Area(
                code="540103002001",
                name="x",
                level="community",
                parent=other,
                community_kind="community",
            ),
            acting_user=street_admin,
        )
    with pytest.raises(PermissionDeniedError):
        membership_add(
            user=street_admin,
            role=Role.ADMIN,
            area=street.district,
            acting_user=street_admin,
        )
    # Inside the street the same actions work.
    area_save(
        area=Area(
            code="540103001003",
            name="东嘎村",
            level="community",
            parent=street.street,
            community_kind="village",
            boundary=None,
        ),
        acting_user=street_admin,
    )
    assert Area.objects.filter(code="540103001003").exists()


def _department_post(department, user_pk):
    return {
        "name": department.name,
        "code": department.code,
        "short_name": "",
        "area": department.area_id,
        "phone": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-user": user_pk,
    }


def test_a_handler_is_added_on_the_department_page_once(
    admin_client, departments, people
):
    from civicgrid.accounts.models import Membership

    department = departments["cg"]
    url = reverse("admin:org_department_change", args=[department.pk])
    response = admin_client.post(
        url, _department_post(department, people["outsider"].pk)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.filter(
        user=people["outsider"], role="department_handler", department=department
    ).exists()
    again = admin_client.post(url, _department_post(department, people["outsider"].pk))
    assert again.status_code == 200
    assert Membership.objects.filter(user=people["outsider"]).count() == 1
