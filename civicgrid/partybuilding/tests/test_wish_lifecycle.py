"""The micro-wish (微心愿) from the grid worker's notebook to the member's
service ledger, through the actions the pages and the API call."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.partybuilding import actions, selectors
from civicgrid.partybuilding.models import ServiceEntry, Wish

from .conftest import gathered, jpeg, on_the_wall

pytestmark = pytest.mark.django_db


def test_a_wish_goes_from_gathered_to_credited(pb, media):
    wish = gathered(pb)
    assert wish.state == "gathered" and wish.community == pb["household"].grid.parent
    actions.wish_verify(wish=wish, acting_user=pb["staff"], note="家庭情况属实")
    actions.wish_publish(wish=wish, acting_user=pb["staff"])
    assert list(selectors.wall(pb["member_a"])) == [wish]
    actions.wish_claim(wish=wish, acting_user=pb["member_a"])
    assert wish.claim_expires_at - wish.claimed_at == dt.timedelta(days=14)
    assert selectors.wall(pb["member_b"]).count() == 0
    actions.wish_fulfil(wish=wish, acting_user=pb["member_a"], photo=jpeg())
    assert wish.photo["file"].startswith("wishes/")
    credit = actions.wish_confirm(wish=wish, acting_user=pb["gridworker"])
    wish.refresh_from_db()
    assert wish.state == "confirmed" and wish.confirmed_for_beneficiary
    assert credit.volunteer is not None and credit.volunteer.user == pb["member_a"]
    assert credit.wish == wish
    assert [e.action for e in wish.events.all()] == [
        "gather",
        "verify",
        "publish",
        "claim",
        "fulfil",
        "confirm",
    ]
    assert "on the beneficiary's behalf" in wish.events.last().note
    assert selectors.delivered_households() == 1


def test_a_household_outside_the_workers_grids_is_refused(pb):
    with pytest.raises(PermissionDeniedError):
        gathered(pb, by=pb["gridworker_w1"])
    assert not Wish.objects.exists()


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"consent": False}, "consent"),
        ({"need": " "}, "need"),
        ({"value": "十块"}, "value"),
        ({"value": "-5"}, "value"),
        ({"value": "99999"}, "value"),
        ({"shown_as": ""}, "shown_as"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(pb, cells, field):
    with pytest.raises(DomainError) as refused:
        gathered(pb, **cells)
    assert refused.value.field == field
    assert not Wish.objects.exists()


def test_the_community_refuses_with_a_reason(pb):
    wish = gathered(pb)
    with pytest.raises(DomainError):
        actions.wish_refuse(wish=wish, reason="", acting_user=pb["staff"])
    actions.wish_refuse(wish=wish, reason="家庭条件较好", acting_user=pb["staff"])
    assert wish.state == "refused" and wish.reason == "家庭条件较好"
    with pytest.raises(DomainError):
        actions.wish_publish(wish=wish, acting_user=pb["staff"])


def test_a_grid_worker_may_not_verify(pb):
    wish = gathered(pb)
    with pytest.raises(PermissionDeniedError):
        actions.wish_verify(wish=wish, acting_user=pb["gridworker"])


def test_a_second_claim_loses_with_a_clear_message(pb):
    wish = on_the_wall(pb)
    stale = Wish.objects.get(pk=wish.pk)  # the second member read it on the wall
    actions.wish_claim(wish=wish, acting_user=pb["member_a"])
    with pytest.raises(ConflictError) as lost:
        actions.wish_claim(wish=stale, acting_user=pb["member_b"])
    assert "claimed this wish a moment before you" in lost.value.message
    wish.refresh_from_db()
    assert wish.claimed_by.user == pb["member_a"]


def test_who_is_not_registered_here_may_not_claim(pb):
    wish = on_the_wall(pb)
    for who in ("outsider", "gridworker"):
        with pytest.raises(PermissionDeniedError):
            actions.wish_claim(wish=wish, acting_user=pb[who])
    assert Wish.objects.get(pk=wish.pk).state == "published"


def test_a_unit_claims_through_its_contact(pb, media):
    wish = on_the_wall(pb)
    with pytest.raises(PermissionDeniedError):
        actions.wish_claim(wish=wish, acting_user=pb["member_a"], unit=pb["unit"])
    actions.wish_claim(wish=wish, acting_user=pb["unit_contact"], unit=pb["unit"])
    actions.wish_fulfil(wish=wish, acting_user=pb["unit_contact"], photo=jpeg())
    credit = actions.wish_confirm(wish=wish, acting_user=pb["staff"])
    assert credit.unit == pb["unit"] and credit.volunteer is None


def test_an_unfulfilled_claim_expires_back_to_the_wall(pb):
    wish = on_the_wall(pb)
    actions.wish_claim(wish=wish, acting_user=pb["member_a"])
    with time_machine.travel(clock.now() + dt.timedelta(days=13), tick=False):
        assert actions.expire_claims() == 0
    with time_machine.travel(
        clock.now() + dt.timedelta(days=14, minutes=1), tick=False
    ):
        assert actions.expire_claims() == 1
    wish.refresh_from_db()
    assert wish.state == "published" and wish.claimed_by is None
    assert wish.events.last().action == "expire"
    actions.wish_claim(wish=wish, acting_user=pb["member_b"])  # free again


def test_the_claimer_alone_delivers_and_with_a_photo(pb, media):
    wish = on_the_wall(pb)
    actions.wish_claim(wish=wish, acting_user=pb["member_a"])
    with pytest.raises(PermissionDeniedError):
        actions.wish_fulfil(wish=wish, acting_user=pb["member_b"], photo=jpeg())
    with pytest.raises(DomainError) as refused:
        actions.wish_fulfil(wish=wish, acting_user=pb["member_a"])
    assert refused.value.field == "photo"
    tomorrow = clock.today() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        actions.wish_fulfil(
            wish=wish, acting_user=pb["member_a"], photo=jpeg(), on=tomorrow
        )
    assert refused.value.field == "on"
    assert Wish.objects.get(pk=wish.pk).state == "claimed"


def test_a_wish_is_cancelled_before_delivery_only(pb, media):
    wish = on_the_wall(pb)
    actions.wish_claim(wish=wish, acting_user=pb["member_a"])
    actions.wish_cancel(wish=wish, reason="老人已搬走", acting_user=pb["gridworker"])
    assert wish.state == "cancelled"
    other = on_the_wall(pb)
    actions.wish_claim(wish=other, acting_user=pb["member_a"])
    actions.wish_fulfil(wish=other, acting_user=pb["member_a"], photo=jpeg())
    with pytest.raises(DomainError):
        actions.wish_cancel(wish=other, reason="x", acting_user=pb["staff"])
    assert not ServiceEntry.objects.exists()


def test_the_claimer_may_release_a_claim(pb):
    wish = on_the_wall(pb)
    actions.wish_claim(wish=wish, acting_user=pb["member_a"])
    actions.wish_release(wish=wish, acting_user=pb["member_a"], reason="出差")
    assert wish.state == "published" and wish.claimed_by is None


def test_what_each_one_sees(pb):
    wish = on_the_wall(pb)
    waiting = gathered(pb)
    seen = {
        who: set(selectors.wishes_for_user(pb[who]).values_list("pk", flat=True))
        for who in (
            "member_a",
            "gridworker",
            "staff",
            "leader",
            "outsider",
            "gridworker_w1",
            "handler_cg",
        )
    }
    assert seen["member_a"] == {wish.pk}  # the wall, not what waits for a check
    assert (
        seen["gridworker"] == seen["staff"] == seen["leader"] == {wish.pk, waiting.pk}
    )
    assert seen["outsider"] == seen["gridworker_w1"] == seen["handler_cg"] == set()


def test_who_comes_after_the_claim_is_told_it_was_claimed(client, pb):
    from django.urls import reverse

    wish = on_the_wall(pb)
    actions.wish_claim(wish=wish, acting_user=pb["member_a"])
    client.force_login(pb["member_b"])
    answer = client.post(reverse("partybuilding:wish_step", args=[wish.pk, "claim"]))
    assert answer.status_code == 400
    assert "claimed this wish a moment before you" in answer.content.decode()
    claimer = Wish.objects.get(pk=wish.pk).claimed_by
    assert claimer is not None and claimer.user == pb["member_a"]
