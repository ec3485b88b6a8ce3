"""Forms of the appeal pages. They only parse and describe input; the actions
decide, and their DomainErrors come back here as field errors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.models import User
from civicgrid.core import pending
from civicgrid.core.audio import (
    ProcessedAudio,
    limit_words,
    max_seconds,
    process_audio,
)
from civicgrid.core.errors import DomainError
from civicgrid.core.images import MAX_PHOTOS_PER_APPEAL, ProcessedImage, process_images
from civicgrid.core.localized import localized
from civicgrid.org.models import Area, Department
from civicgrid.org.selectors import departments_serving

from .actions import STAFF_CHANNELS, AppealInput, Unit
from .models import Appeal, Category, Channel, Kind, ReplyOutcome, ResponseTemplate
from .places import ScannedPlace
from .selectors import category_for_intake, leaf_categories


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to nine photos, each decoded, checked and stripped of metadata."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[ProcessedImage]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS_PER_APPEAL:
            raise ValidationError(
                _("At most %(n)d photos.") % {"n": MAX_PHOTOS_PER_APPEAL}
            )
        try:
            return process_images(files)
        except DomainError as exc:
            raise ValidationError(exc.message) from exc


def _voice_help() -> str:
    return gettext(
        "Instead of typing, say what happened (up to %(limit)s); "
        "the street writes it down."
    ) % {"limit": limit_words(max_seconds())}


class VoiceField(forms.FileField):
    """One voice message (语音留言), recorded on the page or chosen from the
    phone: its container checked, its tags cleared (``audio.process_audio``)."""

    widget = forms.FileInput(attrs={"accept": "audio/*", "capture": True})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> ProcessedAudio | None:
        if not data:
            return None
        try:
            return process_audio(data)
        except DomainError as exc:
            raise ValidationError(exc.message) from exc


def category_choices() -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in leaf_categories():
        group = localized(category.parent, "name") if category.parent else ""
        groups.setdefault(group, []).append(
            (str(category.pk), localized(category, "name"))
        )
    return [("", _("I don't know — let the street decide"))] + list(groups.items())


class CategoryChoiceField(forms.IntegerField):
    """A category from the catalogue. The grouped list of choices is built only
    when the form is drawn; a submitted value costs at most one lookup."""

    widget = forms.Select

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A callable: Django evaluates it only when the widget is drawn.
        self.widget.choices = category_choices  # type: ignore[assignment]

    def clean(self, value: Any) -> Category | None:
        pk = super().clean(value)
        if pk is None:
            return None
        category = category_for_intake(pk)
        if category is None:
            raise ValidationError(_("Choose a category from the list."))
        return category


def _category(value: Category | None) -> Category | None:
    return value


def kind_choices() -> list[tuple[str, Any]]:
    return [("", _("Not sure")), *Kind.choices]


class LocationFields(forms.Form):
    latitude = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-90, max_value=90
    )
    longitude = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-180, max_value=180
    )
    address = forms.CharField(
        label=_("Address or landmark"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )


def extra_answers(data: Any) -> dict[str, Any]:
    """Extra questions arrive as answers.<code> (several values for a multiple
    choice); ``data`` is the form's QueryDict."""
    answers: dict[str, Any] = {}
    for key in data:
        if key.startswith("answers."):
            values = [v for v in data.getlist(key) if v != ""]
            code = key.removeprefix("answers.")
            answers[code] = values if len(values) > 1 else (values[0] if values else "")
    return answers


