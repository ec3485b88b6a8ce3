"""Django's system checks pass without a warning. CI runs them with --deploy
and the production settings; this catches in every `make test` what does not
depend on those settings, the API schema's own check included."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from drf_spectacular.checks import schema_check


def test_the_system_checks_raise_no_warning():
    out = StringIO()
    call_command("check", fail_level="WARNING", stdout=out, stderr=out)
    assert "no issues" in out.getvalue()


def test_the_api_schema_builds_without_a_warning():
    """drf-spectacular's check (a deploy check) warns, for example, when two
    fields name the same choices differently."""
    assert [str(message) for message in schema_check(None)] == []


# --- the deployment's secrets (issue 13, point 15) --------------------------------


GOOD_SECRET = "k3J9-vQ2x_Lm8Zr4TfW1yB7nHc6Pd0Us5Ea-Gi2Oj9Xq_Rt4Vw8Ny1Mb3Kl7Zs6"


def test_a_malformed_field_key_fails_the_checks_before_any_encryption(settings):
    settings.CIVICGRID_FIELD_KEYS = [Fernet.generate_key().decode(), "not-a-fernet-key"]
    with pytest.raises(SystemCheckError, match="CIVICGRID_FIELD_KEYS key 2"):
        call_command("check", stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("SECRET_KEY", "a" * 64, "SECRET_KEY"),
        ("CIVICGRID_BLIND_INDEX_KEY", "x" * 48, "CIVICGRID_BLIND_INDEX_KEY"),
        ("CIVICGRID_FIELD_KEYS", ["A" * 43 + "="], "CIVICGRID_FIELD_KEYS key 1"),
    ],
)
def test_a_secret_of_one_repeated_character_fails_check_deploy(
    settings, name, value, named
):
    settings.SECRET_KEY = GOOD_SECRET
    settings.CIVICGRID_BLIND_INDEX_KEY = GOOD_SECRET
    settings.CIVICGRID_FIELD_KEYS = [Fernet.generate_key().decode()]
    setattr(settings, name, value)
    with pytest.raises(SystemCheckError, match=named):
        call_command(
            "check",
            deploy=True,
            tags=["security"],
            stdout=StringIO(),
            stderr=StringIO(),
        )


def _start_production(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": GOOD_SECRET,
        "CIVICGRID_BLIND_INDEX_KEY": GOOD_SECRET,
        "CIVICGRID_FIELD_KEYS": Fernet.generate_key().decode(),
        "CIVICGRID_DISCIPLINE_MASTER_KEYS": "k1:" + Fernet.generate_key().decode(),
        "CIVICGRID_DISCIPLINE_RECEIPT_SALT": GOOD_SECRET[:24],
        "CIVICGRID_DISCIPLINE_AUDIT_KEY": GOOD_SECRET,
        **env,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_starts_with_sound_secrets():
    assert _start_production().returncode == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "z" * 80),
        ("CIVICGRID_BLIND_INDEX_KEY", "0" * 64),
        ("CIVICGRID_FIELD_KEYS", "this-is-not-base64-of-32-bytes"),
        ("CIVICGRID_DISCIPLINE_MASTER_KEYS", "k1:not-32-bytes"),
        (
            "CIVICGRID_DISCIPLINE_MASTER_KEYS",
            "dev1:ZGV2LWRpc2NpcGxpbmUtbWFzdGVyLWtleS0wMDAwMDA=",
        ),
        ("CIVICGRID_DISCIPLINE_RECEIPT_SALT", "dev-discipline-receipt-salt"),
        ("CIVICGRID_DISCIPLINE_AUDIT_KEY", "short"),
    ],
)
def test_production_refuses_to_start_with_a_weak_or_malformed_secret(name, value):
    started = _start_production(**{name: value})
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert name in started.stderr
