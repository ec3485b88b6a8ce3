"""Field encryption for personal data (names, phone numbers) at rest.

Fernet (AES-128-CBC with HMAC-SHA256) with the keys of ``CIVICGRID_FIELD_KEYS``:
the first key encrypts, every key decrypts, so a key is rotated by putting a new
one first and re-saving the rows at leisure.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("CIVICGRID_FIELD_KEYS is empty")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "CIVICGRID_FIELD_KEYS must hold Fernet keys (url-safe base64 of 32 bytes)"
        ) from exc


def _keys() -> tuple[str, ...]:
    return tuple(settings.CIVICGRID_FIELD_KEYS)


def encrypt(plaintext: str) -> str:
    return _fernet(_keys()).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(_keys()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with CIVICGRID_FIELD_KEYS"
        ) from exc


def blind_index(value: str) -> str:
    """A keyed hash to find equal values (the same phone number) without
    decrypting. Its key is separate from the encryption keys, so rotating those
    leaves stored indexes valid; changing this key means recomputing them."""
    key = settings.CIVICGRID_BLIND_INDEX_KEY.encode()
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()


# A landline with its area code: three digits after 01 and 02, four elsewhere.
_LANDLINE = re.compile(
    r"^[(（]?(0(?:[12]\d|[3-9]\d{2}))[)）]?[ -]?(\d{7,8})$", re.ASCII
)


def mask_phone(phone: str) -> str:
    """138****1234: the first three and the last four digits; a landline keeps
    its area code and the last four (0891-***2345)."""
    digits = phone.strip()
    landline = _LANDLINE.match(digits)
    if landline:
        area, local = landline.groups()
        return f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_email(email: str) -> str:
    """z***@example.com: the first letter and the domain."""
    local, _at, domain = email.strip().partition("@")
    if not domain:
        return "*" * len(local)
    return f"{local[:1]}***@{domain}"


def mask_name(name: str) -> str:
    """张** / 张*: the family name only; a Latin name keeps its first letter."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_id_number(number: str) -> str:
    """5401*************2: the first four characters and the check digit.
    No more: the birth date (characters 7–14) is on the person's page and the
    county (5–6) in the grid's code, so the sequence (15–17) must stay hidden
    or the whole number could be put together again without a reveal."""
    number = number.strip().upper()
    if len(number) <= 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 5)}{number[-1:]}"
