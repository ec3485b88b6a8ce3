"""资源清单: what registered units, co-building organisations, 居商联盟 merchants
and departments offer, where they may offer it, who may put it on the list,
and its withdrawal."""

from __future__ import annotations

import pytest

from civicgrid.cobuilding import actions
from civicgrid.cobuilding.models import Pledge, Resource
from civicgrid.core import clock
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.ledger.models import Organisation, OrganisationMember
from civicgrid.org.models import Area, Department
from civicgrid.partybuilding import actions as pb_actions
from conftest import make_area, make_user

from .conftest import in_days, offer, raise_problem, start

pytestmark = pytest.mark.django_db

PROVIDER_FIELDS = ("unit", "organisation", "merchant", "department")


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        ("cobuilder", {"organisation": "cobuilder"}),
        ("unit", {"unit": "unit"}),
        ("merchant", {"merchant": "merchant", "organisation": "alliance"}),
        ("department", {"department": "cg"}),
    ],
)
def test_each_kind_of_provider_offers_a_resource(cb, street, provider, expected):
    resource = offer(cb, cb["dispatcher"], street.east, provider=provider, quantity=8)
    resource.refresh_from_db()
    assert resource.provider_kind == provider
    for name in PROVIDER_FIELDS:
        wanted = cb[expected[name]] if name in expected else None
        assert getattr(resource, name) == wanted, name
    assert (resource.quantity, resource.pledged, resource.remaining) == (8, 0, 8)
    assert resource.available_from == clock.today()
    assert resource.is_active
    assert resource.added_by == cb["dispatcher"]
    assert resource.provider_name


def test_a_merchants_resource_is_named_after_the_shop(cb, street):
    resource = offer(cb, cb["dispatcher"], street.street, provider="merchant")
    assert resource.provider_name == "阿佳理发店"


def test_a_unit_registered_to_another_community_is_refused(cb, street):
    with pytest.raises(DomainError) as refused:
        offer(cb, cb["dispatcher"], street.west, provider="unit")
    assert refused.value.field == "unit"
    assert street.east.name in refused.value.message
    assert not Resource.objects.exists()


def test_a_unit_offers_to_the_street_of_its_community(cb, street):
    resource = offer(cb, cb["dispatcher"], street.street, provider="unit")
    assert resource.unit == cb["unit"]


def test_a_unit_the_community_has_not_confirmed_is_refused(cb, street):
    branch = Organisation.objects.create(
        kind=Organisation.Kind.UNIT_BRANCH,
        name="区卫健委机关党支部",
        area=street.street,
    )
    pending = pb_actions.unit_register(
        organisation=branch,
        community=street.east,
        offers="义诊",
        acting_user=make_user("health_contact"),
    )
    with pytest.raises(DomainError) as refused:
        offer(cb, cb["dispatcher"], street.east, provider="unit", unit=pending)
    assert refused.value.field == "unit"
    assert not Resource.objects.exists()


def test_a_department_that_does_not_serve_the_street_is_refused(cb, street):
    elsewhere = make_area("540102", "城关区", Area.Level.DISTRICT, street.city)
    department = Department.objects.create(
        code="cg-chengguan", name="城关区城管局", area=elsewhere
    )
    with pytest.raises(DomainError) as refused:
        offer(
            cb,
            cb["dispatcher"],
            street.east,
            provider="department",
            department=department,
        )
    assert refused.value.field == "department"
    assert department.name in refused.value.message
    assert not Resource.objects.exists()


def test_a_member_of_an_organisation_that_is_no_alliance_is_refused(cb, street):
    shop = OrganisationMember.objects.create(
        organisation=cb["cobuilder"], title="志愿者小卖部"
    )
    with pytest.raises(DomainError) as refused:
        offer(cb, cb["dispatcher"], street.east, provider="merchant", merchant=shop)
    assert refused.value.field == "merchant"
    assert not Resource.objects.exists()


def test_a_merchant_who_left_the_alliance_is_refused(cb, street):
    merchant = cb["merchant"]
    merchant.left_on = in_days(-1)
    merchant.save(update_fields=["left_on"])
    with pytest.raises(DomainError) as refused:
        offer(cb, cb["dispatcher"], street.east, provider="merchant")
    assert refused.value.field == "merchant"
    assert not Resource.objects.exists()


