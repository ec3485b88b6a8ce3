"""Template filters about appeals: ``{% load appeals %}``."""

from __future__ import annotations

from django import template

from civicgrid.appeals.models import Appeal

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    """An appeal state's name in the reader's language."""
    try:
        return str(Appeal.State(value).label)
    except ValueError:
        return value
