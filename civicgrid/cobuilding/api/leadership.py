"""Leaders' 分包, meetings and the services for new employment groups over
the API: what is open in a leader's areas; meetings with their decisions,
recorded and decided; riders' and couriers' services and their figures —
through the same selectors and actions as the pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.ledger import selectors as ledger_selectors
from civicgrid.org.models import Area

from .. import actions, selectors
from ..models import Decision, Meeting, Outreach

MAX_ID = 2**31 - 1  # a row's number; larger ones name no row

# --- 分包 ----------------------------------------------------------------------------


class ListOpenInSerializer(serializers.Serializer[Any]):
    appeals = serializers.IntegerField(help_text="Open appeals.")
    overdue = serializers.IntegerField(help_text="Of them, past their deadline.")
    opinions = serializers.IntegerField(help_text="Warning or urgent items heard.")
    problems = serializers.IntegerField(help_text="Problems waiting for a project.")
    projects = serializers.IntegerField(help_text="Projects underway.")
    wishes = serializers.IntegerField(help_text="Micro-wishes not yet delivered.")


class ListContractSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    leader = serializers.CharField(help_text="Display name.")
    area = serializers.IntegerField()
    area_name = serializers.CharField()
    since = serializers.DateField()
    open = ListOpenInSerializer()


def _contracts(contracts: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": c.pk,
            "leader": c.leader.get_full_name() or c.leader.get_username(),
            "area": c.area_id,
            "area_name": c.area.name,
            "since": c.since,
            "open": selectors.open_in(c.area),
        }
        for c in contracts
    ]


class ListContractsSerializer(serializers.Serializer[Any]):
    mine = ListContractSerializer(many=True, help_text="The areas the user took.")
    street = ListContractSerializer(
        many=True, help_text="Every leader's, for the street's staff."
    )


@extend_schema(tags=["cobuilding"], responses=ListContractsSerializer)
@api_view(["GET"])
def contracts(request: Request) -> Response:
    """分包: what is open in the communities and grids a leader took; the
    street's whole table for its administrator, leaders and dispatchers."""
    user = request.user
    mine = selectors.contracts_of(user).select_related("leader")
    return Response(
        {
            "mine": _contracts(mine),
            "street": _contracts(selectors.street_contracts(user)),
        }
    )


# --- meetings -------------------------------------------------------------------------


class ListDecisionSerializer(serializers.ModelSerializer[Decision]):
    owner = serializers.CharField(
        source="owner.get_full_name", read_only=True, default=None
    )

    class Meta:
        model = Decision
        fields = ["id", "text", "problem", "project", "owner", "due_on", "created_at"]
        read_only_fields = fields


class ListMeetingSerializer(serializers.ModelSerializer[Meeting]):
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    chair = serializers.CharField(
        source="chair.get_full_name", read_only=True, default=None
    )
    present = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField()
    decisions = ListDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "title",
            "held_at",
            "place",
            "area",
            "area_name",
            "chair",
            "present",
            "units",
            "minutes",
            "decisions",
        ]
        read_only_fields = fields

    def get_present(self, meeting: Meeting) -> list[str]:
        return [u.get_full_name() or u.get_username() for u in meeting.attendees.all()]

    def get_units(self, meeting: Meeting) -> list[str]:
        return [o.name for o in meeting.units.all()]


class ListMeetingRecordSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    title = serializers.CharField(max_length=100)
    held_at = serializers.DateTimeField()
    area = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="A street or community."
    )
    place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    chair = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    present = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )
    units = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        help_text="Organisations of the ledger represented.",
    )
    minutes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ListDecisionAddSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=300)
    problem = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    owner = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    due_on = serializers.DateField(required=False, allow_null=True)


def _users(pks: list[int]) -> list[Any]:
    return list(get_user_model().objects.filter(pk__in=pks, is_active=True))


