"""The appeal API through HTTP: the whole loop by API, intake for other systems,
the resident's tracking with the code and key, scoping (an outsider gets 404,
a stranger 401), input errors that name their field and leave nothing behind,
idempotent retries, the console's filters, and the query count of the list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from civicgrid.api.testing import api_client as api
from civicgrid.api.testing import client_system
from civicgrid.api.testing import jpeg_upload as jpeg
from civicgrid.appeals import actions
from civicgrid.appeals.access import resident_key
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal, CaseEvent, Channel, Submission
from civicgrid.appeals.permissions import ACTION_ORDER
from civicgrid.core import clock
from civicgrid.core.images import process_image

from .conftest import INSIDE_E1, PHONE

# Every action the console offers has its endpoint: /api/appeals/{id}/<step>/.
STEPS = [name.replace("_", "-") for name in ACTION_ORDER]


@pytest.fixture(autouse=True)
def _media_and_fresh_throttles(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # the API's throttles count in the cache, across tests
    yield
    cache.clear()


def call(catalogue, **change: Any) -> dict[str, Any]:
    """An operator's hotline entry, as JSON."""
    return {
        "channel": "phone",
        "description": "楼下路灯坏了三天，晚上很黑。",
        "kind": "help",
        "category": catalogue["lamp"].pk,
        "name": "卓玛",
        "phone": PHONE,
        **INSIDE_E1,
        **change,
    }


def url(appeal: Any, step: str = "") -> str:
    pk = appeal if isinstance(appeal, int) else appeal.pk
    return f"/api/appeals/{pk}/" + (f"{step}/" if step else "")


def with_photo(appeal: Appeal) -> int:
    """Give the appeal a photo (as the resident adds one); its id."""
    event = actions.appeal_add_information(
        appeal=appeal,
        acting_user=None,
        text="",
        photos=[process_image(jpeg().getvalue(), filename="scene.jpg")],
    )
    return event.attachments.get().pk


def test_the_whole_loop_through_the_api(staff, catalogue, departments):
    operator = api(staff["operator"])
    entered = operator.post(
        "/api/appeals/",
        {**call(catalogue), "photos": [jpeg()]},
        format="multipart",
    )
    assert entered.status_code == 201, entered.json()
    body = entered.json()
    assert body["state"] == "received" and body["channel"] == "phone"
    # Neither the name nor the number comes back; the console's mask does.
    assert PHONE not in entered.content.decode()
    assert "卓玛" not in entered.content.decode()
    assert body["contact"] == {
        "anonymous": False,
        "name": "卓*",
        "phone": "138****5678",
        "email": "",
        "masked": True,
    }
    assert len(body["photos"]) == 1
    appeal = body["id"]

    desk = api(staff["dispatcher"])
    assert "accept" in desk.get(url(appeal)).json()["actions"]
    accepted = desk.post(url(appeal, "accept"), {"note": "受理"}, format="json")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["state"] == "accepted"
    assert accepted.json()["actions"][0] == "dispatch"

    dispatched = desk.post(
        url(appeal, "dispatch"),
        {"lead": f"department:{departments['cg'].pk}", "note": "请城管处理"},
        format="json",
    )
    assert dispatched.status_code == 200, dispatched.json()
    (share,) = dispatched.json()["assignments"]
    assert share["unit"] == {
        "key": f"department:{departments['cg'].pk}",
        "name": "城管局",
    }
    assert share["role"] == "lead" and share["mine"] is False

    handler = api(staff["handler_cg"])
    seen = handler.get(url(appeal)).json()
    assert seen["actions"][0] == "sign" and seen["assignments"][0]["mine"] is True
    signed = handler.post(url(appeal, "sign"))
    assert signed.status_code == 200 and signed.json()["state"] == "handling"
    progress = handler.post(
        url(appeal, "progress"), {"note": "已派人查看", "public": True}, format="json"
    )
    assert progress.status_code == 200
    replied = handler.post(
        url(appeal, "reply"),
        {
            "outcome": "resolved",
            "public_reply": "已更换灯泡。",
            "photos": [jpeg("after.jpg", (0, 200, 0))],
        },
        format="multipart",
    )
    assert replied.status_code == 200, replied.json()
    assert replied.json()["state"] == "replied"
    reply_event = replied.json()["timeline"][-1]
    assert reply_event["action"] == "reply" and len(reply_event["photos"]) == 1
    thumb = handler.get(reply_event["photos"][0]["thumb"], HTTP_ACCEPT="image/*")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert thumb["X-Content-Type-Options"] == "nosniff"

    closed = operator.post(
        url(appeal, "callback"),
        {"resolved": True, "satisfaction": "satisfied", "comment": "很满意"},
        format="json",
    )
    assert closed.status_code == 200, closed.json()
    assert closed.json()["state"] == "closed"
    assert [e["action"] for e in closed.json()["timeline"]] == [
        "submit",
        "accept",
        "dispatch",
        "sign",
        "progress",
        "reply",
        "callback",
    ]


