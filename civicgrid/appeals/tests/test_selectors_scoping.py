"""Who sees which appeals: the street's command centre all of them, a department
what was dispatched to it, a grid worker their grids, everybody else nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.appeals import actions, selectors
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal
from conftest import make_user

INSIDE_W1 = {"latitude": 29.615, "longitude": 91.005}
INSIDE_E2 = {"latitude": 29.605, "longitude": 91.015}


@dataclass
class Appeals:
    received_e1: Appeal  # not yet dispatched
    to_cg: Appeal  # e1, dispatched to 城管
    to_cg_signed: Appeal  # e2, dispatched to 城管, signed
    in_w1: Appeal  # w1, received
    closed: Appeal  # e1, 城管, closed

    def all(self) -> set[int]:
        return {a.pk for a in vars(self).values()}


@pytest.fixture
def appeals(submit, bring, staff, departments) -> Appeals:
    received_e1 = submit()
    to_cg = bring("dispatched")
    to_cg_signed = submit(**INSIDE_E2)
    actions.appeal_accept(appeal=to_cg_signed, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=to_cg_signed,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
    )
    actions.assignment_sign(
        assignment=to_cg_signed.assignments.get(), acting_user=staff["handler_cg"]
    )
    in_w1 = submit(**INSIDE_W1)
    closed = bring("closed")
    return Appeals(received_e1, to_cg, to_cg_signed, in_w1, closed)


def seen(user) -> set[int]:
    return set(selectors.appeal_list_for_user(user).values_list("pk", flat=True))


@pytest.mark.parametrize("who", ["dispatcher", "operator", "leader"])
def test_the_streets_command_centre_sees_every_appeal_of_the_street(
    appeals, staff, who
):
    assert seen(staff[who]) == appeals.all()


def test_the_department_sees_only_what_was_dispatched_to_it(appeals, staff):
    assert seen(staff["handler_cg"]) == {
        appeals.to_cg.pk,
        appeals.to_cg_signed.pk,
        appeals.closed.pk,
    }
    assert seen(staff["handler_zj"]) == set()


def test_a_department_sees_an_appeal_once_it_is_a_co_handler(
    appeals, staff, departments, bring
):
    appeal = bring("accepted")
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(department=departments["zj"])],
    )

    assert seen(staff["handler_zj"]) == {appeal.pk}


def test_a_grid_worker_sees_the_appeals_of_their_grids(appeals, staff):
    assert seen(staff["gridworker"]) == {
        appeals.received_e1.pk,
        appeals.to_cg.pk,
        appeals.to_cg_signed.pk,
        appeals.closed.pk,
    }
    assert appeals.in_w1.pk not in seen(staff["gridworker"])


def test_a_grid_worker_sees_what_was_dispatched_to_their_grid_elsewhere(
    appeals, staff, street
):
    appeal = appeals.in_w1
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(area=street.grids["w1"]),
        co_handlers=[Unit(area=street.grids["e1"])],
    )

    assert appeal.pk in seen(staff["gridworker"])


def test_community_staff_see_the_appeals_of_their_communitys_grids(appeals, street):
    staff_member = make_user("linduistaff")
    membership_add(
        user=staff_member,
        role=Role.COMMUNITY_STAFF,
        area=street.west,
        acting_user=None,
    )

    assert seen(staff_member) == {appeals.in_w1.pk}


@pytest.mark.parametrize("who", ["outsider", "resident"])
def test_accounts_without_a_staff_role_see_nothing(appeals, staff, who):
    assert seen(staff[who]) == set()
    with pytest.raises(Http404):
        selectors.appeal_get_for_user(staff[who], appeals.to_cg.pk)
    with pytest.raises(Http404):
        selectors.assignment_get_for_user(
            staff[who], appeals.to_cg.assignments.get().pk
        )


def test_an_anonymous_visitor_sees_nothing(appeals):
    assert seen(AnonymousUser()) == set()


def test_the_other_department_gets_404_for_an_appeal_it_was_not_sent(appeals, staff):
    with pytest.raises(Http404):
        selectors.appeal_get_for_user(staff["handler_zj"], appeals.to_cg.pk)
    assert selectors.appeal_get_for_user(staff["handler_cg"], appeals.to_cg.pk)


def test_a_dispatcher_of_another_street_sees_nothing_of_this_one(appeals, street):
    from civicgrid.org.models import Area
    from conftest import make_area

    other = make_area("540103002", "乃琼街道", Area.Level.STREET, street.district)
    stranger = make_user("other_dispatcher")
    membership_add(user=stranger, role=Role.DISPATCHER, area=other, acting_user=None)

    assert seen(stranger) == set()


def test_to_sign_lists_only_the_handlers_unsigned_shares(
    appeals, staff, departments, bring
):
    """The 城管 signed its co-handler share of an appeal whose 住建 lead is still
    unsigned: that appeal is on 住建's list, not 城管's."""
    mixed = bring("accepted")
    actions.appeal_dispatch(
        appeal=mixed,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["zj"]),
        co_handlers=[Unit(department=departments["cg"])],
    )
    actions.assignment_sign(
        assignment=mixed.assignments.get(role="co"), acting_user=staff["handler_cg"]
    )

    def to_sign(user) -> set[int]:
        return set(selectors.queue(user, "to_sign").values_list("pk", flat=True))

    assert to_sign(staff["handler_cg"]) == {appeals.to_cg.pk}
    assert to_sign(staff["handler_zj"]) == {mixed.pk}
    assert to_sign(staff["outsider"]) == set()


def test_the_handling_queue_lists_the_handlers_signed_shares(appeals, staff):
    handling = selectors.queue(staff["handler_cg"], "handling")

    assert set(handling.values_list("pk", flat=True)) == {appeals.to_cg_signed.pk}


def test_the_new_queue_is_scoped_too(appeals, staff):
    new = selectors.queue(staff["gridworker"], "new")

    assert set(new.values_list("pk", flat=True)) == {appeals.received_e1.pk}
