from __future__ import annotations

from django.urls import reverse

from civicgrid.accounts.models import Membership


def _user_form(user, **membership):
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "phone": "",
        "email": "",
        "language": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-role": membership.get("role", ""),
        "memberships-0-area": membership.get("area", ""),
        "memberships-0-department": membership.get("department", ""),
        "date_joined_0": "2026-11-01",
        "date_joined_1": "09:00:00",
    }
    return data


def test_admin_refuses_a_grid_worker_on_a_street_naming_the_field(
    admin_client, people, street
):
    user = people["outsider"]
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _user_form(user, role="grid_worker", area=street.street.pk),
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "area" in formset.forms[0].errors
    assert not Membership.objects.filter(user=user).exists()


def test_admin_adds_a_grid_worker_to_a_grid(admin_client, people, street):
    user = people["outsider"]
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _user_form(user, role="grid_worker", area=street.grids["w1"].pk),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.get(user=user).area == street.grids["w1"]


def test_the_phone_is_stored_encrypted_when_edited_in_admin(admin_client, people):
    user = people["outsider"]
    data = _user_form(user)
    data["memberships-TOTAL_FORMS"] = "0"
    data["phone"] = "13912345678"
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.phone == "13912345678"
