"""The party-building API: the micro-wish from the grid worker's phone to the
member's service ledger and the 双报到 registrations, through the same
actions and steps as the pages — the wall showing no household, one winner
of a claim, a field named for bad input, an outsider's 404."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicgrid.api.models import IdempotentRequest
from civicgrid.api.testing import api_client as api
from civicgrid.ledger.models import Organisation
from civicgrid.ledger.tests.conftest import make_household, make_person
from civicgrid.partybuilding import actions
from civicgrid.partybuilding.models import ServiceEntry, Volunteer, Wish
from civicgrid.partybuilding.steps import STEPS, describe
from conftest import make_user

from .conftest import gathered, jpeg, on_the_wall

pytestmark = pytest.mark.django_db

WISHES = "/api/partybuilding/wishes/"
VOLUNTEERS = "/api/partybuilding/volunteers/"
UNITS = "/api/partybuilding/units/"
WALL_FIELDS = {"id", "shown_as", "need", "value", "community_name", "days_on_wall"}
NOBODY = ["outsider", "resident", "handler_cg"]


def gather_body(pb, **cells):
    return {
        "household": pb["household"].pk,
        "beneficiary": pb["elder"].pk,
        "need": "想要一个电饭锅",
        "value": "200",
        "shown_as": "次仁老人",
        "consent": True,
        **cells,
    }


def test_the_whole_wish_through_the_api(pb, media):
    worker, staff, member = (
        api(pb[who]) for who in ("gridworker", "staff", "member_a")
    )

    made = worker.post(WISHES, gather_body(pb), format="json")
    assert made.status_code == 201, made.json()
    wish = made.json()
    assert wish["state"] == "gathered" and wish["household"] == pb["household"].pk
    url = f"{WISHES}{wish['id']}/"
    assert staff.get(url).json()["steps"] == ["verify", "refuse", "cancel"]

    verified = staff.post(f"{url}verify/", {"note": "家庭情况属实"}, format="json")
    assert verified.status_code == 200 and verified.json()["state"] == "verified"
    published = staff.post(f"{url}publish/")
    assert published.json()["state"] == "published"
    assert published.json()["message"] == describe(
        "publish", Wish.objects.get(pk=wish["id"])
    )

    wall = member.get(f"{WISHES}wall/").json()
    assert [row["id"] for row in wall["results"]] == [wish["id"]]
    assert wall["results"][0]["days_on_wall"] == 0
    assert member.get(url).json()["steps"] == ["claim"]

    claimed = member.post(f"{url}claim/", {}, format="json")
    assert claimed.status_code == 200
    assert claimed.json()["state"] == "claimed"
    assert claimed.json()["message"].startswith("You claimed the wish of 次仁老人")
    assert claimed.json()["steps"] == ["fulfil", "release"]

    delivered = member.post(f"{url}fulfil/", {"photo": jpeg()}, format="multipart")
    assert delivered.status_code == 200, delivered.json()
    assert delivered.json()["state"] == "fulfilled"
    assert Wish.objects.get(pk=wish["id"]).photo["file"].startswith("wishes/")

    confirmed = worker.post(f"{url}confirm/", {}, format="json")
    assert confirmed.status_code == 200
    body = confirmed.json()
    assert body["state"] == "confirmed" and body["confirmed_for_beneficiary"]
    assert body["message"] == "Confirmed and credited to the service ledger."
    assert [e["action"] for e in body["events"]] == [
        "gather",
        "verify",
        "publish",
        "claim",
        "fulfil",
        "confirm",
    ]
    assert body["events"][0]["actor"] == "扎西"

    volunteer = Volunteer.objects.get(user=pb["member_a"])
    ledger = member.get(f"{VOLUNTEERS}{volunteer.pk}/ledger/").json()
    assert [(e["kind"], e["wish"]) for e in ledger["results"]] == [("wish", wish["id"])]


def test_the_wall_hides_the_household_and_the_beneficiary(pb):
    wish = on_the_wall(pb)
    member = api(pb["member_a"])
    wall = member.get(f"{WISHES}wall/")
    assert set(wall.json()["results"][0]) == WALL_FIELDS
    seen = member.get(f"{WISHES}{wish.pk}/")
    body = seen.json()
    assert body["household"] is None and body["beneficiary"] is None
    assert body["grid"] is None and body["events"] is None
    for answer in (wall, seen):
        text = answer.content.decode()
        assert "次仁卓嘎" not in text and "5号楼" not in text and "102" not in text
    staff = api(pb["staff"]).get(f"{WISHES}{wish.pk}/").json()
    assert staff["household"] == pb["household"].pk
    assert staff["beneficiary"] == pb["elder"].pk
    assert "次仁卓嘎" not in str(staff)


def test_a_number_in_the_need_is_masked_on_the_wall(pb):
    wish = gathered(pb, need="想要电饭锅，联系13900001234")
    actions.wish_verify(wish=wish, acting_user=pb["staff"])
    actions.wish_publish(wish=wish, acting_user=pb["staff"])
    wall = api(pb["member_a"]).get(f"{WISHES}wall/").content.decode()
    assert "13900001234" not in wall and "电饭锅" in wall


def test_a_second_claim_at_the_same_moment_gets_409_and_the_losers_word(
    pb, monkeypatch
):
    wish = on_the_wall(pb)
    claim = actions.wish_claim

    def someone_first(**kwargs):
        # member_b's claim lands between member_a's read and write.
        claim(wish=Wish.objects.get(pk=wish.pk), acting_user=pb["member_b"])
        return claim(**kwargs)

    monkeypatch.setattr(actions, "wish_claim", someone_first)
    lost = api(pb["member_a"]).post(f"{WISHES}{wish.pk}/claim/", {}, format="json")
    assert lost.status_code == 409
    assert lost.json()["error"]["message"] == (
        "Someone else claimed this wish a moment before you."
    )
    wish.refresh_from_db()
    assert wish.claimed_by.user == pb["member_b"]
    assert wish.events.filter(action="claim").count() == 1


def test_a_units_contact_claims_for_the_unit_and_only_their_own(pb):
    wish = on_the_wall(pb)
    contact = api(pb["unit_contact"])
    someone_elses = contact.post(
        f"{WISHES}{wish.pk}/claim/", {"unit": pb["unit"].pk + 1}, format="json"
    )
    assert someone_elses.status_code == 400
    assert "unit" in someone_elses.json()["error"]["fields"]
    claimed = contact.post(
        f"{WISHES}{wish.pk}/claim/", {"unit": pb["unit"].pk}, format="json"
    )
    assert claimed.status_code == 200
    assert claimed.json()["steps"] == ["fulfil", "release"]
    wish.refresh_from_db()
    assert wish.claimed_by_unit == pb["unit"] and wish.claimed_by is None


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"consent": False}, "consent"),
        ({"need": " "}, "need"),
        ({"need": "锅" * 501}, "need"),
        ({"value": "十块"}, "value"),
        ({"value": "-5"}, "value"),
        ({"value": "99999"}, "value"),
        ({"shown_as": ""}, "shown_as"),
        ({"household": "x"}, "household"),
        ({"beneficiary": 10**6}, "beneficiary"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(pb, cells, field):
    refused = api(pb["gridworker"]).post(
        WISHES,
        gather_body(pb, **cells),
        format="json",
        headers={"Idempotency-Key": "gather-1"},
    )
    assert refused.status_code == 400
    assert field in refused.json()["error"]["fields"]
    assert not Wish.objects.exists()
    assert not IdempotentRequest.objects.exists()


def test_a_beneficiary_of_another_household_is_refused(pb):
    neighbour = make_person(make_household(pb["household"].building, room="103"))
    refused = api(pb["gridworker"]).post(
        WISHES, gather_body(pb, beneficiary=neighbour.pk), format="json"
    )
    assert refused.status_code == 400
    assert "beneficiary" in refused.json()["error"]["fields"]
    assert not Wish.objects.exists()


def test_a_household_outside_the_users_grids_is_refused(pb):
    # Not read at all: 404, as the ledger answers; read but not kept: 403.
    unseen = api(pb["gridworker_w1"]).post(WISHES, gather_body(pb), format="json")
    assert unseen.status_code == 404
    read_only = api(pb["leader"]).post(WISHES, gather_body(pb), format="json")
    assert read_only.status_code == 403
    assert not Wish.objects.exists()


def test_a_gather_sent_twice_with_its_key_makes_one_wish(pb):
    worker = api(pb["gridworker"])
    key = {"Idempotency-Key": "notebook-7"}
    first = worker.post(WISHES, gather_body(pb), format="json", headers=key)
    again = worker.post(WISHES, gather_body(pb), format="json", headers=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Wish.objects.count() == 1


def test_an_outsider_gets_404_on_every_detail_and_step(pb, media):
    wish = on_the_wall(pb)
    volunteer = Volunteer.objects.get(user=pb["member_a"])
    for who in NOBODY:
        client = api(pb[who])
        assert client.get(f"{WISHES}{wish.pk}/").status_code == 404
        for step in STEPS:
            answer = client.post(f"{WISHES}{wish.pk}/{step}/", {"reason": "x"})
            assert answer.status_code == 404, (who, step)
        for path in ("", "ledger/"):
            assert client.get(f"{VOLUNTEERS}{volunteer.pk}/{path}").status_code == 404
        assert client.get(f"{UNITS}{pb['unit'].pk}/").status_code == 404
        for step in ("decide", "end"):
            body = {"confirm": True}
            assert (
                client.post(f"{VOLUNTEERS}{volunteer.pk}/{step}/", body).status_code
                == 404
            )
            assert (
                client.post(f"{UNITS}{pb['unit'].pk}/{step}/", body).status_code == 404
            )
        for listing in (WISHES, f"{WISHES}wall/", VOLUNTEERS, UNITS):
            assert client.get(listing).json()["results"] == []
    assert Wish.objects.get(pk=wish.pk).state == "published"


def test_a_wish_off_the_members_wall_is_404_to_them(pb):
    wish = gathered(pb)
    assert api(pb["member_a"]).get(f"{WISHES}{wish.pk}/").status_code == 404


def test_a_member_may_not_verify_or_publish(pb):
    wish = on_the_wall(pb)
    member = api(pb["member_a"])
    for step in ("verify", "publish", "cancel"):
        answer = member.post(f"{WISHES}{wish.pk}/{step}/", {"reason": "x"})
        assert answer.status_code == 403, step
    assert Wish.objects.get(pk=wish.pk).events.count() == 3


def test_a_delivery_needs_a_photo_sent_as_multipart(pb, media):
    wish = on_the_wall(pb)
    actions.wish_claim(wish=wish, acting_user=pb["member_a"])
    member = api(pb["member_a"])
    as_json = member.post(f"{WISHES}{wish.pk}/fulfil/", {}, format="json")
    assert as_json.status_code == 415
    no_photo = member.post(f"{WISHES}{wish.pk}/fulfil/", {"note": "送到了"})
    assert no_photo.status_code == 400
    assert "photo" in no_photo.json()["error"]["fields"]
    in_the_future = member.post(
        f"{WISHES}{wish.pk}/fulfil/", {"photo": jpeg(), "on": "2999-01-01"}
    )
    assert "on" in in_the_future.json()["error"]["fields"]
    assert Wish.objects.get(pk=wish.pk).state == "claimed"


def test_the_staff_list_filters_by_state(pb):
    on_the_wall(pb)
    gathered(pb, shown_as="卓玛")
    staff = api(pb["staff"])
    assert staff.get(WISHES).json()["count"] == 2
    only = staff.get(WISHES, {"state": "gathered"}).json()["results"]
    assert [row["shown_as"] for row in only] == ["卓玛"]
    assert only[0]["steps"] is None and only[0]["household"] == pb["household"].pk
    bad = staff.get(WISHES, {"state": "lost"})
    assert bad.status_code == 400 and "state" in bad.json()["error"]["fields"]
    assert api(pb["member_a"]).get(WISHES).json()["results"] == []


@pytest.mark.parametrize("path", ["", "wall/"])
def test_the_lists_ask_the_same_queries_for_one_wish_or_many(pb, path):
    on_the_wall(pb)
    client = api(pb["staff"] if path == "" else pb["member_a"])
    client.get(f"{WISHES}{path}")  # the token's first use is written down

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{WISHES}{path}").status_code == 200
        return len(captured)

    one = queries()
    on_the_wall(pb)
    on_the_wall(pb)
    assert queries() == one


# --- 双报到 -------------------------------------------------------------------------


def test_a_member_registers_and_the_community_decides(pb, street):
    newcomer = make_user("newcomer", "达瓦")
    made = api(newcomer).post(
        VOLUNTEERS,
        {
            "community": street.east.pk,
            "unit": pb["unit"].pk,
            "skills": "电工",
            "pledge": "每月服务一次",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["state"] == "pending" and body["user"] == "达瓦"
    assert body["unit_name"] == "区住建局机关党支部"
    url = f"{VOLUNTEERS}{body['id']}/"

    assert (
        api(pb["dispatcher"]).post(f"{url}decide/", {"confirm": True}).status_code
        == 403
    )
    staff = api(pb["staff"])
    no_reason = staff.post(f"{url}decide/", {"confirm": False}, format="json")
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["error"]["fields"]
    confirmed = staff.post(f"{url}decide/", {"confirm": True}, format="json")
    assert confirmed.status_code == 200
    assert confirmed.json()["state"] == "confirmed"
    assert confirmed.json()["decided_by"] == pb["staff"].get_full_name()

    ended = api(newcomer).post(f"{url}end/", {"reason": "搬家"}, format="json")
    assert ended.json()["state"] == "ended" and ended.json()["reason"] == "搬家"


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"community": 10**6}, "community"),
        ({"community": "grid"}, "community"),
        ({"unit": 10**6}, "unit"),
        ({"pledge": "诺" * 201}, "pledge"),
    ],
)
def test_a_registration_with_bad_input_names_the_field(pb, street, cells, field):
    if cells.get("community") == "grid":
        cells = {"community": street.grids["e1"].pk}
    body = {"community": street.east.pk, **cells}
    refused = api(make_user("newcomer")).post(VOLUNTEERS, body, format="json")
    assert refused.status_code == 400
    assert field in refused.json()["error"]["fields"]
    assert Volunteer.objects.count() == 2


def test_a_unit_registers_and_its_contact_ends_it(pb, street):
    # The contact names an organisation the ledger shows them (see the report:
    # a contact with no ledger role reads none).
    branch = Organisation.objects.create(
        kind=Organisation.Kind.UNIT_BRANCH,
        name="东嘎小学党支部",
        area=street.grids["e1"],
    )
    contact = api(pb["gridworker"])
    made = contact.post(
        UNITS,
        {"organisation": branch.pk, "community": street.east.pk, "offers": "课后辅导"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["contact"] == "扎西"
    url = f"{UNITS}{made.json()['id']}/"
    decided = api(pb["staff"]).post(f"{url}decide/", {"confirm": True}, format="json")
    assert decided.json()["state"] == "confirmed"
    ended = contact.post(f"{url}end/", {}, format="json")
    assert ended.json()["state"] == "ended"
    unseen = api(pb["gridworker_w1"]).post(
        UNITS,
        {"organisation": branch.pk, "community": street.west.pk, "offers": "x"},
        format="json",
    )
    assert unseen.status_code == 404


def test_a_units_contact_reads_its_members_only(pb, street, media):
    stranger = make_user("stranger", "普布")
    alone = actions.volunteer_register(community=street.east, acting_user=stranger)
    contact = api(pb["unit_contact"])
    listed = contact.get(VOLUNTEERS).json()["results"]
    assert {row["user"] for row in listed} == {"旺堆", "央金"}
    assert contact.get(f"{VOLUNTEERS}{alone.pk}/").status_code == 404
    member = Volunteer.objects.get(user=pb["member_a"])
    assert contact.get(f"{VOLUNTEERS}{member.pk}/ledger/").status_code == 200
    units = contact.get(UNITS).json()["results"]
    assert [row["id"] for row in units] == [pb["unit"].pk]
    # A member reads their own registration, not the other member's.
    other = Volunteer.objects.get(user=pb["member_b"])
    assert api(pb["member_a"]).get(f"{VOLUNTEERS}{other.pk}/").status_code == 404
    assert not ServiceEntry.objects.exists()
