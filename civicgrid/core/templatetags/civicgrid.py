from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from django import template
from django.conf import settings
from django.utils import timezone

from civicgrid.core import qr
from civicgrid.core.words import join_names

register = template.Library()


@register.simple_tag
def map_tiles() -> str:
    """The base map's tile URL (``CIVICGRID_MAP_TILE_URL``), empty for none."""
    return getattr(settings, "CIVICGRID_MAP_TILE_URL", "") or ""


@register.simple_tag
def public_url(path: str) -> str:
    """``path`` at the address residents reach us at (``CIVICGRID_PUBLIC_URL``),
    for links shared in a chat and the cards they show."""
    return qr.absolute(path)


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes, rounded up (a 90-second wait is 2 minutes)."""
    if not value:
        return 0
    return max(1, math.ceil(value.total_seconds() / 60))


@register.filter
def mask_phone(value: str | None) -> str:
    """138****1234 — lists and handler pages never show the whole number."""
    from civicgrid.core.crypto import mask_phone as mask

    return mask(value) if value else ""


@register.filter
def public_text(value: str | None) -> str:
    """For the public record: phone and ID numbers, whole or masked, hidden."""
    from civicgrid.core.pii import public_text as public

    return public(value) if value else ""


@register.filter
def mask_name(value: str | None) -> str:
    from civicgrid.core.crypto import mask_name as mask

    return mask(value) if value else ""


@register.filter
def mask_id_number(value: str | None) -> str:
    """5401*************2 — an ID number is never shown whole unless revealed."""
    from civicgrid.core.crypto import mask_id_number as mask

    return mask(value) if value else ""


@register.filter
def mask_email(value: str | None) -> str:
    from civicgrid.core.crypto import mask_email as mask

    return mask(value) if value else ""


@register.filter
def join_if_list(value: object) -> str:
    if isinstance(value, list | tuple):
        return join_names(value)
    return str(value)


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()


@register.filter
def field(form: object, name: str) -> object:
    return form[name]  # type: ignore[index]


@register.filter
def percent(value: float | None) -> str:
    """0.934 → 93.4%; nothing to count → —."""
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def hours(value: float | None) -> str:
    """Hours, to one decimal; a day and more as days."""
    if value is None:
        return "—"
    from django.utils.translation import gettext

    if value >= 48:
        return gettext("%(n).1f days") % {"n": value / 24}
    return gettext("%(n).1f hours") % {"n": value}


@register.filter
def localized(value: object, field: str = "name") -> str:
    """A configured name in the reader's language: ``{{ category|localized }}``,
    ``{{ category|localized:"description" }}``; empty for no object."""
    from civicgrid.core.localized import localized as in_language

    return in_language(value, field) if value is not None else ""


@register.filter
def tibetan_date(value: date | datetime | None, form: str = "") -> str:
    """The Tibetan (Phugpa) date of a day, in Tibetan script: ``{{ day|tibetan_date }}``
    → བོད་ལོ་ ༢༡༥༣ ཟླ་ ༡ ཚེས་ ༡; ``{{ day|tibetan_date:"rabjung" }}`` → རབ་བྱུང་ ༡༧
    མེ་ཕོ་རྟ་ལོ་ ཟླ་ ༡ ཚེས་ ༡. A moment counts by its local date; empty for none."""
    from civicgrid.core.tibetan import YEARS, format_date

    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if value.year not in YEARS:
        return ""
    return format_date(value, with_rabjung=form == "rabjung")
