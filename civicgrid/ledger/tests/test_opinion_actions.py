"""社情民意 through its actions: gathering (the grid from the point), turning
into an appeal (linked both ways), closing, the race of two deciders, and the
street told of warnings without anything personal in the message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicgrid.appeals.catalogue import category_set_terms
from civicgrid.appeals.models import Appeal, CaseEvent, Category, Channel
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.core.fields import full_text
from civicgrid.ledger.actions import opinion as actions
from civicgrid.ledger.models import Change, Opinion
from civicgrid.notifications.models import Notification

from .conftest import centre, make_opinion

pytestmark = pytest.mark.django_db


@pytest.fixture
def lamp(departments) -> Category:
    group = Category.objects.create(code="city", name="市容环境")
    lamp = Category.objects.create(code="street-lamp", name="路灯不亮", parent=group)
    category_set_terms(
        category=lamp,
        acting_user=None,
        kind="help",
        default_unit_type="department",
        default_department=departments["cg"],
        response_hours=2,
        handling_days=3,
    )
    return lamp


def gather(user, **fields) -> Opinion:
    fields.setdefault("text", "三号楼暖气不热，住户 13900001234 反映")
    return actions.opinion_gather(data=actions.OpinionInput(**fields), acting_user=user)


def test_the_grid_of_an_item_is_that_of_the_phones_point(street, ledger_people):
    lon, lat = centre(street.grids["e2"])
    opinion = gather(ledger_people["gridworker"], lon=lon, lat=lat, risk="attention")
    assert opinion.grid == street.grids["e2"]
    assert opinion.state == Opinion.State.OPEN
    # A number typed into it is kept sealed, shown masked.
    opinion.refresh_from_db()
    assert opinion.text.endswith("139****1234 反映")
    assert full_text(opinion, "text").endswith("13900001234 反映")
    assert Change.objects.filter(model="opinion", object_id=opinion.pk).exists()


def test_a_chosen_grid_serves_when_there_is_no_point(street, ledger_people):
    opinion = gather(ledger_people["gridworker"], grid=street.grids["e1"])
    assert opinion.grid == street.grids["e1"]


def test_a_point_outside_every_grid_is_refused_naming_the_location(ledger_people):
    with pytest.raises(DomainError) as refused:
        gather(ledger_people["gridworker"], lon=80.0, lat=20.0)
    assert refused.value.field == "location"
    assert not Opinion.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "  "}, "text"),
        ({"risk": "panic"}, "risk"),
        ({"source": "rumour"}, "source"),
        ({"topic": "x" * 51}, "topic"),
    ],
)
def test_bad_input_is_refused_naming_the_field(street, ledger_people, fields, field):
    with pytest.raises(DomainError) as refused:
        gather(ledger_people["gridworker"], grid=street.grids["e1"], **fields)
    assert refused.value.field == field


def test_a_grid_worker_gathers_nothing_in_another_workers_grid(street, ledger_people):
    with pytest.raises(PermissionDeniedError):
        gather(ledger_people["gridworker_w1"], grid=street.grids["e1"])
    with pytest.raises(PermissionDeniedError):
        gather(ledger_people["leader"], grid=street.grids["e1"])


def test_a_warning_tells_the_community_and_the_dispatcher_without_the_text(
    street, ledger_people
):
    opinion = gather(
        ledger_people["gridworker"], grid=street.grids["e1"], risk="warning"
    )
    sent = Notification.objects.filter(event="ledger.opinion_risk")
    recipients = {n.recipient for n in sent}
    # On the console channel a member of staff is named by their username.
    assert recipients == {"dispatcher", "community_east"}
    for notification in sent:
        assert "13900001234" not in notification.body
        assert "暖气" not in notification.body
        assert street.grids["e1"].name in notification.body
        assert reverse("ledger:opinion", args=[opinion.pk]) in notification.body


def test_an_ordinary_item_tells_nobody(street, ledger_people):
    gather(ledger_people["gridworker"], grid=street.grids["e1"], risk="attention")
    assert not Notification.objects.filter(event="ledger.opinion_risk").exists()


def test_an_item_turns_into_an_appeal_linked_both_ways(street, ledger_people, lamp):
    lon, lat = centre(street.grids["e1"])
    opinion = gather(ledger_people["gridworker"], lon=lon, lat=lat)
    appeal = actions.opinion_to_appeal(
        opinion=opinion, acting_user=ledger_people["gridworker"], category=lamp
    )
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.APPEAL and opinion.appeal == appeal
    assert appeal.channel == Channel.PATROL
    assert appeal.description == opinion.text
    assert (appeal.longitude, appeal.latitude) == (lon, lat)
    assert appeal.grid == street.grids["e1"] and appeal.category == lamp
    submit = CaseEvent.objects.get(appeal=appeal, action="submit")
    assert submit.data["origin_url"] == reverse("ledger:opinion", args=[opinion.pk])


def test_an_item_without_a_point_carries_its_grid_as_the_address(street, ledger_people):
    opinion = gather(ledger_people["gridworker"], grid=street.grids["e2"])
    appeal = actions.opinion_to_appeal(
        opinion=opinion, acting_user=ledger_people["gridworker"], category=None
    )
    assert appeal.address == street.grids["e2"].name


def test_only_the_grids_keepers_who_enter_appeals_turn_items_into_them(
    street, ledger_people
):
    opinion = make_opinion(street.grids["e1"], ledger_people["gridworker"])
    # The dispatcher reads the ledger but keeps none of it.
    with pytest.raises(PermissionDeniedError):
        actions.opinion_to_appeal(
            opinion=opinion, acting_user=ledger_people["dispatcher"], category=None
        )
    # The street's ledger admin keeps it, but enters no appeals.
    assert not actions.may_turn_into_appeal(ledger_people["admin"], opinion)
    with pytest.raises(DomainError) as refused:
        actions.opinion_to_appeal(
            opinion=opinion, acting_user=ledger_people["admin"], category=None
        )
    assert refused.value.field == "channel"
    assert actions.may_turn_into_appeal(ledger_people["gridworker"], opinion)
    assert not actions.may_turn_into_appeal(ledger_people["gridworker_w1"], opinion)


def test_community_staff_who_enter_no_appeals_are_not_offered_it(street, ledger_people):
    opinion = make_opinion(street.grids["e1"], ledger_people["gridworker"])
    assert not actions.may_turn_into_appeal(ledger_people["community_east"], opinion)
    assert actions.may_close(ledger_people["community_east"], opinion)
    with pytest.raises(DomainError):
        actions.opinion_to_appeal(
            opinion=opinion, acting_user=ledger_people["community_east"], category=None
        )
    assert not Appeal.objects.exists()


def test_closing_keeps_the_note(street, ledger_people):
    opinion = make_opinion(street.grids["e1"], ledger_people["gridworker"])
    actions.opinion_close(
        opinion=opinion, acting_user=ledger_people["community_east"], note="已答复"
    )
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.CLOSED
    assert opinion.closed_note == "已答复"
    assert opinion.decided_by == ledger_people["community_east"]


def test_closing_needs_a_note(street, ledger_people):
    opinion = make_opinion(street.grids["e1"], ledger_people["gridworker"])
    with pytest.raises(DomainError) as refused:
        actions.opinion_close(
            opinion=opinion, acting_user=ledger_people["gridworker"], note=" "
        )
    assert refused.value.field == "note"


def test_of_two_closers_one_wins_and_the_other_is_told_of_the_conflict(
    street, ledger_people
):
    opinion = make_opinion(street.grids["e1"], ledger_people["gridworker"])
    mine = Opinion.objects.get(pk=opinion.pk)
    theirs = Opinion.objects.get(pk=opinion.pk)
    actions.opinion_close(
        opinion=mine, acting_user=ledger_people["gridworker"], note="我先处理了"
    )
    with pytest.raises(ConflictError):
        actions.opinion_close(
            opinion=theirs, acting_user=ledger_people["community_east"], note="重复"
        )
    opinion.refresh_from_db()
    assert opinion.closed_note == "我先处理了"


def test_a_lost_race_to_turn_into_an_appeal_leaves_no_appeal(street, ledger_people):
    opinion = make_opinion(street.grids["e1"], ledger_people["gridworker"])
    stale = Opinion.objects.get(pk=opinion.pk)
    actions.opinion_close(
        opinion=opinion, acting_user=ledger_people["community_east"], note="已解决"
    )
    with pytest.raises(ConflictError):
        actions.opinion_to_appeal(
            opinion=stale, acting_user=ledger_people["gridworker"], category=None
        )
    assert not Appeal.objects.exists()


def test_a_closed_item_cannot_be_turned_into_an_appeal(street, ledger_people):
    opinion = make_opinion(
        street.grids["e1"], ledger_people["gridworker"], state="closed"
    )
    with pytest.raises(DomainError):
        actions.opinion_to_appeal(
            opinion=opinion, acting_user=ledger_people["gridworker"], category=None
        )
    assert not Appeal.objects.exists()


def test_the_problem_list_state_is_kept_but_leads_nowhere_yet():
    from civicgrid.ledger.workflow import OPINION_TRANSITIONS

    assert Opinion.State.PROBLEM in OPINION_TRANSITIONS[Opinion.State.OPEN]
    assert OPINION_TRANSITIONS[Opinion.State.PROBLEM] == set()


def test_a_chosen_grid_keeps_the_point_only_where_it_lies_in_it(street, ledger_people):
    inside = centre(street.grids["e1"])
    kept = gather(
        ledger_people["gridworker"],
        grid=street.grids["e1"],
        lon=inside[0],
        lat=inside[1],
    )
    assert (kept.lon, kept.lat) == inside
    elsewhere = centre(street.grids["e2"])
    dropped = gather(
        ledger_people["gridworker"],
        grid=street.grids["e1"],
        lon=elsewhere[0],
        lat=elsewhere[1],
    )
    assert dropped.grid == street.grids["e1"] and dropped.lon is None
