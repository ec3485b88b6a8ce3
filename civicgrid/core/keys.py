"""The deployment's secrets, judged before they are used: a malformed field
key would otherwise pass every check and fail at the first encryption, and a
key of one repeated character would be accepted as a secret.

Plain functions over strings, so that the production settings can call them at
start-up (before Django is set up) and the system checks (``checks.py``) under
``check --deploy``."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable

# The development defaults of config/settings/base.py, refused in production.
DEV_FIELD_KEY = "ZGV2LWZpZWxkLWtleS1jaXZpY2dyaWQtMDAwMDAwMDA="
MIN_SECRET_LENGTH = 50
MIN_BLIND_INDEX_LENGTH = 32
# A random key of this length has far more distinct characters (bytes) than
# these; a typed-in or repeated one does not.
MIN_DISTINCT_CHARACTERS = 10
MIN_DISTINCT_KEY_BYTES = 12


def field_key_problems(keys: Iterable[str]) -> list[str]:
    """What is wrong with CIVICGRID_FIELD_KEYS as Fernet keys (url-safe base64
    of 32 bytes, comma-separated); empty when each key is sound."""
    keys = list(keys)
    if not keys:
        return ["CIVICGRID_FIELD_KEYS is empty."]
    problems = []
    for position, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raw = b""
        if len(raw) != 32:
            problems.append(
                f"CIVICGRID_FIELD_KEYS key {position} is not a Fernet key "
                "(url-safe base64 of 32 bytes)."
            )
        elif len(set(raw)) < MIN_DISTINCT_KEY_BYTES:
            problems.append(
                f"CIVICGRID_FIELD_KEYS key {position} is not random "
                "(too few distinct bytes)."
            )
    return problems


def _weak(value: str, min_length: int) -> bool:
    return len(value) < min_length or len(set(value)) < MIN_DISTINCT_CHARACTERS


def secret_problems(
    *, secret_key: str, field_keys: Iterable[str], blind_index_key: str
) -> list[str]:
    """Everything wrong with a production deployment's secrets."""
    field_keys = list(field_keys)
    problems = field_key_problems(field_keys)
    if DEV_FIELD_KEY in field_keys:
        problems.append("Set CIVICGRID_FIELD_KEYS to your own Fernet key(s).")
    if secret_key.startswith(("dev-", "django-insecure")) or _weak(
        secret_key, MIN_SECRET_LENGTH
    ):
        problems.append(
            f"Set SECRET_KEY to a random value of at least {MIN_SECRET_LENGTH} "
            f"characters ({MIN_DISTINCT_CHARACTERS} or more different ones)."
        )
    if blind_index_key.startswith("dev-") or _weak(
        blind_index_key, MIN_BLIND_INDEX_LENGTH
    ):
        problems.append(
            "Set CIVICGRID_BLIND_INDEX_KEY to a random value of at least "
            f"{MIN_BLIND_INDEX_LENGTH} characters ({MIN_DISTINCT_CHARACTERS} or "
            "more different ones)."
        )
    return problems
