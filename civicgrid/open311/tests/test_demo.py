from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_client_keys_file_and_update_through_open311(demo, client):
    from civicgrid.api.demo import DEMO_CLIENTS
    from civicgrid.appeals.models import Submission

    (_name, hotline_key, _dept), (_name2, cases_key, _dept2), *_rest = DEMO_CLIENTS
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": hotline_key,
            "service_code": "street-lamp",
            "address_string": "东嘎路 12 号",
            "description": "路灯不亮",
            "first_name": "卓玛",
        },
    )
    assert response.status_code == 200, response.content
    code = response.json()[0]["service_request_id"]
    entered_by = Submission.objects.get(tracking_code=code).entered_by
    assert entered_by is not None and entered_by.api_client
    # The department's case system sees what was dispatched to 城管.
    listed = client.get(f"/open311/v2/requests.json?api_key={cases_key}").json()
    assert listed
    assert {r["agency_responsible"] for r in listed} >= {
        "堆龙德庆区城市管理和综合执法局"
    }
    assert client.get("/open311/v2/requests.json?api_key=cg_nope").status_code == 403


def test_a_demo_service_is_batch_and_its_token_is_polled_without_a_key(demo, client):
    from civicgrid.api.demo import DEMO_CLIENTS
    from civicgrid.appeals import actions

    services = client.get("/open311/v2/services.json").json()
    batch = [s["service_code"] for s in services if s["type"] == "batch"]
    assert batch == ["ditch-cleaning"]
    (_name, hotline_key, _dept), *_others = DEMO_CLIENTS
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": hotline_key,
            "service_code": "ditch-cleaning",
            "address_string": "桑木村三组",
            "description": "水渠被垃圾堵住了",
        },
    )
    assert response.status_code == 200, response.content
    (answer,) = response.json()
    assert "service_request_id" not in answer
    actions.submissions_register_pending(limit=10)
    (polled,) = client.get(f"/open311/v2/tokens/{answer['token']}.json").json()
    assert polled["service_request_id"]
    found = client.get(f"/open311/v2/requests/{polled['service_request_id']}.json")
    assert found.json()[0]["service_code"] == "ditch-cleaning"
