"""The 码上巡 QR codes as images and links: each carries a signed token of
its code (a link cannot be made up for a code that does not exist, nor
changed into another's), and the images are drawn with segno (through
core's QR helpers, which the place codes residents scan share)."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from civicgrid.core.qr import absolute, image

from .models import Code

__all__ = [
    "absolute",
    "code_from_token",
    "image",
    "report_link",
    "survey_link",
    "token",
]

SALT = "civicgrid.discipline.code"


def token(code: Code) -> str:
    return signing.dumps(code.pk, salt=SALT, compress=True)


def code_from_token(value: str) -> Code | None:
    """The active code a token names, or None for a forged or retired one."""
    try:
        pk = signing.loads(value, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Code.objects.filter(pk=pk, active=True).select_related("body").first()


def report_link(code: Code) -> str:
    return absolute(reverse("discipline:scan", args=[token(code)]))


def survey_link(code: Code) -> str:
    return absolute(reverse("discipline:survey", args=[token(code)]))
