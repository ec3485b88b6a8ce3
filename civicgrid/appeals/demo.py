"""Loads the demo category catalogue for 东嘎街道 (``data/demo/catalogue.json``, see
the README beside it). Adds what is missing and never changes what exists."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from civicgrid.core.demo import demo_seed
from civicgrid.org.models import Department

from .catalogue import category_set_terms
from .models import Category, CategoryQuestion, ResponseTemplate


def load_catalogue() -> dict[str, Any]:
    """The demo catalogue: ``categories`` (groups with their leaves in ``children``)
    and ``response_templates``."""
    path = Path(settings.BASE_DIR) / "data" / "demo" / "catalogue.json"
    return json.loads(path.read_text(encoding="utf-8"))


@demo_seed("appeals.catalogue", after=("org.street",))
def seed_catalogue() -> str:
    catalogue = load_catalogue()
    departments = {d.code: d for d in Department.objects.all()}
    leaves = 0
    with transaction.atomic():
        for group_order, group in enumerate(catalogue["categories"]):
            parent, _created = Category.objects.get_or_create(
                code=group["code"],
                defaults={"name": group["name"], "sort_order": group_order},
            )
            for order, leaf in enumerate(group["children"]):
                category, created = Category.objects.get_or_create(
                    code=leaf["code"],
                    defaults={
                        "name": leaf["name"],
                        "parent": parent,
                        "sort_order": order,
                    },
                )
                leaves += 1
                if not created and category.current_version_id:
                    continue
                unit = leaf["unit"]
                is_department = unit not in ("grid", "community")
                category_set_terms(
                    category=category,
                    acting_user=None,
                    kind=leaf["kind"],
                    default_unit_type="department" if is_department else unit,
                    default_department=departments[unit] if is_department else None,
                    response_hours=Decimal(str(leaf["response_hours"])),
                    handling_days=Decimal(str(leaf["handling_days"])),
                    public_notice=leaf.get("notice", ""),
                )
                for q_order, question in enumerate(leaf.get("questions", [])):
                    CategoryQuestion.objects.get_or_create(
                        category=category,
                        code=question["code"],
                        defaults={
                            "label": question["label"],
                            "datatype": question["datatype"],
                            "required": question.get("required", False),
                            "choices": question.get("choices", []),
                            "sort_order": q_order,
                        },
                    )
        by_code = {c.code: c for c in Category.objects.all()}
        for template in catalogue["response_templates"]:
            owner = by_code.get(template["category"]) if template["category"] else None
            ResponseTemplate.objects.get_or_create(
                title=template["title"],
                category=owner,
                defaults={"body": template["body"]},
            )
    return f"{leaves} categories"


DEMO_DESCRIPTIONS = {
    "street-lamp": "小区门口的路灯坏了好几天，晚上很黑，老人出门不方便。",
    "garbage-not-collected": "垃圾桶已经满了两天没人清运，气味很大。",
    "stray-dogs": "最近有几只流浪狗在幼儿园门口徘徊，家长很担心。",
    "construction-noise": "工地晚上十一点以后还在施工，噪音影响休息。",
    "neighbour-dispute": "楼上住户长期往楼下阳台倒水，协商不成。",
    "heating-not-warm": "家里暖气一直不热，室温只有十二度。",
    "water-cut": "今天早上开始停水，没有看到停水通知。",
}


@demo_seed(
    "appeals.appeals", after=("appeals.catalogue", "org.street", "core.calendar")
)
def seed_appeals(count: int = 36) -> int:
    """A few dozen demo appeals in every state, made through the same actions
    people use (idempotent: nothing happens once appeals exist)."""
    import random
    from datetime import timedelta

    from shapely.geometry import shape

    from civicgrid.accounts.models import Membership, Role, User
    from civicgrid.core import clock
    from civicgrid.org.models import Area

    from . import actions
    from .actions import AppealInput, Unit
    from .models import Appeal

    if Appeal.objects.exists():
        return 0
    rng = random.Random(540103001)  # noqa: S311 - demo data, not security
    operator = User.objects.filter(username="operator").first()
    dispatcher = User.objects.filter(username="dispatcher").first()
    admin = User.objects.filter(is_superuser=True).first()
    if operator is None or dispatcher is None or admin is None:
        return 0
    grids = list(Area.objects.filter(level=Area.Level.GRID).order_by("code"))
    # Categories whose extra questions are all optional: the demo answers none.
    categories = list(
        Category.objects.filter(current_version__isnull=False)
        .exclude(questions__required=True)
        .select_related("current_version")
        .distinct()
    )
    by_code = {c.code: c for c in categories}
    plan = (
        ["received"] * 7
        + ["accepted"] * 5
        + ["dispatched"] * 6
        + ["handling"] * 6
        + ["replied"] * 5
        + ["closed"] * 5
        + ["rejected"]
        + ["merged"]
    )[:count]
    now = clock.now()
    made = 0
    for target in plan:
        grid = rng.choice(grids)
        point = shape(grid.boundary).representative_point()
        code = rng.choice(list(DEMO_DESCRIPTIONS))
        category = by_code.get(code) or rng.choice(categories)
        street = grid.parent.parent if grid.parent and grid.parent.parent else None
        if street is None:
            continue
        appeal, _created = actions.appeal_submit(
            data=AppealInput(
                description=DEMO_DESCRIPTIONS.get(
                    code, "居民来电反映问题，请核实处理。"
                ),
                street=street,
                channel=rng.choice(["phone", "phone", "visit", "letter"]),
                kind=category.current_version.kind
                if category.current_version
                else "help",
                category=category,
                latitude=round(point.y, 6),
                longitude=round(point.x, 6),
                name=rng.choice(["卓玛", "次仁", "扎西", "央金", "王芳", "李强"]),
                phone=f"139{rng.randrange(10**7, 10**8)}",
                received_at=now - timedelta(hours=rng.randrange(1, 24 * 20)),
            ),
            acting_user=operator,
        )
        made += 1
        if target == "received":
            continue
        if target == "rejected":
            actions.appeal_reject(
                appeal=appeal,
                acting_user=dispatcher,
                reason="属于区级信访事项",
                redirect_to="区信访局",
            )
            continue
        if target == "merged":
            main = Appeal.objects.filter(state="accepted").exclude(pk=appeal.pk).first()
            if main is not None and main.street_id == appeal.street_id:
                actions.appeal_merge(appeal=appeal, into=main, acting_user=dispatcher)
            continue
        actions.appeal_accept(appeal=appeal, acting_user=dispatcher)
        if target == "accepted":
            continue
        version = appeal.category_version
        if version is None:
            continue
        if version.default_department_id:
            unit = Unit(department=version.default_department)
        elif version.default_unit_type == "community" and grid.parent:
            unit = Unit(area=grid.parent)
        else:
            unit = Unit(area=grid)
        actions.appeal_dispatch(appeal=appeal, acting_user=dispatcher, lead=unit)
        if target == "dispatched":
            continue
        lead = appeal.assignments.get(role="lead")
        member = (
            Membership.objects.filter(
                department=lead.department, role=Role.DEPARTMENT_HANDLER
            ).first()
            if lead.department_id
            else Membership.objects.filter(area=lead.area)
            .exclude(role=Role.VOLUNTEER)
            .first()
        )
        handler = member.user if member else admin
        actions.assignment_sign(assignment=lead, acting_user=handler)
        if target == "handling":
            continue
        actions.appeal_reply(
            outcome="resolved",
            assignment=lead,
            acting_user=handler,
            public_reply="您好，您反映的问题已到现场核实并处理完毕，感谢您的监督。",
        )
        if target == "replied":
            continue
        actions.appeal_callback(
            appeal=appeal,
            acting_user=operator,
            resolved=True,
            satisfaction=rng.choice(["satisfied", "satisfied", "basic"]),
        )
    return made
