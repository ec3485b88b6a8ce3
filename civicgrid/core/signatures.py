"""Signed bodies between us and other systems: ``sha256=<hex HMAC-SHA256 of
the body>`` with a shared secret — on the webhooks we send
(``X-CivicGrid-Signature``) and on what the SMS gateway posts to us."""

from __future__ import annotations

import hashlib
import hmac


def sign(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(body: bytes, secret: str, signature: str) -> bool:
    """Whether ``signature`` is the body's, in constant time; never with no
    secret."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(sign(body, secret), signature.strip())
