"""What every page draws: the reader's display options, the street's hotline,
and whether the offline app's worker is offered."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import display, offline


def page(request: HttpRequest) -> dict[str, Any]:
    options = display.chosen(request)
    return {
        "display": {option: option in options for option in display.OPTIONS},
        "hotline": settings.CIVICGRID_HOTLINE,
        "service_worker": offline.enabled()
        and not any(request.path.startswith(p) for p in offline.NEVER),
    }
