from django.contrib import admin

from .models import WhistleType


@admin.register(WhistleType)
class WhistleTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "report_in_minutes",
        "report_in_working_hours",
        "is_active",
    ]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
