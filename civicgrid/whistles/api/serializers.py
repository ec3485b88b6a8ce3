"""What the whistle API reads and writes. Output mirrors the whistle page; input
serializers only parse — the actions decide, as they do for the pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from civicgrid.core.errors import DomainError
from civicgrid.core.images import process_image
from civicgrid.org.api.serializers import DepartmentRefSerializer

from ..models import JointMeeting, Summons, Whistle, WhistleEvent, WhistleType


class WhistleTypeSerializer(serializers.ModelSerializer[WhistleType]):
    class Meta:
        model = WhistleType
        fields = ["id", "code", "name", "report_in_minutes", "report_in_working_hours"]


class SummonsSerializer(serializers.ModelSerializer[Summons]):
    department = DepartmentRefSerializer(read_only=True)
    checked_in_by = serializers.CharField(
        source="checked_in_by.get_full_name", default=None, read_only=True
    )
    has_photo = serializers.SerializerMethodField()
    photo_url = serializers.SerializerMethodField()
    mine = serializers.SerializerMethodField(
        help_text="Whether the user handles this department (reports in for it)."
    )

    class Meta:
        model = Summons
        fields = [
            "id",
            "department",
            "is_lead",
            "task",
            "due_at",
            "state",
            "checked_in_at",
            "checked_in_by",
            "attendees",
            "latitude",
            "longitude",
            "late",
            "escalated_at",
            "done_at",
            "done_note",
            "has_photo",
            "photo_url",
            "mine",
        ]

    def get_has_photo(self, summons: Summons) -> bool:
        return bool(summons.check_in_photo)

    def get_photo_url(self, summons: Summons) -> str | None:
        if not summons.check_in_photo:
            return None
        return reverse(
            "api:whistle-photo",
            kwargs={"pk": summons.whistle_id, "summons": summons.pk},
        )

    def get_mine(self, summons: Summons) -> bool:
        return summons.department_id in self.context.get("my_departments", set())


class WhistleSerializer(serializers.ModelSerializer[Whistle]):
    street = serializers.CharField(source="street.code", read_only=True)
    street_name = serializers.CharField(source="street.name", read_only=True)
    type = serializers.CharField(source="type.code", read_only=True)
    appeal = serializers.CharField(
        source="appeal.tracking_code", default=None, read_only=True
    )
    summonses = SummonsSerializer(many=True, read_only=True)

    class Meta:
        model = Whistle
        fields = [
            "id",
            "street",
            "street_name",
            "type",
            "title",
            "reason",
            "state",
            "appeal",
            "blown_at",
            "report_in_due_at",
            "closed_at",
            "consolidated_reply",
            "summonses",
        ]


class WhistleEventSerializer(serializers.ModelSerializer[WhistleEvent]):
    actor = serializers.CharField(
        source="actor.get_full_name", default=None, read_only=True
    )
    department = serializers.CharField(
        source="summons.department.name", default=None, read_only=True
    )

    class Meta:
        model = WhistleEvent
        fields = ["id", "action", "department", "actor", "note", "data", "created_at"]


class MeetingSerializer(serializers.ModelSerializer[JointMeeting]):
    class Meta:
        model = JointMeeting
        fields = ["id", "held_at", "attendees", "decisions", "recorded_at"]


class WhistleDetailSerializer(WhistleSerializer):
    events = WhistleEventSerializer(many=True, read_only=True)
    meetings = MeetingSerializer(many=True, read_only=True)
    message = serializers.SerializerMethodField(
        help_text=_(
            "What the step just taken did, in the user's language, as the console "
            "says it; empty when no step was taken."
        )
    )

    class Meta(WhistleSerializer.Meta):
        fields = [*WhistleSerializer.Meta.fields, "events", "meetings", "message"]

    def get_message(self, whistle: Whistle) -> str:
        return str(self.context.get("message", ""))


# --- input --------------------------------------------------------------------------


class WhistleFilterSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, allow_blank=True)
    state = serializers.ChoiceField(choices=Whistle.State.choices, required=False)
    type = serializers.SlugRelatedField(
        slug_field="code", queryset=WhistleType.objects.all(), required=False
    )
    department = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1
    )
    blown_from = serializers.DateField(required=False)
    blown_to = serializers.DateField(required=False)


class BlowSerializer(serializers.Serializer[Any]):
    street = serializers.CharField(
        required=False,
        help_text=_(
            "The street's code; may be left out by a dispatcher of one street."
        ),
    )
    type = serializers.CharField(help_text=_("A whistle type's code."))
    title = serializers.CharField(max_length=200)
    reason = serializers.CharField()
    departments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        allow_empty=True,
    )
    lead = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    appeal = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class SummonsRefSerializer(serializers.Serializer[Any]):
    summons = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class CheckInSerializer(SummonsRefSerializer):
    attendees = serializers.CharField(max_length=300, required=False, allow_blank=True)
    latitude = serializers.FloatField(required=False, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, min_value=-180, max_value=180)
    photo = serializers.FileField(required=False)

    def validate_photo(self, upload: Any) -> Any:
        try:
            return process_image(upload, filename=upload.name, field="photo")
        except DomainError as exc:
            raise serializers.ValidationError(exc.message) from exc


class TaskSerializer(SummonsRefSerializer):
    task = serializers.CharField(max_length=1000)
    days = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("60"),
        required=False,
    )


class ShareDoneSerializer(SummonsRefSerializer):
    note = serializers.CharField()


class MeetingInputSerializer(serializers.Serializer[Any]):
    held_at = serializers.DateTimeField()
    attendees = serializers.CharField()
    decisions = serializers.CharField()


class ScoreSerializer(SummonsRefSerializer):
    report_in = serializers.IntegerField(min_value=1, max_value=5)
    handling = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True)


class FeedbackSerializer(SummonsRefSerializer):
    justified = serializers.BooleanField()
    well_run = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True)


class CloseSerializer(serializers.Serializer[Any]):
    reply = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Left out, the lead department's consolidated reply is used."),
    )


class ConsolidatedReplySerializer(serializers.Serializer[Any]):
    reply = serializers.CharField(max_length=4000)


class ProgressSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000)


class CountersSerializer(serializers.Serializer[Any]):
    street = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    blown = serializers.IntegerField()
    resolved = serializers.IntegerField()
    departments_reported = serializers.IntegerField()
    average_report_in_minutes = serializers.FloatField(allow_null=True)
    late_check_ins = serializers.IntegerField()
    missing_check_ins = serializers.IntegerField()
