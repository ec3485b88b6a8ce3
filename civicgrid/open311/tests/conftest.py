"""Open311 fixtures: the appeals catalogue with one question of each GeoReport
datatype, and client systems with keys."""

from __future__ import annotations

from typing import Any

import pytest

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.api.clients import api_client_create
from civicgrid.appeals.catalogue import category_set_terms
from civicgrid.appeals.models import Category, CategoryQuestion

# The appeals fixtures (catalogue, staff, submit, bring) serve these tests too.
from civicgrid.appeals.tests.conftest import (  # noqa: F401
    bring,
    catalogue,
    staff,
    submit,
)


@pytest.fixture
def services(catalogue, departments) -> dict[str, Category]:  # noqa: F811
    """The catalogue plus a service asking all six GeoReport datatypes, and a
    batch service."""
    hole = Category.objects.create(
        code="pothole",
        name="道路坑洼",
        parent=catalogue["group"],
        description="路面破损、坑洼",
        keywords="道路, 坑洼",
    )
    category_set_terms(
        category=hole,
        acting_user=None,
        kind="help",
        default_unit_type="department",
        default_department=departments["cg"],
        response_hours=2,
        handling_days=3,
    )
    for order, (code, datatype, required, choices) in enumerate(
        [
            ("size", "single", True, ["小", "中", "大"]),
            ("lanes", "multiple", False, ["左", "右"]),
            ("depth", "number", False, []),
            ("seen", "datetime", False, []),
            ("since", "date", False, []),
            ("pole", "string", False, []),
            ("detail", "text", False, []),
        ]
    ):
        CategoryQuestion.objects.create(
            category=hole,
            code=code,
            label=f"问题 {code}",
            datatype=datatype,
            required=required,
            choices=choices,
            sort_order=order,
        )
    batch = Category.objects.create(
        code="bulky-waste",
        name="大件垃圾",
        parent=catalogue["group"],
        service_type=Category.ServiceType.BATCH,
    )
    category_set_terms(
        category=batch,
        acting_user=None,
        kind="help",
        default_unit_type="grid",
        default_department=None,
        response_hours=4,
        handling_days=5,
    )
    return {**catalogue, "pothole": hole, "batch": batch}


@pytest.fixture
def clients(departments, services) -> dict[str, Any]:
    """A resident-facing app, and the 城管 department's own case system."""
    app, app_key = api_client_create(name="12345 热线平台")
    case_system, case_key = api_client_create(name="城管案件系统")
    membership_add(
        user=case_system.user,
        role=Role.DEPARTMENT_HANDLER,
        department=departments["cg"],
        acting_user=None,
    )
    other, other_key = api_client_create(name="微信小程序")
    return {
        "app": app,
        "app_key": app_key,
        "case": case_system,
        "case_key": case_key,
        "other": other,
        "other_key": other_key,
    }
