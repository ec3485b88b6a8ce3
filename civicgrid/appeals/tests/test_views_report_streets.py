"""With several streets and no CIVICGRID_DEFAULT_STREET, /report/ and the
digest let the resident choose the street, or the pin decides it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from shapely.geometry import box

from civicgrid.appeals.models import Submission
from civicgrid.org.geometry import to_geojson
from civicgrid.org.models import Area
from conftest import make_area, square


@pytest.fixture
def second_street(street):
    """乃琼街道 east of 东嘎街道, with one community and one grid."""
    other = make_area(
        "540103002",
        "乃琼街道",
        Area.Level.STREET,
        street.district,
        to_geojson(box(91.05, 29.6, 91.07, 29.62)),
    )
    community = make_area(
        "540103002001",
        "乃琼社区",
        Area.Level.COMMUNITY,
        other,
        to_geojson(box(91.05, 29.6, 91.07, 29.62)),
        community_kind=Area.CommunityKind.COMMUNITY,
    )
    make_area(
        "540103002001001", "乃琼一网格", Area.Level.GRID, community, square(91.05, 29.6)
    )
    return other


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVICGRID_DEFAULT_STREET = ""


def report(catalogue, latitude="", longitude="", key="k-1"):
    return {
        "idempotency_key": key,
        "description": "路灯坏了，晚上很黑。",
        "category": str(catalogue["lamp"].pk),
        "kind": "",
        "latitude": latitude,
        "longitude": longitude,
        "address": "村口",
        "anonymous": "on",
        "consent": "on",
    }


def test_with_two_streets_the_report_page_offers_both(client, second_street, catalogue):
    page = client.get(reverse("appeals:report"))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("appeals:report_street", args=["540103001"]) in html
    assert reverse("appeals:report_street", args=["540103002"]) in html
    chosen = client.get(reverse("appeals:report_street", args=["540103002"]))
    assert "To 乃琼街道" in chosen.content.decode()


def test_the_pin_decides_the_street(client, second_street, catalogue):
    response = client.post(
        reverse("appeals:report"), report(catalogue, "29.605", "91.055")
    )
    assert response.status_code == 302
    assert Submission.objects.get().street == second_street


def test_without_a_pin_or_a_street_the_report_is_refused_naming_the_place(
    client, second_street, catalogue
):
    response = client.post(reverse("appeals:report"), report(catalogue))
    assert response.status_code == 400
    assert "Choose your street above" in str(response.context["form"].errors)
    outside = client.post(
        reverse("appeals:report"), report(catalogue, "29.605", "91.5", key="k-2")
    )
    assert outside.status_code == 400
    assert not Submission.objects.exists()


def test_an_unknown_street_is_still_not_found(client, second_street, catalogue):
    assert client.get(reverse("appeals:report_street", args=["999"])).status_code == 404


def test_with_two_streets_the_digest_offers_both(client, second_street):
    page = client.get("/metrics/digest/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "?street=540103001" in html and "?street=540103002" in html
    chosen = client.get("/metrics/digest/?street=540103002")
    assert chosen.status_code == 200
    assert "乃琼街道" in chosen.content.decode()
    assert client.get("/metrics/digest/?street=999").status_code == 404
