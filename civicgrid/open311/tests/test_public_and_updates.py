"""What a client without a key may list (the public record), the headers a
key comes in, the doubled slash, and the FixMyStreet updates extension's
CANCELLED and repeated update ids."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from civicgrid.appeals import actions
from civicgrid.appeals.models import Appeal, CaseEvent

from .test_open311 import BASE, as_json, as_xml

PRECISE = {"latitude": 29.605123, "longitude": 91.005456}


@pytest.fixture
def public(submit, staff) -> dict[str, Appeal]:
    """A lamp (help) the street answered; a complaint and a report, never public."""
    lamp = submit(description="我家楼下路灯坏了，电话 13900001111", **PRECISE)
    actions.appeal_reject(
        appeal=lamp, acting_user=staff["dispatcher"], reason="已由供电所处理"
    )
    complaint = submit(kind="complaint", description="邻居装修太吵")
    report = submit(kind="report", description="有人私搭乱建")
    return {"lamp": lamp, "complaint": complaint, "report": report}


@pytest.mark.django_db
def test_a_keyless_list_is_the_public_record(client, public):
    listed = as_json(client.get(f"{BASE}/requests.json"))
    assert [r["service_request_id"] for r in listed] == [public["lamp"].tracking_code]
    (record,) = listed
    # The resident's words and contact are not in it, nor the exact address.
    assert record["description"] is None and record["address"] is None
    assert record["media_url"] is None
    assert "13900001111" not in str(record) and "卓玛" not in str(record)
    # The street's words are: the status and its note, as on the tracking page.
    assert record["status"] == "closed" and record["status_notes"] == "已由供电所处理"
    assert record["service_code"] == "street-lamp"
    # The point to about 100 m.
    assert (record["lat"], record["long"]) == (29.605, 91.005)
    # In XML as well.
    xml = as_xml(client.get(f"{BASE}/requests.xml"))
    assert [e.text for e in xml.iter("service_request_id")] == [
        public["lamp"].tracking_code
    ]
    assert "13900001111" not in str(client.get(f"{BASE}/requests.xml").content.decode())


@pytest.mark.django_db
def test_a_key_still_lists_the_clients_own_in_full(client, clients, public):
    # A key that sees nothing gets nothing: never the public record instead.
    other = as_json(client.get(f"{BASE}/requests.json?api_key={clients['other_key']}"))
    assert other == []


@pytest.mark.django_db
def test_the_public_record_holds_back_kinds_categories_and_may_be_off(
    client, public, settings
):
    # Complaints and reports never, even when the setting names them.
    settings.CIVICGRID_PUBLIC_RECORD_KINDS = ["help", "complaint", "report"]
    listed = as_json(client.get(f"{BASE}/requests.json"))
    assert [r["service_request_id"] for r in listed] == [public["lamp"].tracking_code]
    # A category held back, by its own code or its group's.
    settings.CIVICGRID_PUBLIC_RECORD_EXCLUDED_CATEGORIES = ["street-lamp"]
    assert as_json(client.get(f"{BASE}/requests.json")) == []
    settings.CIVICGRID_PUBLIC_RECORD_EXCLUDED_CATEGORIES = ["city"]
    assert as_json(client.get(f"{BASE}/requests.json")) == []
    settings.CIVICGRID_PUBLIC_RECORD_EXCLUDED_CATEGORIES = []
    # Kinds not named are not in it.
    settings.CIVICGRID_PUBLIC_RECORD_KINDS = ["suggestion"]
    assert as_json(client.get(f"{BASE}/requests.json")) == []
    # Off: a key is needed again.
    settings.CIVICGRID_PUBLIC_RECORD_KINDS = ["help"]
    settings.CIVICGRID_PUBLIC_RECORD = False
    refused = client.get(f"{BASE}/requests.json")
    assert refused.status_code == 403
    assert as_json(refused)[0]["description"] == "api_key is required."


@pytest.mark.django_db
def test_keyless_lists_are_rate_limited_by_address(client, public, settings):
    cache.clear()
    settings.CIVICGRID_RATE_LIMITS = True
    settings.CIVICGRID_OPEN311_ANONYMOUS_PER_MINUTE = 2
    assert client.get(f"{BASE}/requests.json").status_code == 200
    assert client.get(f"{BASE}/requests.json").status_code == 200
    refused = client.get(f"{BASE}/requests.json")
    assert refused.status_code == 429 and refused["Retry-After"]


@pytest.mark.django_db
def test_the_rest_apis_authorization_header_works_for_open311(
    client, clients, filed_by_app
):
    header = {"HTTP_AUTHORIZATION": f"Api-Key {clients['app_key']}"}
    mine = as_json(client.get(f"{BASE}/requests.json?status=open", **header))
    assert [r["service_request_id"] for r in mine] == [filed_by_app]
    assert mine[0]["description"] == "路灯不亮"  # the client's own view, in full
    updates = client.get(f"{BASE}/servicerequestupdates.json", **header)
    assert updates.status_code == 200
    junk = client.get(f"{BASE}/requests.json", HTTP_AUTHORIZATION="Api-Key cg_junk")
    assert junk.status_code == 403
    assert as_json(junk)[0]["description"] == "Invalid API key."


@pytest.fixture
def filed_by_app(client, clients) -> str:
    response = client.post(
        f"{BASE}/requests.json",
        {
            "service_code": "street-lamp",
            "lat": "29.605123",
            "long": "91.005456",
            "description": "路灯不亮",
        },
        HTTP_AUTHORIZATION=f"Api-Key {clients['app_key']}",
    )
    assert response.status_code == 200, response.content
    actions.submissions_register_pending(limit=10)
    return as_json(response)[0]["service_request_id"]


@pytest.mark.django_db
def test_discovery_advertises_no_trailing_slash_and_a_doubled_one_is_accepted(
    client, services
):
    (endpoint,) = as_json(client.get(f"{BASE}/discovery.json"))["endpoints"]
    url = endpoint["url"]
    assert not url.endswith("/")
    path = url.removeprefix("http://testserver")
    listed = as_xml(client.get(path + "/services.xml"))
    assert "street-lamp" in [e.text for e in listed.iter("service_code")]
    doubled = client.get(path + "//services.xml")
    assert doubled.status_code == 200
    assert doubled.content == client.get(path + "/services.xml").content
    assert client.get(path + "//services/pothole.json").status_code == 200


def _update(client, key: str, code: str, **fields: str):
    return client.post(
        f"{BASE}/servicerequestupdates.json",
        {"api_key": key, "service_request_id": code, **fields},
    )


@pytest.mark.django_db
def test_a_repeated_update_id_is_the_same_update(client, clients, bring):
    appeal = bring("handling")
    key, code = clients["case_key"], appeal.tracking_code
    first = _update(client, key, code, update_id="fms-9", description="已派人去看")
    assert first.status_code == 200, first.content
    events = appeal.events.count()
    again = _update(client, key, code, update_id="fms-9", description="已派人去看")
    assert again.status_code == 200
    assert as_json(again) == as_json(first)
    assert appeal.events.count() == events
    assert CaseEvent.objects.filter(appeal=appeal, note="已派人去看").count() == 1
    # Another id is another update; the same id on another request is refused.
    other = _update(client, key, code, update_id="fms-10", description="明天修")
    assert as_json(other) != as_json(first)
    elsewhere = bring("handling")
    refused = _update(
        client, key, elsewhere.tracking_code, update_id="fms-9", description="x"
    )
    assert refused.status_code == 400
    assert "update_id" in as_json(refused)[0]["description"]
    assert not elsewhere.events.filter(note="x").exists()


@pytest.mark.django_db
def test_a_repeated_update_id_from_the_filing_system_adds_once(
    client, clients, filed_by_app
):
    app_key = clients["app_key"]
    first = _update(client, app_key, filed_by_app, update_id="1", description="补充")
    assert first.status_code == 200, first.content
    assert _update(client, app_key, filed_by_app, update_id="1").status_code == 200
    appeal = Appeal.objects.get(tracking_code=filed_by_app)
    assert appeal.events.filter(action="add_information").count() == 1


@pytest.mark.django_db
def test_cancelled_from_the_filing_system_is_the_residents_withdrawal(
    client, clients, filed_by_app
):
    response = _update(
        client,
        clients["app_key"],
        filed_by_app,
        status="CANCELLED",
        description="灯已修好",
    )
    assert response.status_code == 200, response.content
    event = CaseEvent.objects.get(pk=int(as_json(response)[0]["update_id"]))
    assert event.action == "add_information"
    assert event.note == "The resident withdraws this request: 灯已修好"
    # The street decides: the request is still open.
    assert Appeal.objects.get(tracking_code=filed_by_app).state == "received"


@pytest.mark.django_db
def test_cancelled_from_the_lead_unit_closes_its_share_with_an_outcome(
    client, clients, bring
):
    appeal = bring("handling")
    key, code = clients["case_key"], appeal.tracking_code
    unsaid = _update(client, key, code, status="CANCELLED", description="撤销")
    assert unsaid.status_code == 400 and "outcome" in as_json(unsaid)[0]["description"]
    said = _update(
        client,
        key,
        code,
        status="CANCELLED",
        description="居民撤销",
        outcome="outside_remit",
    )
    assert said.status_code == 200, said.content
    appeal.refresh_from_db()
    assert appeal.state == "replied" and appeal.reply_outcome == "outside_remit"
