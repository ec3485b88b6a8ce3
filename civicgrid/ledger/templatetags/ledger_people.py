from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext_lazy as _

from civicgrid.core import clock

register = template.Library()


@register.filter
def age(born: dt.date | None) -> int | str:
    """Whole years since ``born``, today."""
    if not born:
        return ""
    today = clock.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


_FIELD_LABELS = {
    "building": _("building"),
    "grid": _("grid"),
    "unit": _("unit"),
    "room": _("room"),
    "note": _("note"),
    "name": _("name"),
    "id_number": _("ID number"),
    "phone": _("phone"),
    "gender": _("gender"),
    "birth_date": _("date of birth"),
    "ethnicity": _("ethnicity"),
    "relation": _("relation"),
    "person": _("member"),
    "on": _("date"),
    "household": _("household"),
    "tag": _("tag"),
    "since": _("since"),
    "until": _("until"),
    "appeals_consent": _("consent to link appeals"),
    "people_met": _("people met"),
    "appeal": _("appeal"),
    "field": _("number revealed"),
}


@register.filter
def change_field(key: str) -> str:
    """The name of a field in a history row, in the reader's language."""
    return str(_FIELD_LABELS.get(key, _("other")))
