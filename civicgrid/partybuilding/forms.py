"""The forms of the party-building pages: they parse; :mod:`.actions`
decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.ledger.models import Organisation, Person
from civicgrid.org.models import Area

from .models import Registration, UnitRegistration, Wish


class GatherForm(forms.Form):
    beneficiary = forms.ModelChoiceField(
        label=_("For whom"), queryset=Person.objects.none(), required=False
    )
    need = forms.CharField(
        label=_("The wish"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What would help, in the household's words: a rice cooker, a quilt …"
        ),
    )
    value = forms.DecimalField(
        label=_("Estimated value (yuan)"), min_value=0, max_digits=8, decimal_places=2
    )
    shown_as = forms.CharField(
        label=_("Shown on the wall as"),
        max_length=20,
        help_text=_(
            "A first name or “elder” — never a full name, an address or a number."
        ),
    )
    consent = forms.BooleanField(
        label=_("The beneficiary agrees that the wish is shown on the wall"),
        required=False,
    )

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["beneficiary"].queryset = members  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class ClaimForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Claim for my unit"),
        queryset=UnitRegistration.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class FulfilForm(forms.Form):
    on = forms.DateField(
        label=_("Delivered on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    photo = forms.FileField(
        label=_("Photo of the delivery"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "capture": "environment"}
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class VolunteerForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("The community where you live"),
        queryset=Area.objects.filter(level=Area.Level.COMMUNITY, is_active=True)
        .defer("boundary")
        .order_by("code"),
    )
    unit = forms.ModelChoiceField(
        label=_("Your unit"),
        queryset=UnitRegistration.objects.filter(state=Registration.CONFIRMED)
        .select_related("organisation", "community")
        .order_by("organisation__name"),
        required=False,
    )
    duty = forms.CharField(label=_("Post and duty"), max_length=100, required=False)
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    availability = forms.CharField(
        label=_("When you can help"), max_length=100, required=False
    )
    pledge = forms.CharField(label=_("Your pledge"), max_length=200, required=False)


class UnitForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Your unit's party organisation"),
        queryset=Organisation.objects.filter(
            kind__in=["unit_branch", "social", "alliance"], is_active=True
        ).order_by("name"),
    )
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Area.objects.filter(level=Area.Level.COMMUNITY, is_active=True)
        .defer("boundary")
        .order_by("code"),
    )
    offers = forms.CharField(
        label=_("What it can offer"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Every state")), *Wish.State.choices],
        required=False,
    )


class ServiceForm(forms.Form):
    title = forms.CharField(label=_("What was done"), max_length=200)
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0, max_value=24, max_digits=4, decimal_places=1
    )
    served_on = forms.DateField(
        label=_("On"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
