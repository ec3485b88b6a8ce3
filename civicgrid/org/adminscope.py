"""Admin scoping: staff who are not superusers see and choose only what lies under
the areas they administer (an ``admin`` membership)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from civicgrid.accounts.models import User
from civicgrid.accounts.permissions import (
    administered_paths,
    path_q,
    users_administered_by,
)

from .models import Area, Department


def administered_areas(user: Any) -> QuerySet[Area]:
    paths = administered_paths(user)
    if paths is None:
        return Area.objects.all()
    return Area.objects.filter(path_q(paths, "path"))


def administered_departments(user: Any) -> QuerySet[Department]:
    paths = administered_paths(user)
    if paths is None:
        return Department.objects.all()
    return Department.objects.filter(path_q(paths, "area__path"))


class UnitChoicesMixin:
    """Area, department and user drop-downs offer only what the user administers."""

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.related_model is Area:
            kwargs["queryset"] = administered_areas(request.user)
        elif db_field.related_model is Department:
            kwargs["queryset"] = administered_departments(request.user)
        elif db_field.related_model is User:
            kwargs["queryset"] = users_administered_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class ScopedAdminMixin(UnitChoicesMixin):
    """The change list and change pages hold only the administered objects."""

    scope_field = "path"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        paths = administered_paths(request.user)
        if paths is None:
            return queryset
        return queryset.filter(path_q(paths, self.scope_field)).distinct()
