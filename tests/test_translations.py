"""Simplified Chinese is the default language: every string must be translated, and
the compiled catalogue must match the source (run `make messages` after editing)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
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


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs gettext (apt-get install gettext)"
)
def test_every_string_in_the_source_is_in_the_catalogue(tmp_path: Path):
    """A string added to the code but never to the catalogue is untranslated
    too: extract the messages afresh from a copy of the tree and compare."""
    root = LOCALE.parent
    for name in ("civicgrid", "config", "templates", "locale"):
        shutil.copytree(
            root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(root / "manage.py", tmp_path / "manage.py")
    subprocess.run(  # noqa: S603 (our own manage.py, our own interpreter)
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-v0"],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    po = polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
    assert not missing, f"add these to {CATALOGUES[0]}: {missing}"