@extend_schema(tags=["cobuilding"])
class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Meeting],
):
    """联席会, weekly studies and 研判会 of the areas the user reads."""

    serializer_class = ListMeetingSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Meeting]:
        return selectors.meetings_for_user(self.request.user).prefetch_related(
            "attendees", "units", "decisions__owner"
        )

    def get_object(self) -> Meeting:
        return selectors.meeting_get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=ListMeetingRecordSerializer, responses={201: ListMeetingSerializer}
    )
    def create(self, request: Request) -> Response:
        """Record a meeting: who came, the units represented, the minutes."""
        given = ListMeetingRecordSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        organisations = ledger_selectors.organisations_for_user(request.user)
        meeting = actions.meeting_record(
            data=actions.MeetingInput(
                kind=data["kind"],
                title=data["title"],
                held_at=data["held_at"],
                area=Area.objects.filter(pk=data["area"], is_active=True).first(),
                place=data.get("place", ""),
                chair=next(iter(_users([data["chair"]])), None)
                if data.get("chair")
                else None,
                attendees=_users(data.get("present", [])),
                units=list(organisations.filter(pk__in=data.get("units", []))),
                minutes=data.get("minutes", ""),
            ),
            acting_user=request.user,
        )
        return Response(
            ListMeetingSerializer(self.get_object_for(meeting)).data,
            status=status.HTTP_201_CREATED,
        )

    def get_object_for(self, meeting: Meeting) -> Meeting:
        return selectors.meeting_get_for_user(self.request.user, meeting.pk)

    @extend_schema(
        request=ListDecisionAddSerializer, responses={201: ListMeetingSerializer}
    )
    @action(detail=True, methods=["post"])
    def decisions(self, request: Request, pk: str) -> Response:
        """Add what the meeting decided, linked to the problem it decides
        (and its project, if one answers it)."""
        meeting = self.get_object()
        given = ListDecisionAddSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        problem = None
        if data.get("problem"):
            problem = selectors.problem_get_for_user(request.user, data["problem"])
        actions.decision_add(
            meeting=meeting,
            acting_user=request.user,
            text=data["text"],
            problem=problem,
            project=selectors.live_project(problem) if problem else None,
            owner=next(iter(_users([data["owner"]])), None)
            if data.get("owner")
            else None,
            due_on=data.get("due_on"),
        )
        return Response(
            ListMeetingSerializer(self.get_object_for(meeting)).data,
            status=status.HTTP_201_CREATED,
        )


# --- 新就业群体 --------------------------------------------------------------------


class ListOutreachSerializer(serializers.ModelSerializer[Outreach]):
    group = serializers.ChoiceField(choices=Outreach.Group.choices, read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    station_name = serializers.CharField(
        source="station.name", read_only=True, default=None
    )
    organisers = serializers.SerializerMethodField()

    class Meta:
        model = Outreach
        fields = [
            "id",
            "title",
            "held_on",
            "area",
            "area_name",
            "station",
            "station_name",
            "group",
            "served",
            "services",
            "organisers",
        ]
        read_only_fields = fields

    def get_organisers(self, outreach: Outreach) -> list[str]:
        return [o.name for o in outreach.organisers.all()]


class OutreachRecordSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=100)
    held_on = serializers.DateField()
    area = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="A street or community."
    )
    group = serializers.ChoiceField(choices=Outreach.Group.choices)
    served = serializers.IntegerField(min_value=1, max_value=100_000)
    services = serializers.CharField(max_length=300)
    station = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="A service station.",
    )
    organisers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )


@extend_schema(tags=["cobuilding"])
class OutreachViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Outreach]):
    """Services for delivery riders, couriers and drivers, newest first."""

    serializer_class = ListOutreachSerializer

    def get_queryset(self) -> QuerySet[Outreach]:
        return selectors.outreach_for_user(self.request.user)

    @extend_schema(
        request=OutreachRecordSerializer, responses={201: ListOutreachSerializer}
    )
    def create(self, request: Request) -> Response:
        """Record a service: an event such as the 717骑士节, a station's day."""
        given = OutreachRecordSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = request.user
        station = None
        if data.get("station"):
            station = (
                ledger_selectors.places_for_user(user)
                .filter(pk=data["station"])
                .first()
            )
            if station is None:
                raise serializers.ValidationError(
                    {"station": [_("No service station that you can see.")]}
                )
        outreach = actions.outreach_record(
            data=actions.OutreachInput(
                title=data["title"],
                held_on=data["held_on"],
                area=Area.objects.filter(pk=data["area"], is_active=True).first(),
                group=data["group"],
                served=data["served"],
                services=data["services"],
                station=station,
                organisers=list(
                    ledger_selectors.organisations_for_user(user).filter(
                        pk__in=data.get("organisers", [])
                    )
                ),
            ),
            acting_user=user,
        )
        return Response(
            ListOutreachSerializer(outreach).data, status=status.HTTP_201_CREATED
        )


class ListServedSerializer(serializers.Serializer[Any]):
    delivery = serializers.IntegerField(help_text="Delivery riders served.")
    courier = serializers.IntegerField()
    ride_hailing = serializers.IntegerField()
    truck = serializers.IntegerField()


@extend_schema(tags=["cobuilding"], responses=ListServedSerializer)
@api_view(["GET"])
def served(request: Request) -> Response:
    """为N名外卖小哥提供便捷服务: people served, by group."""
    return Response(ListServedSerializer(selectors.served_by_group(request.user)).data)
