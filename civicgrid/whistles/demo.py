"""Demo whistle types (idempotent)."""

from __future__ import annotations

from decimal import Decimal

from .models import WhistleType

TYPES = [
    ("emergency", "应急处置", 30, None),
    ("difficult", "疑难问题", None, Decimal("2")),
    ("joint-enforcement", "联合执法", None, Decimal("7")),
]


def seed_whistle_types() -> int:
    for code, name, minutes, hours in TYPES:
        WhistleType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "report_in_minutes": minutes,
                "report_in_working_hours": hours,
            },
        )
    return len(TYPES)
