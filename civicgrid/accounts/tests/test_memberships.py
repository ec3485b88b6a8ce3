from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Membership, Role
from civicgrid.core.errors import DomainError
from conftest import make_user


def test_one_user_holds_several_roles(street, departments):
    user = make_user("multi")
    membership_add(
        user=user, role=Role.GRID_WORKER, area=street.grids["e1"], acting_user=None
    )
    membership_add(
        user=user, role=Role.GRID_WORKER, area=street.grids["w1"], acting_user=None
    )
    membership_add(
        user=user,
        role=Role.DEPARTMENT_HANDLER,
        department=departments["cg"],
        acting_user=None,
    )
    membership_add(
        user=user, role=Role.DISPATCHER, area=street.street, acting_user=None
    )
    assert sorted(
        Membership.objects.filter(user=user).values_list("role", flat=True)
    ) == [
        "department_handler",
        "dispatcher",
        "grid_worker",
        "grid_worker",
    ]


@pytest.mark.parametrize(
    ("role", "where", "field"),
    [
        (Role.GRID_WORKER, "street", "area"),
        (Role.DISPATCHER, "grid", "area"),
        (Role.COMMUNITY_STAFF, "street", "area"),
        (Role.DEPARTMENT_HANDLER, "street", "department"),
        (Role.RESIDENT, "street", "area"),
    ],
)
def test_a_role_in_the_wrong_kind_of_unit_is_refused(street, role, where, field):
    area = street.street if where == "street" else street.grids["e1"]
    with pytest.raises(DomainError) as excinfo:
        membership_add(user=make_user("x"), role=role, area=area, acting_user=None)
    assert excinfo.value.field == field
    assert not Membership.objects.exists()


def test_the_same_role_twice_in_one_unit_is_refused(street):
    user = make_user("x")
    membership_add(
        user=user, role=Role.GRID_WORKER, area=street.grids["e1"], acting_user=None
    )
    with pytest.raises(DomainError, match="already holds"):
        membership_add(
            user=user, role=Role.GRID_WORKER, area=street.grids["e1"], acting_user=None
        )
    assert Membership.objects.count() == 1


def test_the_database_refuses_a_handler_without_a_department(street):
    user = make_user("x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=user, role=Role.DEPARTMENT_HANDLER, area=street.street
        )
