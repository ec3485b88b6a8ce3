"""Recipients shown in logs and the admin: enough to recognise, not to contact."""

from __future__ import annotations

from urllib.parse import urlsplit

from civicgrid.core.crypto import mask_email, mask_phone


def mask_url(url: str) -> str:
    """https://hooks.example.com/…: a webhook path may carry a token."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.hostname or ''}/…"


def mask_recipient(recipient: str) -> str:
    if "://" in recipient:
        return mask_url(recipient)
    if "@" in recipient:
        return mask_email(recipient)
    return mask_phone(recipient)


def redact(text: str, recipient: str) -> str:
    """Replace the recipient wherever an error message repeats it."""
    if recipient:
        text = text.replace(recipient, mask_recipient(recipient))
    return text
