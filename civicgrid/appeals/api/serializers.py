"""What the appeal API reads and writes. Output mirrors the console and the
tracking page (contacts masked as the console masks them); input serializers
only parse, under the names the console's forms use — the steps and actions
decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civicgrid.core.crypto import mask_email, mask_name, mask_phone
from civicgrid.core.images import MAX_PHOTOS_PER_APPEAL
from civicgrid.core.pii import public_text
from civicgrid.org.api.serializers import AreaRefSerializer
from civicgrid.org.models import Area

from .. import forms, labels, selectors
from ..access import follow_token
from ..actions import Unit
from ..clocks import Clocks, appeal_clocks, clocks_for
from ..models import (
    Appeal,
    Assignment,
    Attachment,
    CaseEvent,
    Category,
    CategoryQuestion,
    Channel,
    ExtensionRequest,
    Kind,
    ReplyOutcome,
    Submission,
    Verification,
    VoiceMessage,
)
from ..permissions import ACTION_ORDER, is_my_share
from ..photos import VARIANTS
from ..workflow import ACTION_STATES

PENDING = "pending"
RECEIPT_STATES = [(PENDING, _("Being registered")), *Appeal.State.choices]


# --- the catalogue ------------------------------------------------------------------


class CategoryRefSerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["id", "code", "name"]


class QuestionSerializer(serializers.ModelSerializer[CategoryQuestion]):
    class Meta:
        model = CategoryQuestion
        fields = ["code", "label", "datatype", "required", "choices"]


class CategorySerializer(serializers.ModelSerializer[Category]):
    """A leaf of the catalogue with the terms of its current version."""

    parent = CategoryRefSerializer(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(
        source="current_version.kind", choices=Kind.choices, read_only=True
    )
    version = serializers.IntegerField(source="current_version.number", read_only=True)
    response_hours = serializers.FloatField(
        source="current_version.response_hours",
        read_only=True,
        help_text=_("Working hours a unit has to sign for it."),
    )
    handling_days = serializers.FloatField(
        source="current_version.handling_days",
        read_only=True,
        help_text=_("Working days a unit has to answer it."),
    )
    urgent_response_hours = serializers.SerializerMethodField(
        help_text=_("Working hours a unit has to sign for an urgent one.")
    )
    urgent_handling_days = serializers.SerializerMethodField(
        help_text=_("Working days a unit has to answer an urgent one.")
    )
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "name",
            "description",
            "keywords",
            "parent",
            "kind",
            "version",
            "response_hours",
            "handling_days",
            "urgent_response_hours",
            "urgent_handling_days",
            "questions",
        ]

    def _urgent(self, category: Category) -> Clocks | None:
        version = category.current_version
        return None if version is None else clocks_for(version, Appeal.Priority.URGENT)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_urgent_response_hours(self, category: Category) -> float | None:
        urgent = self._urgent(category)
        return None if urgent is None else float(urgent.response_hours)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_urgent_handling_days(self, category: Category) -> float | None:
        urgent = self._urgent(category)
        return None if urgent is None else float(urgent.handling_days)


# --- appeals ------------------------------------------------------------------------


class ContactSerializer(serializers.Serializer[Any]):
    anonymous = serializers.BooleanField()
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    masked = serializers.BooleanField(
        help_text=_("False only in the answer to reveal-contact, which is recorded.")
    )


def masked_contact(appeal: Appeal) -> dict[str, Any]:
    """The resident's contact as the console lists it: 张* 138****5678."""
    if appeal.anonymous:
        return {"anonymous": True, "name": "", "phone": "", "email": "", "masked": True}
    return {
        "anonymous": False,
        "name": mask_name(appeal.appellant_name or ""),
        "phone": mask_phone(appeal.appellant_phone or ""),
        "email": mask_email(appeal.appellant_email or ""),
        "masked": True,
    }


class PhotoSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    public = serializers.BooleanField()
    content_type = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    thumb = serializers.CharField(help_text=_("Where the JPEG thumbnail is."))
    full = serializers.CharField(help_text=_("Where the photo is."))


