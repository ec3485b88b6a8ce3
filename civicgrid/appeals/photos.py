"""An appeal's photo or voice message as a response, for the pages and the API
alike (the caller has already checked who may see it: the appeal's scope, or
a public photo and the tracking code, or the resident's own voice message)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.http.response import HttpResponseBase

from civicgrid.core.views import private_file, private_media

from .models import Attachment, VoiceMessage

VARIANTS = ("thumb", "full")


def attachment_response(attachment: Attachment, variant: str) -> FileResponse:
    """The photo itself ("full") or its JPEG thumbnail ("thumb")."""
    if variant not in VARIANTS:
        raise Http404
    thumb = variant == "thumb"
    return private_file(
        attachment.thumbnail if thumb else attachment.file,
        content_type="image/jpeg" if thumb else attachment.content_type,
        name=attachment.sha256[:16],
    )


def voice_response(voice: VoiceMessage, range_header: str = "") -> HttpResponseBase:
    """The recording, as its container was sniffed (the ``Range`` a player
    asks for answered); named by its digest, never by who spoke."""
    return private_media(
        voice.file,
        content_type=voice.content_type,
        name=voice.sha256[:16],
        range_header=range_header,
    )
