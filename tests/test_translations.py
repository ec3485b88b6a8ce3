"""Simplified Chinese is the default language and Tibetan (bo) the region's own:
every string must be translated into both, and the compiled catalogues must match
the source (run `make messages` after editing). Django itself ships no Tibetan,
so the strings of its own that we show have a catalogue of ours too."""

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
# The strings of Django and its libraries that their own catalogues lack.
LIBRARIES = LOCALE.parent / "civicgrid/core/catalogue"
CATALOGUES = [
    *sorted(LOCALE.glob("*/LC_MESSAGES/django.po")),
    *sorted(LIBRARIES.glob("*/LC_MESSAGES/django.po")),
]
TIBETAN = re.compile(r"[\u0f00-\u0fff]")
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")
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
        # One form for every number (Tibetan, Chinese): it is the plural's.
        source = entry.msgid_plural or entry.msgid
        assert sorted(PLACEHOLDER.findall(source)) == sorted(
            PLACEHOLDER.findall(translated)
        ), entry.msgid


def test_there_are_simplified_chinese_and_tibetan_catalogues():
    assert {p.parts[-3] for p in CATALOGUES} >= {"zh_Hans", "bo"}


@pytest.mark.parametrize(
    "po_path", [p for p in CATALOGUES if p.parts[-3] == "bo"], ids=str
)
def test_tibetan_is_written_in_tibetan(po_path: Path):
    """No Chinese in a Tibetan string (but the template blanks 【 】), and no
    English words left as they were: only names and codes stay in Latin."""
    wrong = []
    for entry in polib.pofile(str(po_path)).translated_entries():
        translated = entry.msgstr or entry.msgstr_plural.get(0, "")
        english = re.search(r"[a-z]{3,}", PLACEHOLDER.sub("", entry.msgid))
        if CJK.search(translated.replace("【", "").replace("】", "")) or (
            english
            and not TIBETAN.search(translated)
            and translated in (entry.msgid, entry.msgid_plural)
        ):
            wrong.append((entry.msgid, translated))
    assert not wrong, f"not Tibetan in {po_path}: {wrong}"


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
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-l", "bo"]
        + ["-v0"],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    for language in ("zh_Hans", "bo"):
        po = polib.pofile(str(tmp_path / f"locale/{language}/LC_MESSAGES/django.po"))
        missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
        assert not missing, f"add these to locale/{language}: {missing}"