def test_an_organisation_of_another_street_is_refused(cb, street):
    north = make_area("540103002", "乃琼街道", Area.Level.STREET, street.district)
    theirs = Organisation.objects.create(
        kind=Organisation.Kind.SOCIAL, name="乃琼志愿者协会", area=north
    )
    with pytest.raises(DomainError) as refused:
        offer(cb, cb["dispatcher"], street.east, organisation=theirs)
    assert refused.value.field == "organisation"
    assert not Resource.objects.exists()


def test_a_resource_is_offered_to_a_street_or_a_community_not_a_grid(cb, street):
    with pytest.raises(DomainError) as refused:
        offer(cb, cb["dispatcher"], street.grids["e1"])
    assert refused.value.field == "area"
    assert not Resource.objects.exists()


@pytest.mark.parametrize("quantity", [0, -3, None])
def test_a_resource_of_no_quantity_is_refused(cb, street, quantity):
    with pytest.raises(DomainError) as refused:
        offer(cb, cb["dispatcher"], street.east, quantity=quantity)
    assert refused.value.field == "quantity"


def test_a_resource_available_until_before_it_is_available_is_refused(cb, street):
    with pytest.raises(DomainError) as refused:
        offer(
            cb,
            cb["dispatcher"],
            street.east,
            available_from=in_days(5),
            available_until=in_days(4),
        )
    assert refused.value.field == "available_until"
    assert not Resource.objects.exists()


def test_a_units_contact_offers_their_own_units_resource(cb, street):
    resource = offer(cb, cb["unit_contact"], street.east, provider="unit")
    assert (resource.unit, resource.added_by) == (cb["unit"], cb["unit_contact"])


def test_a_units_contact_may_not_offer_another_units_resource(cb, street):
    with pytest.raises(PermissionDeniedError):
        offer(cb, cb["unit_contact"], street.west, provider="unit", unit=cb["unit_w"])
    assert not Resource.objects.exists()


def test_a_units_contact_may_not_offer_for_an_organisation(cb, street):
    with pytest.raises(PermissionDeniedError):
        offer(cb, cb["unit_contact"], street.east)
    assert not Resource.objects.exists()


@pytest.mark.parametrize("who", ["community_west", "gridworker", "resident"])
def test_who_does_not_keep_the_community_may_not_offer_there(cb, street, who):
    with pytest.raises(PermissionDeniedError):
        offer(cb, cb[who], street.east)
    assert not Resource.objects.exists()


# --- withdrawal -----------------------------------------------------------------


def test_a_withdrawn_resource_keeps_what_was_pledged_and_takes_no_more(cb, street):
    resource = offer(cb, cb["dispatcher"], street.east, quantity=5)
    project = start(raise_problem(cb["dispatcher"], street.east), cb["dispatcher"])
    actions.pledge(
        project=project, resource=resource, quantity=2, acting_user=cb["dispatcher"]
    )
    actions.resource_withdraw(resource=resource, acting_user=cb["dispatcher"])
    resource.refresh_from_db()
    assert not resource.is_active
    assert resource.pledged == 2
    assert Pledge.objects.filter(resource=resource).count() == 1
    with pytest.raises(DomainError) as refused:
        actions.pledge(
            project=project,
            resource=resource,
            quantity=1,
            acting_user=cb["dispatcher"],
        )
    assert refused.value.message == "This resource is no longer offered."
    resource.refresh_from_db()
    assert resource.pledged == 2


def test_a_resource_is_withdrawn_once(cb, street):
    resource = offer(cb, cb["dispatcher"], street.east)
    actions.resource_withdraw(resource=resource, acting_user=cb["dispatcher"])
    with pytest.raises(DomainError) as again:
        actions.resource_withdraw(resource=resource, acting_user=cb["dispatcher"])
    assert again.value.field == "resource"


def test_a_units_contact_withdraws_their_own_units_resource_only(cb, street):
    mine = offer(cb, cb["unit_contact"], street.east, provider="unit")
    theirs = offer(
        cb, cb["community_west"], street.west, provider="unit", unit=cb["unit_w"]
    )
    with pytest.raises(PermissionDeniedError):
        actions.resource_withdraw(resource=theirs, acting_user=cb["unit_contact"])
    actions.resource_withdraw(resource=mine, acting_user=cb["unit_contact"])
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.is_active, theirs.is_active) == (False, True)


def test_an_outsider_may_not_withdraw(cb, street):
    resource = offer(cb, cb["dispatcher"], street.east)
    with pytest.raises(PermissionDeniedError):
        actions.resource_withdraw(resource=resource, acting_user=cb["outsider"])
    resource.refresh_from_db()
    assert resource.is_active
