"""Recipients shown in logs and the admin: enough to recognise, not to contact."""

from __future__ import annotations

import re
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
    """Replace the recipient, and any resident key, wherever an error message
    repeats them."""
    if recipient:
        text = text.replace(recipient, mask_recipient(recipient))
    return mask_resident_keys(text)


# The resident's key in a link is theirs alone: logs keep the code, not the key,
# whether the link carries it in the fragment (#key=…) or, as older messages
# did, in the path (/track/<code>/<key>/).
_KEY_IN_PATH = re.compile(r"(/track/[0-9A-Z]+/)[0-9a-f]{24}/")
_KEY_IN_FRAGMENT = re.compile(r"#key=[0-9a-f]{8,64}")


def mask_resident_keys(text: str) -> str:
    text = _KEY_IN_PATH.sub("\\1…/", text)
    return _KEY_IN_FRAGMENT.sub("#key=…", text)
