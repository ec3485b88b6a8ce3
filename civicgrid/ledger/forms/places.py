"""Forms of the places pages: they parse; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.appeals.models import Category
from civicgrid.org.models import Area, Department

from ..catalogue import MajorClass
from ..models import Building, Component, Place


class GridFilterForm(forms.Form):
    """Which of the user's grids, and what kind of row."""

    grid = forms.ModelChoiceField(
        label=_("Grid"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All my grids"),
    )

    def __init__(self, *args: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]


class PlaceFilterForm(GridFilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("All kinds")),
            ("building", _("Buildings")),
            *Place.Kind.choices,
        ],
    )
    closed = forms.BooleanField(label=_("Show closed ones too"), required=False)


class ComponentFilterForm(GridFilterForm):
    major = forms.ChoiceField(
        label=_("Class"),
        required=False,
        choices=[("", _("All classes")), *MajorClass.choices],
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *Component.State.choices],
    )


class PointFields(forms.Form):
    lon = forms.FloatField(
        label=_("Longitude"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


class BuildingForm(PointFields):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("For example: building 1.")
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    floors = forms.IntegerField(label=_("Floors"), required=False, min_value=1)
    units = forms.IntegerField(label=_("Units"), required=False, min_value=1)
    property_manager = forms.CharField(
        label=_("Property manager"), max_length=100, required=False
    )
    footprint = forms.CharField(
        label=_("Footprint (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional: a GeoJSON Polygon; without a point, its centre places "
            "the building."
        ),
    )
    is_active = forms.BooleanField(label=_("Standing"), required=False, initial=True)

    @classmethod
    def initial_of(cls, building: Building) -> dict[str, Any]:
        import json

        return {
            "name": building.name,
            "address": building.address,
            "floors": building.floors,
            "units": building.units,
            "property_manager": building.property_manager,
            "lon": building.lon,
            "lat": building.lat,
            "footprint": json.dumps(building.footprint) if building.footprint else "",
            "is_active": building.is_active,
        }


class PlaceForm(PointFields):
    kind = forms.ChoiceField(label=_("Kind"), choices=Place.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    building = forms.ModelChoiceField(
        label=_("Building"), queryset=Building.objects.none(), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    licence_number = forms.CharField(
        label=_("Business licence number"), max_length=32, required=False
    )
    trade = forms.CharField(label=_("Trade"), max_length=50, required=False)
    contact_name = forms.CharField(
        label=_("Contact person"), max_length=50, required=False
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=20, required=False
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=Place.Service.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"), max_length=100, required=False
    )
    position_kind = forms.CharField(
        label=_("Kind of position"),
        max_length=50,
        required=False,
        help_text=_(
            "For a party-building position: a party and community service "
            "centre, a red school …"
        ),
    )

    def __init__(self, *args: Any, buildings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, place: Place) -> dict[str, Any]:
        return {
            field: getattr(place, field)
            for field in (
                "kind",
                "name",
                "building",
                "address",
                "licence_number",
                "trade",
                "services",
                "opening_hours",
                "position_kind",
                "lon",
                "lat",
            )
        }


class ComponentForm(PointFields):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The kind's 4 digits (GB/T 30428.2), then a serial."),
    )
    department = forms.ModelChoiceField(
        label=_("Owned by"), queryset=Department.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["lon"].required = self.fields["lat"].required = True


class ComponentStateForm(forms.Form):
    state = forms.ChoiceField(label=_("New state"), choices=Component.State.choices)
    note = forms.CharField(
        label=_("What was seen or done"), max_length=200, widget=forms.TextInput
    )


class ReportProblemForm(forms.Form):
    description = forms.CharField(
        label=_("What is wrong"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    mark_damaged = forms.BooleanField(
        label=_("Also mark the component damaged"), required=False, initial=True
    )

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]


class NameComponentForm(forms.Form):
    component = forms.CharField(label=_("The component's code"), max_length=20)


class LinkAppealForm(forms.Form):
    appeal = forms.CharField(
        label=_("The appeal's tracking code"), max_length=12, min_length=1
    )
