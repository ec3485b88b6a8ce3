"""Simplified Chinese is the default language: every string must be translated, and
the compiled catalogue must match the source (run `make messages` after editing)."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\{\s*\w+\s*\}\}")


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_string_is_translated_and_compiled(po_path: Path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path}: {untranslated}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy}"
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in mo}
    source = {
        (e.msgid, e.msgstr or e.msgstr_plural.get(0, ""))
        for e in po.translated_entries()
    }
    assert source <= compiled, "the .mo is stale: run `make messages`"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_translations_keep_their_placeholders(po_path: Path):
    for entry in polib.pofile(str(po_path)).translated_entries():
        translated = entry.msgstr or entry.msgstr_plural.get(0, "")
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(
            PLACEHOLDER.findall(translated)
        ), entry.msgid


def test_there_is_a_simplified_chinese_catalogue():
    assert any(p.parts[-3] == "zh_Hans" for p in CATALOGUES)
