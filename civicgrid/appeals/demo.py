"""Loads the demo category catalogue for 东嘎街道 (see demo_catalogue.py). Adds what
is missing and never changes what exists."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from civicgrid.org.models import Department

from .catalogue import category_set_terms
from .demo_catalogue import CATALOGUE, RESPONSE_TEMPLATES
from .models import Category, CategoryQuestion, ResponseTemplate


def seed_catalogue() -> int:
    departments = {d.code: d for d in Department.objects.all()}
    leaves = 0
    with transaction.atomic():
        for group_order, group in enumerate(CATALOGUE):
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
        for template in RESPONSE_TEMPLATES:
            owner = by_code.get(template["category"]) if template["category"] else None
            ResponseTemplate.objects.get_or_create(
                title=template["title"],
                category=owner,
                defaults={"body": template["body"]},
            )
    return leaves
