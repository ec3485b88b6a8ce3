"""How a reader wants the pages drawn (适老化): large text and high contrast,
each a switch on every page, remembered in a cookie so it holds before and
after signing in, on a shared phone as on one's own."""

from __future__ import annotations

from django.http import HttpRequest

COOKIE = "civicgrid_display"
OPTIONS = ("large", "contrast")
COOKIE_AGE = 365 * 24 * 60 * 60


def chosen(request: HttpRequest) -> set[str]:
    """The options the reader switched on (unknown words are ignored)."""
    raw = request.COOKIES.get(COOKIE, "")
    return {word for word in raw.split(".") if word in OPTIONS}


def toggled(current: set[str], option: str) -> str:
    """The cookie's value once ``option`` is switched over."""
    return ".".join(o for o in OPTIONS if (o in current) != (o == option))
