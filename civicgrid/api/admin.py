"""API clients in the admin: register a system, see its key once, issue a new
one, revoke it, read its use log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicgrid.core.admin import AuditOnlyAdmin

from .clients import api_client_issue_key, api_client_revoke, service_user_for
from .models import ApiClient, ApiClientUse


def _show_key(request: HttpRequest, client: ApiClient, key: str) -> None:
    messages.warning(
        request,
        _(
            "The key of %(client)s is %(key)s — copy it now: it is shown only "
            "this once and cannot be read back."
        )
        % {"client": client.name, "key": key},
    )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "key_prefix",
        "is_active",
        "revoked_at",
        "rate_per_minute",
        "last_used_at",
    ]
    list_filter = ["is_active"]
    search_fields = ["name", "contact"]
    readonly_fields = ["key_prefix", "revoked_at", "created_at", "last_used_at"]
    raw_id_fields = ["user"]
    actions = ["issue_new_key", "revoke"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["name", "user", "rate_per_minute", "contact", "note"]
        return [*fields, "is_active", *self.readonly_fields] if obj else fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            form.base_fields["user"].required = False
            form.base_fields["user"].help_text = _(
                "Empty: the client gets an account of its own. Give that account "
                "memberships (e.g. department handler) for what the client may do."
            )
        return form

    def save_model(
        self, request: HttpRequest, obj: ApiClient, form: Any, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        if obj.user_id is None:
            obj.user = service_user_for(obj.name)
        key = api_client_issue_key(client=obj)
        super().save_model(request, obj, form, change)
        _show_key(request, obj, key)

    @admin.action(description=gettext_lazy("Issue a new key (the old one stops)"))
    def issue_new_key(
        self, request: HttpRequest, queryset: QuerySet[ApiClient]
    ) -> None:
        for client in queryset:
            _show_key(request, client, api_client_issue_key(client=client))

    @admin.action(description=gettext_lazy("Revoke the key"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        for client in queryset:
            api_client_revoke(client=client)
        messages.success(request, _("Revoked."))


@admin.register(ApiClientUse)
class ApiClientUseAdmin(AuditOnlyAdmin):
    list_display = ["at", "client", "method", "path", "status", "address"]
    list_filter = ["client", "status", "method"]
    date_hierarchy = "at"
    search_fields = ["path"]
