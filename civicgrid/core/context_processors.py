"""What every page draws: the reader's display options and the street's hotline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import display


def page(request: HttpRequest) -> dict[str, Any]:
    options = display.chosen(request)
    return {
        "display": {option: option in options for option in display.OPTIONS},
        "hotline": settings.CIVICGRID_HOTLINE,
    }
