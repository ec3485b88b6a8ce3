"""Template filters about the three rates: ``{% load metrics %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from civicgrid.core.templatetags.civicgrid import percent

register = template.Library()


@register.filter
def rate(figures: dict[str, Any], name: str) -> str:
    """A rate with its cases beside it — "90.0% (9/10)" —, or "—" where there
    was nothing to count. Figures published before rates kept their cases
    show the rate alone."""
    value = figures.get(name)
    cases = (figures.get("cases") or {}) if isinstance(figures, dict) else {}
    counted = cases.get(name) if isinstance(cases, dict) else None
    if value is None or not counted or not counted["of"]:
        return percent(value)
    return format_html(
        '{} <small class="cases">({}/{})</small>',
        percent(value),
        counted["count"],
        counted["of"],
    )
