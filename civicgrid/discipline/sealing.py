"""Envelope encryption of reports (AES-256-GCM, ``cryptography``).

Every report has its own data keys — one for the content (what was written,
the attachments, the messages), one for the reporter's identity — made at
intake and kept only wrapped by the master key of
``CIVICGRID_DISCIPLINE_MASTER_KEYS`` (``id:base64 of 32 bytes``, comma
separated). The first master key wraps; every listed key unwraps, so a key is
rotated by putting a new one first and running ``manage.py discipline_rewrap
--commit``, which re-wraps the data keys without touching the content.

Each ciphertext is bound to where it belongs (``aad``: the report's uid and the
field), so a sealed value copied onto another row does not open.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE = 12
KEY_BYTES = 32
_VERSION = b"\x01"
# What a BinaryField gives back: bytes, or a memoryview on PostgreSQL.
Blob = bytes | memoryview


class SealError(Exception):
    """A sealed value that does not open with the keys configured."""


@lru_cache(maxsize=4)
def _master(spec: tuple[str, ...]) -> tuple[list[tuple[bytes, AESGCM]], dict]:
    keys: list[tuple[bytes, AESGCM]] = []
    for entry in spec:
        key_id, sep, encoded = entry.strip().partition(":")
        try:
            raw = base64.urlsafe_b64decode(encoded.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raw = b""
        if not sep or not key_id or len(key_id) > 16 or len(raw) != KEY_BYTES:
            raise ImproperlyConfigured(
                "CIVICGRID_DISCIPLINE_MASTER_KEYS must hold id:key entries, each "
                "key url-safe base64 of 32 bytes."
            )
        keys.append((key_id.encode("ascii"), AESGCM(raw)))
    if not keys:
        raise ImproperlyConfigured("CIVICGRID_DISCIPLINE_MASTER_KEYS is empty.")
    return keys, dict(keys)


def _masters() -> tuple[list[tuple[bytes, AESGCM]], dict]:
    return _master(tuple(settings.CIVICGRID_DISCIPLINE_MASTER_KEYS))


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def wrap(data_key: bytes, *, aad: str) -> bytes:
    """The data key sealed by the first master key: version, key id, nonce,
    ciphertext."""
    ordered, _by_id = _masters()
    key_id, master = ordered[0]
    nonce = os.urandom(NONCE)
    return (
        _VERSION
        + bytes([len(key_id)])
        + key_id
        + nonce
        + master.encrypt(nonce, data_key, aad.encode())
    )


def wrapped_by(wrapped: Blob) -> str:
    """The id of the master key that wrapped a data key."""
    wrapped = bytes(wrapped)
    return wrapped[2 : 2 + wrapped[1]].decode("ascii")


def unwrap(wrapped: Blob, *, aad: str) -> bytes:
    wrapped = bytes(wrapped)
    if not wrapped or wrapped[:1] != _VERSION:
        raise SealError("not a wrapped key")
    length = wrapped[1]
    key_id = wrapped[2 : 2 + length]
    rest = wrapped[2 + length :]
    _ordered, by_id = _masters()
    master = by_id.get(key_id)
    if master is None:
        raise SealError(f"master key {key_id.decode('ascii')!r} is not configured")
    try:
        return master.decrypt(rest[:NONCE], rest[NONCE:], aad.encode())
    except InvalidTag as exc:
        raise SealError("the data key does not open") from exc


def seal_bytes(data_key: bytes, plaintext: bytes, *, aad: str) -> bytes:
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(data_key).encrypt(nonce, plaintext, aad.encode())


def open_bytes(data_key: bytes, sealed: Blob, *, aad: str) -> bytes:
    sealed = bytes(sealed)
    try:
        return AESGCM(data_key).decrypt(sealed[:NONCE], sealed[NONCE:], aad.encode())
    except InvalidTag as exc:
        raise SealError("the sealed value does not open") from exc


def seal_json(data_key: bytes, value: Any, *, aad: str) -> bytes:
    return seal_bytes(
        data_key,
        json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(),
        aad=aad,
    )


def open_json(data_key: bytes, sealed: Blob, *, aad: str) -> Any:
    if not sealed:
        return {}
    return json.loads(open_bytes(data_key, sealed, aad=aad))


def master_key_problems(spec: list[str]) -> list[str]:
    """What is wrong with the configured master keys, for the system checks."""
    try:
        _master(tuple(spec))
    except ImproperlyConfigured as exc:
        return [str(exc)]
    return []
