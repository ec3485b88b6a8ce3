"""Admin scoping: staff who are not superusers see and choose only what lies under
the areas they administer (an ``admin`` membership). The answers come from
:mod:`civicgrid.accounts.access`; a model is scoped by its area path: its own
``path`` (an area), or its ``area``'s (a department)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .access import administered_paths, administered_q, users_administered_by
from .models import User


def area_path_field(model: type[Model]) -> str | None:
    """Where a model keeps its area path: ``path`` on an area, ``area__path`` on
    anything anchored on an area; None for a model outside the area tree."""
    for field, lookup in (("path", "path"), ("area", "area__path")):
        try:
            model._meta.get_field(field)
        except FieldDoesNotExist:
            continue
        return lookup
    return None


def administered(user: Any, model: type[Model]) -> QuerySet[Any]:
    """The objects of ``model`` (areas, departments, people) the user administers."""
    if model is User:
        return users_administered_by(user)
    field = area_path_field(model)
    if field is None:
        return model._default_manager.all()
    return model._default_manager.filter(administered_q(user, field))


class UnitChoicesMixin:
    """Area, department and user drop-downs offer only what the user administers."""

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        model = db_field.related_model
        if model is User or area_path_field(model) is not None:
            kwargs["queryset"] = administered(request.user, model)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class ScopedAdminMixin(UnitChoicesMixin):
    """The change list and change pages hold only the administered objects."""

    scope_field = "path"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if administered_paths(request.user) is None:
            return queryset
        scope = administered_q(request.user, self.scope_field)
        return queryset.filter(scope).distinct()
