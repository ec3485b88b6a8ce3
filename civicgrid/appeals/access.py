"""The resident's key to their own appeal.

The tracking code (查询码) identifies an appeal and lets anyone holding it follow
its progress read-only — staff see codes all day. Adding information and rating
the reply need the resident key as well: an HMAC of the code under the server's
secret, sent only to the resident (the page shown after reporting, and the SMS
links), so that nobody else can rate an appeal on the resident's behalf.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

SALT = "civicgrid.appeals.resident-key"


def resident_key(code: str, secret: str | None = None) -> str:
    return salted_hmac(SALT, code, secret=secret, algorithm="sha256").hexdigest()[:24]


def resident_key_valid(code: str, key: str) -> bool:
    """The key for this code, under the current secret or a retired one
    (SECRET_KEY_FALLBACKS), so rotating the secret does not break old SMS links."""
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        if hmac.compare_digest(resident_key(code, secret), key):
            return True
    return False


def resident_link(code: str, anchor: str = "") -> str:
    """The resident's own link (a path): the key in the fragment, which browsers
    never send to the server, so it reaches no access log; the tracking page's
    script hands it over by POST and the session remembers it. ``anchor``
    ("callback") is where the page opens."""
    fragment = f"key={resident_key(code)}" + (f"&{anchor}" if anchor else "")
    return f"{reverse('appeals:track', args=[code])}#{fragment}"


FOLLOW_SALT = "civicgrid.appeals.follow"
FOLLOW_MAX_AGE = 60 * 60 * 24 * 90


def follow_token(appeal_pk: int) -> str:
    """A signed token for following someone else's appeal (the same problem
    reported nearby, or the main appeal of a merge) without its code."""
    return signing.dumps(appeal_pk, salt=FOLLOW_SALT)


def followed_pk(token: str) -> int:
    """The appeal a follow token names; BadSignature when forged or stale."""
    return int(signing.loads(token, salt=FOLLOW_SALT, max_age=FOLLOW_MAX_AGE))