def staff_photo_links(attachment: Attachment) -> dict[str, Any]:
    return _photo(
        attachment,
        lambda variant: reverse(
            "api:appeal-photo",
            kwargs={
                "pk": attachment.appeal_id,
                "attachment": attachment.pk,
                "variant": variant,
            },
        ),
    )


def public_photo_links(attachment: Attachment, code: str) -> dict[str, Any]:
    return _photo(
        attachment,
        lambda variant: reverse(
            "appeals:track_photo", args=[code, attachment.pk, variant]
        ),
    )


def _photo(attachment: Attachment, url: Any) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "public": attachment.public,
        "content_type": attachment.content_type,
        "width": attachment.width,
        "height": attachment.height,
        **{variant: url(variant) for variant in VARIANTS},
    }


class VoiceMessageSerializer(serializers.ModelSerializer[VoiceMessage]):
    """A voice message (语音留言) and what an operator wrote down of it."""

    url = serializers.SerializerMethodField(help_text=_("Where the recording is."))
    transcribed_by = serializers.CharField(
        source="transcribed_by.get_full_name",
        default=None,
        allow_null=True,
        read_only=True,
    )

    class Meta:
        model = VoiceMessage
        fields = [
            "id",
            "content_type",
            "size",
            "duration",
            "url",
            "transcript",
            "transcript_is_description",
            "transcribed_at",
            "transcribed_by",
            "revision",
        ]
        extra_kwargs = {
            "revision": {
                "help_text": _(
                    "How many times it was written down: send it back with "
                    "transcribe, so a transcription written meanwhile is not "
                    "overwritten unseen."
                )
            }
        }

    def get_url(self, voice: VoiceMessage) -> str:
        return reverse(
            "api:appeal-voice", kwargs={"pk": voice.appeal_id, "voice": voice.pk}
        )


class AppealSerializer(serializers.ModelSerializer[Appeal]):
    """An appeal as the console lists it: no description, the contact masked."""

    street = AreaRefSerializer(read_only=True)
    grid = AreaRefSerializer(read_only=True, allow_null=True)
    category = CategoryRefSerializer(read_only=True, allow_null=True)
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "tracking_code",
            "state",
            "kind",
            "channel",
            "priority",
            "street",
            "grid",
            "category",
            "address",
            "received_at",
            "due_at",
            "updated_at",
            "supervised",
            "contact",
        ]

    @extend_schema_field(ContactSerializer)
    def get_contact(self, appeal: Appeal) -> dict[str, Any]:
        return masked_contact(appeal)


class UnitSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text=_('As dispatch takes it: "department:7".'))
    name = serializers.CharField()


class AssignmentSerializer(serializers.ModelSerializer[Assignment]):
    unit = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    mine = serializers.SerializerMethodField(
        help_text=_("Whether this share went to one of the user's units.")
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "role",
            "state",
            "unit",
            "dispatched_at",
            "response_due_at",
            "due_at",
            "signed_at",
            "replied_at",
            "returned_at",
            "return_reason",
            "recalled_at",
            "recall_reason",
            "completed_at",
            "overdue",
            "mine",
        ]

    @extend_schema_field(UnitSerializer)
    def get_unit(self, assignment: Assignment) -> dict[str, str]:
        unit = Unit(area=assignment.area, department=assignment.department)
        return {"key": unit.key, "name": str(unit)}

    def get_overdue(self, assignment: Assignment) -> bool:
        return assignment.overdue_at is not None

    def get_mine(self, assignment: Assignment) -> bool:
        return is_my_share(self.context["request"].user, assignment)


