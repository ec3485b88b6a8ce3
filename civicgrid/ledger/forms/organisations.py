"""Forms of the organisation pages: they parse; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.org.models import Area

from ..models import Organisation, Place


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    parent = forms.ModelChoiceField(
        label=_("Part of"), queryset=Organisation.objects.none(), required=False
    )
    contact_name = forms.CharField(
        label=_("Contact person"), max_length=50, required=False
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=20, required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, areas: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, organisation: Organisation) -> dict[str, Any]:
        return {
            "kind": organisation.kind,
            "name": organisation.name,
            "area": organisation.area,
            "parent": organisation.parent,
            "is_active": organisation.is_active,
        }


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    title = forms.CharField(label=_("Position"), max_length=50, required=False)
    place = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.none(), required=False
    )
    pledge = forms.CharField(
        label=_("What they pledged"), max_length=200, required=False
    )
    joined_on = forms.DateField(
        label=_("Joined on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]


class DateForm(forms.Form):
    on = forms.DateField(
        label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PairingForm(forms.Form):
    other = forms.ModelChoiceField(
        label=_("Paired with"), queryset=Organisation.objects.none()
    )
    since = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, others: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = others  # type: ignore[attr-defined]
