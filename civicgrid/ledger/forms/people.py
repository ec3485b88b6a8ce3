"""Forms of the people pages: they parse; the actions in
:mod:`..actions.people` check and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..actions.people import PersonInput
from ..models import Building, Household, Person, PersonTag

DATE = forms.DateInput(attrs={"type": "date"})


class HouseholdFilterForm(forms.Form):
    building = forms.ModelChoiceField(
        label=_("Building"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=_("Every building"),
    )
    tag = forms.ChoiceField(
        label=_("Tag"),
        required=False,
        choices=[("", _("Any tag")), *PersonTag.Tag.choices],
    )

    def __init__(self, *args: Any, grid: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(  # type: ignore[attr-defined]
            grid=grid
        ).order_by("name")


class HouseholdForm(forms.Form):
    building = forms.ModelChoiceField(
        label=_("Building"), queryset=Building.objects.none()
    )
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    room = forms.CharField(label=_("Room"), max_length=20)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, buildings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", _("Taken from the ID number")), *Person.Gender.choices],
        required=False,
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DATE,
        help_text=_("Taken from the ID number when left empty."),
    )
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, required=False)
    relation = forms.CharField(
        label=_("Relation to the head of household"), max_length=20, required=False
    )

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            gender=data["gender"],
            birth_date=data["birth_date"],
            ethnicity=data["ethnicity"],
            relation=data["relation"],
        )


class PersonAddForm(PersonForm):
    moved_in_on = forms.DateField(
        label=_("Moved in on"),
        required=False,
        widget=DATE,
        help_text=_("Today when left empty."),
    )
    move_existing = forms.BooleanField(
        label=_("They are already in the ledger elsewhere: move them in here"),
        required=False,
    )


class MoveOutForm(forms.Form):
    moved_out_on = forms.DateField(label=_("Moved out on"), widget=DATE)
    moved_out_to = forms.CharField(label=_("Moved to"), max_length=200, required=False)


class MoveInForm(forms.Form):
    household = forms.ModelChoiceField(
        label=_("Household"), queryset=Household.objects.none()
    )
    moved_in_on = forms.DateField(label=_("Moved in on"), widget=DATE)

    def __init__(self, *args: Any, households: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households  # type: ignore[attr-defined]


class TagForm(forms.Form):
    tag = forms.ChoiceField(label=_("Tag"), choices=PersonTag.Tag.choices)
    since = forms.DateField(
        label=_("Since"), required=False, widget=DATE, help_text=_("Today when empty.")
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class TagEndForm(forms.Form):
    until = forms.DateField(label=_("Until"), required=False, widget=DATE)


class ConsentForm(forms.Form):
    consented = forms.BooleanField(
        label=_("They agree that their appeals are listed on their page"),
        required=False,
    )


class RevealForm(forms.Form):
    field = forms.ChoiceField(
        choices=[("id_number", _("ID number")), ("phone", _("Phone"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Why you need the whole number"), max_length=200, required=False
    )


class TextsRevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need the whole numbers"), max_length=200, required=False
    )


class VisitForm(forms.Form):
    people_met = forms.ModelMultipleChoiceField(
        label=_("People met"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    findings = forms.CharField(
        label=_("Findings"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("A problem or a need you found."),
    )
    make_appeal = forms.BooleanField(
        label=_("File the findings as an appeal of the grid"), required=False
    )
    appellant = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("The household (nobody named)"),
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people_met"].queryset = members  # type: ignore[attr-defined]
        self.fields["appellant"].queryset = members  # type: ignore[attr-defined]
        # Members are named in full to the grid's keepers only (who record visits).
        self.fields["people_met"].label_from_instance = lambda p: p.name  # type: ignore[attr-defined]
        self.fields["appellant"].label_from_instance = lambda p: p.name  # type: ignore[attr-defined]
