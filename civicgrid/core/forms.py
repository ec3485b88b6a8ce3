"""The one place a DomainError becomes a form error."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .errors import DomainError


def as_validation_error(exc: DomainError, form: forms.BaseForm) -> ValidationError:
    """Attach the message to the field the action named, if the form shows it."""
    if exc.field and exc.field in form.fields:
        return ValidationError({exc.field: exc.message})
    return ValidationError(exc.message)
