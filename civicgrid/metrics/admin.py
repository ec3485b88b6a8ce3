"""Formulas are versions: the admin adds a new one (starting from the one in
force) and never changes an old one. Published periods and exclusion reviews
are for reading."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from civicgrid.core.admin import AuditOnlyAdmin
from civicgrid.core.errors import DomainError

from . import actions, selectors
from .models import Exclusion, Formula, PublishedPeriod


class FormulaForm(forms.ModelForm):
    class Meta:
        model = Formula
        fields = list(actions.FORMULA_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            actions.formula_check(**data)
        except DomainError as exc:
            raise ValidationError({exc.field or "note": exc.message}) from exc
        return data


@admin.register(Formula)
class FormulaAdmin(admin.ModelAdmin):
    form = FormulaForm
    list_display = [
        "number",
        *actions.FORMULA_FIELDS[:6],  # the weights
        "red_at_least",
        "black_below",
        "note",
        "created_at",
    ]
    fields = list(actions.FORMULA_FIELDS)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        current = selectors.current_formula()
        return {name: getattr(current, name) for name in actions.FORMULA_FIELDS}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Formula, form: Any, change: bool
    ) -> None:
        made = actions.formula_create(
            acting_user=request.user,
            **{name: form.cleaned_data[name] for name in actions.FORMULA_FIELDS},
        )
        obj.pk, obj.number = made.pk, made.number


@admin.register(PublishedPeriod)
class PublishedPeriodAdmin(AuditOnlyAdmin):
    list_display = ["street", "start", "end", "formula", "published_at", "published_by"]


@admin.register(Exclusion)
class ExclusionAdmin(AuditOnlyAdmin):
    list_display = ["assignment", "state", "requested_by", "requested_at", "decided_by"]
    list_filter = ["state"]
