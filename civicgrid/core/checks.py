"""System checks on the deployment's secrets (see ``keys.py``): malformed field
keys are an error everywhere, since nothing personal could be stored; weak or
development secrets are an error under ``check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from .keys import field_key_problems, secret_problems


@register(Tags.security)
def check_field_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return [
        Error(problem, id="civicgrid.E001")
        for problem in field_key_problems(settings.CIVICGRID_FIELD_KEYS)
    ]


@register(Tags.security, deploy=True)
def check_deployment_secrets(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    problems = secret_problems(
        secret_key=settings.SECRET_KEY,
        field_keys=settings.CIVICGRID_FIELD_KEYS,
        blind_index_key=settings.CIVICGRID_BLIND_INDEX_KEY,
    )
    known = set(field_key_problems(settings.CIVICGRID_FIELD_KEYS))
    return [
        Error(problem, id="civicgrid.E002")
        for problem in problems
        if problem not in known  # check_field_keys reports those
    ]