class EventSerializer(serializers.ModelSerializer[CaseEvent]):
    actor = serializers.CharField(
        source="actor.get_full_name",
        default=None,
        allow_null=True,
        read_only=True,
    )
    actor_label = serializers.SerializerMethodField(
        help_text=_("Who acted, in words: 居民, 系统, or a person and their unit.")
    )
    summary = serializers.SerializerMethodField(
        help_text=_(
            "What the event changed, in words, where it says more than its "
            "action (a correction: the new priority and deadlines); else empty."
        )
    )
    photos = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "action",
            "actor",
            "actor_role",
            "actor_label",
            "summary",
            "assignment",
            "from_state",
            "to_state",
            "note",
            "public",
            "data",
            "created_at",
            "photos",
        ]

    def get_actor_label(self, event: CaseEvent) -> str:
        return labels.actor_label(event)

    def get_summary(self, event: CaseEvent) -> str:
        return labels.event_summary(event)

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, event: CaseEvent) -> list[dict[str, Any]]:
        return [staff_photo_links(a) for a in event.attachments.all()]


class PendingExtensionSerializer(serializers.ModelSerializer[ExtensionRequest]):
    """An extension request waiting for the dispatcher; decide-extension takes
    its id."""

    unit = serializers.CharField(source="assignment.unit", read_only=True)
    requested_by = serializers.CharField(
        source="requested_by.get_full_name", read_only=True
    )

    class Meta:
        model = ExtensionRequest
        fields = ["id", "assignment", "unit", "days", "reason", "requested_by"]


class PendingVerificationSerializer(serializers.ModelSerializer[Verification]):
    """The check on site (核查) waiting for a grid worker."""

    grid_worker = serializers.CharField(
        source="grid_worker.get_full_name", read_only=True
    )

    class Meta:
        model = Verification
        fields = ["id", "grid_worker", "requested_at", "note"]


class CategoryVersionSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    response_hours = serializers.FloatField()
    handling_days = serializers.FloatField()


class ClocksSerializer(serializers.Serializer[Any]):
    """The clocks an appeal runs on: its category version's, for its priority."""

    response_hours = serializers.FloatField(
        help_text=_("Working hours a unit has to sign for it.")
    )
    handling_days = serializers.FloatField(
        help_text=_("Working days a unit has to answer it.")
    )


