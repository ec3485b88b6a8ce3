from __future__ import annotations

from typing import Any

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.db.models import QuerySet
from django.forms.models import construct_instance
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import DomainError
from civicgrid.core.forms import as_validation_error

from .access import memberships_administered_q, users_administered_by
from .actions import (
    membership_delete,
    membership_save,
    membership_validate,
    user_password_changed,
    user_sign_out_everywhere,
)
from .adminscope import UnitChoicesMixin
from .models import Membership, User


def _memberships_in_scope(request: HttpRequest, queryset: QuerySet[Membership]) -> Any:
    return queryset.filter(memberships_administered_q(request.user))


class MembershipActionsMixin:
    """Memberships edited inline are saved and deleted through the actions, which
    check that the acting user administers both the person and the unit."""

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)  # type: ignore[misc]
            return
        instances = formset.save(commit=False)
        for membership in formset.deleted_objects:
            membership_delete(membership=membership, acting_user=request.user)
        for membership in instances:
            membership_save(membership=membership, acting_user=request.user)
        formset.save_m2m()


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "area", "department"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        construct_instance(self, self.instance, fields=self._meta.fields)
        try:
            membership_validate(membership=self.instance)
        except DomainError as exc:
            raise as_validation_error(exc, self) from exc
        return cleaned


class MembershipInline(UnitChoicesMixin, admin.TabularInline):
    model = Membership
    form = MembershipForm
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["area", "department"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return _memberships_in_scope(request, super().get_queryset(request))


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django joins the help of "password-based authentication" to an English
    warning when it loads, so that neither is ever translated; this one is put
    together when the page is drawn, in the reader's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "usable_password" in self.fields:
            self.fields["usable_password"].help_text = format_html(
                '{}<ul id="id_unusable_warning" class="messagelist">'
                '<li class="warning">{}</li></ul>',
                SetUnusablePasswordMixin.usable_password_help_text,
                _("If disabled, the current password for this user will be lost."),
            )


@admin.register(User)
class UserAdmin(MembershipActionsMixin, DjangoUserAdmin):
    change_password_form = PasswordChangeForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "email", "language")}),
        (
            _("Permissions"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups"),
                "classes": ("collapse",),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "password1", "password2"),
            },
        ),
    )
    list_display = ["username", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    search_fields = ["username", "full_name", "email"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=users_administered_by(request.user).values("pk"))
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "groups"]
        return fields

    def save_model(
        self, request: HttpRequest, obj: User, form: Any, change: bool
    ) -> None:
        if not change:
            # Until they hold a post, a new person belongs to whoever created them.
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Deactivated: every session and device token ends now, and stays
            # ended if the account is activated again.
            user_sign_out_everywhere(user=obj)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> Any:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            changed = self.get_object(request, unquote(id))
            if changed is not None:
                user_password_changed(user=changed)
        return response


@admin.register(Membership)
class MembershipAdmin(UnitChoicesMixin, admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "role", "area", "department", "created_at"]
    list_filter = ["role"]
    search_fields = [
        "user__username",
        "user__full_name",
        "area__name",
        "department__name",
    ]
    list_select_related = ["user", "area", "department"]
    autocomplete_fields = ["user", "area", "department"]
    fields = ["user", "role", "area", "department"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return _memberships_in_scope(request, super().get_queryset(request))

    def save_model(
        self, request: HttpRequest, obj: Membership, form: Any, change: bool
    ) -> None:
        membership_save(membership=obj, acting_user=request.user)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_delete(membership=obj, acting_user=request.user)

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[Membership]
    ) -> None:
        for membership in queryset:
            self.delete_model(request, membership)


# django-axes names its lock-out column by the method's name, untranslated.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("Lock-out status"))
    def status(self, obj: AccessAttempt) -> str:
        return super().status(obj)
