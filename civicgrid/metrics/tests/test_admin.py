"""Formulas in the admin: each save is a new version; old ones never change."""

from __future__ import annotations

import pytest

from civicgrid.metrics.models import Formula
from civicgrid.metrics.selectors import current_formula

pytestmark = pytest.mark.django_db


def terms(**changes):
    current = current_formula()
    data = {
        name: getattr(current, name)
        for name in (
            "w_response",
            "w_resolution",
            "w_satisfaction",
            "w_on_time",
            "w_no_return",
            "w_no_rehandle",
            "red_at_least",
            "black_below",
            "min_cases",
            "note",
        )
    }
    data["basic_counts_as_satisfied"] = "on"
    data.update(changes)
    return data


def test_saving_a_formula_makes_a_new_version(admin_client):
    first = current_formula()
    form = admin_client.get("/admin/metrics/formula/add/")
    assert form.status_code == 200
    response = admin_client.post(
        "/admin/metrics/formula/add/", terms(w_response="0.50", note="响应率加权")
    )
    assert response.status_code == 302
    newest = current_formula()
    assert newest.number == first.number + 1 and str(newest.w_response) == "0.50"
    first.refresh_from_db()
    assert str(first.w_response) == "0.20"  # the old version as it was
    page = admin_client.get(f"/admin/metrics/formula/{first.pk}/change/")
    assert b'name="_save"' not in page.content  # read only


def test_a_bad_formula_is_refused_naming_the_field(admin_client):
    current_formula()
    response = admin_client.post(
        "/admin/metrics/formula/add/", terms(black_below="95", red_at_least="90")
    )
    assert response.status_code == 200
    assert "black_below" in response.context["adminform"].form.errors
    assert Formula.objects.count() == 1