class AppealDetailSerializer(AppealSerializer):
    """The appeal page: its units, its staff timeline, its photos, and what the
    user may do now. Give the context ``actions`` (the user's available actions)
    and, to show it, ``pending_extension``; ``contact`` replaces the masked one."""

    category_version = CategoryVersionSerializer(read_only=True, allow_null=True)
    clocks = serializers.SerializerMethodField(
        help_text=_(
            "The clocks it runs on: its category version's, for its priority "
            "(the urgent ones when urgent); null without a category."
        )
    )
    merged_into = serializers.CharField(
        source="merged_into.tracking_code",
        default=None,
        allow_null=True,
        read_only=True,
    )
    assignments = AssignmentSerializer(many=True, read_only=True)
    timeline = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    voice_messages = VoiceMessageSerializer(many=True, read_only=True)
    pending_extension = serializers.SerializerMethodField()
    pending_verification = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(
        help_text=_("What the user may do now, the next step first.")
    )
    message = serializers.SerializerMethodField(
        help_text=_(
            "What the step just taken did, in the user's language, as the console "
            "says it; empty when no step was taken."
        )
    )
    texts_in_full = serializers.SerializerMethodField(
        help_text=_(
            "Only in the answer to reveal-contact: the texts that held a phone or "
            "ID number (shown masked everywhere else), whole, by where they are: "
            "description, event:<id>, event:<id>:outcome_reason, "
            "assignment:<id>:return_reason and the like."
        )
    )

    class Meta(AppealSerializer.Meta):
        fields = [
            *AppealSerializer.Meta.fields,
            "texts_in_full",
            "description",
            "answers",
            "latitude",
            "longitude",
            "category_version",
            "clocks",
            "accepted_at",
            "dispatched_at",
            "replied_at",
            "reply_outcome",
            "reply_outcome_reason",
            "closed_at",
            "close_reason",
            "reject_reason",
            "redirect_to",
            "merged_into",
            "return_count",
            "rehandle_count",
            "urge_count",
            "resolved",
            "satisfaction",
            "callback_comment",
            "callback_at",
            "assignments",
            "timeline",
            "photos",
            "voice_messages",
            "pending_extension",
            "pending_verification",
            "actions",
            "message",
        ]

    @extend_schema_field(ContactSerializer)
    def get_contact(self, appeal: Appeal) -> dict[str, Any]:
        revealed = self.context.get("contact")
        if revealed is None:
            return masked_contact(appeal)
        contact = {k: v for k, v in revealed.items() if k != "texts"}
        return {"anonymous": appeal.anonymous, "masked": False, **contact}

    @extend_schema_field(
        serializers.DictField(child=serializers.CharField(), allow_null=True)
    )
    def get_texts_in_full(self, appeal: Appeal) -> dict[str, str] | None:
        revealed = self.context.get("contact")
        return None if revealed is None else dict(revealed.get("texts", {}))

    @extend_schema_field(ClocksSerializer(allow_null=True))
    def get_clocks(self, appeal: Appeal) -> dict[str, float] | None:
        clocks = appeal_clocks(appeal)
        if clocks is None:
            return None
        return {
            "response_hours": float(clocks.response_hours),
            "handling_days": float(clocks.handling_days),
        }

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, appeal: Appeal) -> Any:
        return EventSerializer(selectors.staff_timeline(appeal), many=True).data

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, appeal: Appeal) -> list[dict[str, Any]]:
        return [staff_photo_links(a) for a in appeal.attachments.all()]

    @extend_schema_field(PendingExtensionSerializer(allow_null=True))
    def get_pending_extension(self, appeal: Appeal) -> Any:
        pending = self.context.get("pending_extension")
        return PendingExtensionSerializer(pending).data if pending else None

    @extend_schema_field(PendingVerificationSerializer(allow_null=True))
    def get_pending_verification(self, appeal: Appeal) -> Any:
        pending = self.context.get("pending_verification")
        return PendingVerificationSerializer(pending).data if pending else None

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=ACTION_ORDER))
    )
    def get_actions(self, appeal: Appeal) -> list[str]:
        return list(self.context.get("actions", []))

    def get_message(self, appeal: Appeal) -> str:
        return str(self.context.get("message", ""))


class ReceiptSerializer(serializers.Serializer[Any]):
    """What intake answers at once: the code to follow it by."""

    tracking_code = serializers.CharField()
    state = serializers.ChoiceField(
        choices=RECEIPT_STATES,
        help_text=_('"pending" until the worker registers it, moments later.'),
    )
    received_at = serializers.DateTimeField()
    track_url = serializers.CharField()
    resident_key = serializers.CharField(
        help_text=_(
            "The resident's key to add information and answer the callback: "
            "give it to the resident only."
        ),
    )


# --- the tracking page (public) -----------------------------------------------------


class PublicEventSerializer(serializers.ModelSerializer[CaseEvent]):
    by = serializers.SerializerMethodField(
        help_text=_("Who acted: 居民, 系统 or the unit (never a staff member's name).")
    )
    note = serializers.SerializerMethodField()
    resolved = serializers.SerializerMethodField(
        help_text=_("For a callback: whether the resident said it was solved.")
    )
    outcome = serializers.SerializerMethodField(
        help_text=_("For a reply: what came of it (办理结果).")
    )
    outcome_reason = serializers.SerializerMethodField(
        help_text=_("For a reply: why it is not (fully) resolved.")
    )
    photos = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = [
            "action",
            "created_at",
            "by",
            "note",
            "resolved",
            "outcome",
            "outcome_reason",
            "photos",
        ]

    def get_by(self, event: CaseEvent) -> str:
        return labels.actor_label(event, public=True)

    @extend_schema_field(
        serializers.ChoiceField(choices=ReplyOutcome.choices, allow_null=True)
    )
    def get_outcome(self, event: CaseEvent) -> str | None:
        return event.data.get("outcome") if event.action == "reply" else None

    def get_outcome_reason(self, event: CaseEvent) -> str:
        if event.action != "reply":
            return ""
        return public_text(event.data.get("outcome_reason", ""))

    def get_note(self, event: CaseEvent) -> str:
        if event.action not in selectors.PUBLIC_NOTE_ACTIONS:
            return ""
        return public_text(event.note)

    def get_resolved(self, event: CaseEvent) -> bool | None:
        return event.data.get("resolved") if event.action == "callback" else None

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, event: CaseEvent) -> list[dict[str, Any]]:
        code = self.context["code"]
        return [
            public_photo_links(a, code) for a in event.attachments.all() if a.public
        ]