class KeptPhotos:
    """The photos of one field kept while its form is fixed (``core.pending``:
    a browser never refills a file input): those kept from an earlier try,
    named by a signed token in the hidden field ``token_name``, and whether
    the person asked to drop them (``drop_<token_name>``)."""

    def __init__(self, form: PhotoKeepingForm, field: str, token_name: str) -> None:
        self.form = form
        self.field = field
        self.token_name = token_name
        self.photos: list[Any] = []
        self.token = ""
        token = form.data.get(token_name, "") if form.is_bound else ""
        if token and form.keeps_photos:
            if form.data.get(f"drop_{token_name}"):
                pending.discard(token, owner=form.photo_owner())
            else:
                self.photos = self._load(token, form.photo_owner())
                self.token = token if self.photos else ""

    def _load(self, token: str, owner: str) -> list[Any]:
        return list(pending.load(token, owner=owner))

    def _store(self, kept: list[Any], owner: str) -> str:
        return pending.keep(kept, owner=owner)

    def _new(self) -> list[Any]:
        return list(getattr(self.form, "cleaned_data", {}).get(self.field) or [])

    def _merged(self, new: list[Any]) -> list[Any]:
        return [*self.photos, *new][:MAX_PHOTOS_PER_APPEAL]

    def all(self) -> list[ProcessedImage]:
        """The kept photos and those chosen now, as the action takes them."""
        return [*self.photos, *self._new()]

    def keep(self) -> None:
        """After an error: keep every photo that passed (kept and new, up to the
        limit) for the next try."""
        new = self._new()
        if not new or not self.form.keeps_photos:
            return
        earlier = self.token
        owner = self.form.photo_owner()
        self.photos = self._merged(new)
        self.token = self._store(self.photos, owner)
        pending.discard(earlier, owner=owner)

    def sent(self) -> None:
        """The appeal holds its photos now: the kept copies go."""
        if self.token:
            pending.discard(self.token, owner=self.form.photo_owner())

    def thumbnails(self) -> list[str]:
        return [pending.thumbnail_data_url(photo) for photo in self.photos]


class KeptVoice(KeptPhotos):
    """The voice message of a :class:`VoiceField`, kept as photos are: one,
    and a new recording replaces the kept one."""

    def _load(self, token: str, owner: str) -> list[Any]:
        voice = pending.load_voice(token, owner=owner)
        return [] if voice is None else [voice]

    def _store(self, kept: list[Any], owner: str) -> str:
        return pending.keep_voice(kept[0], owner=owner)

    def _new(self) -> list[Any]:
        voice = getattr(self.form, "cleaned_data", {}).get(self.field)
        return [] if voice is None else [voice]

    def _merged(self, new: list[Any]) -> list[Any]:
        return new[-1:]

    @property
    def voice(self) -> ProcessedAudio | None:
        """The recording the action takes: the new one, else the kept one."""
        chosen = self._new() or self.photos
        return chosen[0] if chosen else None

    @property
    def max_seconds(self) -> int:
        """Where the page's recorder stops itself."""
        return max_seconds()

    def data_url(self) -> str:
        """The kept recording inline, to play back before sending."""
        return pending.audio_data_url(self.photos[0]) if self.photos else ""


