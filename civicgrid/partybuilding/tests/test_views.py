"""The party-building pages call the actions and say what they did; an
outsider gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicgrid.core import clock
from civicgrid.partybuilding.models import Registration, Volunteer, Wish

from .conftest import gathered, jpeg, on_the_wall

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_grid_worker_gathers_from_the_household_page(client, pb):
    household = pb["household"]
    page = _as(client, pb["gridworker"]).get(
        reverse("ledger:household", args=[household.pk])
    )
    assert (
        reverse("partybuilding:wish_new", args=[household.pk]) in page.content.decode()
    )
    url = reverse("partybuilding:wish_new", args=[household.pk])
    refused = client.post(
        url, {"need": "电饭锅", "value": "150", "shown_as": "次仁老人"}
    )
    assert refused.status_code == 400 and not Wish.objects.exists()
    assert "consent" in refused.content.decode()
    done = client.post(
        url,
        {"need": "电饭锅", "value": "150", "shown_as": "次仁老人", "consent": "on"},
        follow=True,
    )
    wish = Wish.objects.get()
    assert done.redirect_chain[-1][0] == reverse("partybuilding:wish", args=[wish.pk])
    assert "the community checks it next" in " ".join(_messages(done))


def test_another_grids_worker_gets_404_on_the_gathering_page(client, pb):
    url = reverse("partybuilding:wish_new", args=[pb["household"].pk])
    assert _as(client, pb["gridworker_w1"]).get(url).status_code == 404


def test_the_community_verifies_and_publishes_on_the_wish_page(client, pb):
    wish = gathered(pb)
    _as(client, pb["staff"])
    page = client.get(reverse("partybuilding:wish", args=[wish.pk])).content.decode()
    assert "step-verify" in page and "step-refuse" in page
    client.post(reverse("partybuilding:wish_step", args=[wish.pk, "verify"]), {})
    done = client.post(
        reverse("partybuilding:wish_step", args=[wish.pk, "publish"]), {}, follow=True
    )
    assert "is on the wall" in " ".join(_messages(done))
    assert Wish.objects.get(pk=wish.pk).state == "published"


def test_a_refusal_without_a_reason_is_a_form_error(client, pb):
    wish = gathered(pb)
    _as(client, pb["staff"])
    response = client.post(
        reverse("partybuilding:wish_step", args=[wish.pk, "refuse"]), {"reason": ""}
    )
    assert response.status_code == 400
    assert Wish.objects.get(pk=wish.pk).state == "gathered"


def test_a_member_claims_from_the_wall_and_delivers_from_their_claims(
    client, pb, media
):
    wish = on_the_wall(pb)
    _as(client, pb["member_a"])
    wall = client.get(reverse("partybuilding:wall")).content.decode()
    assert wish.need in wall and "次仁卓嘎" not in wall and "5号楼" not in wall
    claimed = client.post(
        reverse("partybuilding:wish_step", args=[wish.pk, "claim"]),
        {"back": "claims"},
        follow=True,
    )
    assert claimed.redirect_chain[-1][0] == reverse("partybuilding:claims")
    assert "You claimed the wish" in " ".join(_messages(claimed))
    delivered = client.post(
        reverse("partybuilding:wish_step", args=[wish.pk, "fulfil"]),
        {"on": clock.today().isoformat(), "photo": jpeg(), "back": "claims"},
        follow=True,
    )
    assert "Delivery recorded" in " ".join(_messages(delivered))
    assert Wish.objects.get(pk=wish.pk).state == "fulfilled"


def test_a_member_reads_the_wall_but_not_what_waits_for_a_check(client, pb):
    waiting = gathered(pb)
    response = _as(client, pb["member_a"]).get(
        reverse("partybuilding:wish", args=[waiting.pk])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["outsider", "gridworker_w1", "handler_cg"])
def test_who_may_not_see_a_wish_gets_404(client, pb, who):
    wish = on_the_wall(pb)
    _as(client, pb[who])
    assert client.get(reverse("partybuilding:wish", args=[wish.pk])).status_code == 404
    step = reverse("partybuilding:wish_step", args=[wish.pk, "claim"])
    assert client.post(step, {}).status_code == 404
    staff_pages = [
        reverse("partybuilding:wishes"),
        reverse("partybuilding:registrations"),
    ]
    if who != "gridworker_w1":  # a grid worker of another grid sees an empty list
        assert [client.get(url).status_code for url in staff_pages] == [404, 404]
    else:
        assert wish.need not in client.get(staff_pages[0]).content.decode()


def test_someone_registered_nowhere_is_sent_to_register(client, pb):
    response = _as(client, pb["outsider"]).get(reverse("partybuilding:wall"))
    assert response.status_code == 302
    assert response.url == reverse("partybuilding:register")


def test_a_party_member_registers_and_the_community_confirms(client, pb, street):
    _as(client, pb["outsider"])
    done = client.post(
        reverse("partybuilding:register"),
        {"community": street.east.pk, "pledge": "每月服务一次"},
        follow=True,
    )
    assert "the community confirms it" in " ".join(_messages(done))
    member = Volunteer.objects.get(user=pb["outsider"])
    _as(client, pb["staff"])
    listing = client.get(reverse("partybuilding:registrations")).content.decode()
    assert str(pb["outsider"].get_full_name()) in listing
    client.post(
        reverse("partybuilding:registration_decide", args=["member", member.pk]),
        {"decision": "confirm"},
    )
    member.refresh_from_db()
    assert member.state == Registration.CONFIRMED


def test_the_service_ledger_is_read_by_the_member_and_their_unit(client, pb):
    member = Volunteer.objects.get(user=pb["member_a"])
    url = reverse("partybuilding:volunteer", args=[member.pk])
    assert _as(client, pb["member_a"]).get(url).status_code == 200
    assert _as(client, pb["unit_contact"]).get(url).status_code == 200
    assert _as(client, pb["member_b"]).get(url).status_code == 404
    assert _as(client, pb["outsider"]).get(url).status_code == 404


def test_the_wall_and_the_claims_ask_the_same_few_queries_for_many_wishes(
    client, pb, django_assert_max_num_queries
):
    from civicgrid.partybuilding import actions

    for _n in range(12):
        actions.wish_claim(wish=on_the_wall(pb), acting_user=pb["member_a"])
        on_the_wall(pb)
    _as(client, pb["member_a"])
    with django_assert_max_num_queries(20):
        wall = client.get(reverse("partybuilding:wall"))
    assert wall.content.decode().count("wish-card") == 12
    with django_assert_max_num_queries(20):
        claims = client.get(reverse("partybuilding:claims"))
    assert claims.content.decode().count("fulfil-form") == 12


def test_the_community_records_a_service_in_a_members_ledger(client, pb):
    member = Volunteer.objects.get(user=pb["member_a"])
    url = reverse("partybuilding:volunteer", args=[member.pk])
    body = {"title": "717骑士节服务外卖小哥", "hours": "3", "served_on": "2026-07-17"}
    assert _as(client, pb["member_b"]).post(url, body).status_code == 404
    assert _as(client, pb["unit_contact"]).post(url, body).status_code == 404
    _as(client, pb["staff"])
    assert "service-form" in client.get(url).content.decode()
    refused = client.post(url, {**body, "hours": "30"})
    assert refused.status_code == 400
    done = client.post(url, body, follow=True)
    assert "Recorded in" in " ".join(_messages(done))
    (entry,) = member.services.all()
    assert (entry.title, entry.hours, entry.recorded_by) == (
        "717骑士节服务外卖小哥",
        3,
        pb["staff"],
    )
