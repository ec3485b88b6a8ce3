"""Django's system checks pass without a warning (CI runs them with --deploy
and the production settings; this catches the rest in every `make test`)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def test_the_system_checks_raise_no_warning():
    out = StringIO()
    call_command("check", fail_level="WARNING", stdout=out, stderr=out)
    assert "no issues" in out.getvalue()
