"""The 双报到 API: units and in-service party members registering to a
community, the community deciding, a registration ended, and a volunteer's
service ledger (the digital 报到联系证) — through the same selectors and
actions as the pages. People appear by their display name only; no phone."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.api.errors import invalid
from civicgrid.api.idempotency import idempotent
from civicgrid.ledger import selectors as ledger_selectors
from civicgrid.org.models import Area

from .. import actions, selectors
from ..models import Registration, ServiceEntry, UnitRegistration, Volunteer

STATES = "pending, confirmed, refused or ended"

# --- serializers --------------------------------------------------------------------


class _RegistrationSerializer(serializers.ModelSerializer[Any]):
    community_name = serializers.CharField(source="community.name", read_only=True)
    # Plain text rather than an enum: the two registrations share the choices,
    # and the schema names a shared choice set only through its settings.
    state = serializers.CharField(read_only=True, help_text=f"One of {STATES}.")
    decided_by = serializers.SerializerMethodField(
        help_text="Who decided (their display name)."
    )

    def get_decided_by(self, registration: Any) -> str | None:
        decider = registration.decided_by
        return decider.get_full_name() if decider else None


class VolunteerSerializer(_RegistrationSerializer):
    user = serializers.CharField(
        source="user.get_full_name", read_only=True, help_text="Display name."
    )
    unit_name = serializers.CharField(
        source="unit.organisation.name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "user",
            "community",
            "community_name",
            "unit",
            "unit_name",
            "duty",
            "skills",
            "availability",
            "pledge",
            "state",
            "decided_by",
            "decided_at",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class UnitRegistrationSerializer(_RegistrationSerializer):
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True
    )
    contact = serializers.CharField(
        source="contact.get_full_name", read_only=True, help_text="Display name."
    )

    class Meta:
        model = UnitRegistration
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "community",
            "community_name",
            "offers",
            "contact",
            "state",
            "decided_by",
            "decided_at",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class ServiceEntrySerializer(serializers.ModelSerializer[ServiceEntry]):
    class Meta:
        model = ServiceEntry
        fields = ["id", "kind", "title", "hours", "served_on", "wish"]
        read_only_fields = fields


class RegistrationFilterSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=Registration.choices, required=False)


class VolunteerRegisterSerializer(serializers.Serializer[Any]):
    community = serializers.IntegerField(
        min_value=1, help_text="The community where you live."
    )
    unit = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="Your unit: a confirmed unit registration.",
    )
    duty = serializers.CharField(max_length=100, required=False, allow_blank=True)
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True)
    availability = serializers.CharField(
        max_length=100, required=False, allow_blank=True
    )
    pledge = serializers.CharField(max_length=200, required=False, allow_blank=True)


class UnitRegisterSerializer(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(
        min_value=1,
        help_text="Your unit's party organisation (a joined party branch, a "
        "social organisation or the merchants' alliance); you are its contact.",
    )
    community = serializers.IntegerField(min_value=1)
    offers = serializers.CharField(max_length=1000)


class RegistrationDecideSerializer(serializers.Serializer[Any]):
    confirm = serializers.BooleanField()
    reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Required to refuse.",
    )


class RegistrationEndSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


# --- views --------------------------------------------------------------------------


def _community(pk: int) -> Area:
    # Communities are public, as the areas API lists them; the action checks
    # that it is one.
    community = Area.objects.filter(pk=pk, is_active=True).first()
    if community is None:
        raise invalid("community", _("Choose a community."))
    return community


class _RegistrationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Any],
):
    """What the two registrations share: the community decides, a
    registration ends."""

    lookup_value_regex = r"\d+"

    def _scoped(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        registrations = self._scoped()
        if self.action == "list":
            filters = RegistrationFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if state := filters.validated_data.get("state"):
                registrations = registrations.filter(state=state)
        return registrations.select_related("decided_by").order_by("-created_at", "-pk")

    def _answer(self, registration: Any, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=registration.pk).first() or registration
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(parameters=[RegistrationFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=RegistrationDecideSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """The community confirms the registration, or refuses it with a
        reason."""
        registration = self.get_object()
        given = RegistrationDecideSerializer(data=request.data)
        given.is_valid(raise_exception=True)

        def run() -> Response:
            actions.registration_decide(
                registration=registration,
                confirm=given.validated_data["confirm"],
                reason=given.validated_data.get("reason", ""),
                acting_user=request.user,
            )
            return self._answer(registration)

        return idempotent(request, run)

    @extend_schema(request=RegistrationEndSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        """The registration ends (moved, retired); its service ledger stays."""
        registration = self.get_object()
        given = RegistrationEndSerializer(data=request.data)
        given.is_valid(raise_exception=True)

        def run() -> Response:
            actions.registration_end(
                registration=registration,
                reason=given.validated_data.get("reason", ""),
                acting_user=request.user,
            )
            return self._answer(registration)

        return idempotent(request, run)


@extend_schema(tags=["partybuilding"])
class VolunteerViewSet(_RegistrationViewSet):
    """个人报到: the user's own registrations, their unit's members for a
    unit's contact, and those of the communities the staff's roles reach."""

    serializer_class = VolunteerSerializer

    def _scoped(self) -> QuerySet[Volunteer]:
        return selectors.volunteers_for_user(self.request.user)

    def get_object(self) -> Volunteer:
        return selectors.volunteer_get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=VolunteerRegisterSerializer, responses={201: VolunteerSerializer}
    )
    def create(self, request: Request) -> Response:
        """Register to the community where you live, as an in-service party
        member: your unit, post, skills, when you can help and your pledge."""
        given = VolunteerRegisterSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data

        def register() -> Response:
            unit = None
            if data.get("unit") is not None:
                # The units a member may name, as the page offers them.
                unit = UnitRegistration.objects.filter(
                    pk=data["unit"], state=Registration.CONFIRMED
                ).first()
                if unit is None:
                    raise invalid(
                        "unit", _("Choose a unit the community has confirmed.")
                    )
            volunteer = actions.volunteer_register(
                community=_community(data["community"]),
                unit=unit,
                duty=data.get("duty", ""),
                skills=data.get("skills", ""),
                availability=data.get("availability", ""),
                pledge=data.get("pledge", ""),
                acting_user=request.user,
            )
            return self._answer(volunteer, status.HTTP_201_CREATED)

        return idempotent(request, register)

    @extend_schema(responses=ServiceEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def ledger(self, request: Request, pk: str) -> Response:
        """The digital 报到联系证: the volunteer's services, newest first."""
        entries = selectors.service_ledger(self.get_object())
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(ServiceEntrySerializer(page, many=True).data)


@extend_schema(tags=["partybuilding"])
class UnitViewSet(_RegistrationViewSet):
    """单位报到: the units whose contact the user is, and those registered to
    the communities the staff's roles reach."""

    serializer_class = UnitRegistrationSerializer

    def _scoped(self) -> QuerySet[UnitRegistration]:
        return selectors.units_for_user(self.request.user)

    @extend_schema(
        request=UnitRegisterSerializer, responses={201: UnitRegistrationSerializer}
    )
    def create(self, request: Request) -> Response:
        """Register your unit's party organisation to a community, with what
        it can offer; you are its contact."""
        given = UnitRegisterSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data

        def register() -> Response:
            organisation = ledger_selectors.organisation_get_for_user(
                request.user, data["organisation"]
            )
            unit = actions.unit_register(
                organisation=organisation,
                community=_community(data["community"]),
                offers=data["offers"],
                acting_user=request.user,
            )
            return self._answer(unit, status.HTTP_201_CREATED)

        return idempotent(request, register)
