"""Names an administrator configures — categories and their notices, extra
questions, whistle types, departments — in the region's other languages: a
Tibetan and an English column beside the Chinese one, edited in the admin, shown
in the reader's language, and the Chinese where no translation was given."""

from __future__ import annotations

from typing import Any

from django.utils import translation

# Besides the default (Chinese) text: the column suffix of each language.
OTHER_LANGUAGES = ("bo", "en")


def column_suffix(language: str | None = None) -> str | None:
    """The suffix of the columns for ``language`` (the active one by default),
    None for the default language."""
    code = (language or translation.get_language() or "").lower()
    for suffix in OTHER_LANGUAGES:
        if code == suffix or code.startswith(suffix + "-"):
            return suffix
    return None


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>`` in ``language`` (the reader's by default)."""
    suffix = column_suffix(language)
    if suffix is not None:
        translated = getattr(obj, f"{field}_{suffix}", "")
        if translated:
            return str(translated)
    return str(getattr(obj, field))


def translated_columns(fields: tuple[str, ...]) -> list[str]:
    """The admin's columns for ``fields`` in the other languages, in order."""
    return [f"{field}_{suffix}" for field in fields for suffix in OTHER_LANGUAGES]
