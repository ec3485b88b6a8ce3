"""The ledger's checks on a value, shared by its forms, API, actions and the
Excel import, so that every way in refuses the same input with the same
message naming the field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from civicgrid.core import clock, pii
from civicgrid.core.errors import DomainError
from civicgrid.org.models import Area
from civicgrid.org.selectors import grid_for_point

from .catalogue import SUBCLASS_NAMES

_ID_SHAPE = re.compile(r"\d{17}[\dX]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


def id_number_check_digit(first17: str) -> str:
    """The 18th character of a resident ID number (GB 11643, ISO 7064 MOD 11-2)."""
    return pii.id_check_digit(first17)


def id_number_birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def check_id_number(value: str, *, field: str = "id_number") -> str:
    """An 18-digit ID number, upper-cased, with a valid check digit and birth date."""
    number = value.strip().upper()
    if not number:
        return ""
    if not _ID_SHAPE.fullmatch(number):
        raise DomainError(
            _("An ID number has 17 digits and a check digit (a digit or X)."),
            field=field,
        )
    expected = id_number_check_digit(number[:17])
    if number[17] != expected:
        raise DomainError(
            _("The check digit of this ID number is wrong (it should be %(digit)s).")
            % {"digit": expected},
            field=field,
        )
    born = id_number_birth_date(number)
    if born is None or born > clock.today():
        raise DomainError(_("This ID number holds no real date of birth."), field=field)
    return number


def check_person_name(value: str, *, field: str = "name") -> str:
    """A person's name as typed: a masked one (拉***), copied back from a page
    or a masked export, would overwrite the real name for good."""
    name = (value or "").strip()
    if "*" in name or "＊" in name:
        raise DomainError(
            _("This is a masked name (with *): type the whole name."), field=field
        )
    return name


def check_phone(value: str, *, field: str = "phone") -> str:
    """A mainland mobile number or a landline with its area code."""
    phone = re.sub(r"[\s()（）]", "", value.strip())
    if phone.startswith("+86"):
        phone = phone[3:]
    if not phone:
        return ""
    if not (_MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone)):
        raise DomainError(
            _("Enter an 11-digit mobile number or a landline with its area code."),
            field=field,
        )
    return phone


def check_past_date(value: dt.date | None, *, field: str, label: str) -> dt.date | None:
    """A date that has happened (a birth, a move): not after today."""
    if value is not None and value > clock.today():
        raise DomainError(
            _("%(label)s cannot be after today.") % {"label": label}, field=field
        )
    return value


def grid_at(lon: Any, lat: Any, *, field: str = "location") -> Area:
    """The grid a point lies in; a point outside every grid is refused."""
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Give the longitude and latitude."), field=field) from exc
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise DomainError(_("This point is not on the map."), field=field)
    grid = grid_for_point(lon, lat)
    if grid is None:
        raise DomainError(_("This point lies outside every grid."), field=field)
    return grid


def check_component_code(code: str, *, field: str = "code") -> str:
    """A component code: a catalogue subclass (4 digits) and a serial. Returns
    the subclass."""
    code = code.strip()
    if not re.fullmatch(r"\d{6,20}", code):
        raise DomainError(
            _("A component code is digits only: its kind's 4 digits, then a serial."),
            field=field,
        )
    subclass = code[:4]
    if subclass not in SUBCLASS_NAMES:
        raise DomainError(
            _("%(code)s is not a kind of component in the catalogue.")
            % {"code": subclass},
            field=field,
        )
    return subclass
