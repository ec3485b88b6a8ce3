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
    assert own.status_code == 200
    # One appeal dispatched, counted once; each rate with its own cases.
    reviewed = own.json()["unit"]["reviewed"]
    assert reviewed["dispatched"] == 1
    assert reviewed["cases"]["response"] == {"count": 1, "of": 1}
    assert reviewed["cases"]["resolution"] == {"count": 1, "of": 1}
    assert reviewed["cases"]["on_time"] == {"count": 1, "of": 1}
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


def test_the_api_counts_each_appeal_once_and_scores_no_unit_without_cases(
    staff, street, departments, bring
):
    from civicgrid.appeals import actions
    from civicgrid.appeals.actions import Unit

    for _ in range(5):
        bring("closed")
    # 住建局 is sent six appeals and has answered none yet.
    for _ in range(6):
        appeal = bring("accepted")
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            lead=Unit(department=departments["zj"]),
        )
    body = api(staff["leader"]).get("/api/metrics/rates/").json()
    units = {unit["name"]: unit for unit in body["units"]}
    cg, zj = units["城管局"]["reviewed"], units["住建局"]["reviewed"]
    assert cg["dispatched"] == 5 and cg["cases"]["response"] == {"count": 5, "of": 5}
    assert cg["cases"]["satisfaction"] == {"count": 5, "of": 5}
    assert zj["dispatched"] == 6 and zj["score"] is None
    assert zj["cases"]["response"] == {"count": 0, "of": 0}
    assert zj["cases"]["return_rate"] == {"count": 0, "of": 6}
    assert units["住建局"]["rank"] is None and units["住建局"]["list"] == ""
    assert body["totals"]["reviewed"]["dispatched"] == 11
    assert body["totals"]["intake"] == 11
    outsider = api(staff["outsider"]).get("/api/metrics/rates/")
    assert outsider.status_code == 404
