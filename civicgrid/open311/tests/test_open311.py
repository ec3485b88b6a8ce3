"""GeoReport v2 through HTTP, as client systems send it."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from civicgrid.api.clients import api_client_revoke
from civicgrid.api.models import ApiClientUse
from civicgrid.appeals import actions
from civicgrid.appeals.models import Appeal, Attachment, CaseEvent, Submission
from civicgrid.core import clock
from civicgrid.open311.formats import when

BASE = "/open311/v2"
LAMP = {"lat": "29.605123", "long": "91.005456"}


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def as_json(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json"), response.content
    return json.loads(response.content)


def as_xml(response: Any) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml"), response.content
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 (our own answer)


def register() -> int:
    """What the worker does a moment after intake."""
    return actions.submissions_register_pending(limit=100)


def post(client: Client, key: str, fmt: str = "json", **fields: Any) -> Any:
    data = {"api_key": key, "service_code": "street-lamp", **LAMP}
    data.update({"description": "路灯不亮", "first_name": "卓玛", "last_name": ""})
    headers = {k: fields.pop(k) for k in list(fields) if k.startswith("HTTP_")}
    data.update(fields)
    return client.post(f"{BASE}/requests.{fmt}", data, **headers)


def nothing_made() -> None:
    assert Submission.objects.count() == 0
    assert Appeal.objects.count() == 0


# --- the catalogue ----------------------------------------------------------------


@pytest.mark.django_db
def test_discovery_in_both_formats(client, services):
    body = as_json(client.get(f"{BASE}/discovery.json"))
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = as_xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    formats = root.findall("endpoints/endpoint/formats/format")
    assert [f.text for f in formats] == ["text/xml", "application/json"]


@pytest.mark.django_db
def test_services_list_every_leaf_with_its_group_type_and_metadata(client, services):
    body = {s["service_code"]: s for s in as_json(client.get(f"{BASE}/services.json"))}
    assert set(body) == {"street-lamp", "neighbours", "pothole", "bulky-waste"}
    assert body["pothole"] == {
        "service_code": "pothole",
        "service_name": "道路坑洼",
        "description": "路面破损、坑洼",
        "metadata": True,
        "type": "realtime",
        "keywords": "道路, 坑洼",
        "group": "市容环境",
    }
    assert body["street-lamp"]["metadata"] is False
    assert body["bulky-waste"]["type"] == "batch"
    root = as_xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    pothole = next(
        s for s in root.findall("service") if s.findtext("service_code") == "pothole"
    )
    assert pothole.findtext("metadata") == "true"
    assert pothole.findtext("group") == "市容环境"


@pytest.mark.django_db
def test_service_definition_speaks_all_six_datatypes(client, services):
    body = as_json(client.get(f"{BASE}/services/pothole.json"))
    attributes = {a["code"]: a for a in body["attributes"]}
    assert {a["datatype"] for a in attributes.values()} == {
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
    }
    size = attributes["size"]
    assert size["required"] is True and size["variable"] is True
    assert size["order"] == 1
    assert size["values"] == [
        {"key": "小", "name": "小"},
        {"key": "中", "name": "中"},
        {"key": "大", "name": "大"},
    ]
    assert "values" not in attributes["depth"]
    root = as_xml(client.get(f"{BASE}/services/pothole.xml"))
    assert root.tag == "service_definition"
    first = root.find("attributes/attribute")
    assert first is not None and first.findtext("code") == "size"
    assert [v.findtext("key") for v in first.findall("values/value")] == [
        "小",
        "中",
        "大",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["services/nothing.json", "services/nothing.xml"])
def test_an_unknown_service_is_404_in_the_format_asked_for(client, services, path):
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == 404
    if path.endswith(".json"):
        assert as_json(response)[0]["code"] == 404
    else:
        error = as_xml(response).find("error")
        assert error is not None and error.findtext("code") == "404"
        assert "service_code" in (error.findtext("description") or "")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["services.json/", "services/", "services"])
def test_a_trailing_slash_or_none_and_xml_by_default(client, services, path):
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == 200
    if ".json" in path:
        assert as_json(response)
    else:
        assert as_xml(response).tag == "services"


# --- filing -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_request_is_filed_with_the_channel_and_the_clients_name(client, clients):
    response = post(client, clients["app_key"], account_id="wx-88", device_id="d-1")
    assert response.status_code == 200
    (answer,) = as_json(response)
    code = answer["service_request_id"]
    assert answer["account_id"] == "wx-88"
    # At once, before the worker: the request can be followed by its id.
    (pending,) = as_json(client.get(f"{BASE}/requests/{code}.json"))
    assert pending["status"] == "open" and pending["service_code"] == "street-lamp"
    assert register() == 1
    appeal = Appeal.objects.get(tracking_code=code)
    assert appeal.channel == "api"
    assert appeal.entered_by == clients["app"].user
    assert appeal.appellant_name == "卓玛"  # a Chinese name, whole, in first_name
    assert appeal.latitude == pytest.approx(29.605123, abs=1e-9)
    submit = appeal.events.get(action="submit")
    # The resident's account and device there are echoed, not kept.
    assert submit.data == {"channel": "api", "client": "12345 热线平台"}
    assert "wx-88" not in str(Submission.objects.get().payload)
    assert ApiClientUse.objects.filter(
        client=clients["app"], method="POST", status=200
    ).exists()


@pytest.mark.django_db
def test_a_latin_name_and_a_family_name_in_last_name(client, clients):
    post(client, clients["app_key"], first_name="Jane", last_name="Doe")
    post(
        client,
        clients["app_key"],
        first_name="芳",
        last_name="王",
        phone="+86 138 1234 5678",
    )
    post(client, clients["app_key"], first_name="", last_name="")
    register()
    names = {a.appellant_name: a for a in Appeal.objects.all()}
    assert set(names) == {"Jane Doe", "王芳", ""}
    assert names["王芳"].appellant_phone == "13812345678"
    assert not names["Jane Doe"].anonymous
    assert names[""].anonymous  # nothing to reach them by: anonymous


@pytest.mark.django_db
def test_api_key_in_the_query_string_and_an_e_mail_for_contact(client, clients):
    response = client.post(
        f"{BASE}/requests.json?api_key={clients['app_key']}",
        {
            "service_code": "street-lamp",
            "address_string": "东嘎路 12 号",
            "description": "路灯不亮",
            "email": "zhuoma@example.com",
            "jurisdiction_id": "",
        },
    )
    assert response.status_code == 200, response.content
    register()
    appeal = Appeal.objects.get()
    assert appeal.address == "东嘎路 12 号" and appeal.latitude is None
    assert appeal.appellant_email == "zhuoma@example.com" and not appeal.anonymous


@pytest.mark.django_db
def test_attributes_of_every_kind_are_kept(client, clients):
    attributes: dict[str, Any] = {
        "attribute[size]": "大",
        "attribute[lanes][]": ["左", "右"],
        "attribute[depth]": "12.5",
        "attribute[seen]": "2026-11-27T20:15:00+08:00",
        "attribute[since]": "2026-11-20T00:00:00Z",
        "attribute[pole]": "DG-0042",
        "attribute[unknown]": "ignored",
    }
    response = post(client, clients["app_key"], service_code="pothole", **attributes)
    assert response.status_code == 200, response.content
    register()
    answers = {a["code"]: a["value"] for a in Appeal.objects.get().answers}
    assert answers == {
        "size": "大",
        "lanes": ["左", "右"],
        "depth": 12.5,
        "seen": "2026-11-27T20:15:00+08:00",
        "since": "2026-11-20",
        "pole": "DG-0042",
    }


@pytest.mark.django_db
def test_address_id_places_the_request_in_that_grid(client, clients, street):
    grid = street.grids["e2"]
    response = post(client, clients["app_key"], lat="", long="", address_id=grid.code)
    assert response.status_code == 200, response.content
    register()
    appeal = Appeal.objects.get()
    assert appeal.grid == grid and appeal.address == grid.name


@pytest.mark.django_db
def test_a_photo_uploaded_with_the_request_becomes_its_attachment(client, clients):
    photo = SimpleUploadedFile("lamp.jpg", jpeg(), content_type="")
    response = post(client, clients["app_key"], media=photo)
    assert response.status_code == 200, response.content
    register()
    (attachment,) = Attachment.objects.all()
    assert attachment.content_type == "image/jpeg"
    (record,) = as_json(client.get(f"{BASE}/requests/{attachment.appeal}.json"))
    assert record["media_url"].endswith(f"/photos/{attachment.pk}/full/")
    assert client.get(record["media_url"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("fields", "status", "named"),
    [
        ({"lat": "", "long": ""}, 400, "location"),
        ({"service_code": "pothole"}, 400, "attribute[size]"),
        ({"description": "很" * 4001}, 400, "description"),
        ({"media": "not-an-image"}, 400, "media"),
        ({"service_code": "nothing"}, 404, "service_code"),
        ({"service_code": ""}, 400, "service_code"),
        ({"lat": "north"}, 400, "lat"),
        ({"address_id": "999", "lat": "", "long": ""}, 400, "address_id"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"phone": "12"}, 400, "phone"),
        ({"jurisdiction_id": "elsewhere"}, 404, "jurisdiction_id"),
    ],
)
def test_bad_input_is_refused_naming_it_and_leaves_nothing(
    client, clients, fmt, fields, status, named
):
    if fields.get("media") == "not-an-image":
        fields = {"media": SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a photo")}
    response = post(client, clients["app_key"], fmt=fmt, **fields)
    assert response.status_code == status
    if fmt == "json":
        (error,) = as_json(response)
        code, description = error["code"], error["description"]
    else:
        root = as_xml(response)
        assert root.tag == "errors"
        code, description = (
            root.findtext("error/code"),
            root.findtext("error/description"),
        )
    assert str(code) == str(status)
    assert named in description.lower() or named in description
    nothing_made()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_wrong_missing_or_revoked_key_is_403(client, clients, fmt):
    assert post(client, "cg_wrong", fmt=fmt).status_code == 403
    assert post(client, "", fmt=fmt).status_code == 403
    api_client_revoke(client=clients["app"])
    response = post(client, clients["app_key"], fmt=fmt)
    assert response.status_code == 403
    assert "revoked" in response.content.decode()
    nothing_made()
    # The revoked key's attempt is in its log.
    assert ApiClientUse.objects.filter(client=clients["app"], status=403).count() == 1


@pytest.mark.django_db
def test_a_client_over_its_rate_gets_429(client, clients):
    app = clients["app"]
    app.rate_per_minute = 2
    app.save()
    assert post(client, clients["app_key"]).status_code == 200
    assert post(client, clients["app_key"]).status_code == 200
    assert post(client, clients["app_key"]).status_code == 429
    assert Submission.objects.count() == 2
    assert ApiClientUse.objects.filter(client=app).count() == 3


@pytest.mark.django_db
def test_a_batch_service_answers_a_token_that_later_gives_the_id(client, clients):
    (answer,) = as_json(
        post(
            client,
            clients["app_key"],
            service_code="bulky-waste",
            HTTP_IDEMPOTENCY_KEY="fms-report-77",
        )
    )
    assert "service_request_id" not in answer
    token = answer["token"]
    # Issued here, at random: never the client's own idempotency key.
    assert token != "fms-report-77" and len(token) >= 20
    assert "fms-report-77" not in token
    # Polled without a key, as FixMyStreet's batch flow does: the id only.
    url = f"{BASE}/tokens/{token}.json"
    assert as_json(client.get(url)) == [{"service_request_id": None, "token": token}]
    register()
    assert as_json(client.get(url)) == [
        {"service_request_id": Appeal.objects.get().tracking_code, "token": token}
    ]
    # With a key the answer is the same, whichever client's.
    other = f"{BASE}/tokens/{token}.json?api_key={clients['other_key']}"
    assert as_json(client.get(other)) == as_json(client.get(url))
    assert client.get(f"{BASE}/tokens/fms-report-77.json").status_code == 404
    # A retry under the same Idempotency-Key gets the same token.
    (again,) = as_json(
        post(
            client,
            clients["app_key"],
            service_code="bulky-waste",
            HTTP_IDEMPOTENCY_KEY="fms-report-77",
        )
    )
    assert again["token"] == token


@pytest.mark.django_db
def test_the_same_idempotency_key_files_once(client, clients):
    first = post(client, clients["app_key"], HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client, clients["app_key"], HTTP_IDEMPOTENCY_KEY="k-1")
    assert as_json(first) == as_json(again)
    assert Submission.objects.count() == 1
    other = post(
        client, clients["app_key"], description="另一件事", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422


# --- following ---------------------------------------------------------------------


@pytest.fixture
def filed(client, clients) -> list[str]:
    codes = [
        as_json(post(client, clients["app_key"], description=f"第 {n} 件"))[0][
            "service_request_id"
        ]
        for n in range(3)
    ]
    register()
    return codes


@pytest.mark.django_db
def test_requests_by_id_override_everything_else(client, filed):
    ids = ",".join(filed[:2])
    body = as_json(
        client.get(f"{BASE}/requests.json?service_request_id={ids}&status=closed")
    )
    assert [r["service_request_id"] for r in body] == filed[:2]
    root = as_xml(client.get(f"{BASE}/requests.xml?service_request_id={filed[2]}"))
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == filed[2]


@pytest.mark.django_db
def test_one_request_is_a_list_of_one_with_every_field(client, filed):
    (record,) = as_json(client.get(f"{BASE}/requests/{filed[0]}.json"))
    assert set(record) == {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    }
    assert record["requested_datetime"].endswith("+08:00")
    # Not dispatched yet: expected by the category's clocks from receipt.
    appeal = Appeal.objects.get(tracking_code=filed[0])
    assert appeal.due_at is not None
    assert record["expected_datetime"] == when(appeal.due_at)
    assert client.get(f"{BASE}/requests/NOSUCHCODE.json").status_code == 404


@pytest.mark.django_db
def test_listing_with_a_key_shows_only_the_clients_own(client, clients, filed, submit):
    someone_elses = submit().tracking_code
    mine = as_json(client.get(f"{BASE}/requests.json?api_key={clients['app_key']}"))
    assert sorted(r["service_request_id"] for r in mine) == sorted(filed)
    assert someone_elses not in {r["service_request_id"] for r in mine}
    other = as_json(client.get(f"{BASE}/requests.json?api_key={clients['other_key']}"))
    assert other == []


@pytest.mark.django_db
def test_list_filters_status_code_dates_and_pages(client, clients, filed, staff):
    key = clients["app_key"]
    appeal = Appeal.objects.get(tracking_code=filed[0])
    actions.appeal_reject(appeal=appeal, acting_user=staff["dispatcher"], reason="重复")
    closed = as_json(client.get(f"{BASE}/requests.json?api_key={key}&status=closed"))
    assert [r["service_request_id"] for r in closed] == [filed[0]]
    assert closed[0]["status_notes"] == "重复"
    opened = as_json(client.get(f"{BASE}/requests.json?api_key={key}&status=open"))
    assert len(opened) == 2
    none = as_json(client.get(f"{BASE}/requests.json?api_key={key}&service_code=x"))
    assert none == []
    page = as_json(client.get(f"{BASE}/requests.json?api_key={key}&page_size=2&page=2"))
    assert len(page) == 1
    past = (clock.now() - timedelta(days=30)).isoformat()
    ago = as_json(
        client.get(f"{BASE}/requests.json", {"api_key": key, "end_date": past})
    )
    assert ago == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
        "start_date=yesterday",
        "status=pending",
        "page_size=0",
        "end_date=2026-01-01T00:00:00%2B08:00&start_date=2026-02-01T00:00:00Z",
    ],
)
def test_bad_list_queries_are_400(client, clients, query):
    response = client.get(f"{BASE}/requests.json?api_key={clients['app_key']}&{query}")
    assert response.status_code == 400
    assert as_json(response)[0]["code"] == 400


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_page(
    client, clients, filed, django_assert_max_num_queries
):
    url = f"{BASE}/requests.json?api_key={clients['app_key']}"
    with django_assert_max_num_queries(14) as small:
        assert len(as_json(client.get(url + "&page_size=1"))) == 1
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(as_json(client.get(url))) == 3


# --- updates ----------------------------------------------------------------------


@pytest.mark.django_db
def test_updates_list_the_public_timeline_with_extended_statuses(
    client, clients, filed, staff, departments
):
    appeal = Appeal.objects.get(tracking_code=filed[0])
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=actions.Unit(department=departments["cg"]),
    )
    url = f"{BASE}/servicerequestupdates.json?api_key={clients['app_key']}"
    body = as_json(client.get(url + f"&service_request_id={filed[0]}"))
    statuses = [u["status"] for u in body]
    assert statuses[0] == "OPEN" and statuses[-1] == "ACTION_SCHEDULED"
    assert {u["service_request_id"] for u in body} == {filed[0]}
    root = as_xml(client.get(url.replace(".json", ".xml")))
    assert root.tag == "service_request_updates"
    assert root.find("request_update/update_id") is not None
    assert client.get(f"{BASE}/servicerequestupdates.json").status_code == 403


@pytest.mark.django_db
def test_a_departments_system_signs_reports_progress_and_replies(
    client, clients, bring
):
    appeal = bring("dispatched")
    url = f"{BASE}/servicerequestupdates.xml"
    key = clients["case_key"]
    base = {"api_key": key, "service_request_id": appeal.tracking_code}
    response = client.post(
        url, {**base, "status": "IN_PROGRESS", "description": "已派人查看"}
    )
    assert response.status_code == 200, response.content
    update_id = as_xml(response).findtext("request_update/update_id")
    progress = CaseEvent.objects.get(pk=int(update_id or 0))
    assert progress.action == "progress" and progress.note == "已派人查看"
    appeal.refresh_from_db()
    assert appeal.state == "handling"
    photo = SimpleUploadedFile("done.jpg", jpeg())
    fixed = client.post(
        url, {**base, "status": "fixed", "description": "已修复", "media": photo}
    )
    assert fixed.status_code == 200, fixed.content
    appeal.refresh_from_db()
    assert appeal.state == "replied"
    assert appeal.events.filter(action="reply").get().attachments.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "extra", "outcome", "reason"),
    [
        ("FIXED", {}, "resolved", ""),
        ("NO_FURTHER_ACTION", {}, "not_resolved", "已处理"),  # it explains itself
        (
            "NO_FURTHER_ACTION",
            {"outcome_reason": "需供电公司"},
            "not_resolved",
            "需供电公司",
        ),
        ("NOT_COUNCILS_RESPONSIBILITY", {}, "outside_remit", ""),
        ("CLOSED", {"outcome": "partly_resolved"}, "partly_resolved", ""),
    ],
)
def test_a_departments_closing_update_says_what_came_of_it(
    client, clients, bring, status, extra, outcome, reason
):
    appeal = bring("handling")
    response = client.post(
        f"{BASE}/servicerequestupdates.json",
        {
            "api_key": clients["case_key"],
            "service_request_id": appeal.tracking_code,
            "status": status,
            "description": "已处理",
            **extra,
        },
    )
    assert response.status_code == 200, response.content
    appeal.refresh_from_db()
    assert appeal.state == "replied"
    assert appeal.reply_outcome == outcome and appeal.reply_outcome_reason == reason


@pytest.mark.django_db
def test_a_closing_update_that_does_not_say_the_outcome_records_nothing(
    client, clients, bring
):
    appeal = bring("handling")
    events = appeal.events.count()
    url = f"{BASE}/servicerequestupdates.json"
    case = {
        "api_key": clients["case_key"],
        "service_request_id": appeal.tracking_code,
        "description": "已处理",
    }
    unsaid = client.post(url, {**case, "status": "CLOSED"})
    assert unsaid.status_code == 400 and "outcome" in as_json(unsaid)[0]["description"]
    contrary = client.post(url, {**case, "status": "FIXED", "outcome": "not_resolved"})
    assert contrary.status_code == 400
    blank = client.post(
        url, {**case, "status": "FIXED", "description": "已于【 】修复"}
    )
    assert blank.status_code == 400
    assert appeal.events.count() == events
    appeal.refresh_from_db()
    assert appeal.state == "handling"


@pytest.mark.django_db
def test_not_our_responsibility_before_signing_still_returns_the_share(
    client, clients, bring
):
    appeal = bring("dispatched")
    response = client.post(
        f"{BASE}/servicerequestupdates.json",
        {
            "api_key": clients["case_key"],
            "service_request_id": appeal.tracking_code,
            "status": "NOT_COUNCILS_RESPONSIBILITY",
            "description": "不属于城管",
        },
    )
    assert response.status_code == 200, response.content
    appeal.refresh_from_db()
    assert appeal.state == "accepted" and appeal.reply_outcome == ""


@pytest.mark.django_db
def test_the_filing_system_adds_the_residents_information(client, clients, filed):
    response = client.post(
        f"{BASE}/servicerequestupdates.json",
        {
            "api_key": clients["app_key"],
            "service_request_id": filed[1],
            "status": "OPEN",
            "description": "灯杆编号 DG-0042",
        },
    )
    assert response.status_code == 200, response.content
    (answer,) = as_json(response)
    event = CaseEvent.objects.get(pk=int(answer["update_id"]))
    assert event.action == "add_information" and event.note == "灯杆编号 DG-0042"


@pytest.mark.django_db
def test_an_update_from_a_stranger_is_404_and_a_bad_status_400(
    client, clients, filed, bring
):
    url = f"{BASE}/servicerequestupdates.json"
    stranger = {"api_key": clients["other_key"], "service_request_id": filed[0]}
    assert client.post(url, {**stranger, "description": "x"}).status_code == 404
    mine = {"api_key": clients["app_key"], "service_request_id": filed[0]}
    assert client.post(url, {**mine, "status": "DONE"}).status_code == 400
    # A department's system does not decide duplicates; nothing is recorded.
    appeal = bring("dispatched")
    events = appeal.events.count()
    case = {"api_key": clients["case_key"], "service_request_id": appeal.tracking_code}
    assert client.post(url, {**case, "status": "DUPLICATE"}).status_code == 400
    assert appeal.events.count() == events
    # The filing system adds information; closing is not its to say.
    closing = client.post(url, {**mine, "status": "CLOSED", "description": "好了"})
    assert closing.status_code == 400
    # An update that would record nothing is refused, not answered with an old id.
    assert client.post(url, {**case, "status": "IN_PROGRESS"}).status_code == 200
    assert client.post(url, {**case, "status": "IN_PROGRESS"}).status_code == 400


@pytest.mark.django_db
def test_a_client_that_sees_a_request_but_has_no_share_may_not_update_it(
    client, clients, bring, departments
):
    from civicgrid.accounts.actions import membership_add
    from civicgrid.accounts.models import Role

    # A street-level client (e.g. the district's supervision system) sees all.
    membership_add(
        user=clients["other"].user,
        role=Role.LEADER,
        area=departments["cg"].area,
        acting_user=None,
    )
    appeal = bring("dispatched")
    response = client.post(
        f"{BASE}/servicerequestupdates.json",
        {
            "api_key": clients["other_key"],
            "service_request_id": appeal.tracking_code,
            "description": "看看",
        },
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_several_jurisdictions_need_one_named(client, services, settings):
    settings.CIVICGRID_OPEN311_JURISDICTIONS = {"dongga": "", "other": "999"}
    assert client.get(f"{BASE}/services.json").status_code == 400
    named = client.get(f"{BASE}/services.json?jurisdiction_id=dongga")
    assert named.status_code == 200


@pytest.mark.django_db
def test_requests_without_a_key_are_limited_per_address(client, services, settings):
    from django.core.cache import cache

    cache.clear()
    settings.CIVICGRID_RATE_LIMITS = True
    settings.CIVICGRID_OPEN311_ANONYMOUS_PER_MINUTE = 2
    assert client.get(f"{BASE}/services.json").status_code == 200
    assert client.get(f"{BASE}/services.json").status_code == 200
    refused = client.get(f"{BASE}/services.json")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert as_json(refused)[0]["code"] == 429


@pytest.mark.django_db
def test_an_unknown_address_is_a_georeport_404_in_its_format(client):
    response = client.post(f"{BASE}/reports.json", {"api_key": "x"})
    assert response.status_code == 404
    assert as_json(response)[0]["code"] == 404
    assert as_xml(client.get(f"{BASE}/nothing/here")).tag == "errors"


@pytest.mark.django_db
def test_a_start_date_alone_reaches_until_now(client, clients, filed):
    since = (clock.now() - timedelta(days=10)).isoformat()
    found = as_json(
        client.get(
            f"{BASE}/servicerequestupdates.json",
            {"api_key": clients["app_key"], "start_date": since},
        )
    )
    assert {u["service_request_id"] for u in found} == set(filed)


@pytest.mark.django_db
def test_a_client_over_its_rate_is_let_in_again_when_its_minute_clears(
    client, clients, time_machine
):
    app = clients["app"]
    app.rate_per_minute = 2
    app.save()
    url = f"{BASE}/requests.json?api_key={clients['app_key']}"
    time_machine.move_to(clock.now(), tick=False)
    statuses = []
    for _n in range(6):  # one every 20 s: three a minute against two
        statuses.append(client.get(url).status_code)
        time_machine.shift(timedelta(seconds=20))
    # Never more than two admitted in a minute, and refusals do not count
    # against it: the client is let in again as each minute clears.
    assert statuses == [200, 200, 429, 200, 200, 429]


@pytest.mark.django_db
def test_a_wrong_key_is_refused_wherever_it_comes_and_never_bypasses_limits(
    client, clients, services, settings
):
    from django.core.cache import cache

    cache.clear()
    settings.CIVICGRID_RATE_LIMITS = True
    settings.CIVICGRID_OPEN311_ANONYMOUS_PER_MINUTE = 3
    assert client.get(f"{BASE}/services.json?api_key=junk").status_code == 403
    assert client.get(f"{BASE}/services.json", HTTP_X_API_KEY="junk").status_code == 403
    # A real key in the header is its client's: not counted by address.
    for _n in range(4):
        ok = client.get(f"{BASE}/services.json", HTTP_X_API_KEY=clients["app_key"])
        assert ok.status_code == 200
    # Without a key, each code asked for counts.
    codes = ",".join(f"CODE{n}" for n in range(5))
    many = client.get(f"{BASE}/requests.json?service_request_id={codes}")
    assert many.status_code == 429
    assert ApiClientUse.objects.filter(client=clients["app"]).count() == 4


@pytest.mark.django_db
def test_reading_with_a_revoked_key_is_refused_and_logged(client, clients, filed):
    api_client_revoke(client=clients["app"])
    response = client.get(
        f"{BASE}/requests/{filed[0]}.json", {"api_key": clients["app_key"]}
    )
    assert response.status_code == 403
    last = ApiClientUse.objects.filter(client=clients["app"]).order_by("pk").last()
    assert last is not None and last.status == 403


@pytest.mark.django_db
def test_control_characters_never_reach_the_xml(client, clients):
    post(client, clients["app_key"], description="路灯\x0b不亮\x01")
    register()
    appeal = Appeal.objects.get()
    assert appeal.description == "路灯不亮"
    root = as_xml(client.get(f"{BASE}/requests.xml?api_key={clients['app_key']}"))
    assert root.findtext("request/description") == "路灯不亮"


@pytest.mark.django_db
def test_the_residents_own_words_are_not_passed_on(client, clients, filed, bring):
    appeal = Appeal.objects.get(tracking_code=filed[0])
    actions.appeal_add_information(
        appeal=appeal, acting_user=None, text="我家电话 13900001111"
    )
    (record,) = as_json(client.get(f"{BASE}/requests/{filed[0]}.json"))
    assert record["status_notes"] is None
    updates = as_json(
        client.get(
            f"{BASE}/servicerequestupdates.json",
            {"api_key": clients["app_key"], "service_request_id": filed[0]},
        )
    )
    assert "13900001111" not in json.dumps(updates, ensure_ascii=False)


@pytest.mark.django_db
def test_with_several_streets_an_address_goes_to_the_default_one(
    client, clients, street, settings
):
    from conftest import make_area

    make_area("540103002", "乃琼街道", "street", street.district)
    settings.CIVICGRID_DEFAULT_STREET = street.street.code
    response = post(
        client, clients["app_key"], lat="", long="", address_string="东嘎路 1 号"
    )
    assert response.status_code == 200, response.content
    register()
    assert Appeal.objects.get().street == street.street


@pytest.mark.django_db
def test_a_code_being_registered_is_found_either_way(client, clients, monkeypatch):
    """Registered between reading the submission and the appeal: still found."""
    from civicgrid.appeals import selectors

    (answer,) = as_json(post(client, clients["app_key"]))
    code = answer["service_request_id"]
    real = selectors.received_by_codes

    def register_in_between(codes, **kwargs):
        found = real(codes, **kwargs)
        register()
        return found

    monkeypatch.setattr(selectors, "received_by_codes", register_in_between)
    (record,) = as_json(client.get(f"{BASE}/requests/{code}.json"))
    assert record["service_request_id"] == code


def test_a_finding_resolved_on_site_is_fixed_in_open311s_words():
    from civicgrid.appeals.models import CaseEvent
    from civicgrid.open311.records import update_status

    on_the_spot = CaseEvent(action="dispose_on_site", to_state="closed")
    checked = CaseEvent(action="verify", to_state="closed", data={"passed": True})
    sent_back = CaseEvent(action="verify", to_state="handling")
    assert update_status(on_the_spot) == update_status(checked) == "FIXED"
    assert update_status(sent_back) == "IN_PROGRESS"
