"""An appeal's photo as a response, for the pages and the API alike (the caller
has already checked who may see it: the appeal's scope, or a public photo and
the tracking code)."""

from __future__ import annotations

from django.http import FileResponse, Http404

from civicgrid.core.views import private_file

from .models import Attachment

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
