from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import DomainError
from civicgrid.core.images import ProcessedImage, process_image
from civicgrid.org.models import Department

from .models import Whistle, WhistleType


class BlowForm(forms.Form):
    type = forms.ModelChoiceField(
        label=_("Type"), queryset=WhistleType.objects.filter(is_active=True)
    )
    title = forms.CharField(label=_("Matter"), max_length=200)
    reason = forms.CharField(
        label=_("Why the street blows the whistle"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments summoned"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    lead = forms.ModelChoiceField(
        label=_("Lead department"), queryset=Department.objects.none()
    )

    def __init__(
        self, *args: Any, departments: Any, streets: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments  # type: ignore[attr-defined]
        self.fields["lead"].queryset = departments  # type: ignore[attr-defined]
        if streets is not None:  # someone who may blow on several streets
            self.fields["street"] = forms.ModelChoiceField(
                label=_("Street"), queryset=streets
            )
            self.order_fields(["street"])


class CheckInForm(forms.Form):
    summons = forms.IntegerField(widget=forms.HiddenInput)
    attendees = forms.CharField(label=_("Who came"), max_length=300, required=False)
    # Filled by the phone when the handler shares the location.
    latitude = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-90, max_value=90
    )
    longitude = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-180, max_value=180
    )
    photo = forms.FileField(label=_("A photo from the scene"), required=False)

    def clean_photo(self) -> ProcessedImage | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return process_image(upload, filename=upload.name, field="photo")
        except DomainError as exc:
            raise ValidationError(exc.message) from exc


class ShareDoneForm(forms.Form):
    summons = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskForm(forms.Form):
    summons = forms.IntegerField(widget=forms.HiddenInput)
    task = forms.CharField(label=_("Its share of the work"), max_length=1000)
    days = forms.DecimalField(
        label=_("Working days"), min_value=0.5, max_value=60, required=False
    )


class CloseForm(forms.Form):
    reply = forms.CharField(
        label=_("The lead's consolidated reply"),
        help_text=_("Left empty, the lead department's reply is used."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ConsolidatedReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Consolidated reply of all departments' work"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ProgressForm(forms.Form):
    note = forms.CharField(
        label=_("Progress note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("Held at"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    attendees = forms.CharField(
        label=_("Attended"), widget=forms.Textarea(attrs={"rows": 2})
    )
    decisions = forms.CharField(
        label=_("Decided"), widget=forms.Textarea(attrs={"rows": 3})
    )


SCORES = [(n, str(n)) for n in range(5, 0, -1)]


class StreetScoreForm(forms.Form):
    summons = forms.IntegerField(widget=forms.HiddenInput)
    report_in = forms.TypedChoiceField(
        label=_("Reporting in"), choices=SCORES, coerce=int
    )
    handling = forms.TypedChoiceField(
        label=_("Quality of the work"), choices=SCORES, coerce=int
    )
    comment = forms.CharField(label=_("Comment"), required=False)


class FeedbackForm(forms.Form):
    summons = forms.IntegerField(widget=forms.HiddenInput)
    justified = forms.TypedChoiceField(
        label=_("Was the whistle justified?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    well_run = forms.TypedChoiceField(
        label=_("Was it well run?"), choices=SCORES, coerce=int
    )
    comment = forms.CharField(label=_("Comment"), required=False)


class HistoryFilterForm(forms.Form):
    """Filters of the whistle history; every field may be left empty."""

    q = forms.CharField(label=_("Words in the matter or reason"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All"))] + list(Whistle.State.choices),
        required=False,
    )
    type = forms.ModelChoiceField(
        label=_("Type"), queryset=WhistleType.objects.all(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department summoned"),
        queryset=Department.objects.none(),
        required=False,
    )
    blown_from = forms.DateField(
        label=_("Blown from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    blown_to = forms.DateField(
        label=_("Blown until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
