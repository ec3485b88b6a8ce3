"""Words put together for a reader, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def join_names(names: Iterable[object]) -> str:
    """Names in a row: "A, B" in English, "A、B" in Chinese (顿号)."""
    return pgettext("list separator", ", ").join(str(name) for name in names)
