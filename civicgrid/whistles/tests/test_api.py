"""The whistle API: the same lifecycle as the pages, through the same actions, with
token auth, one error shape, idempotency keys and per-object scoping."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.api.testing import api_client as api
from civicgrid.api.testing import jpeg_upload as jpeg
from civicgrid.org.models import Department
from civicgrid.whistles.models import Whistle, WhistleType
from conftest import make_user


@pytest.fixture
def emergency(db) -> WhistleType:
    return WhistleType.objects.create(
        code="emergency", name="应急处置", report_in_minutes=30
    )


@pytest.fixture
def police(street, people) -> Department:
    department = Department.objects.create(
        code="paichusuo", name="派出所", area=street.street
    )
    officer = make_user("officer", "警官")
    membership_add(
        user=officer,
        role=Role.DEPARTMENT_HANDLER,
        department=department,
        acting_user=None,
    )
    people["officer"] = officer
    return department


def blow_body(departments, police) -> dict:
    return {
        "type": "emergency",
        "title": "东嘎村河道淤堵",
        "reason": "需城管、住建、派出所联合处置",
        "departments": [departments["cg"].pk, departments["zj"].pk, police.pk],
        "lead": departments["cg"].pk,
    }


def test_the_whole_whistle_through_the_api(
    street, departments, police, people, emergency, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    desk = api(people["dispatcher"])

    blown = desk.post(
        "/api/whistles/",
        blow_body(departments, police),
        format="json",
        HTTP_IDEMPOTENCY_KEY="blow-1",
    )
    assert blown.status_code == 201, blown.json()
    whistle = blown.json()
    assert [s["department"]["code"] for s in whistle["summonses"]] == [
        "chengguan",
        "zhujian",
        "paichusuo",
    ]
    again = desk.post(
        "/api/whistles/",
        blow_body(departments, police),
        format="json",
        HTTP_IDEMPOTENCY_KEY="blow-1",
    )
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == whistle["id"]
    assert Whistle.objects.count() == 1
    other = desk.post(
        "/api/whistles/",
        {**blow_body(departments, police), "title": "别的事"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="blow-1",
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "unprocessable"

    shares = {s["department"]["code"]: s["id"] for s in whistle["summonses"]}
    url = f"/api/whistles/{whistle['id']}/"
    checked = api(people["handler_cg"]).post(
        url + "check-in/",
        {
            "summons": shares["chengguan"],
            "attendees": "李明等3人",
            "latitude": "29.6451",
            "longitude": "91.0052",
            "photo": jpeg(),
        },
        format="multipart",
    )
    assert checked.status_code == 200, checked.json()
    mine = next(
        s for s in checked.json()["summonses"] if s["id"] == shares["chengguan"]
    )
    assert mine["checked_in_at"] and mine["has_photo"] and mine["latitude"] == 29.6451
    photo = api(people["dispatcher"]).get(
        url + f"check-in/{shares['chengguan']}/photo/", {"variant": "thumb"}
    )
    assert photo.status_code == 200 and photo["X-Content-Type-Options"] == "nosniff"

    twice = api(people["handler_cg"]).post(
        url + "check-in/", {"summons": shares["chengguan"]}, format="json"
    )
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "conflict"

    for username, code in (("handler_zj", "zhujian"), ("officer", "paichusuo")):
        assert (
            api(people[username])
            .post(url + "check-in/", {"summons": shares[code]}, format="json")
            .status_code
            == 200
        )
    early = desk.post(url + "close/", {"reply": "已处置"}, format="json")
    assert early.status_code == 400
    assert "城管局" in early.json()["error"]["message"]
    assert early.json()["error"]["fields"] == {
        "state": [early.json()["error"]["message"]]
    }

    for username, code in (
        ("handler_cg", "chengguan"),
        ("handler_zj", "zhujian"),
        ("officer", "paichusuo"),
    ):
        done = api(people[username]).post(
            url + "share-done/",
            {"summons": shares[code], "note": "已按分工完成"},
            format="json",
        )
        assert done.status_code == 200, done.json()
    note = api(people["handler_zj"]).post(
        url + "progress/", {"note": "已调来两台挖掘机"}, format="json"
    )
    assert note.status_code == 200
    lead = api(people["handler_cg"]).post(
        url + "reply/", {"reply": "河道已清理完毕，淤泥已外运"}, format="json"
    )
    assert lead.status_code == 200
    assert lead.json()["message"] == (
        "Consolidated reply saved; the street closes the whistle with it"
    )
    closed = desk.post(url + "close/", {}, format="json")
    assert closed.status_code == 200
    assert closed.json()["message"] == "Whistle closed"
    assert closed.json()["state"] == "closed"
    assert closed.json()["consolidated_reply"] == "河道已清理完毕，淤泥已外运"
    actions_seen = [e["action"] for e in closed.json()["events"]]
    assert actions_seen[0] == "blow" and actions_seen[-1] == "close"

    today = timezone.localdate().isoformat()
    counters = desk.get(
        "/api/whistles/counters/",
        {"street": street.street.code, "start": today, "end": today},
    )
    assert counters.status_code == 200
    assert {
        k: counters.json()[k] for k in ("blown", "resolved", "departments_reported")
    } == {
        "blown": 1,
        "resolved": 1,
        "departments_reported": 3,
    }


def test_outsiders_get_404_and_strangers_401_in_the_one_error_shape(
    street, departments, police, people, emergency
):
    blown = api(people["dispatcher"]).post(
        "/api/whistles/", blow_body(departments, police), format="json"
    )
    url = f"/api/whistles/{blown.json()['id']}/"

    outsider = api(people["outsider"])
    for response in (
        outsider.get(url),
        outsider.post(url + "close/", {"reply": "x"}, format="json"),
        outsider.post(url + "check-in/", {"summons": 1}, format="json"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert outsider.get("/api/whistles/").json()["count"] == 0

    anonymous = api().get(url)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"
    assert anonymous["WWW-Authenticate"] == "Token"

    # A summoned handler sees it but may not close it.
    refused = api(people["handler_zj"]).post(
        url + "close/", {"reply": "x"}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"departments": []}, "departments"),
        ({"lead": 999999}, "lead"),
        ({"type": "no-such-type"}, "type"),
        ({"title": ""}, "title"),
        ({"departments": "not a list"}, "departments"),
    ],
)
def test_a_bad_blow_names_the_field_and_makes_nothing(
    departments, police, people, emergency, change, field
):
    response = api(people["dispatcher"]).post(
        "/api/whistles/", {**blow_body(departments, police), **change}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not Whistle.objects.exists()


def test_the_list_filters_like_the_history(departments, police, people, emergency):
    desk = api(people["dispatcher"])
    for title in ("河道淤堵", "违建拆除", "河道清理"):
        desk.post(
            "/api/whistles/",
            {**blow_body(departments, police), "title": title},
            format="json",
        )
    assert desk.get("/api/whistles/", {"q": "河道"}).json()["count"] == 2
    bad = desk.get("/api/whistles/", {"blown_from": "yesterday"})
    assert bad.status_code == 400 and "blown_from" in bad.json()["error"]["fields"]


def test_the_schema_and_its_documentation_page_are_served(people):
    client = api(people["dispatcher"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["openapi"].startswith("3.")
    assert "/api/whistles/{id}/check-in/" in body["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content and b"cdn" not in docs.content.lower()


def test_a_token_is_issued_for_a_username_and_password(people):
    from conftest import PASSWORD

    response = APIClient().post(
        "/api/auth/token/",
        {"username": "dispatcher", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert (
        APIClient()
        .get("/api/whistles/", HTTP_AUTHORIZATION=f"Token {token}")
        .status_code
        == 200
    )
    wrong = APIClient().post(
        "/api/auth/token/",
        {"username": "dispatcher", "password": "nope"},
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "invalid"


def test_what_a_handlers_phone_needs_and_the_edges_of_the_api(
    departments,
    police,
    people,
    emergency,
    settings,
    tmp_path,
    django_assert_max_num_queries,
):
    settings.MEDIA_ROOT = tmp_path
    blown = (
        api(people["dispatcher"])
        .post("/api/whistles/", blow_body(departments, police), format="json")
        .json()
    )
    url = f"/api/whistles/{blown['id']}/"
    handler = api(people["handler_zj"])

    # Which share is mine, and where its photo is.
    detail = handler.get(url).json()
    mine = [s for s in detail["summonses"] if s["mine"]]
    assert [s["department"]["code"] for s in mine] == ["zhujian"]
    photo = jpeg()
    first = handler.post(
        url + "check-in/",
        {"summons": mine[0]["id"], "photo": photo},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="ci-1",
    )
    assert first.status_code == 200
    summons = next(s for s in first.json()["summonses"] if s["mine"])
    image = handler.get(summons["photo_url"], HTTP_ACCEPT="image/*")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"

    # Another photo under the same key and name is another request.
    other = jpeg(color=(200, 30, 30))
    again = handler.post(
        url + "check-in/",
        {"summons": mine[0]["id"], "photo": other},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="ci-1",
    )
    assert again.status_code == 422

    # The detail's queries do not grow with its timeline.
    for n in range(5):
        handler.post(url + "progress/", {"note": f"进展 {n}"}, format="json")
    with django_assert_max_num_queries(14):
        assert handler.get(url).status_code == 200

    missing = handler.get("/api/no-such-thing/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    huge = handler.get("/api/whistles/", {"department": "9" * 30})
    assert huge.status_code == 400 and "department" in huge.json()["error"]["fields"]

    # Signing a device out: its token stops working.
    assert handler.post("/api/auth/token/revoke/").status_code == 204
    assert handler.get(url).status_code == 401


# --- the street a whistle is blown on: one rule for the page and the API ----------


@pytest.fixture
def two_streets(street, people):
    """The dispatcher also dispatches for 乃琼街道."""
    from civicgrid.org.models import Area
    from conftest import make_area

    other = make_area("540103002", "乃琼街道", Area.Level.STREET, street.district)
    membership_add(
        user=people["dispatcher"], role=Role.DISPATCHER, area=other, acting_user=None
    )
    return other


def test_a_dispatcher_of_two_streets_names_the_street(
    departments, police, people, emergency, two_streets
):
    desk = api(people["dispatcher"])
    body = blow_body(departments, police)
    unnamed = desk.post("/api/whistles/", body, format="json")
    assert unnamed.status_code == 400
    assert unnamed.json()["error"] == {
        "code": "invalid",
        "message": "The request is not valid: street.",
        "fields": {"street": ["Name the street: you serve several."]},
    }
    unknown = desk.post("/api/whistles/", {**body, "street": "999"}, format="json")
    assert unknown.json()["error"]["fields"] == {"street": ["No street has this code."]}
    named = desk.post("/api/whistles/", {**body, "street": "540103001"}, format="json")
    assert named.status_code == 201 and named.json()["street"] == "540103001"


def test_a_street_one_may_not_blow_on_is_refused(
    departments, police, people, street, emergency
):
    from civicgrid.org.models import Area
    from conftest import make_area

    make_area("540103002", "乃琼街道", Area.Level.STREET, street.district)
    refused = api(people["dispatcher"]).post(
        "/api/whistles/",
        {**blow_body(departments, police), "street": "540103002"},
        format="json",
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        "Only the street's dispatchers blow the whistle."
    )
    assert not Whistle.objects.exists()


def test_a_whistle_on_an_appeal_is_blown_on_the_appeals_street(
    bring, departments, police, people, emergency, two_streets
):
    appeal = bring("handling")
    blown = api(people["dispatcher"]).post(
        "/api/whistles/",
        {**blow_body(departments, police), "appeal": appeal.pk},
        format="json",
    )
    assert blown.status_code == 201, blown.json()
    assert blown.json()["street"] == appeal.street.code
    assert blown.json()["appeal"] == appeal.tracking_code


def test_closing_a_whistle_on_an_appeal_says_the_appeal_is_answered(
    bring, departments, police, people, emergency, two_streets
):
    appeal = bring("handling")
    whistle = api(people["dispatcher"]).post(
        "/api/whistles/",
        {**blow_body(departments, police), "appeal": appeal.pk},
        format="json",
    )
    assert whistle.status_code == 201, whistle.json()
    url = f"/api/whistles/{whistle.json()['id']}/"
    shares = {s["department"]["code"]: s["id"] for s in whistle.json()["summonses"]}
    for username, code in (
        ("handler_cg", "chengguan"),
        ("handler_zj", "zhujian"),
        ("officer", "paichusuo"),
    ):
        handler = api(people[username])
        checked = handler.post(url + "check-in/", {"summons": shares[code]})
        assert " reported in at " in checked.json()["message"]
        done = handler.post(
            url + "share-done/", {"summons": shares[code], "note": "好"}
        )
        assert done.json()["message"].endswith("'s share is done")
    closed = api(people["dispatcher"]).post(url + "close/", {"reply": "已联合处置完毕"})
    assert closed.status_code == 200, closed.json()
    assert closed.json()["message"] == (
        f"Whistle closed; appeal {appeal.tracking_code} is answered with its reply "
        "and waits for the callback"
    )
    appeal.refresh_from_db()
    assert appeal.state == "replied"
