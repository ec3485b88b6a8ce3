from __future__ import annotations

import datetime
from datetime import timedelta
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core import clock

from .selectors import period_bounds

PERIOD_CHOICES = [
    ("day", _("Day")),
    ("week", _("Week")),
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("year", _("Year")),
    ("custom", _("From … to …")),
]
LONGEST = timedelta(days=366)
# Days the figures can be asked for: far enough either way for any history,
# and far from the ends of the calendar, where a day more or less overflows.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)
IN_RANGE = [MinValueValidator(EARLIEST), MaxValueValidator(LATEST)]


class PeriodForm(forms.Form):
    """Which period the figures are for: a day, week, month, quarter or year
    holding a date, or from one day to another (at most a year)."""

    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, required=False
    )
    date = forms.DateField(
        label=_("Holding the day"),
        required=False,
        validators=IN_RANGE,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        validators=IN_RANGE,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        validators=IN_RANGE,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("period") or "month"
        if self.errors:  # a day out of range, named on its field
            return data
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise forms.ValidationError(_("Give both days."), code="required")
            if end < start:
                self.add_error("end", _("The period ends before it begins."))
            elif end - start > LONGEST:
                self.add_error("end", _("A period is at most a year long."))
        else:
            anchor = data.get("date") or timezone.localdate(clock.now())
            start, end = period_bounds(kind, anchor)
        data.update(period=kind, start=start, end=end)
        return data

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        """The period asked for, or this month when the form is not valid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return period_bounds("month", timezone.localdate(clock.now()))


class ExclusionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it should not count"), max_length=2000, widget=forms.Textarea
    )


class ExclusionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve: it does not count")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
    )
    note = forms.CharField(
        label=_("Note (required when refusing)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
