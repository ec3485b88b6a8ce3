"""Phone and ID numbers typed into free text (号码脱敏).

A resident writes "联系我 13900008000" into a description, a handler writes a
landline into a reply, a street lists the attendees of a meeting with their
mobiles. :func:`find_numbers` finds mainland mobile numbers, landlines with
their area code and 18-digit resident ID numbers (居民身份证号, GB 11643, with a
valid check digit); :func:`mask_text` shows them as ``139****8000``,
``0891-***2345`` and ``5401*************X``; :func:`public_text` is for the
public record, which shows nothing of them. :class:`~civicgrid.core.fields.
SealedTextField` stores a text masked and its original encrypted.

A number is never found inside a longer run of digits: a 15-digit grid code, a
tracking code, a date, an amount or a year is not a hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from . import clock
from .crypto import mask_id_number, mask_phone

MOBILE = "mobile"
LANDLINE = "landline"
ID_NUMBER = "id_number"

# Digits on either side would make it part of a longer number; Latin letters, of
# a code, a key or a hash (a resident's key in a link is hexadecimal).
_NOT_AFTER_DIGIT = r"(?<![0-9A-Za-z０-９])"
_NOT_BEFORE_DIGIT = r"(?![0-9A-Za-z０-９])"

_ID_RE = re.compile(
    _NOT_AFTER_DIGIT + r"([1-9]\d{16}[0-9Xx])" + _NOT_BEFORE_DIGIT, re.ASCII
)
# 139 1234 8000, 139-1234-8000, +86 13912348000, 86-139…: the grouping the same
# on both sides.
_MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z０-９])"
    r"(?:(?:\+|＋)?86[ -]?)?"
    r"(1[3-9]\d(?P<sep>[ -]?)\d{4}(?P=sep)\d{4})" + _NOT_BEFORE_DIGIT,
    re.ASCII,
)
# (0891)6812345, （0891）6812345, 0891-6812345, 010 12345678, 08916812345. The
# area code has three digits after 01 and 02 (010, 020–029), four elsewhere.
_LANDLINE_RE = re.compile(
    _NOT_AFTER_DIGIT + r"(?:[(（](?P<pa>0(?:[12]\d|[3-9]\d{2}))[)）][ -]?"
    r"|(?P<a>0(?:[12]\d|[3-9]\d{2}))[ -]?)"
    r"(?P<local>[2-9]\d{6,7})" + _NOT_BEFORE_DIGIT,
    re.ASCII,
)
# What mask_text leaves: the public record hides these too.
_MASKED_RE = re.compile(
    r"(?<![0-9*])(?:1[3-9]\d\*{4}\d{4}|0\d{2,3}-?\*{3,4}\d{4}|\d{4}\*{10}\d{3}[0-9X]|\d{4}\*{13}[0-9X])"
    r"(?![0-9*])",
    re.ASCII,
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# The provinces' first two digits (GB/T 2260), and 71, 81, 82 (Taiwan, Hong Kong,
# Macao) on mainland residence permits.
_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35"}
    | {"36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54"}
    | {"61", "62", "63", "64", "65", "71", "81", "82", "83", "91"}
)


@dataclass(frozen=True)
class Match:
    """A number found in a text: where it is (``text[start:end]``) and what kind."""

    start: int
    end: int
    kind: str
    text: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def id_check_digit(first17: str) -> str:
    """The check digit of an ID number (ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_id_number(value: str) -> bool:
    """An 18-digit resident ID number (居民身份证号): a known province, a birth
    date that exists and is not in the future, and the right check digit."""
    value = (value or "").strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        return False
    if value[:2] not in _PROVINCES:
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > clock.now().date():
        return False
    return id_check_digit(value[:17]) == value[17]


def find_numbers(text: str) -> list[Match]:
    """The phone and ID numbers in a text, in order, none overlapping."""
    if not text:
        return []
    candidates = [
        Match(hit.start(1), hit.end(1), ID_NUMBER, hit.group(1))
        for hit in _ID_RE.finditer(text)
        if is_valid_id_number(hit.group(1))
    ]
    candidates += [
        Match(hit.start(), hit.end(), kind, hit.group(0))
        for kind, pattern in ((MOBILE, _MOBILE_RE), (LANDLINE, _LANDLINE_RE))
        for hit in pattern.finditer(text)
    ]
    # An ID number first, then a mobile, then a landline: the first claims its span.
    found: list[Match] = []
    for candidate in candidates:
        if all(candidate.end <= m.start or candidate.start >= m.end for m in found):
            found.append(candidate)
    return sorted(found, key=lambda m: m.start)


def _masked(match: Match) -> str:
    if match.kind == ID_NUMBER:
        return mask_id_number(match.text)
    digits = re.sub(r"\D", "", match.text)
    if match.kind == MOBILE:
        return mask_phone(digits[-11:])
    return mask_phone(match.text)


def has_numbers(text: str) -> bool:
    return bool(find_numbers(text))


def mask_text(text: str) -> str:
    """The text with each number masked (139****8000, 0891-***2345,
    5401*************X); a text without numbers is returned as it is."""
    matches = find_numbers(text)
    if not matches:
        return text
    parts: list[str] = []
    at = 0
    for match in matches:
        parts.append(text[at : match.start])
        parts.append(_masked(match))
        at = match.end
    parts.append(text[at:])
    return "".join(parts)


def unmask_text(text: str, original: str) -> str:
    """An edited copy of a masked text with the numbers of ``original`` put back
    where their masked form still stands: who corrects a word in a note keeps
    the number it held, without ever having seen it."""
    if not text or not original or "*" not in text:
        return text
    for match in find_numbers(original):
        masked = _masked(match)
        if masked in text:
            text = text.replace(masked, match.text)
    return text


def public_text(text: str) -> str:
    """For the public record (the tracking page, Open311, the digest): every
    number, whole or masked, replaced by a placeholder that shows nothing of it."""
    if not text:
        return text
    placeholder = _("[number hidden]")
    return _MASKED_RE.sub(placeholder, mask_text(text))