class TrackSerializer(serializers.ModelSerializer[Appeal]):
    """The tracking page: what anyone holding the code may read. Give the
    context ``resident``: whether the resident's key came with it."""

    category = serializers.CharField(
        source="category.name",
        default=None,
        allow_null=True,
        read_only=True,
    )
    follow_url = serializers.SerializerMethodField(
        help_text=_("For a merged appeal: where to follow the main one.")
    )
    timeline = serializers.SerializerMethodField()
    latest_reply = serializers.SerializerMethodField()
    can_add_information = serializers.SerializerMethodField()
    can_callback = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "tracking_code",
            "state",
            "category",
            "description",
            "received_at",
            "due_at",
            "reject_reason",
            "redirect_to",
            "follow_url",
            "timeline",
            "latest_reply",
            "can_add_information",
            "can_callback",
        ]

    def to_representation(self, instance: Appeal) -> Any:
        self._events = list(selectors.public_timeline(instance))  # read once
        record = super().to_representation(instance)
        # The public record shows no phone or ID number, not even masked.
        for name in ("description", "reject_reason"):
            record[name] = public_text(record[name])
        return record

    def _public(self, events: list[CaseEvent], appeal: Appeal, many: bool) -> Any:
        return PublicEventSerializer(
            events if many else events[0],
            many=many,
            context={"code": appeal.tracking_code},
        ).data

    def get_follow_url(self, appeal: Appeal) -> str | None:
        if not appeal.merged_into_id:
            return None
        return reverse("appeals:follow", args=[follow_token(appeal.merged_into_id)])

    @extend_schema_field(PublicEventSerializer(many=True))
    def get_timeline(self, appeal: Appeal) -> Any:
        return self._public(self._events, appeal, many=True)

    @extend_schema_field(PublicEventSerializer(allow_null=True))
    def get_latest_reply(self, appeal: Appeal) -> Any:
        reply = selectors.latest_reply(self._events)
        return self._public([reply], appeal, many=False) if reply else None

    def get_can_add_information(self, appeal: Appeal) -> bool:
        return self._resident_may(appeal, "add_information")

    def get_can_callback(self, appeal: Appeal) -> bool:
        return self._resident_may(appeal, "callback")

    def _resident_may(self, appeal: Appeal, action: str) -> bool:
        return bool(self.context.get("resident")) and (
            appeal.state in ACTION_STATES[action]
        )


class PendingTrackSerializer(serializers.ModelSerializer[Submission]):
    """The tracking page in the moments before the worker registers it."""

    state = serializers.SerializerMethodField()
    registering_slowly = serializers.SerializerMethodField(
        help_text=_("A registration attempt failed; it is retried, and staff told.")
    )

    class Meta:
        model = Submission
        fields = ["tracking_code", "state", "received_at", "registering_slowly"]

    @extend_schema_field(serializers.ChoiceField(choices=[PENDING]))
    def get_state(self, submission: Submission) -> str:
        return PENDING

    def get_registering_slowly(self, submission: Submission) -> bool:
        return submission.attempts > 0


# --- input --------------------------------------------------------------------------


