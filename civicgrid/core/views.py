from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


def private_file(
    file: FieldFile | File[Any], *, content_type: str, name: str
) -> FileResponse:
    """An uploaded photo, to someone the caller has checked may see it: never
    sniffed as anything but its type, never cached by a shared proxy."""
    response = FileResponse(file.open("rb"), content_type=content_type)
    extension = str(file.name).rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="{name}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
