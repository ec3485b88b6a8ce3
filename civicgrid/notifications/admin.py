"""The outbox, read-only: what left, what is waiting, what died and why. Only
superusers see it, since it spans every street; recipients stay masked."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicgrid.core.admin import AuditOnlyAdmin

from .actions import notification_retry
from .masking import mask_recipient
from .models import Notification


@admin.register(Notification)
class NotificationAdmin(AuditOnlyAdmin):
    list_display = [
        "created_at",
        "event",
        "channel",
        "masked_recipient",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["state", "channel", "event"]
    search_fields = ["event", "subject_ref"]
    date_hierarchy = "created_at"
    exclude = ["recipient"]
    readonly_fields = ["masked_recipient"]
    actions = ["retry_now"]

    @admin.display(description=gettext_lazy("recipient"))
    def masked_recipient(self, obj: Notification) -> str:
        return mask_recipient(obj.recipient)

    @admin.action(description=gettext_lazy("Retry now"), permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        moved = notification_retry(notifications=queryset, acting_user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d notification will be sent at the next drain.",
                "%(count)d notifications will be sent at the next drain.",
                moved,
            )
            % {"count": moved},
            messages.SUCCESS if moved else messages.WARNING,
        )
        if moved < queryset.count():
            self.message_user(
                request, _("Rows already sent or being sent were left alone.")
            )

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)
