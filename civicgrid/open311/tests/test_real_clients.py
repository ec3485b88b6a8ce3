"""Real Open311 client libraries from the package registry, against a live
server: ``georeport`` (reads, JSON and XML) and ``three`` (reads and POSTs,
with a multipart photo)."""

from __future__ import annotations

import io
import itertools
from typing import Any

import pytest
from PIL import Image

from civicgrid.appeals import actions
from civicgrid.appeals.models import Appeal, Attachment

# three 0.8 was written for Python 2; on Python 3 it needs this before import.
itertools.ifilter = filter  # type: ignore[attr-defined]

import three  # noqa: E402
from georeport import GeoReport  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def endpoint(live_server) -> str:
    return f"{live_server.url}/open311/v2/"


@pytest.fixture
def filed(clients, submit) -> list[str]:
    """Two requests filed by the app's client, registered by the worker."""
    codes = []
    for description in ("东嘎路路灯不亮", "林堆社区门口路灯闪烁"):
        appeal = submit(
            description=description, channel="api", acting_user=clients["app"].user
        )
        codes.append(appeal.tracking_code)
    return codes


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_definitions_and_requests(
    endpoint, services, filed, fmt
):
    client = GeoReport(endpoint, jurisdiction="civicgrid", output_format=fmt)
    listed = client.get_service_list()
    codes = {s["service_code"] for s in listed}
    assert {"street-lamp", "pothole", "bulky-waste"} <= codes

    definition = client.get_service_definition("pothole")
    attributes = definition["attributes"]
    if fmt == "xml":  # xmltodict: one element per tag, values as text
        attributes = attributes["attribute"]
    size = next(a for a in attributes if a["code"] == "size")
    assert size["datatype"] == "singlevaluelist"
    assert str(size["required"]).lower() == "true"

    found = client.get_service_requests(service_request_id=",".join(filed))
    assert sorted(r["service_request_id"] for r in found) == sorted(filed)

    one = client.get_service_request(filed[0])
    assert one["service_request_id"] == filed[0]
    assert one["status"] == "open" and one["service_code"] == "street-lamp"


def jpeg_file() -> Any:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "lamp.jpg"
    return buffer


def test_three_discovers_lists_posts_and_follows(endpoint, clients, services):
    t = three.Three(
        endpoint, api_key=clients["app_key"], jurisdiction="civicgrid", format="json"
    )
    found = t.discovery()
    assert found["endpoints"][0]["specification"].endswith("GeoReport_v2")
    assert {s["service_code"] for s in t.services()} >= {"street-lamp", "pothole"}
    assert [a["code"] for a in t.services("pothole")["attributes"]][:2] == [
        "size",
        "lanes",
    ]

    posted = t.post(
        "street-lamp",
        lat="29.605123",
        long="91.005456",
        description="路灯不亮，晚上很黑",
        first_name="卓玛",
        phone="13812345678",
    )
    assert t.post_response.status_code == 200, posted
    code = posted[0]["service_request_id"]

    with_photo = t.post(
        "pothole",
        address="东嘎路 12 号",
        description="路面有坑",
        media=jpeg_file(),
        **{"attribute[size]": "大"},
    )
    assert t.post_response.status_code == 200, with_photo
    photo_code = with_photo[0]["service_request_id"]

    actions.submissions_register_pending(limit=100)
    assert Appeal.objects.filter(channel="api").count() == 2
    assert Attachment.objects.get().appeal.tracking_code == photo_code

    (one,) = t.request(code)
    assert one["service_request_id"] == code and one["status"] == "open"
    listed = t.requests(api_key=clients["app_key"], status="open")
    assert {r["service_request_id"] for r in listed} == {code, photo_code}
    listed = t.requests("pothole", api_key=clients["app_key"])
    assert [r["service_request_id"] for r in listed] == [photo_code]
    assert listed[0]["media_url"]

    refused = t.post("nothing", lat="29.6", long="91.0", description="x")
    assert t.post_response.status_code == 404
    assert refused[0]["code"] == 404


@pytest.fixture
def public_lamp(submit) -> str:
    """A lamp a resident reported on the web page: in the public record."""
    return submit(description="楼下路灯坏了", latitude=29.605123).tracking_code


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_lists_requests_without_a_key(endpoint, public_lamp, fmt):
    client = GeoReport(endpoint, jurisdiction="civicgrid", output_format=fmt)
    found = client.get_service_requests()  # no key: GeoReport sends none here
    if fmt == "xml":  # xmltodict: one request is a dict, not a list
        found = [found] if isinstance(found, dict) else found
    assert [r["service_request_id"] for r in found] == [public_lamp]
    assert found[0]["service_code"] == "street-lamp"
    assert float(found[0]["lat"]) == 29.605
    assert not found[0].get("description")


def test_three_lists_requests_and_polls_a_token_without_a_key(
    endpoint, clients, public_lamp
):
    # As its README shows it: the key is for POSTs; three sends none on a GET.
    t = three.Three(
        endpoint, api_key=clients["app_key"], jurisdiction="civicgrid", format="json"
    )
    assert [r["service_request_id"] for r in t.requests()] == [public_lamp]
    assert t._request.request.url.count("api_key") == 0

    (answer,) = t.post(
        "bulky-waste", lat="29.605123", long="91.005456", description="旧沙发"
    )
    assert t.post_response.status_code == 200, answer
    assert [set(a) for a in t.token(answer["token"])] == [
        {"service_request_id", "token"}
    ]
    assert t.token(answer["token"])[0]["service_request_id"] is None
    actions.submissions_register_pending(limit=10)
    (polled,) = t.token(answer["token"])
    batch = Appeal.objects.get(category__code="bulky-waste")
    assert polled == {
        "service_request_id": batch.tracking_code,
        "token": answer["token"],
    }


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_discovered_url_takes_services_appended(live_server, services, fmt):
    t = three.Three(f"{live_server.url}/open311/v2/", format="json")
    (found,) = t.discovery()["endpoints"]
    url = found["url"]
    assert not url.endswith("/")
    # Both libraries, given the advertised address as it is.
    listed = GeoReport(url, output_format=fmt).get_service_list()
    assert "street-lamp" in {s["service_code"] for s in listed}
    assert "street-lamp" in {
        s["service_code"] for s in three.Three(url, format="json").services()
    }
    # A client that appends "/services.xml" to an address that ends in "/".
    import requests

    doubled = requests.get(f"{url}//services.{fmt}", timeout=10)
    assert doubled.status_code == 200 and b"street-lamp" in doubled.content
