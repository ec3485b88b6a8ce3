"""The sealed channel's requests and responses.

Under ``CIVICGRID_DISCIPLINE_PREFIX`` the client's address and browser are
taken out of the request before any other middleware, view or logger reads
them — so no table, rate counter or log line can hold them — and every
response is marked not to be stored, with a strict Content-Security-Policy:
our own scripts, styles, fonts and images only, no frames, no third party.
(The web server's access log is the other place an address could land:
``config/gunicorn.py`` writes these paths' lines without it.)
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Request headers that name the client or its browser.
_IDENTIFYING = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CLIENT_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_USER_AGENT",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_SEC_CH_UA_MOBILE",
)

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)


def is_sealed_path(path: str) -> bool:
    return path.startswith(settings.CIVICGRID_DISCIPLINE_PREFIX)


class SealedChannelMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_sealed_path(request.path_info):
            return self.get_response(request)
        for header in _IDENTIFYING:
            request.META.pop(header, None)
        request.META["REMOTE_ADDR"] = ""
        response = self.get_response(request)
        response["Cache-Control"] = "no-store, max-age=0"
        response["Pragma"] = "no-cache"
        response["Content-Security-Policy"] = CSP
        # Not "no-referrer": with it a browser sends "Origin: null" on a
        # form's POST and the CSRF check (rightly) refuses it.
        response["Referrer-Policy"] = "same-origin"
        response["X-Frame-Options"] = "DENY"
        response["X-Content-Type-Options"] = "nosniff"
        response["Cross-Origin-Opener-Policy"] = "same-origin"
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        response["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        return response
