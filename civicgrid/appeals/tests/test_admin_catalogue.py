from __future__ import annotations

from django.urls import reverse

from civicgrid.appeals.models import Category


def _post(category, **terms):
    return {
        "parent": category.parent_id or "",
        "code": category.code,
        "name": category.name,
        "sort_order": "0",
        "is_active": "on",
        "kind": "help",
        "default_unit_type": "department",
        "default_department": terms.pop("department"),
        "response_hours": "2",
        "handling_days": "3",
        "public_notice": "",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "response_templates-TOTAL_FORMS": "0",
        "response_templates-INITIAL_FORMS": "0",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        **terms,
    }


def test_editing_the_clocks_makes_a_new_version_and_old_appeals_keep_theirs(
    admin_client, submit, catalogue, departments
):
    lamp = catalogue["lamp"]
    old = submit()
    response = admin_client.post(
        reverse("admin:appeals_category_change", args=[lamp.pk]),
        _post(lamp, department=departments["cg"].pk, handling_days="5"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    lamp.refresh_from_db()
    assert lamp.current_version is not None
    assert lamp.current_version.number == 2
    assert lamp.current_version.handling_days == 5
    old.refresh_from_db()
    assert old.category_version is not None
    assert old.category_version.number == 1
    assert submit().category_version == lamp.current_version


def test_saving_unchanged_terms_makes_no_new_version(
    admin_client, catalogue, departments
):
    lamp = catalogue["lamp"]
    admin_client.post(
        reverse("admin:appeals_category_change", args=[lamp.pk]),
        _post(lamp, department=departments["cg"].pk),
    )
    assert Category.objects.get(pk=lamp.pk).versions.count() == 1


def test_bad_clocks_are_refused_naming_the_field(admin_client, catalogue, departments):
    lamp = catalogue["lamp"]
    response = admin_client.post(
        reverse("admin:appeals_category_change", args=[lamp.pk]),
        _post(lamp, department=departments["cg"].pk, response_hours="0"),
    )
    assert response.status_code == 200
    assert "response_hours" in response.context["adminform"].form.errors
    assert Category.objects.get(pk=lamp.pk).versions.count() == 1
