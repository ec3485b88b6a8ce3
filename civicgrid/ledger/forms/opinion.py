"""Forms of 社情民意 and the patrol log: they parse; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.appeals.forms import PhotosField, attach_domain_error
from civicgrid.appeals.models import Kind
from civicgrid.org.models import Area

from ..models import Opinion

__all__ = [
    "AppealFindingForm",
    "CloseForm",
    "EndPatrolForm",
    "OpinionFilterForm",
    "OpinionFindingForm",
    "OpinionForm",
    "StartPatrolForm",
    "ToAppealForm",
    "attach_domain_error",
]

PERIODS = [
    ("", _("Any time")),
    ("month", _("This month")),
    ("quarter", _("The last three months")),
    ("year", _("The last twelve months")),
]


# "Open" alone reads as a button elsewhere; an item that waits for a decision.
STATE_CHOICES = [
    (value, pgettext_lazy("opinion state", "Open") if value == "open" else label)
    for value, label in Opinion.State.choices
]


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class LocatedForm(forms.Form):
    """The phone's point, filled in by the page when the browser shares it."""

    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)


class OpinionForm(LocatedForm):
    text = forms.CharField(
        label=_("What was heard"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    grid = forms.ModelChoiceField(
        label=_("Grid"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("Left empty, the grid is found from your location."),
    )
    source = forms.ChoiceField(label=_("Source"), choices=Opinion.Source.choices)
    risk = forms.ChoiceField(
        label=_("Risk"), choices=Opinion.Risk.choices, initial=Opinion.Risk.GENERAL
    )
    topic = forms.CharField(label=_("Topic"), max_length=50, required=False)

    def __init__(self, *args: Any, grids: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if grids is not None:
            self.fields["grid"].queryset = grids  # type: ignore[attr-defined]
            if grids.count() == 1:
                self.initial.setdefault("grid", grids.first())


class ToAppealForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=appeal_selectors.leaf_categories(),
        required=False,
        empty_label=_("Let the street decide"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=_blank(_("As the category says")) + Kind.choices,
        required=False,
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Closing note"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OpinionFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.none(), required=False
    )
    risk = forms.ChoiceField(
        label=_("Risk"),
        choices=_blank(_("Any risk")) + Opinion.Risk.choices,
        required=False,
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=_blank(_("Any state")) + STATE_CHOICES,
        required=False,
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=_blank(_("Any source")) + Opinion.Source.choices,
        required=False,
    )
    topic = forms.CharField(label=_("Topic"), max_length=50, required=False)
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)

    def __init__(self, *args: Any, areas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class StartPatrolForm(LocatedForm):
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Area.objects.none())

    def __init__(self, *args: Any, grids: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if grids is not None:
            self.fields["grid"].queryset = grids  # type: ignore[attr-defined]


class OpinionFindingForm(LocatedForm):
    text = forms.CharField(
        label=_("What was heard"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risk = forms.ChoiceField(
        label=_("Risk"), choices=Opinion.Risk.choices, initial=Opinion.Risk.GENERAL
    )
    topic = forms.CharField(label=_("Topic"), max_length=50, required=False)


class AppealFindingForm(LocatedForm):
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, max_length=100, required=False
    )
    description = forms.CharField(
        label=_("What you found"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=appeal_selectors.leaf_categories(),
        required=False,
        empty_label=_("Let the street decide"),
    )
    photos = PhotosField(label=_("Photos (up to 9)"))


class EndPatrolForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
