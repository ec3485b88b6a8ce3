"""The photo a department took when it reported in, for the page and the API
alike (the caller has already found the whistle through the user's scope)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from civicgrid.core.views import private_file

from .models import Whistle

TYPES = {"png": "image/png", "webp": "image/webp"}


def check_in_photo_response(
    whistle: Whistle, summons_pk: int, *, thumb: bool
) -> FileResponse:
    summons = get_object_or_404(whistle.summonses, pk=summons_pk)
    file = summons.check_in_thumbnail if thumb else summons.check_in_photo
    if not file:
        raise Http404
    extension = str(file.name).rsplit(".", 1)[-1].lower()
    return private_file(
        file,
        content_type="image/jpeg" if thumb else TYPES.get(extension, "image/jpeg"),
        name=f"whistle-{whistle.pk}-{summons.pk}",
    )
