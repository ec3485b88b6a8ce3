"""The forms of the import and export pages: they parse; the actions in
:mod:`..actions.io` decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..excel import KIND_LABELS, KINDS, MAX_UPLOAD_BYTES


def kind_choices() -> list[tuple[str, Any]]:
    return [(kind, KIND_LABELS[kind]) for kind in KINDS]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=kind_choices)
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "The first sheet is read: the header row, then one row per record."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to export"), choices=kind_choices)
    unmasked = forms.BooleanField(
        label=_("Names and numbers whole (the street's ledger admin only)"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Why they are needed whole"),
        max_length=200,
        required=False,
        help_text=_("Kept in the ledger's history with your name."),
    )
