from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civicgrid.core.admin import AuditOnlyAdmin
from civicgrid.core.errors import DomainError
from civicgrid.core.forms import as_validation_error
from civicgrid.core.localized import translated_columns
from civicgrid.org.models import Department

from .catalogue import VERSIONED_FIELDS, category_set_terms, category_terms_validate
from .clocks import default_urgent_clocks
from .models import (
    Appeal,
    Category,
    CategoryQuestion,
    CategoryVersion,
    Kind,
    ResponseTemplate,
    Submission,
    UnitType,
)


class CategoryAdminForm(forms.ModelForm):
    """The leaf's terms are edited here but saved as a new version, so appeals
    already received keep their clocks."""

    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[("", "---------")] + list(Kind.choices),
        required=False,
    )
    default_unit_type = forms.ChoiceField(
        label=_("default handling unit"),
        choices=[("", "---------")] + list(UnitType.choices),
        required=False,
    )
    default_department = forms.ModelChoiceField(
        label=_("default department"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
    )
    response_hours = forms.DecimalField(
        label=_("response clock (working hours)"), required=False
    )
    handling_days = forms.DecimalField(
        label=_("handling clock (working days)"), required=False
    )
    urgent_response_hours = forms.DecimalField(
        label=_("urgent response clock (working hours)"),
        required=False,
        help_text=_(
            "For an urgent appeal; empty: %(hours)s working hours (the site "
            "default), never more than the normal clock."
        ),
    )
    urgent_handling_days = forms.DecimalField(
        label=_("urgent handling clock (working days)"),
        required=False,
        help_text=_(
            "For an urgent appeal; empty: %(days)s working days (the site "
            "default), never more than the normal clock."
        ),
    )
    public_notice = forms.CharField(
        label=_("public notice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public_notice_bo = forms.CharField(
        label=_("public notice in Tibetan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public_notice_en = forms.CharField(
        label=_("public notice in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Category
        fields = [
            "parent",
            "code",
            "name",
            *translated_columns(("name",)),
            "description",
            *translated_columns(("description",)),
            "sort_order",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default = default_urgent_clocks()
        for name, value in (
            (
                "urgent_response_hours",
                {"hours": f"{default.response_hours.normalize():f}"},
            ),
            (
                "urgent_handling_days",
                {"days": f"{default.handling_days.normalize():f}"},
            ),
        ):
            field = self.fields[name]
            field.help_text = str(field.help_text) % value
        version = self.instance.current_version if self.instance.pk else None
        if version is not None:
            for name in VERSIONED_FIELDS:
                self.initial[name] = getattr(version, name)
            self.initial["default_department"] = version.default_department_id

    def has_terms(self) -> bool:
        return bool(self.cleaned_data.get("kind"))

    def terms(self) -> dict[str, Any]:
        """The leaf's terms as given, for the catalogue's own checks and save."""
        cleaned = self.cleaned_data
        return {
            name: cleaned.get(name, "") if "notice" in name else cleaned.get(name)
            for name in VERSIONED_FIELDS
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("kind"):
            return cleaned
        if (
            not cleaned.get("default_unit_type")
            or cleaned.get("response_hours") is None
            or cleaned.get("handling_days") is None
        ):
            raise ValidationError(
                _("A category residents can choose needs its unit and both clocks.")
            )
        try:
            category_terms_validate(**self.terms())
        except DomainError as exc:
            raise as_validation_error(exc, self) from exc
        return cleaned


class QuestionInline(admin.TabularInline):
    model = CategoryQuestion
    extra = 0
    fields = [
        "sort_order",
        "code",
        "label",
        *translated_columns(("label",)),
        "datatype",
        "required",
        "choices",
    ]


class TemplateInline(admin.StackedInline):
    model = ResponseTemplate
    extra = 0
    fields = ["title", "body", "is_active"]


class VersionInline(admin.TabularInline):
    model = CategoryVersion
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "number",
        "kind",
        "default_unit_type",
        "default_department",
        "response_hours",
        "handling_days",
        "urgent_response_hours",
        "urgent_handling_days",
        "created_at",
        "created_by",
    )
    verbose_name_plural = _("versions (every appeal keeps the version it came in with)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = [
        "name",
        "code",
        "parent",
        "current_version",
        "is_active",
        "sort_order",
    ]
    list_filter = ["is_active", "parent"]
    search_fields = ["name", "code"]
    list_select_related = ["parent", "current_version"]
    inlines = [QuestionInline, TemplateInline, VersionInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "parent",
                    "code",
                    ("name", *translated_columns(("name",))),
                    "description",
                    *translated_columns(("description",)),
                    "sort_order",
                    "is_active",
                )
            },
        ),
        (
            _("Terms of a category residents can choose (saved as a new version)"),
            {
                "fields": (
                    "kind",
                    "default_unit_type",
                    "default_department",
                    "response_hours",
                    "handling_days",
                    "urgent_response_hours",
                    "urgent_handling_days",
                    "public_notice",
                    *translated_columns(("public_notice",)),
                )
            },
        ),
    )

    def save_model(
        self, request: HttpRequest, obj: Category, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if form.has_terms():
            category_set_terms(  # the form's clean ran the same checks
                category=obj, acting_user=request.user, **form.terms()
            )


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "body"]


@admin.register(Submission)
class SubmissionAdmin(AuditOnlyAdmin):
    """What intake received and whether the worker has registered it; one that
    keeps failing shows its error here."""

    list_display = [
        "tracking_code",
        "state",
        "channel",
        "street",
        "received_at",
        "registered_at",
        "attempts",
    ]
    list_filter = ["state", "channel"]
    search_fields = ["tracking_code"]
    list_select_related = ["street"]
    # The payload holds the name and phone number.
    exclude = ["payload", "key", "request_hash"]


@admin.register(Appeal)
class AppealAdmin(AuditOnlyAdmin):
    list_display = [
        "tracking_code",
        "state",
        "category",
        "street",
        "channel",
        "received_at",
    ]
    list_filter = ["state", "channel", "kind"]
    search_fields = ["tracking_code"]
    list_select_related = ["category", "street"]
    exclude = ["appellant_name", "appellant_phone", "appellant_phone_index"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appeal]:
        return super().get_queryset(request)
