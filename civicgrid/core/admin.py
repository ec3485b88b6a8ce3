from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actions import calendar_import
from .models import CalendarDay, JobSchedule, WorkerHeartbeat
from .workcalendar import CalendarImportError, parse_calendar_csv


class AuditOnlyAdmin(admin.ModelAdmin):
    """Records for superusers' audits only, never changed here: the work on
    them happens elsewhere, through the actions (the console, the API)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CalendarImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8 CSV with the header <code>date,kind,name</code>; <code>kind</code>"
            " is <code>holiday</code> (or <code>休</code>) or <code>workday</code>"
            " (or <code>班</code>)."
        ),
    )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    change_list_template = "admin/core/calendarday/change_list.html"

    @admin.display(description=gettext_lazy("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")][
            obj.date.weekday()
        ]

    def get_urls(self) -> list[Any]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="core_calendarday_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request) or not self.has_change_permission(
            request
        ):
            return redirect("admin:core_calendarday_changelist")
        form = CalendarImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > 1024 * 1024:
                errors = [_("The file is larger than 1 MB.")]
            else:
                try:
                    rows = parse_calendar_csv(upload.read())
                except CalendarImportError as exc:
                    errors = exc.errors
                else:
                    result = calendar_import(rows=rows, acting_user=request.user)
                    self.message_user(
                        request,
                        _(
                            "Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."  # noqa: E501
                        )
                        % result,
                        messages.SUCCESS,
                    )
                    return redirect(reverse("admin:core_calendarday_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "import_errors": errors,
            "title": _("Import the work calendar"),
        }
        return render(request, "admin/core/calendarday/import.html", context)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(JobSchedule)
class JobScheduleAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "next_run_at",
        "last_started_at",
        "last_finished_at",
        "last_worker",
    ]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "started_at", "last_seen_at"]