def test_another_system_files_and_the_resident_follows_by_code_and_key(
    staff, catalogue
):
    app = client_system()
    filed = app.post(
        "/api/appeals/",
        {
            "description": "小区门口污水外溢。",
            "category": catalogue["lamp"].pk,
            "phone": PHONE,
            **INSIDE_E1,
        },
        format="json",
    )
    assert filed.status_code == 202, filed.json()
    receipt = filed.json()
    code = receipt["tracking_code"]
    assert receipt["state"] == "pending"
    assert receipt["track_url"] == f"/api/track/{code}/"
    assert receipt["resident_key"] == resident_key(code)
    assert not Appeal.objects.filter(tracking_code=code).exists()
    assert Submission.objects.get(tracking_code=code).channel == Channel.API

    public = api()
    pending = public.get(f"/api/track/{code}/")
    assert pending.status_code == 200
    assert pending.json()["state"] == "pending"
    own = f"/api/track/{code}/{receipt['resident_key']}/"
    refused = public.post(own + "information/", {"text": "补充"}, format="json")
    assert refused.status_code == 404  # nothing to add to until it is registered

    assert actions.submissions_register_pending(limit=100) == 1
    # The system that filed it is no staff: it follows it as the resident does,
    # by the code, never in the console's view with the staff's notes.
    appeal = Appeal.objects.get(tracking_code=code)
    assert app.get("/api/appeals/", {"q": code}).json()["results"] == []
    assert app.get(url(appeal.pk)).status_code == 404
    assert api(staff["outsider"]).get(url(appeal.pk)).status_code == 404
    tracked = public.get(f"/api/track/{code}/").json()
    assert tracked["state"] == "received"
    assert [e["action"] for e in tracked["timeline"]] == ["submit"]
    assert tracked["can_add_information"] is False  # not without the key
    assert PHONE not in str(tracked)

    with_key = public.get(own).json()
    assert with_key["can_add_information"] and not with_key["can_callback"]
    added = public.post(
        own + "information/", {"text": "水越来越多", "photos": [jpeg()]}
    )
    assert added.status_code == 200, added.json()
    info = added.json()["timeline"][-1]
    assert info["action"] == "add_information" and info["note"] == "水越来越多"
    photo = public.get(info["photos"][0]["full"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"

    early = public.post(
        own + "callback/", {"resolved": True, "satisfaction": "satisfied"}
    )
    assert early.status_code == 400
    assert "state" in early.json()["error"]["fields"]

    appeal = Appeal.objects.get(tracking_code=code)
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(area=appeal.grid),
    )
    lead = appeal.assignments.get()
    actions.assignment_sign(assignment=lead, acting_user=staff["gridworker"])
    actions.appeal_reply(
        outcome="resolved",
        assignment=lead,
        acting_user=staff["gridworker"],
        public_reply="已疏通。",
    )
    replied = public.get(own).json()
    assert replied["can_callback"] and replied["latest_reply"]["note"] == "已疏通。"
    rated = public.post(
        own + "callback/",
        {"resolved": True, "satisfaction": "basic", "comment": "还行"},
        format="json",
    )
    assert rated.status_code == 200, rated.json()
    assert rated.json()["state"] == "closed"
    assert rated.json()["timeline"][-1]["resolved"] is True
    assert CaseEvent.objects.get(appeal=appeal, action="callback").actor is None


def test_a_wrong_resident_key_or_code_is_404(submit, db):
    appeal = submit()
    public = api()
    code = appeal.tracking_code
    for response in (
        public.get(f"/api/track/{code}/not-the-key/"),
        public.post(f"/api/track/{code}/not-the-key/information/", {"text": "x"}),
        public.post(
            f"/api/track/{code}/not-the-key/callback/",
            {"resolved": True, "satisfaction": "satisfied"},
        ),
        public.get("/api/track/NOSUCHCODE/"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert not appeal.events.filter(action="add_information").exists()


def test_every_appeal_url_is_404_for_an_outsider_and_401_for_a_stranger(bring, staff):
    appeal = bring("handling")
    photo = url(appeal, f"photos/{with_photo(appeal)}/thumb")
    requests = [
        ("get", url(appeal)),
        ("get", photo),
        *(("post", url(appeal, step)) for step in STEPS),
    ]
    for who in ("outsider", "handler_zj", "resident"):
        client = api(staff[who])
        for method, address in requests:
            response = getattr(client, method)(address)
            assert response.status_code == 404, (who, address, response.content)
            assert response.json()["error"]["code"] == "not_found"
        assert client.get("/api/appeals/").json()["count"] == 0
    stranger = api()
    for method, address in [*requests, ("get", "/api/appeals/")]:
        response = getattr(stranger, method)(address)
        assert response.status_code == 401, address
        assert response.json()["error"]["code"] == "not_authenticated"
    # Whoever may see the appeal gets the photo.
    assert api(staff["handler_cg"]).get(photo).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": ""}, "description"),
        ({"street": "999999999"}, "street"),
        ({"channel": "fax"}, "channel"),
        ({"kind": "gossip"}, "kind"),
        ({"category": 999999}, "category"),
        ({"latitude": 200}, "latitude"),
        ({"phone": "12345"}, "phone"),
        ({"received_at": "2999-01-01T08:00:00+08:00"}, "received_at"),
        ({"answers": "three"}, "answers"),
        ({"channel": "letter", "phone": ""}, "phone"),
        ({"channel": "web", "consent": True, "email": "not-an-address"}, "email"),
        ({"channel": "web"}, "consent"),
        ({"channel": "api"}, "channel"),  # the operator is no other system
        ({"channel": "web", "consent": True, "priority": "urgent"}, "priority"),
    ],
)
def test_bad_input_names_the_field_and_leaves_nothing_behind(
    staff, catalogue, change, field
):
    before = Appeal.objects.count(), Submission.objects.count()
    response = api(staff["operator"]).post(
        "/api/appeals/", call(catalogue, **change), format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"], response.json()
    assert (Appeal.objects.count(), Submission.objects.count()) == before


def test_a_missing_answer_and_a_file_that_is_no_photo_name_their_fields(
    staff, catalogue, settings
):
    operator = api(staff["operator"])
    dispute = call(catalogue, category=catalogue["dispute"].pk)
    unanswered = operator.post("/api/appeals/", dispute, format="json")
    assert unanswered.status_code == 400
    assert "answers.floor" in unanswered.json()["error"]["fields"]
    answered = operator.post(
        "/api/appeals/", {**dispute, "answers": {"floor": 3}}, format="json"
    )
    assert answered.status_code == 201, answered.json()
    assert answered.json()["answers"] == [
        {"code": "floor", "label": "几楼", "value": 3.0}
    ]
    # A multipart form answers as the page's form does: answers.<code>.
    as_form = operator.post(
        "/api/appeals/", {**dispute, "answers.floor": "5"}, format="multipart"
    )
    assert as_form.status_code == 201, as_form.json()
    assert as_form.json()["answers"][0]["value"] == 5.0

    text = jpeg("notes.jpg")
    text.seek(0)
    text.truncate()
    text.write(b"not a photo at all")
    text.seek(0)
    before = Appeal.objects.count(), Submission.objects.count()
    refused = operator.post(
        "/api/appeals/", {**call(catalogue), "photos": [text]}, format="multipart"
    )
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["photos"]
    assert (Appeal.objects.count(), Submission.objects.count()) == before
    assert not any((settings.MEDIA_ROOT / "intake").glob("**/*.*"))


def test_a_retry_replays_and_another_body_under_the_key_is_refused(staff, catalogue):
    operator = api(staff["operator"])
    first = operator.post(
        "/api/appeals/", call(catalogue), format="json", HTTP_IDEMPOTENCY_KEY="call-1"
    )
    again = operator.post(
        "/api/appeals/", call(catalogue), format="json", HTTP_IDEMPOTENCY_KEY="call-1"
    )
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert Appeal.objects.count() == 1
    other = operator.post(
        "/api/appeals/",
        call(catalogue, description="另一件事"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="call-1",
    )
    assert other.status_code == 422
    assert other.json()["error"]["fields"].keys() == {"Idempotency-Key"}
    # Keys are each user's own: the same key from the dispatcher is another call.
    theirs = api(staff["dispatcher"]).post(
        "/api/appeals/", call(catalogue), format="json", HTTP_IDEMPOTENCY_KEY="call-1"
    )
    assert theirs.status_code == 201
    assert theirs.json()["tracking_code"] != first.json()["tracking_code"]

    app = api(staff["resident"])
    body = {"description": "路灯坏了", "phone": PHONE, "consent": True, **INSIDE_E1}
    filed = [
        app.post("/api/appeals/", body, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
        for _ in range(2)
    ]
    assert [f.status_code for f in filed] == [202, 202]
    assert filed[0].json()["tracking_code"] == filed[1].json()["tracking_code"]
    assert Submission.objects.filter(entered_by=staff["resident"]).count() == 1

    desk = api(staff["dispatcher"])
    appeal = first.json()["id"]
    accepted = [
        desk.post(url(appeal, "accept"), {}, format="json", HTTP_IDEMPOTENCY_KEY="a-1")
        for _ in range(2)
    ]
    assert [a.status_code for a in accepted] == [200, 200]  # not "already accepted"
    assert accepted[1]["Idempotent-Replayed"] == "true"
    assert CaseEvent.objects.filter(action="accept").count() == 1
    changed = desk.post(
        url(appeal, "accept"), {"note": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="a-1"
    )
    assert changed.status_code == 422


def test_a_refused_step_names_the_field_and_changes_nothing(bring, staff, departments):
    appeal = bring("accepted")
    desk = api(staff["dispatcher"])
    for body, field in (
        ({"lead": "department:999999"}, "lead"),
        ({"lead": "city:1"}, "lead"),
        (
            {
                "lead": f"department:{departments['cg'].pk}",
                "co_handlers": [f"department:{departments['cg'].pk}"],
            },
            "co_handlers",
        ),
        ({}, "lead"),
    ):
        response = desk.post(url(appeal, "dispatch"), body, format="json")
        assert response.status_code == 400, response.json()
        assert field in response.json()["error"]["fields"], response.json()
    assert desk.post(url(appeal, "accept")).json()["error"]["fields"].keys() == {
        "state"
    }
    unknown = desk.post(url(appeal, "merge"), {"into": "NOSUCHCODE"}, format="json")
    assert unknown.status_code == 400 and "into" in unknown.json()["error"]["fields"]
    not_theirs = api(staff["handler_cg"]).post(url(appeal, "accept"))
    assert not_theirs.status_code == 404  # not dispatched to them: not theirs to see
    appeal.refresh_from_db()
    assert appeal.state == "accepted" and not appeal.assignments.exists()


def test_merge_extension_and_supervision_through_the_api(bring, submit, staff):
    desk = api(staff["dispatcher"])
    duplicate, main = submit(), submit(description="同一盏路灯")
    merged = desk.post(
        url(duplicate, "merge"), {"into": main.tracking_code.lower()}, format="json"
    )
    assert merged.status_code == 200 and merged.json()["state"] == "merged"
    assert merged.json()["merged_into"] == main.tracking_code

    appeal = bring("handling")
    handler = api(staff["handler_cg"])
    asked = handler.post(
        url(appeal, "request-extension"),
        {"days": "2", "reason": "需采购灯杆"},
        format="json",
    )
    assert asked.status_code == 200, asked.json()
    assert asked.json()["pending_extension"] is None  # the handler does not decide
    seen = desk.get(url(appeal)).json()
    assert seen["actions"][0] == "decide_extension"
    pending = seen["pending_extension"]
    assert pending["unit"] == "城管局" and pending["reason"] == "需采购灯杆"
    due = seen["due_at"]
    decided = desk.post(
        url(appeal, "decide-extension"),
        {"request_id": pending["id"], "approve": True},
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["due_at"] > due
    assert "decide_extension" not in decided.json()["actions"]

    leader = api(staff["leader"])
    assert leader.get(url(appeal)).json()["actions"] == ["supervise"]
    supervised = leader.post(url(appeal, "supervise"), {"note": "尽快"}, format="json")
    assert supervised.json()["supervised"] is True
    assert supervised.json()["actions"] == []


def test_revealing_the_contact_is_recorded_and_only_for_who_calls_back(bring, staff):
    appeal = bring("replied")
    refused = api(staff["handler_cg"]).post(url(appeal, "reveal-contact"))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    operator = api(staff["operator"])
    revealed = operator.post(url(appeal, "reveal-contact"))
    assert revealed.status_code == 200
    assert revealed.json()["contact"] == {
        "anonymous": False,
        "name": "卓玛",
        "phone": PHONE,
        "email": "",
        "masked": False,
    }
    last = revealed.json()["timeline"][-1]
    assert last["action"] == "reveal_contact" and last["actor"] == "央金"
    assert PHONE not in operator.get(url(appeal)).content.decode()


def test_a_unit_that_returns_its_share_gets_the_answer_then_loses_sight(bring, staff):
    appeal = bring("dispatched")
    handler = api(staff["handler_cg"])
    returned = handler.post(
        url(appeal, "return"), {"reason": "不属于城管职责"}, format="json"
    )
    assert returned.status_code == 200, returned.json()
    assert returned.json()["state"] == "accepted"
    assert returned.json()["actions"] == []
    assert handler.get(url(appeal)).status_code == 404


def test_the_list_filters_orders_and_names_a_bad_filter(
    submit, staff, catalogue, street, departments
):
    now = timezone.now()
    oldest = submit(
        description="噪音扰民",
        received_at=now - timedelta(days=3),
        category=catalogue["dispute"],
        answers={"floor": 2},
        latitude=29.615,
        longitude=91.005,  # in w1
    )
    middle = submit(received_at=now - timedelta(days=2), description="路灯坏了")
    newest = submit(received_at=now - timedelta(hours=1), description="路灯又坏了")
    desk = api(staff["dispatcher"])
    actions.appeal_accept(appeal=middle, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=middle,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
    )

    def codes(**query: Any) -> list[str]:
        response = desk.get("/api/appeals/", query)
        assert response.status_code == 200, response.json()
        return [a["tracking_code"] for a in response.json()["results"]]

    assert codes() == [newest.tracking_code, middle.tracking_code, oldest.tracking_code]
    assert codes(ordering="received_at")[0] == oldest.tracking_code
    assert codes(queue="new") == [newest.tracking_code, oldest.tracking_code]
    assert codes(state="dispatched") == [middle.tracking_code]
    assert codes(q="路灯") == [newest.tracking_code, middle.tracking_code]
    assert codes(q=oldest.tracking_code.lower()) == [oldest.tracking_code]
    assert codes(category=catalogue["dispute"].pk) == [oldest.tracking_code]
    assert codes(grid=street.grids["w1"].code) == [oldest.tracking_code]
    assert codes(department=departments["cg"].pk) == [middle.tracking_code]
    assert codes(channel="phone") == []

    def day(ago: timedelta) -> str:
        return timezone.localtime(now - ago).date().isoformat()

    assert oldest.tracking_code not in codes(received_from=day(timedelta(days=2)))
    assert codes(received_to=day(timedelta(days=3))) == [oldest.tracking_code]
    first = desk.get("/api/appeals/").json()["results"][0]
    assert "description" not in first and first["contact"]["phone"] == "138****5678"

    for query, field in (
        ({"state": "lost"}, "state"),
        ({"ordering": "sideways"}, "ordering"),
        ({"received_from": "yesterday"}, "received_from"),
        ({"queue": "mine"}, "queue"),
        ({"grid": "000000000000000"}, "grid"),
        ({"department": "9" * 30}, "department"),
    ):
        bad = desk.get("/api/appeals/", query)
        assert bad.status_code == 400
        assert list(bad.json()["error"]["fields"]) == [field]


def test_the_list_costs_the_same_queries_for_any_page_size(
    submit, staff, django_assert_num_queries, time_machine
):
    time_machine.move_to(clock.now(), tick=False)  # one minute's rate count
    for n in range(12):
        submit(description=f"第{n}盏路灯坏了")
    desk = api(staff["dispatcher"])
    desk.get("/api/appeals/", {"page_size": 1})  # this minute's rate count begins
    # Token, memberships, the rate's count, the count, the page.
    for size in (2, 12):
        with django_assert_num_queries(5):
            response = desk.get("/api/appeals/", {"page_size": size})
        assert len(response.json()["results"]) == size


def test_the_resident_key_may_come_in_a_header_and_stay_out_of_the_path(submit, db):
    appeal = submit()
    code = appeal.tracking_code
    public = api()
    header = {"Resident-Key": resident_key(code)}
    tracked = public.get(f"/api/track/{code}/", headers=header).json()
    assert tracked["can_add_information"] is True
    added = public.post(
        f"/api/track/{code}/information/", {"text": "楼道也有积水"}, headers=header
    )
    assert added.status_code == 200, added.json()
    assert added.json()["timeline"][-1]["note"] == "楼道也有积水"
    early = public.post(
        f"/api/track/{code}/callback/",
        {"resolved": True, "satisfaction": "satisfied"},
        headers=header,
    )
    assert early.status_code == 400  # the key opened it; the state refused it

    wrong = {"Resident-Key": "not-the-key"}
    assert public.get(f"/api/track/{code}/", headers=wrong).status_code == 404
    for path in ("information/", "callback/"):
        assert public.post(f"/api/track/{code}/{path}", {"text": "x"}).status_code == (
            404
        )
        assert (
            public.post(
                f"/api/track/{code}/{path}", {"text": "x"}, headers=wrong
            ).status_code
            == 404
        )
    assert appeal.events.filter(action="add_information").count() == 1


def test_the_schema_and_its_documentation_page_are_served(people):
    client = api(people["dispatcher"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/appeals/",
        "/api/appeals/{id}/dispatch/",
        "/api/appeals/{id}/return/",
        "/api/appeals/{id}/photos/{attachment}/{variant}/",
        "/api/track/{code}/{key}/callback/",
        "/api/track/{code}/callback/",
        "/api/track/{code}/information/",
        "/api/categories/",
        "/api/areas/locate/",
    ):
        assert path in paths, path
    assert paths["/api/track/{code}/"]["get"]["tags"] == ["residents"]
    headers = [p["name"] for p in paths["/api/track/{code}/"]["get"]["parameters"]]
    assert "Resident-Key" in headers
    assert paths["/api/appeals/{id}/sign/"]["post"]["tags"] == ["appeals"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
