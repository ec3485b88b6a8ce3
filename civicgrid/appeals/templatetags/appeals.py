"""Template filters about appeals: ``{% load appeals %}``."""

from __future__ import annotations

from django import template

from civicgrid.appeals import labels
from civicgrid.appeals.models import Appeal, CaseEvent

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    """An appeal state's name in the reader's language."""
    try:
        return str(Appeal.State(value).label)
    except ValueError:
        return value


@register.filter
def actor_label(event: CaseEvent) -> str:
    """Who acted, for the staff: 居民, 系统, or the person and their unit."""
    return labels.actor_label(event)


@register.filter
def public_actor_label(event: CaseEvent) -> str:
    """Who acted, for the resident: 居民, 系统 or the unit (never a name)."""
    return labels.actor_label(event, public=True)


@register.filter
def outcome_label(value: str) -> str:
    """A reply's outcome in the reader's language."""
    return labels.outcome_label(value)


@register.filter
def event_summary(event: CaseEvent) -> str:
    """An event's own words beside its label (what a correction changed)."""
    return labels.event_summary(event)