class CategoryField(serializers.IntegerField):
    """A category of the catalogue by its id: an active leaf, as the forms take
    it (one cached lookup)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=2**31 - 1, **kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Category | None:
        pk = super().run_validation(data)  # an id in range, or None
        if pk is None:
            return None
        category = selectors.category_for_intake(pk)
        if category is None:
            raise serializers.ValidationError(_("Choose a category from the list."))
        return category


class UnitField(serializers.CharField):
    """A handling unit as the dispatch form names it: "department:7",
    "community:3" or "grid:12"."""

    def to_internal_value(self, data: Any) -> Unit:  # type: ignore[override]
        try:
            return forms.parse_unit(super().to_internal_value(data))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class PhotosSerializer(serializers.Serializer[Any]):
    """Photos (multipart, the field repeated), processed as the pages process
    them: decoded, checked, re-encoded without metadata."""

    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_PHOTOS_PER_APPEAL,
        help_text=_("JPEG, PNG or WebP; multipart only."),
    )

    def validate_photos(self, files: list[Any]) -> Any:
        return forms.PhotosField().clean(files)


class AppealInputSerializer(PhotosSerializer):
    description = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("What happened; may be left out when a voice message is sent."),
    )
    voice = serializers.FileField(
        required=False,
        help_text=_(
            "A voice message instead of (or besides) the description: WebM, Ogg, "
            "MP4 (M4A) or MP3 audio; multipart only."
        ),
    )
    street = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("The street's code; may be left out where there is one street."),
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        required=False,
        help_text=_(
            "phone, letter, visit and patrol are entered by the street's staff "
            "and answered with the appeal (201); api (another system, signed in "
            "with its client key: the default for it) and web (a resident: the "
            "default for anyone else) are received and answered with the "
            "tracking code (202)."
        ),
    )
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    category = CategoryField(required=False, allow_null=True)
    answers = serializers.DictField(
        required=False,
        help_text=_("The category's extra questions, code → answer."),
    )
    latitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-90, max_value=90
    )
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    anonymous = serializers.BooleanField(default=False)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    consent = serializers.BooleanField(
        default=False,
        help_text=_("The resident accepted the privacy notice (required for web)."),
    )
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    priority = serializers.ChoiceField(
        choices=Appeal.Priority.choices, default=Appeal.Priority.NORMAL
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        default="zh-hans",
        help_text=_("The resident's language: their messages go out in it."),
    )

    def validate_voice(self, file: Any) -> Any:
        try:
            return forms.VoiceField().clean(file)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        street = selectors.default_street(attrs.get("street"))
        if street is None:
            raise serializers.ValidationError(
                {
                    "street": [
                        _("No active street has this code.")
                        if attrs.get("street")
                        else _("Name the street: there are several.")
                    ]
                }
            )
        return {**attrs, "street": street}


class AppealFilterSerializer(serializers.Serializer[Any]):
    queue = serializers.ChoiceField(choices=selectors.QUEUES, default="all")
    q = serializers.CharField(required=False, allow_blank=True)
    state = serializers.ChoiceField(choices=Appeal.State.choices, required=False)
    category = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    grid = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(level=Area.Level.GRID).only("pk", "code"),
        required=False,
        help_text=_("A grid's code."),
    )
    department = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1
    )
    received_from = serializers.DateField(required=False)
    received_to = serializers.DateField(required=False)
    ordering = serializers.ChoiceField(choices=selectors.ORDERINGS, required=False)


class NoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class CategoriseSerializer(serializers.Serializer[Any]):
    category = CategoryField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    priority = serializers.ChoiceField(choices=Appeal.Priority.choices, required=False)
    grid = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(level=Area.Level.GRID, is_active=True),
        required=False,
        allow_null=True,
        help_text=_("A grid's code: where an address-only appeal is."),
    )


class RejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=1000)
    redirect_to = serializers.CharField(
        max_length=200, required=False, allow_blank=True
    )


class MergeSerializer(serializers.Serializer[Any]):
    into = serializers.CharField(
        max_length=20, help_text=_("The main appeal's tracking code.")
    )


class DispatchSerializer(serializers.Serializer[Any]):
    lead = UnitField(help_text=_('The lead unit (主办), e.g. "department:7".'))
    co_handlers = serializers.ListField(
        child=UnitField(), required=False, help_text=_("Co-handlers.")
    )
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=1000)


class ShareSerializer(serializers.Serializer[Any]):
    assignment = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("The share's id (the appeal's assignments)."),
    )


class RecallSerializer(ShareSerializer, ReasonSerializer):
    """撤回: a share not yet signed for."""


class ReassignSerializer(RecallSerializer):
    """改派: a share not yet signed for, to another unit."""

    to = UnitField(help_text=_('The unit it goes to, e.g. "department:7".'))


class ShareNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000)


class CloseShareSerializer(ShareSerializer, ShareNoteSerializer):
    """A co-handler's share the lead closes, with a note."""


class ProgressNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000)
    public = serializers.BooleanField(
        default=False, help_text=_("Show it to the resident.")
    )


class ReplySerializer(PhotosSerializer):
    outcome = serializers.ChoiceField(
        choices=ReplyOutcome.choices,
        help_text=_(
            "What came of it (办理结果): resolved, partly resolved, not resolved "
            "(give outcome_reason) or outside our remit."
        ),
    )
    outcome_reason = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text=_("Why it is not (fully) resolved; required when not resolved."),
    )
    public_reply = serializers.CharField(
        max_length=4000,
        help_text=_("Every blank of a template (【 】) filled in."),
    )
    internal_note = serializers.CharField(
        max_length=4000, required=False, allow_blank=True
    )


class ExtensionRequestSerializer(ReasonSerializer):
    days = serializers.DecimalField(
        max_digits=3,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("30"),
    )


class ExtensionDecisionSerializer(serializers.Serializer[Any]):
    request_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class CallbackSerializer(serializers.Serializer[Any]):
    call = serializers.ChoiceField(
        choices=["reached", "unreachable"],
        default="reached",
        help_text=_(
            "unreachable: the call did not reach the resident; "
            "resolved and satisfaction are then not needed."
        ),
    )
    resolved = serializers.BooleanField(required=False)
    satisfaction = serializers.ChoiceField(
        choices=Appeal.Satisfaction.choices, required=False
    )
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("call") == "reached":
            missing = {
                name: [message]
                for name, message in (
                    ("resolved", _("Say whether it was solved.")),
                    ("satisfaction", _("Choose how satisfied you are.")),
                )
                if name not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class TranscribeSerializer(serializers.Serializer[Any]):
    voice = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("The id of one of the appeal's voice messages."),
    )
    transcript = serializers.CharField(
        max_length=4000, help_text=_("What the voice message says.")
    )
    revision = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        help_text=_(
            "The voice message's revision as read; another operator's "
            "transcription since then is a 409."
        ),
    )


class VerificationRequestSerializer(serializers.Serializer[Any]):
    grid_worker = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("The id of a grid worker of the appeal's grid."),
    )
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class VerifySerializer(PhotosSerializer):
    passed = serializers.BooleanField(
        help_text=_(
            "Passed (true) or not passed (false: the lead unit handles it "
            "again; give the reason as note)."
        )
    )
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


def _photo_list(help_text: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FileField(),
        max_length=MAX_PHOTOS_PER_APPEAL,
        help_text=help_text,
    )


class OnSiteSerializer(serializers.Serializer[Any]):
    """就地处置 (multipart): what a grid worker found on patrol and dealt
    with there, with photos before and after."""

    grid = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(level=Area.Level.GRID, is_active=True),
        help_text=_("The code of one of the grid worker's grids."),
    )
    description = serializers.CharField(max_length=4000)
    note = serializers.CharField(max_length=500, help_text=_("What was done."))
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    category = CategoryField(required=False, allow_null=True)
    answers = serializers.DictField(required=False)
    latitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-90, max_value=90
    )
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    before_photos = _photo_list(_("Photos before it was dealt with."))
    after_photos = _photo_list(_("Photos after it was dealt with."))

    def validate_before_photos(self, files: list[Any]) -> Any:
        return forms.PhotosField().clean(files)

    def validate_after_photos(self, files: list[Any]) -> Any:
        return forms.PhotosField().clean(files)


class InformationSerializer(PhotosSerializer):
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True)
