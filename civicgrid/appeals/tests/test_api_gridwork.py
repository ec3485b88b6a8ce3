"""Grid work through the REST API: 就地处置 at /api/appeals/on-site/, the
check on site (request-verification, verify) as steps of an appeal, the
grid's queues, and a grid worker of another grid kept out (404)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.api.testing import api_client as api
from civicgrid.api.testing import jpeg_upload as jpeg
from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal, Submission
from conftest import make_user

from .conftest import PHONE


@pytest.fixture(autouse=True)
def _media_and_fresh_throttles(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def on_site(street, **change):
    return {
        "grid": street.grids["e1"].code,
        "description": "巡查发现路灯杆歪斜。",
        "note": "已扶正加固。",
        "latitude": 29.605,
        "longitude": 91.005,
        "before_photos": [jpeg("before.jpg")],
        "after_photos": [jpeg("after.jpg", (200, 200, 40))],
        **change,
    }


def replied(submit, staff, street, **given):
    appeal = submit(**given)
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(area=street.grids["e1"]),
    )
    worker = api(staff["gridworker"])
    assert worker.post(f"/api/appeals/{appeal.pk}/sign/").status_code == 200
    answered = worker.post(
        f"/api/appeals/{appeal.pk}/reply/",
        {"outcome": "resolved", "public_reply": "已处理。"},
        format="json",
    )
    assert answered.status_code == 200, answered.json()
    appeal.refresh_from_db()
    return appeal


def test_on_the_spot_through_the_api(staff, street):
    response = api(staff["gridworker"]).post(
        "/api/appeals/on-site/", on_site(street), format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "closed" and body["close_reason"] == "on_site"
    assert (
        body["channel"] == "patrol" and body["grid"]["code"] == street.grids["e1"].code
    )
    actions_done = [e["action"] for e in body["timeline"]]
    assert actions_done == ["submit", "dispose_on_site"]
    assert [len(e["photos"]) for e in body["timeline"]] == [1, 1]
    assert body["timeline"][1]["actor_label"] == "扎西 (东嘎一网格)"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"after_photos": []}, "after_photos"),
        ({"note": ""}, "note"),
        ({"latitude": 29.615}, "location"),
    ],
)
def test_on_the_spot_names_what_is_missing_and_leaves_nothing(
    staff, street, change, field
):
    body = on_site(street, **change)
    if body.get("after_photos") == []:
        del body["after_photos"]
    response = api(staff["gridworker"]).post(
        "/api/appeals/on-site/", body, format="multipart"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"], response.json()
    assert not Appeal.objects.exists() and not Submission.objects.exists()


def test_only_a_grid_worker_of_the_grid_records_on_the_spot(staff, street):
    response = api(staff["handler_cg"]).post(
        "/api/appeals/on-site/", on_site(street), format="multipart"
    )
    assert response.status_code == 400
    assert "grid" in response.json()["error"]["fields"]
    assert not Appeal.objects.exists()


def test_the_check_on_site_through_the_api(submit, staff, street):
    appeal = replied(submit, staff, street)
    desk, worker = api(staff["dispatcher"]), api(staff["gridworker"])
    assert (
        "request_verification"
        in desk.get(f"/api/appeals/{appeal.pk}/").json()["actions"]
    )
    nobody = desk.post(
        f"/api/appeals/{appeal.pk}/request-verification/",
        {"grid_worker": staff["handler_cg"].pk},
        format="json",
    )
    assert nobody.status_code == 400
    assert "grid_worker" in nobody.json()["error"]["fields"]
    asked = desk.post(
        f"/api/appeals/{appeal.pk}/request-verification/",
        {"grid_worker": staff["gridworker"].pk, "note": "看看现场"},
        format="json",
    )
    assert asked.status_code == 200, asked.json()
    assert asked.json()["pending_verification"]["grid_worker"] == "扎西"
    assert (
        "callback"
        not in api(staff["operator"])
        .get(f"/api/appeals/{appeal.pk}/")
        .json()["actions"]
    )
    listed = worker.get("/api/appeals/?queue=to_verify").json()["results"]
    assert [a["id"] for a in listed] == [appeal.pk]
    mine = worker.get(f"/api/appeals/{appeal.pk}/").json()
    assert mine["actions"] == ["verify"]
    assert PHONE not in str(mine) and mine["contact"]["masked"]
    failed = worker.post(
        f"/api/appeals/{appeal.pk}/verify/", {"passed": False}, format="json"
    )
    assert failed.status_code == 400 and "note" in failed.json()["error"]["fields"]
    done = worker.post(
        f"/api/appeals/{appeal.pk}/verify/",
        {"passed": True, "note": "属实", "photos": [jpeg()]},
        format="multipart",
    )
    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["state"] == "replied" and body["pending_verification"] is None
    verify = next(e for e in body["timeline"] if e["action"] == "verify")
    assert verify["data"]["passed"] is True and len(verify["photos"]) == 1
    assert verify["actor_label"] == "扎西 (东嘎一网格)"


def test_another_grids_worker_gets_404_for_the_steps(submit, staff, street):
    appeal = replied(submit, staff, street)
    actions.verification_request(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        grid_worker=staff["gridworker"],
    )
    stranger = make_user("gridworker_w1", "格桑")
    membership_add(
        user=stranger,
        role=Role.GRID_WORKER,
        area=street.grids["w1"],
        acting_user=None,
    )
    client = api(stranger)
    assert client.get(f"/api/appeals/{appeal.pk}/").status_code == 404
    for step in ("verify", "request-verification", "sign"):
        assert client.post(f"/api/appeals/{appeal.pk}/{step}/").status_code == 404
    assert client.get("/api/appeals/?queue=my_grids").json()["results"] == []


def test_too_many_files_are_a_clear_400_and_leave_nothing(staff, street, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    body = on_site(street)
    body["after_photos"] = [body["after_photos"][0]] * 3
    response = api(staff["gridworker"]).post(
        "/api/appeals/on-site/", body, format="multipart"
    )
    assert response.status_code == 400
    assert "too many files" in response.json()["error"]["message"]
    assert not Appeal.objects.exists() and not Submission.objects.exists()
