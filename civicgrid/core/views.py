from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import display


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


@require_POST
def display_toggle(request: HttpRequest) -> HttpResponse:
    """Switch large text or high contrast on or off, and go back to the page."""
    option = request.POST.get("option", "")
    if option not in display.OPTIONS:
        return HttpResponseBadRequest(_("Unknown display option."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = redirect(back)
    response.set_cookie(
        display.COOKIE,
        display.toggled(display.chosen(request), option),
        max_age=display.COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response
