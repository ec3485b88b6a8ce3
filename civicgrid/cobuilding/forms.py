"""The forms of the three lists' pages: they parse; :mod:`.actions` decides."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicgrid.appeals.forms import PhotosField
from civicgrid.appeals.selectors import appeal_by_code_for_user
from civicgrid.ledger import selectors as ledger_selectors
from civicgrid.org.models import Area

from .models import Evaluation, Field, Meeting, Outreach, Problem, Project, Resource

SPLIT = re.compile(r"[\s,，、;；]+")


def _date(**attrs: Any) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


class SourcesFields(forms.Form):
    """Where a problem came from: appeals by their tracking codes, 社情民意
    items by their numbers, a meeting, a survey."""

    appeals = forms.CharField(
        label=_("Appeals"),
        required=False,
        help_text=_("Tracking codes, separated by spaces or commas."),
    )
    opinions = forms.CharField(
        label=_("Public opinion items"),
        required=False,
        help_text=_("Their numbers, separated by spaces or commas."),
    )
    meeting = forms.CharField(
        label=_("Meeting"),
        max_length=200,
        required=False,
        help_text=_("Which meeting raised it, with its date."),
    )
    survey = forms.CharField(
        label=_("Survey"),
        max_length=200,
        required=False,
        help_text=_("Which survey found it."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_appeals(self) -> list[Any]:
        found = []
        for code in SPLIT.split(self.cleaned_data.get("appeals", "").strip()):
            if not code:
                continue
            appeal = appeal_by_code_for_user(self.user, code)
            if appeal is None:
                raise ValidationError(
                    _("No appeal %(code)s that you can see.") % {"code": code}
                )
            found.append(appeal)
        return found

    def clean_opinions(self) -> list[Any]:
        found = []
        opinions = ledger_selectors.opinions_for_user(self.user)
        for number in SPLIT.split(self.cleaned_data.get("opinions", "").strip()):
            if not number:
                continue
            opinion = (
                opinions.filter(pk=int(number)).first() if number.isdigit() else None
            )
            if opinion is None:
                raise ValidationError(
                    _("No public opinion item %(n)s that you can see.") % {"n": number}
                )
            found.append(opinion)
        return found


class ProblemForm(SourcesFields):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field = forms.ChoiceField(label=_("About"), choices=Field.choices)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())

    field_order = [
        "title",
        "description",
        "field",
        "area",
        "appeals",
        "opinions",
        "meeting",
        "survey",
    ]

    def __init__(self, *args: Any, areas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class StartForm(forms.Form):
    """立项: the owner, the dates, the milestones one per line as
    ``YYYY-MM-DD what``."""

    title = forms.CharField(label=_("Project title"), max_length=100)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Owner"), queryset=Area.objects.none()
    )
    due_on = forms.DateField(label=_("To be done by"), widget=_date())
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line: the date it is due, then what, e.g. 2026-05-01 Survey done."
        ),
    )

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.get_username()
        )

    def clean_milestones(self) -> list[tuple[str, dt.date]]:
        rows = []
        for n, line in enumerate(
            self.cleaned_data.get("milestones", "").splitlines(), 1
        ):
            line = line.strip()
            if not line:
                continue
            date, _space, title = line.partition(" ")
            try:
                due_on = dt.date.fromisoformat(date)
            except ValueError:
                raise ValidationError(
                    _("Line %(n)d does not start with a date like 2026-05-01.")
                    % {"n": n}
                ) from None
            rows.append((title.strip(), due_on))
        return rows


class PledgeForm(forms.Form):
    resource = forms.ModelChoiceField(
        label=_("Resource"), queryset=Resource.objects.none()
    )
    quantity = forms.IntegerField(label=_("How many"), min_value=1, initial=1)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, resources: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if resources is not None:
            self.fields["resource"].queryset = resources  # type: ignore[attr-defined]
        self.fields["resource"].label_from_instance = (  # type: ignore[attr-defined]
            lambda r: f"{r.title} · {r.provider_name} ({r.remaining} {r.measure})"
        )


class MilestoneForm(forms.Form):
    milestone = forms.ModelChoiceField(
        label=_("Milestone"), queryset=Project.objects.none()
    )
    on = forms.DateField(label=_("Done on"), widget=_date(), required=False)

    def __init__(self, *args: Any, milestones: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if milestones is not None:
            self.fields["milestone"].queryset = milestones  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("Progress"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = PhotosField(label=_("Photos"))


class CompleteForm(forms.Form):
    summary = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The residents of the appeals it answers are told."),
    )
    on = forms.DateField(label=_("Completed on"), widget=_date(), required=False)


class EvaluateForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Evaluation.Verdict.choices)
    heard = forms.ChoiceField(label=_("Heard at"), choices=Evaluation.Heard.choices)
    residents = forms.IntegerField(
        label=_("Residents"), min_value=1, max_value=10_000, initial=1
    )
    comment = forms.CharField(
        label=_("What they said"), max_length=1000, required=False
    )


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("What is offered"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    field = forms.ChoiceField(
        label=_("Serves"),
        choices=[("", _("Any need"))] + list(Field.choices),
        required=False,
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100_000)
    measure = forms.CharField(
        label=_("Counted in"),
        max_length=20,
        help_text=_("times, hours a month, vehicles …"),
    )
    area = forms.ModelChoiceField(label=_("Offered in"), queryset=Area.objects.none())
    provider_kind = forms.ChoiceField(
        label=_("Provider"), choices=Resource.Provider.choices
    )
    unit = forms.ModelChoiceField(
        label=_("Registered unit"), queryset=Area.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Area.objects.none(), required=False
    )
    merchant = forms.ModelChoiceField(
        label=_("Merchant"), queryset=Area.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Area.objects.none(), required=False
    )
    available_from = forms.DateField(
        label=_("Available from"), widget=_date(), required=False
    )
    available_until = forms.DateField(
        label=_("Available until"), widget=_date(), required=False
    )
    description = forms.CharField(
        label=_("Details"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        self.fields["merchant"].label_from_instance = (  # type: ignore[attr-defined]
            lambda m: f"{m.organisation.name} · {m.place.name if m.place else m.title}"
        )


class ListFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    field = forms.ChoiceField(
        label=_("About"),
        choices=[("", _("All"))] + list(Field.choices),
        required=False,
    )

    def __init__(self, *args: Any, states: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All"))] + list(  # type: ignore[attr-defined]
            (states or Problem.State).choices
        )


class ContractForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=Area.objects.none())
    area = forms.ModelChoiceField(
        label=_("Community or grid"), queryset=Area.objects.none()
    )

    def __init__(
        self, *args: Any, leaders: Any = None, areas: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders  # type: ignore[attr-defined]
        self.fields["leader"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.get_username()
        )
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["area"].label_from_instance = (  # type: ignore[attr-defined]
            lambda area: area.name
        )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    held_at = forms.DateTimeField(
        label=_("Held at"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    area = forms.ModelChoiceField(
        label=_("Street or community"), queryset=Area.objects.none()
    )
    chair = forms.ModelChoiceField(
        label=_("Chaired by"), queryset=Area.objects.none(), required=False
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units represented"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        for name in ("chair", "attendees"):
            self.fields[name].label_from_instance = (  # type: ignore[attr-defined]
                lambda user: user.get_full_name() or user.get_username()
            )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=300)
    problem = forms.ModelChoiceField(
        label=_("Problem it decides"), queryset=Problem.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(
        label=_("Carried out by"), queryset=Area.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("By"), widget=_date(), required=False)

    def __init__(
        self, *args: Any, problems: Any = None, owners: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = problems  # type: ignore[attr-defined]
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.get_username()
        )


class OutreachForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        help_text=_("The riders' festival of July 17 …"),
    )
    held_on = forms.DateField(label=_("Held on"), widget=_date())
    area = forms.ModelChoiceField(
        label=_("Street or community"), queryset=Area.objects.none()
    )
    station = forms.ModelChoiceField(
        label=_("Service station"), queryset=Area.objects.none(), required=False
    )
    group = forms.ChoiceField(label=_("Served"), choices=Outreach.Group.choices)
    served = forms.IntegerField(
        label=_("People served"), min_value=1, max_value=100_000
    )
    services = forms.CharField(
        label=_("Services"),
        max_length=300,
        help_text=_("Free check-ups, haircuts, water, charging …"),
    )
    organisers = forms.ModelMultipleChoiceField(
        label=_("Organised with"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
