"""Admin scoping: staff who are not superusers see and choose only what lies under
the areas they administer (an ``admin`` membership)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from civicgrid.accounts.permissions import administered_paths, path_q

from .models import Area, Department


class UnitChoicesMixin:
    """Area and department drop-downs offer only the administered units."""

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        paths = administered_paths(request.user)
        if paths is not None:
            if db_field.related_model is Area:
                kwargs["queryset"] = Area.objects.filter(path_q(paths, "path"))
            elif db_field.related_model is Department:
                kwargs["queryset"] = Department.objects.filter(
                    path_q(paths, "area__path")
                )
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