class PhotoKeepingForm(forms.Form):
    """A form whose photo fields keep their photos across a failed try, for
    the uploader ``photo_owner`` names (a user, or the resident's browser)."""

    # Photo field → the hidden field naming its kept photos.
    kept_fields: dict[str, str] = {}

    def __init__(
        self, *args: Any, photo_owner: Callable[[], str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._photo_owner = photo_owner
        self._owner = ""
        self.kept_sets = {
            name: (
                KeptVoice if isinstance(self.fields[name], VoiceField) else KeptPhotos
            )(self, name, token)
            for name, token in self.kept_fields.items()
        }

    @property
    def keeps_photos(self) -> bool:
        return self._photo_owner is not None

    def photo_owner(self) -> str:
        if not self._owner and self._photo_owner is not None:
            self._owner = self._photo_owner()
        return self._owner

    def keep_photos(self) -> None:
        for kept in self.kept_sets.values():
            kept.keep()

    def sent(self) -> None:
        for kept in self.kept_sets.values():
            kept.sent()


class AppealEntryForm(PhotoKeepingForm, LocationFields):
    """What the resident's page and the staff's entry share: the cleaned input
    as the intake action takes it, and the photos and voice message kept from
    an earlier try. A voice message may stand for the description."""

    kept_fields = {"photos": "kept_photos", "voice": "kept_voice"}

    @property
    def kept_set(self) -> KeptPhotos:
        return self.kept_sets["photos"]

    @property
    def kept_voice(self) -> KeptVoice:
        voice = self.kept_sets["voice"]
        assert isinstance(voice, KeptVoice)  # noqa: S101 (VoiceField's own)
        return voice

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not (data.get("description") or "").strip()
            and self.kept_voice.voice is None
            and "voice" not in self.errors
            and "description" not in self.errors
        ):
            self.add_error(
                "description",
                _("Say in a few words what happened, or record a voice message."),
            )
        return data

    @property
    def kept(self) -> list[ProcessedImage]:
        return self.kept_set.photos

    def all_photos(self) -> list[ProcessedImage]:
        """The kept photos and those chosen now, as the intake takes them."""
        return self.kept_set.all()

    def category_obj(self) -> Category | None:
        return _category(self.cleaned_data.get("category"))

    def answers(self) -> dict[str, Any]:
        return extra_answers(self.data)

    def appeal_input(self, **given: Any) -> AppealInput:
        """The intake's input from the fields both forms have, and ``given``
        (the street, the channel and what only one of them asks)."""
        data = self.cleaned_data
        return AppealInput(
            description=data["description"],
            kind=data["kind"],
            category=self.category_obj(),
            latitude=data["latitude"],
            longitude=data["longitude"],
            address=data["address"],
            anonymous=data["anonymous"],
            name=data["name"],
            phone=data["phone"],
            answers=self.answers(),
            voice=self.kept_voice.voice,
            **given,
        )


class ResidentAppealForm(AppealEntryForm):
    """The resident's page: what a WeChat mini program would wrap."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    description = forms.CharField(
        label=_("What happened?"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "A phone or ID number you write here is hidden from others: staff see "
            "it masked, the tracking page not at all."
        ),
    )
    voice = VoiceField(
        label=_("Or leave a voice message"),
        help_text=lazy(lambda: _voice_help(), str)(),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        # A callable: each form copies its fields, and a list of lazy labels is
        # slow to copy on a page every resident submits.
        choices=kind_choices,
        required=False,
    )
    category = CategoryChoiceField(label=_("Category"), required=False)
    photos = PhotosField(
        label=_("Photos (up to 9)"),
        help_text=_("JPEG, PNG or WebP, up to 10 MB each. Location data is removed."),
    )
    anonymous = forms.BooleanField(
        label=_("Stay anonymous (you can still follow it with the tracking code)"),
        required=False,
    )
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Your phone number (for the callback)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice: my name and number are used only to "
            "handle this appeal and call me back."
        ),
        required=True,
    )

    def __init__(
        self, *args: Any, place: ScannedPlace | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Opened from a place's code (扫码报事): the pin starts at the place.
        self.place = place
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            if place is not None and place.latitude is not None:
                self.initial.setdefault("latitude", round(place.latitude, 6))
                self.initial.setdefault("longitude", round(place.longitude or 0, 6))
            if place is not None and place.category_id is not None:
                self.initial.setdefault("category", place.category_id)

    def appeal_input(self, **given: Any) -> AppealInput:
        """From a place's code, the appeal keeps the place on its "submit"
        event, and the place's name is its address unless one was given."""
        made = super().appeal_input(**given)
        if self.place is not None:
            made.address = made.address.strip() or self.place.name[:200]
            made.source = {
                **made.source,
                "place": self.place.ref,
                "place_name": self.place.name,
            }
        return made


class StaffAppealForm(AppealEntryForm):
    """Entry by an operator (hotline, letter, visit) or a grid worker (patrol)."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c, label) for c, label in Channel.choices if c in STAFF_CHANNELS],
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        help_text=_("When the call, letter or visit really came in."),
    )
    street = forms.ModelChoiceField(label=_("Street"), queryset=Area.objects.none())
    description = forms.CharField(
        label=_("What the resident says"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    voice = VoiceField(
        label=_("Voice message"),
        help_text=_(
            "Record the resident saying it, or choose a recording; it is "
            "written down later if you leave the text empty."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = CategoryChoiceField(label=_("Category"), required=False)
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Appeal.Priority.choices,
        initial=Appeal.Priority.NORMAL,
    )
    photos = PhotosField(label=_("Photos (up to 9)"))
    anonymous = forms.BooleanField(
        label=_("The resident stays anonymous"), required=False
    )
    name = forms.CharField(
        label=_("On behalf of (name)"), max_length=50, required=False
    )
    phone = forms.CharField(
        label=_("Their phone number"), max_length=20, required=False
    )
    language = forms.ChoiceField(
        label=_("Their language"),
        choices=settings.LANGUAGES,
        initial="zh-hans",
        required=False,
        help_text=_("Messages to the resident go out in it."),
    )

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or "zh-hans"

    def __init__(
        self,
        *args: Any,
        streets: Any = None,
        channel: str = Channel.PHONE,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("channel", channel)
        if streets is not None:
            self.fields["street"].queryset = streets  # type: ignore[attr-defined]
            if streets.count() == 1:
                self.initial.setdefault("street", streets.first())
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            self.initial.setdefault(
                "received_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M")
            )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off"}
        ),
    )


class AddInformationForm(forms.Form):
    text = forms.CharField(
        label=_("Add information"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = PhotosField(label=_("Photos"))


class CallbackForm(forms.Form):
    resolved = forms.TypedChoiceField(
        label=_("Was your problem solved?"),
        choices=[("yes", _("Yes, solved")), ("no", _("No, not solved"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you?"),
        choices=Appeal.Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything else? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- console ----------------------------------------------------------------------


def unit_choices(street: Area) -> list[tuple[str, Any]]:
    """Every unit that can handle a street's appeals, grouped: its grids, its
    communities, and the departments serving it."""
    grids = Area.objects.filter(
        level=Area.Level.GRID, is_active=True, path__startswith=street.path
    ).order_by("code")
    communities = Area.objects.filter(
        level=Area.Level.COMMUNITY, is_active=True, path__startswith=street.path
    ).order_by("code")
    departments = departments_serving(street)
    return [
        (
            str(_("Departments")),
            [(f"department:{d.pk}", d.name) for d in departments.order_by("code")],
        ),
        (str(_("Communities")), [(f"community:{c.pk}", c.name) for c in communities]),
        (str(_("Grids")), [(f"grid:{g.pk}", g.name) for g in grids]),
    ]


def parse_unit(value: str) -> Unit:
    kind, _sep, pk = value.partition(":")
    if not pk.isdigit():
        raise ValidationError(_("Choose a unit."))
    if kind == "department":
        department = (
            Department.objects.filter(pk=int(pk)).select_related("area").first()
        )
        if department is None:
            raise ValidationError(_("Choose a unit."))
        return Unit(department=department)
    area = Area.objects.filter(pk=int(pk), level=kind).first()
    if area is None:
        raise ValidationError(_("Choose a unit."))
    return Unit(area=area)


def suggested_unit(appeal: Appeal) -> str:
    """The category's default unit for this appeal: a department, or the
    appeal's own grid or community."""
    version = appeal.category_version
    if version is None:
        return ""
    if version.default_department_id:
        return f"department:{version.default_department_id}"
    if appeal.grid_id and version.default_unit_type == "grid":
        return f"grid:{appeal.grid_id}"
    if (
        appeal.grid is not None
        and version.default_unit_type == "community"
        and appeal.grid.parent_id
    ):
        return f"community:{appeal.grid.parent_id}"
    return ""


class DispatchForm(forms.Form):
    lead = forms.ChoiceField(label=_("Lead unit"))
    co_handlers = forms.MultipleChoiceField(
        label=_("Co-handlers"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)

    def __init__(self, *args: Any, street: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = unit_choices(street)
        self.fields["lead"].choices = [("", "---------")] + choices  # type: ignore[attr-defined]
        self.fields["co_handlers"].choices = choices  # type: ignore[attr-defined]

    def clean_lead(self) -> Unit:
        return parse_unit(self.cleaned_data["lead"])

    def clean_co_handlers(self) -> list[Unit]:
        return [parse_unit(v) for v in self.cleaned_data["co_handlers"]]


def _share_field(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, empty_value=None)


class _ShareForm(forms.Form):
    """A step on one of the appeal's shares, chosen among ``shares``."""

    def __init__(self, *args: Any, shares: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shares = list(shares)
        field = self.fields["assignment"]
        field.choices = [  # type: ignore[attr-defined]
            (
                share.pk,
                _("%(unit)s (%(role)s)")
                % {"unit": share.unit, "role": share.get_role_display()},
            )
            for share in shares
        ]
        if len(shares) == 1:
            field.initial = shares[0].pk


class RecallForm(_ShareForm):
    """撤回: a share not yet signed for goes back to the street."""

    assignment = _share_field(_("Share to recall"))
    reason = forms.CharField(
        label=_("Why it is recalled"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReassignForm(_ShareForm):
    """改派: a share not yet signed for goes to another unit at once."""

    assignment = _share_field(_("Share to reassign"))
    to = forms.ChoiceField(label=_("Reassign to"))
    reason = forms.CharField(
        label=_("Why it is reassigned"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, street: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [("", "---------"), *unit_choices(street)]  # type: ignore[attr-defined]

    def clean_to(self) -> Unit:
        return parse_unit(self.cleaned_data["to"])


class CompleteShareForm(forms.Form):
    """协办完成: the co-handler says what it did."""

    note = forms.CharField(
        label=_("What your unit did"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseShareForm(_ShareForm):
    """The lead closes a co-handler's share with a note."""

    assignment = _share_field(_("Co-handler's share"))
    note = forms.CharField(
        label=_("Why it needs nothing more from them"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CategoriseForm(forms.Form):
    category = CategoryChoiceField(label=_("Category"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Appeal.Priority.choices,
        help_text=_(
            "Urgent runs on the category's urgent clocks; a new priority "
            "or category counts the deadlines again from receipt."
        ),
    )
    grid = forms.ModelChoiceField(
        label=_("Grid"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("For an appeal given only an address, say which grid it is in."),
    )

    def __init__(self, *args: Any, street: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            level=Area.Level.GRID, is_active=True, path__startswith=street.path
        ).order_by("code")

    def category_obj(self) -> Category | None:
        return _category(self.cleaned_data.get("category"))


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is out of scope"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    redirect_to = forms.CharField(
        label=_("Where the resident should go instead"), max_length=200, required=False
    )


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Tracking code of the main appeal"), max_length=20)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TranscribeForm(forms.Form):
    """听写: what a voice message says, written down (or corrected). It carries
    the transcription it was opened on, so a second operator who wrote
    meanwhile is not overwritten unseen."""

    voice = forms.TypedChoiceField(label=_("Voice message"), coerce=int)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    transcript = forms.CharField(
        label=_("What the voice message says"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Write it as it is said. When the resident typed nothing, this "
            "becomes the appeal's description."
        ),
    )

    def __init__(self, *args: Any, voices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        voices = list(voices)
        field = self.fields["voice"]
        field.choices = [  # type: ignore[attr-defined]
            (voice.pk, _("Voice message %(n)s") % {"n": n})
            for n, voice in enumerate(voices, start=1)
        ]
        if len(voices) == 1:
            field.widget = forms.HiddenInput()
        # The first one still to write down, else the first: corrected.
        first = next(
            (v for v in voices if not v.transcribed), voices[0] if voices else None
        )
        if first is not None and not self.is_bound:
            self.initial.update(
                voice=first.pk, revision=first.revision, transcript=first.transcript
            )


class ProgressForm(forms.Form):
    note = forms.CharField(
        label=_("Progress"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    public = forms.BooleanField(label=_("Show to the resident"), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this is not for your unit"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReplyForm(forms.Form):
    # Not required here: the action says what is missing (the outcome, or the
    # reason a "not resolved" needs).
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=ReplyOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    outcome_reason = forms.CharField(
        label=_("Why it is not (fully) resolved"),
        help_text=_("Required when it is not resolved; the resident reads it."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    template = forms.ModelChoiceField(
        label=_("Start from a template"),
        queryset=ResponseTemplate.objects.none(),
        required=False,
    )
    public_reply = forms.CharField(
        label=_("Reply to the resident"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    internal_note = forms.CharField(
        label=_("Internal note (not shown to the resident)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photos = PhotosField(label=_("Photos of the result"))

    def __init__(self, *args: Any, appeal: Appeal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        self.fields["template"].queryset = ResponseTemplate.objects.filter(  # type: ignore[attr-defined]
            Q(category__isnull=True) | Q(category_id=appeal.category_id), is_active=True
        )


class ExtensionRequestForm(forms.Form):
    days = forms.DecimalField(
        label=_("Extra working days"), min_value=0.5, max_value=30, decimal_places=1
    )
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class ExtensionDecisionForm(forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


CALLBACK_OUTCOMES = [
    ("reached", _("Reached the resident")),
    ("unreachable", _("Not reached")),
]


class OperatorCallbackForm(CallbackForm):
    """The operator's callback: the resident's answer, or a call that did not
    reach them (未接通), which needs no answer."""

    field_order = ["call", "resolved", "satisfaction", "comment"]

    call = forms.ChoiceField(
        label=_("The call"),
        choices=CALLBACK_OUTCOMES,
        initial="reached",
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolved"].required = False
        self.fields["satisfaction"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["call"] = data.get("call") or "reached"
        if data["call"] == "reached":
            if self.data.get(self.add_prefix("resolved")) in (None, ""):
                self.add_error("resolved", _("Say whether it was solved."))
            if not data.get("satisfaction"):
                self.add_error("satisfaction", _("Choose how satisfied you are."))
        return data


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Any"))] + list(Appeal.State.choices),
        required=False,
    )
    category = CategoryChoiceField(label=_("Category"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", _("Any"))] + list(Channel.choices),
        required=False,
    )
    grid = forms.ModelChoiceField(
        label=_("Grid"), queryset=Area.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    received_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, grids: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["category"].widget.choices = lambda: (
            [("", _("Any"))] + (category_choices()[1:])
        )


def attach_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show an action's refusal on the field it names, or on the whole form."""
    field = exc.field.split(".")[0] if exc.field else None
    if field and field in form.fields and form.fields[field].widget.is_hidden:
        field = None  # e.g. the idempotency key: nobody would see the message
    if field == "location":
        field = "address" if "address" in form.fields else None
    if field and field in form.fields:
        form.add_error(field, exc.message)
    else:
        form.add_error(None, exc.message)


# --- grid work: 就地处置 and 核查 ----------------------------------------------------


class OnSiteForm(PhotoKeepingForm, LocationFields):
    """发现并已就地处置: a problem found on patrol and dealt with there, with
    photos before and after (both kept while the form is fixed)."""

    kept_fields = {"before_photos": "kept_before", "after_photos": "kept_after"}

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Area.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=kind_choices, required=False)
    category = CategoryChoiceField(label=_("Category"), required=False)
    description = forms.CharField(
        label=_("What you found"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    before_photos = PhotosField(
        label=_("Photos before"),
        help_text=_("At least one, taken before you dealt with it."),
    )
    note = forms.CharField(
        label=_("What you did"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    after_photos = PhotosField(
        label=_("Photos after"),
        help_text=_("At least one, taken once it was dealt with."),
    )

    def __init__(self, *args: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]
        if grids.count() == 1:
            self.initial.setdefault("grid", grids.first())
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def action_input(self) -> dict[str, Any]:
        """The 就地处置 action's input from the cleaned data and kept photos."""
        data = self.cleaned_data
        return {
            "grid": data["grid"],
            "description": data["description"],
            "note": data["note"],
            "kind": data["kind"],
            "category": _category(data.get("category")),
            "answers": extra_answers(self.data),
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "address": data["address"],
            "before_photos": self.kept_sets["before_photos"].all(),
            "after_photos": self.kept_sets["after_photos"].all(),
            "idempotency_key": data["idempotency_key"],
        }


class GridWorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class VerificationRequestForm(forms.Form):
    grid_worker = GridWorkerChoiceField(
        label=_("Grid worker who verifies on site"), queryset=User.objects.none()
    )
    note = forms.CharField(
        label=_("What to check"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, grid_workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid_worker"].queryset = grid_workers  # type: ignore[attr-defined]
        if not self.is_bound and len(grid_workers) == 1:
            self.initial.setdefault("grid_worker", grid_workers[0].pk)


VERIFY_RESULTS = [
    ("passed", _("Passed")),
    ("failed", _("Not passed: handle it again")),
]


class VerifyForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("What you found on site"),
        choices=VERIFY_RESULTS,
        coerce=lambda v: v == "passed",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (the reason, when it does not pass)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photos = PhotosField(label=_("Photos on site (optional)"))
