"""Appeals fixtures: a small catalogue, and appeals brought to any state through
the same actions people use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.appeals import actions
from civicgrid.appeals.actions import AppealInput, Unit
from civicgrid.appeals.catalogue import category_set_terms
from civicgrid.appeals.models import Appeal, Category, CategoryQuestion
from conftest import make_user

PHONE = "13812345678"
INSIDE_E1 = {"latitude": 29.605, "longitude": 91.005}


@pytest.fixture
def catalogue(departments) -> dict[str, Category]:
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
    dispute = Category.objects.create(code="neighbours", name="邻里纠纷", parent=group)
    category_set_terms(
        category=dispute,
        acting_user=None,
        kind="help",
        default_unit_type="grid",
        default_department=None,
        response_hours=4,
        handling_days=5,
    )
    CategoryQuestion.objects.create(
        category=dispute,
        code="floor",
        label="几楼",
        datatype="number",
        required=True,
    )
    return {"group": group, "lamp": lamp, "dispute": dispute}


@pytest.fixture
def staff(people, street) -> dict[str, Any]:
    operator = make_user("operator", "央金")
    membership_add(
        user=operator, role=Role.OPERATOR, area=street.street, acting_user=None
    )
    leader = make_user("leader", "王建国")
    membership_add(user=leader, role=Role.LEADER, area=street.street, acting_user=None)
    return {**people, "operator": operator, "leader": leader}


@pytest.fixture
def submit(street, catalogue) -> Callable[..., Appeal]:
    def _submit(**overrides: Any) -> Appeal:
        fields: dict[str, Any] = {
            "description": "楼下路灯坏了三天，晚上很黑。",
            "street": street.street,
            "category": catalogue["lamp"],
            "name": "卓玛",
            "phone": PHONE,
            "consent": True,
            **INSIDE_E1,
        }
        photos = overrides.pop("photos", ())
        key = overrides.pop("idempotency_key", None)
        user = overrides.pop("acting_user", None)
        fields.update(overrides)
        appeal, _created = actions.appeal_submit(
            data=AppealInput(**fields),
            acting_user=user,
            photos=photos,
            idempotency_key=key,
        )
        return appeal

    return _submit


@pytest.fixture
def bring(submit, staff, departments, street) -> Callable[[str], Appeal]:
    """An appeal in the given state, reached through the actions."""

    def _bring(state: str) -> Appeal:
        appeal = submit()
        dispatcher = staff["dispatcher"]
        if state == "received":
            return appeal
        if state == "rejected":
            return actions.appeal_reject(
                appeal=appeal, acting_user=dispatcher, reason="不属于本街道"
            )
        if state == "merged":
            main = submit(description="同一盏路灯")
            return actions.appeal_merge(
                appeal=appeal, into=main, acting_user=dispatcher
            )
        actions.appeal_accept(appeal=appeal, acting_user=dispatcher)
        if state == "accepted":
            return appeal
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=dispatcher,
            lead=Unit(department=departments["cg"]),
        )
        if state == "dispatched":
            return appeal
        lead = appeal.assignments.get(role="lead")
        actions.assignment_sign(assignment=lead, acting_user=staff["handler_cg"])
        if state == "handling":
            return appeal
        actions.appeal_reply(
            outcome="resolved",
            assignment=lead,
            acting_user=staff["handler_cg"],
            public_reply="已更换灯泡。",
        )
        if state == "replied":
            return appeal
        actions.appeal_callback(
            appeal=appeal, acting_user=None, resolved=True, satisfaction="satisfied"
        )
        assert state == "closed"
        return appeal

    return _bring
