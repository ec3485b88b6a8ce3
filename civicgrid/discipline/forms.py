"""The channel's forms. They parse; the actions decide (and name the field at
fault, which the views put back on the form)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import receipts
from .actions import Redirect
from .models import Channel, Code, Disposal, Matter


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Photos, videos and documents; checked by ``evidence.check``."""

    widget = MultipleFileInput(
        attrs={
            "accept": "image/*,video/mp4,video/quicktime,video/webm,"
            "application/pdf,.doc,.docx,.xls,.xlsx,.odt"
        }
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(EvidenceField, self).clean(item, initial) for item in files]


class ReportForm(forms.Form):
    """检举控告: what the reporter (or the officer taking a letter, a visit or
    a call) writes down."""

    # One key per form shown: sent twice, it makes one report.
    intake_key = forms.CharField(
        widget=forms.HiddenInput, max_length=64, required=False
    )

    matter = forms.ChoiceField(
        label=_("What kind of matter is it?"),
        choices=Matter.choices,
        widget=forms.RadioSelect,
    )
    accused_name = forms.CharField(
        label=_("Name of the person reported"), max_length=50
    )
    accused_unit = forms.CharField(label=_("Their unit"), max_length=100)
    accused_post = forms.CharField(label=_("Their post"), max_length=50, required=False)
    about_principal = forms.BooleanField(
        label=_(
            "The person reported is the principal of this body (its secretary or "
            "director)"
        ),
        help_text=_("Then the report goes straight to the body above it."),
        required=False,
    )
    what = forms.CharField(
        label=_("What happened"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Who did what, where, and who else knows. Facts, not guesses."),
    )
    when = forms.CharField(
        label=_("When"),
        max_length=100,
        required=False,
        help_text=_("A date or a period, e.g. March 2026."),
    )
    evidence = EvidenceField(
        label=_("Evidence"),
        help_text=_(
            "Photos, videos or documents (PDF, Word, Excel), up to 9 files. Photos "
            "are stripped of their location and camera data."
        ),
    )
    real_name = forms.TypedChoiceField(
        label=_("Anonymous or under your name?"),
        choices=[
            ("0", _("Anonymous: follow it up with the receipt")),
            ("1", _("Under my name: handled with priority")),
        ],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Your phone"), max_length=20, required=False)
    id_number = forms.CharField(
        label=_("Your ID number"), max_length=18, required=False
    )
    address = forms.CharField(label=_("Your address"), max_length=200, required=False)

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intake_key"].initial = uuid.uuid4().hex
        if staff:
            self.fields["channel"] = forms.ChoiceField(
                label=_("How it came in"),
                choices=[
                    (c.value, c.label)
                    for c in (Channel.LETTER, Channel.VISIT, Channel.PHONE)
                ],
                widget=forms.RadioSelect,
            )
            self.order_fields(["channel"])
            self.fields["real_name"].choices = [  # type: ignore[attr-defined]
                ("0", _("Anonymous")),
                ("1", _("Real name")),
            ]


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
        help_text=_("The 16 digits you were given; spaces do not matter."),
    )

    def clean_receipt(self) -> str:
        value = receipts.normalise(self.cleaned_data["receipt"])
        if not receipts.looks_like_receipt(value):
            raise forms.ValidationError(_("A receipt has 16 digits."))
        return value


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = EvidenceField(label=_("More evidence"))


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("Why you disagree"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence = EvidenceField(label=_("New evidence"))


# --- staff ---------------------------------------------------------------------


class RegisterForm(forms.Form):
    matter = forms.ChoiceField(label=_("Kind of matter"), choices=Matter.choices)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea
    )


TOLD_BY = [
    ("", _("On the receipt page only")),
    ("phone", _("By phone")),
    ("letter", _("By letter")),
    ("in_person", _("In person")),
]


class AcceptForm(forms.Form):
    notice = forms.CharField(
        label=_("Notice to the reporter"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_(
            "Your report has been accepted and will be handled under the rules. "
            "You will be told the result."
        ),
    )
    told_by = forms.ChoiceField(label=_("Also told"), choices=TOLD_BY, required=False)


class NotAcceptForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not accepted"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    go_to = forms.ChoiceField(
        label=_("Where to go instead"),
        choices=[
            (Redirect.LITIGATION, _("A court (litigation)")),
            (Redirect.ARBITRATION, _("Arbitration")),
            (Redirect.REVIEW, _("Administrative review")),
            (Redirect.OTHER_BODY, _("Another body")),
            (Redirect.NONE, _("Nowhere: no matter to pursue")),
        ],
    )
    go_to_detail = forms.CharField(
        label=_("Which body, or what to do"), max_length=200, required=False
    )
    told_by = forms.ChoiceField(label=_("Also told"), choices=TOLD_BY, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class DisposeForm(forms.Form):
    disposal = forms.ChoiceField(
        label=_("Disposal"), choices=Disposal.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea
    )


class ResultForm(forms.Form):
    result = forms.CharField(
        label=_("Result"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class FeedBackForm(forms.Form):
    result = forms.CharField(
        label=_("What the reporter is told"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    told_by = forms.ChoiceField(label=_("Also told"), choices=TOLD_BY, required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the objection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OfficerMessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message to the reporter"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The reporter reads it with their receipt; your name is not shown."
        ),
    )


class GrantForm(forms.Form):
    officer = forms.ChoiceField(label=_("Officer"))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, officers: list = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.officers = {str(user.pk): user for user in officers}
        self.fields["officer"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose an officer")),
            *((str(user.pk), user.get_full_name()) for user in officers),
        ]

    def clean_officer(self) -> Any:
        return self.officers[self.cleaned_data["officer"]]


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )


class CodeForm(forms.Form):
    kind = forms.ChoiceField(label=_("For"), choices=Code.Kind.choices)
    label = forms.CharField(label=_("Name"), max_length=100)
    target = forms.CharField(
        label=_("Unit the form fills in"), max_length=100, required=False
    )
    questions = forms.CharField(
        label=_("Questionnaire (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One question a line, then its choices, each after a |: "
            "Is the unit's work style good? | Good | Fair | Poor"
        ),
    )


def survey_form(questions: list[dict], data: Any = None) -> forms.Form:
    """The questionnaire of a code: one required choice per question."""
    form = forms.Form(data)
    for index, question in enumerate(questions):
        form.fields[f"q{index}"] = forms.ChoiceField(
            label=question["text"],
            choices=[(str(n), choice) for n, choice in enumerate(question["choices"])],
            widget=forms.RadioSelect,
        )
    return form
