"""The map editor's import form: it parses; :mod:`..actions.map` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

KIND_CHOICES = [
    ("grids", _("Grid boundaries")),
    ("buildings", _("Building footprints")),
]


class MapImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_("A FeatureCollection in WGS-84, [longitude, latitude]."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".geojson,.json,application/geo+json,application/json"}
        ),
    )
