"""Signed links and their QR codes, for codes that are printed and posted on a
wall (the place codes residents scan to report, 扫码报事; the discipline
channel's 码上巡): a token that cannot be made up or changed into another's,
the absolute link residents open, and the QR image of it drawn with segno.

A printed code lives for years, so its token carries no expiry; it stays valid
as long as the signing key does (rotate ``SECRET_KEY`` with the old one in
``SECRET_KEY_FALLBACKS``, or reprint)."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.core import signing


def sign(value: Any, *, salt: str) -> str:
    """A short, URL-safe token of ``value`` (JSON), signed with ``salt``."""
    return signing.Signer(salt=salt).sign_object(value)


def unsign(token: str, *, salt: str) -> Any:
    """What :func:`sign` signed, or None for a forged, altered or garbled token."""
    try:
        return signing.Signer(salt=salt).unsign_object(token or "")
    except (signing.BadSignature, ValueError, UnicodeError):
        return None


def absolute(path: str) -> str:
    """The address residents reach ``path`` at (``CIVICGRID_PUBLIC_URL``)."""
    return settings.CIVICGRID_PUBLIC_URL.rstrip("/") + path


def _code(link: str) -> segno.QRCode:
    # Medium error correction: a printed code still reads with a stain on it.
    return segno.make(link, error="m")


def image(link: str, *, scale: int = 6) -> str:
    """The QR code of ``link`` as an SVG data URI (for an <img>)."""
    return _code(link).svg_data_uri(scale=scale, border=2)


def svg(link: str, *, scale: int = 8, title: str = "") -> bytes:
    """The QR code of ``link`` as an SVG document."""
    out = io.BytesIO()
    _code(link).save(out, kind="svg", scale=scale, border=4, title=title or None)
    return out.getvalue()


def png(link: str, *, scale: int = 10) -> bytes:
    """The QR code of ``link`` as a PNG (for printing shops and chat apps)."""
    out = io.BytesIO()
    _code(link).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
