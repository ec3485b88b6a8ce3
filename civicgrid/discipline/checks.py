"""System checks on the sealed channel's keys: malformed master keys are an
error everywhere (no report could be sealed); the development keys, salt and
audit key are an error under ``check --deploy`` (and production refuses to
start with them, ``config/settings/production.py``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from .sealing import master_key_problems

DEV_MASTER_KEY_ID = "dev1"


def deployment_problems(
    *, master_keys: list[str], receipt_salt: str, audit_key: str
) -> list[str]:
    problems = master_key_problems(master_keys)
    if any(key.strip().startswith(f"{DEV_MASTER_KEY_ID}:") for key in master_keys):
        problems.append("Set CIVICGRID_DISCIPLINE_MASTER_KEYS to your own key(s).")
    if receipt_salt.startswith("dev-") or len(receipt_salt) < 16:
        problems.append(
            "Set CIVICGRID_DISCIPLINE_RECEIPT_SALT to a random value of at least "
            "16 characters."
        )
    if audit_key.startswith("dev-") or len(audit_key) < 32:
        problems.append(
            "Set CIVICGRID_DISCIPLINE_AUDIT_KEY to a random value of at least "
            "32 characters."
        )
    return problems


@register(Tags.security)
def check_master_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return [
        Error(problem, id="civicgrid.E101")
        for problem in master_key_problems(settings.CIVICGRID_DISCIPLINE_MASTER_KEYS)
    ]


@register(Tags.security, deploy=True)
def check_discipline_secrets(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    known = set(master_key_problems(settings.CIVICGRID_DISCIPLINE_MASTER_KEYS))
    return [
        Error(problem, id="civicgrid.E102")
        for problem in deployment_problems(
            master_keys=settings.CIVICGRID_DISCIPLINE_MASTER_KEYS,
            receipt_salt=settings.CIVICGRID_DISCIPLINE_RECEIPT_SALT,
            audit_key=settings.CIVICGRID_DISCIPLINE_AUDIT_KEY,
        )
        if problem not in known
    ]
