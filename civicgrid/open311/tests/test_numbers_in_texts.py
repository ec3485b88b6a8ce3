"""GeoReport's public record shows no phone or ID number typed into a text,
not even masked: the description, the status notes, the updates' words, in
JSON and in XML, with a key or without."""

from __future__ import annotations

import re

import pytest

from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal
from civicgrid.core.fields import full_text

from .test_open311 import BASE, as_json, post, register

MOBILE = "13900008000"
LANDLINE = "0891-6812345"
ID = "540102199001011233"
# Any digits of the numbers, whole or masked.
SHOWN = re.compile(r"(?<!\d)(?:1[3-9]\d(?:\d{8}|\*{4}\d{4})|0891-?[\d*]{7}|5401\d*\*)")


@pytest.fixture
def noted(submit, staff, departments):
    """An appeal with numbers in its description, a public progress note with
    a mobile, and a rejected one whose reason (the status note) has a landline."""
    appeal = submit(description=f"路灯坏了，联系我 {MOBILE}，身份证 {ID}")
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
    )
    lead = appeal.assignments.get(role="lead")
    actions.assignment_sign(assignment=lead, acting_user=staff["handler_cg"])
    actions.assignment_progress(
        assignment=lead,
        acting_user=staff["handler_cg"],
        note=f"已派人查看，现场负责人 {MOBILE}",
        public=True,
    )
    rejected = submit(description="路灯")
    actions.appeal_reject(
        appeal=rejected,
        acting_user=staff["dispatcher"],
        reason=f"请致电供电所 {LANDLINE}",
    )
    return appeal, rejected


@pytest.mark.django_db
def test_requests_and_their_status_notes_show_no_number(client, clients, noted):
    appeal, rejected = noted
    answers = []
    for code in (appeal.tracking_code, rejected.tracking_code):
        for fmt in ("json", "xml"):
            for query in ({}, {"api_key": clients["app_key"]}):
                response = client.get(f"{BASE}/requests/{code}.{fmt}", query)
                assert response.status_code == 200
                answers.append(response.content.decode())
    for shown in answers:
        assert SHOWN.findall(shown) == []
    (record,) = as_json(
        client.get(
            f"{BASE}/requests/{rejected.tracking_code}.json",
            {"api_key": clients["app_key"]},
        )
    )
    assert record["status_notes"] == "请致电供电所 [number hidden]"
    (keyed,) = as_json(
        client.get(
            f"{BASE}/requests/{appeal.tracking_code}.json",
            {"api_key": clients["app_key"]},
        )
    )
    assert (
        keyed["description"]
        == "路灯坏了，联系我 [number hidden]，身份证 [number hidden]"
    )
    assert keyed["status_notes"] == "已派人查看，现场负责人 [number hidden]"


@pytest.mark.django_db
def test_the_updates_show_no_number(client, clients, noted):
    appeal, _rejected = noted
    url = f"{BASE}/servicerequestupdates.json?api_key={clients['case_key']}"
    body = client.get(url + f"&service_request_id={appeal.tracking_code}")
    xml = client.get(
        url.replace(".json", ".xml") + f"&service_request_id={appeal.tracking_code}"
    )
    assert "已派人查看" in body.content.decode()
    for response in (body, xml):
        assert SHOWN.findall(response.content.decode()) == []


@pytest.mark.django_db
def test_an_unknown_code_is_still_404(client, noted):
    assert client.get(f"{BASE}/requests/NOSUCHCODE.json").status_code == 404


@pytest.mark.django_db
def test_a_request_being_registered_shows_no_number_either(client, clients):
    response = post(
        client, clients["app_key"], description=f"路灯不亮，联系我 {MOBILE}"
    )
    (answer,) = as_json(response)
    code = answer["service_request_id"]
    for query in ({}, {"api_key": clients["app_key"]}):
        pending = client.get(f"{BASE}/requests/{code}.json", query)
        assert SHOWN.findall(pending.content.decode()) == []
    assert register() == 1
    appeal = Appeal.objects.get(tracking_code=code)
    assert appeal.description == "路灯不亮，联系我 139****8000"
    assert full_text(appeal, "description") == f"路灯不亮，联系我 {MOBILE}"
