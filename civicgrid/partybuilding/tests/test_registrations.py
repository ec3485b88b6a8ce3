"""双报到: a unit and its members register to a community, which confirms or
refuses; a registration ends, never is deleted."""

from __future__ import annotations

import pytest

from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.ledger.models import Organisation
from civicgrid.partybuilding import actions, selectors
from conftest import make_user

pytestmark = pytest.mark.django_db


def test_a_unit_registers_once_to_a_community(pb, street):
    organisation = pb["unit"].organisation
    with pytest.raises(DomainError) as twice:
        actions.unit_register(
            organisation=organisation,
            community=street.east,
            offers="再来一次",
            acting_user=pb["unit_contact"],
        )
    assert twice.value.field == "organisation"
    other = actions.unit_register(
        organisation=organisation,
        community=street.west,
        offers="法律咨询",
        acting_user=pb["unit_contact"],
    )
    assert other.state == "pending"


def test_the_streets_own_committee_is_no_unit(pb, street):
    committee = Organisation.objects.create(
        kind=Organisation.Kind.STREET_COMMITTEE, name="街道大工委", area=street.street
    )
    with pytest.raises(DomainError) as refused:
        actions.unit_register(
            organisation=committee,
            community=street.east,
            offers="x",
            acting_user=pb["unit_contact"],
        )
    assert refused.value.field == "organisation"


def test_a_grid_is_no_community(pb, street):
    with pytest.raises(DomainError) as refused:
        actions.volunteer_register(
            community=street.grids["e1"], acting_user=make_user("someone")
        )
    assert refused.value.field == "community"


def test_only_the_community_decides_and_a_refusal_says_why(pb, street):
    user = make_user("newcomer", "达瓦")
    volunteer = actions.volunteer_register(
        community=street.east, pledge="每月服务一次", acting_user=user
    )
    with pytest.raises(PermissionDeniedError):
        actions.registration_decide(
            registration=volunteer, confirm=True, acting_user=pb["gridworker"]
        )
    with pytest.raises(DomainError):
        actions.registration_decide(
            registration=volunteer, confirm=False, acting_user=pb["staff"]
        )
    actions.registration_decide(
        registration=volunteer,
        confirm=False,
        reason="不在本社区居住",
        acting_user=pb["staff"],
    )
    assert volunteer.state == "refused"
    again = actions.volunteer_register(community=street.east, acting_user=user)
    assert again.state == "pending"  # refused is no longer active


def test_a_unit_reads_its_own_members_only(pb, street):
    stranger = make_user("stranger", "普布")
    alone = actions.volunteer_register(community=street.east, acting_user=stranger)
    mine = set(selectors.volunteers_for_user(pb["unit_contact"]))
    assert {v.user.username for v in mine} == {"member_a", "member_b"}
    assert alone not in mine
    assert set(selectors.volunteers_for_user(stranger)) == {alone}
    assert not selectors.volunteers_for_user(pb["outsider"]).exists()


def test_an_ended_registration_keeps_its_ledger(pb, media):
    from .conftest import jpeg, on_the_wall

    wish = on_the_wall(pb)
    actions.wish_claim(wish=wish, acting_user=pb["member_a"])
    actions.wish_fulfil(wish=wish, acting_user=pb["member_a"], photo=jpeg())
    actions.wish_confirm(wish=wish, acting_user=pb["gridworker"])
    volunteer = wish.claimed_by
    actions.registration_end(
        registration=volunteer, reason="搬家", acting_user=pb["member_a"]
    )
    assert volunteer.state == "ended"
    assert selectors.service_ledger(volunteer).count() == 1
