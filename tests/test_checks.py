"""Django's system checks pass without a warning. CI runs them with --deploy
and the production settings; this catches in every `make test` what does not
depend on those settings, the API schema's own check included."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from drf_spectacular.checks import schema_check


def test_the_system_checks_raise_no_warning():
    out = StringIO()
    call_command("check", fail_level="WARNING", stdout=out, stderr=out)
    assert "no issues" in out.getvalue()


def test_the_api_schema_builds_without_a_warning():
    """drf-spectacular's check (a deploy check) warns, for example, when two
    fields name the same choices differently."""
    assert [str(message) for message in schema_check(None)] == []
