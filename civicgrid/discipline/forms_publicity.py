"""The forms of the acceptance guide and the publicity ledger. They parse;
the actions decide (and name the field at fault)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.core import clock

from . import guide_texts, selectors_publicity
from .models import Activity, Body, Material


class GuideForm(forms.Form):
    """Every text of the guide in each of its three languages."""

    def __init__(
        self, *args: Any, texts: Mapping[str, Mapping[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for code, _name in guide_texts.LANGUAGES:
            for key in guide_texts.KEYS:
                attrs = {"lang": code}
                if key in guide_texts.ONE_LINE:
                    widget: forms.Widget = forms.TextInput(attrs=attrs)
                    limit = guide_texts.MAX_LINE
                else:
                    widget = forms.Textarea(attrs={**attrs, "rows": 6})
                    limit = guide_texts.MAX_TEXT
                self.fields[guide_texts.field_name(code, key)] = forms.CharField(
                    label=guide_texts.label(key),
                    max_length=limit,
                    widget=widget,
                    initial=(texts.get(code) or {}).get(key, ""),
                )

    def languages(self) -> Iterator[dict[str, Any]]:
        """Each language's fields for the page, and whether one is wrong."""
        for code, name in guide_texts.LANGUAGES:
            fields = [
                self[guide_texts.field_name(code, key)] for key in guide_texts.KEYS
            ]
            yield {
                "code": code,
                "name": name,
                "fields": fields,
                "errors": any(field.errors for field in fields),
            }

    def texts(self) -> dict[str, dict[str, str]]:
        return {
            code: {
                key: self.cleaned_data[guide_texts.field_name(code, key)]
                for key in guide_texts.KEYS
            }
            for code, _name in guide_texts.LANGUAGES
        }


class DateInput(forms.DateInput):
    input_type = "date"


class MaterialChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(
            _("%(name)s (%(year)s): %(left)s of %(printed)s left")
            % {
                "name": obj.name,
                "year": obj.year,
                "left": obj.left,
                "printed": obj.printed,
            }
        )


class AreaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ActivityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.held_on:%Y-%m-%d} {obj.title}"


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Material.Kind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("E.g. 2026 calendar poster with the 12388 QR code."),
    )
    year = forms.IntegerField(label=_("Year"))
    printed = forms.IntegerField(label=_("Quantity printed"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = clock.today().year


class DistributionForm(forms.Form):
    material = MaterialChoice(label=_("Material"), queryset=Material.objects.none())
    area = AreaChoice(label=_("Township or village"), queryset=None)
    quantity = forms.IntegerField(label=_("Quantity handed out"))
    handed_out_on = forms.DateField(label=_("Handed out on"), widget=DateInput)
    activity = ActivityChoice(
        label=_("At the activity"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = selectors_publicity.materials_for(body)  # type: ignore[attr-defined]
        self.fields["area"].queryset = selectors_publicity.areas_for(body)  # type: ignore[attr-defined]
        self.fields["activity"].queryset = Activity.objects.filter(  # type: ignore[attr-defined]
            body=body
        ).order_by("-held_on", "-pk")
        self.fields["handed_out_on"].initial = clock.today()


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        help_text=_("E.g. National Security Education Day on the square, 15 April."),
    )
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    area = AreaChoice(label=_("Township or village"), queryset=None)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    consultations = forms.IntegerField(
        label=_("People who asked"),
        initial=0,
        help_text=_("Consultations from the public, counted (no names)."),
    )
    material = MaterialChoice(
        label=_("Material given"),
        queryset=Material.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    quantity = forms.IntegerField(label=_("Quantity given"), required=False)

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors_publicity.areas_for(body)  # type: ignore[attr-defined]
        self.fields["material"].queryset = selectors_publicity.materials_for(body)  # type: ignore[attr-defined]
        self.fields["held_on"].initial = clock.today()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("material") and not data.get("quantity"):
            self.add_error("quantity", _("How many were given?"))
        if data.get("quantity") and not data.get("material"):
            self.add_error("material", _("Which material was given?"))
        return data

    def materials(self) -> list[tuple[Material, int]]:
        material = self.cleaned_data.get("material")
        return [(material, self.cleaned_data["quantity"])] if material else []
