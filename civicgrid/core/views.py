from __future__ import annotations

import re
from typing import Any

from django.core.files import File
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import display, offline


def private_file(
    file: FieldFile | File[Any], *, content_type: str, name: str
) -> FileResponse:
    """An uploaded photo, to someone the caller has checked may see it: never
    sniffed as anything but its type, never cached by a shared proxy."""
    response = FileResponse(file.open("rb"), content_type=content_type)
    _private(response, file, name)
    return response


def _private(
    response: HttpResponseBase, file: FieldFile | File[Any], name: str
) -> None:
    extension = str(file.name).rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="{name}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def private_media(
    file: FieldFile | File[Any], *, content_type: str, name: str, range_header: str
) -> HttpResponseBase:
    """A voice message as :func:`private_file` serves a photo, and one byte
    range of it (206) when the player asks (``range_header``, the request's
    ``Range``): Safari plays no recording served without."""
    wanted = _RANGE.match(range_header.strip())
    if wanted is None or not (wanted[1] or wanted[2]):
        whole = private_file(file, content_type=content_type, name=name)
        whole["Accept-Ranges"] = "bytes"
        return whole
    size = file.size
    if wanted[1]:
        start = int(wanted[1])
        end = min(int(wanted[2]), size - 1) if wanted[2] else size - 1
    else:  # the last n bytes
        start, end = max(0, size - int(wanted[2])), size - 1
    if start > end or start >= size:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    with file.open("rb") as handle:
        handle.seek(start)
        part = handle.read(end - start + 1)
    response = HttpResponse(part, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    _private(response, file, name)
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


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The offline app's worker (:mod:`civicgrid.core.offline`), at the root so
    that its scope is the whole site; always checked again by the phone."""
    if not offline.enabled():
        raise Http404
    response = HttpResponse(
        offline.service_worker(), content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: installed, it opens the site in its own window."""
    name = _("CivicGrid")
    body = {
        "name": name,
        "short_name": name,
        "description": _("Report a problem to the street, and follow it."),
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b3261e",
        "icons": [
            {
                "src": static(f"img/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What a page not kept on the phone shows without signal."""
    return render(request, "core/offline.html")
