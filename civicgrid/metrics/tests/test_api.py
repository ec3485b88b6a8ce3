"""The three rates over the API."""

from __future__ import annotations

import pytest

from civicgrid.api.testing import api_client as api

pytestmark = pytest.mark.django_db


def test_a_leader_reads_the_streets_rates_and_ranking(staff, street, bring):
    for _ in range(5):
        bring("closed")
    body = api(staff["leader"]).get("/api/metrics/rates/").json()
    assert body["street"] == street.street.code
    assert body["totals"]["intake"] == 5
    assert body["totals"]["reviewed"]["resolution"] == 1.0
    (unit,) = body["units"]
    assert unit["name"] == "城管局" and unit["rank"] == 1 and unit["list"] == "red"
    grids = api(staff["leader"]).get("/api/metrics/rates/", {"by": "grid"})
    assert grids.status_code == 200


def test_a_department_reads_its_own_and_no_other(staff, departments, bring):
    bring("closed")
    handler = api(staff["handler_cg"])
    own = handler.get(f"/api/metrics/departments/{departments['cg'].pk}/rates/")
    assert own.status_code == 200 and own.json()["unit"]["reviewed"]["cases"] == 3
    other = handler.get(f"/api/metrics/departments/{departments['zj'].pk}/rates/")
    assert other.status_code == 404
    assert handler.get("/api/metrics/rates/").status_code == 404
    assert api().get("/api/metrics/rates/").status_code == 401


def test_a_bad_period_is_named(staff):
    response = api(staff["leader"]).get(
        "/api/metrics/rates/", {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 400
    assert "end" in response.json()["error"]["fields"]
    only_one = api(staff["leader"]).get("/api/metrics/rates/", {"start": "2026-05-01"})
    assert "end" in only_one.json()["error"]["fields"]
