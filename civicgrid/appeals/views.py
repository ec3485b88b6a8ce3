from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import appeal_get_by_code, public_timeline


def track(request: HttpRequest, code: str) -> HttpResponse:
    appeal = appeal_get_by_code(code)
    return render(
        request,
        "appeals/track.html",
        {"appeal": appeal, "timeline": public_timeline(appeal)},
    )
