from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import construct_instance
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.access import administers_area
from civicgrid.accounts.admin import MembershipActionsMixin, MembershipForm
from civicgrid.accounts.adminscope import (
    ScopedAdminMixin,
    UnitChoicesMixin,
    administered,
)
from civicgrid.accounts.models import Membership, Role
from civicgrid.core.errors import DomainError
from civicgrid.core.forms import as_validation_error

from .actions import area_delete, area_save, area_validate
from .models import Area, Department, GeometryVersion
from .selectors import area_map_features
from .widgets import GeoJSONMapWidget


class AreaAdminForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = [
            "level",
            "parent",
            "code",
            "name",
            "community_kind",
            "boundary",
            "is_active",
        ]
        widgets = {"boundary": GeoJSONMapWidget()}

    # The person using the form (set by AreaAdmin.get_form).
    acting_user: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Draw the parent and the siblings beside the boundary being edited, so an
        # overlap or a gap shows before saving.
        if self.instance.pk and self.instance.level == Area.Level.GRID:
            code = self.instance.code
            self.fields["boundary"].widget.editor_url = (
                reverse("ledger:map_edit") + f"?street={code[:9]}&grid={code}"
            )
        parent = self.instance.parent if self.instance.parent_id else None
        if parent is None and self.initial.get("parent"):
            parent = (
                administered(self.acting_user, Area)
                .filter(pk=str(self.initial["parent"]))
                .first()
            )
        if parent is not None:
            siblings = list(
                parent.children.filter(boundary__isnull=False).exclude(
                    pk=self.instance.pk
                )
            )
            context = area_map_features(parent, siblings)
            self.fields["boundary"].widget.attrs["data-context"] = json.dumps(
                context, ensure_ascii=False
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        if self.instance.pk is None and not administers_area(
            self.acting_user, cleaned.get("parent")
        ):
            raise ValidationError(
                {"parent": _("Choose a parent among the areas you administer.")}
            )
        # The admin runs form validation and save in one transaction, so the lock
        # area_validate takes also covers the save that follows.
        construct_instance(self, self.instance, fields=self._meta.fields)
        try:
            area_validate(area=self.instance)
        except DomainError as exc:
            raise as_validation_error(exc, self) from exc
        return cleaned


class ChildAreaInline(admin.TabularInline):
    model = Area
    fk_name = "parent"
    fields = ["code", "name", "level", "is_active"]
    readonly_fields = ["code", "name", "level", "is_active"]
    extra = 0
    show_change_link = True
    can_delete = False
    verbose_name = _("area under it")
    verbose_name_plural = _("areas under it (open one to edit its boundary)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HandlerInlineForm(MembershipForm):
    """A department's handlers, added on the department's page."""

    class Meta:
        model = Membership
        fields = ["user"]

    def clean(self) -> dict[str, Any]:
        self.instance.role = Role.DEPARTMENT_HANDLER
        return super().clean()


class HandlerInline(UnitChoicesMixin, admin.TabularInline):
    model = Membership
    form = HandlerInlineForm
    fk_name = "department"
    fields = ["user"]
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name = _("handler")
    verbose_name_plural = _("handlers")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).filter(role=Role.DEPARTMENT_HANDLER)


@admin.register(Area)
class AreaAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = AreaAdminForm
    list_display = ["code", "name", "level", "community_kind", "parent", "is_active"]
    list_filter = ["level", "community_kind", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    inlines = [ChildAreaInline]
    ordering = ["path"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Only a superuser moves an area to another parent or level; a street's
        # administrator edits names, codes and boundaries under their street.
        if obj is not None and not request.user.is_superuser:
            return ["level", "parent"]
        return []

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        if obj is None or obj.level == Area.Level.GRID:
            return []
        return list(self.inlines)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        parent = initial.get("parent")
        if parent and "code" not in initial:
            area = administered(request.user, Area).filter(pk=str(parent)).first()
            if area:
                initial["code"] = area.code
        return initial

    def save_model(
        self, request: HttpRequest, obj: Area, form: Any, change: bool
    ) -> None:
        area_save(area=obj, acting_user=request.user)

    def delete_model(self, request: HttpRequest, obj: Area) -> None:
        try:
            area_delete(area=obj, acting_user=request.user)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Area]) -> None:
        for area in queryset.order_by("-path"):
            self.delete_model(request, area)


@admin.register(Department)
class DepartmentAdmin(MembershipActionsMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_field = "area__path"
    list_display = ["name", "code", "short_name", "area", "phone", "is_active"]
    list_filter = ["is_active", ("area", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code", "short_name"]
    list_select_related = ["area"]
    inlines = [HandlerInline]


@admin.register(GeometryVersion)
class GeometryVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
