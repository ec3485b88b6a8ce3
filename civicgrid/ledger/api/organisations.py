"""The organisations API (组织): the party structure and the units joined to
it, members (masked) joining and leaving, 联建 pairs made and ended — through
the same selectors and actions as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.api.errors import invalid
from civicgrid.api.idempotency import idempotent
from civicgrid.core.crypto import mask_name, mask_phone
from civicgrid.org.models import Area

from .. import selectors
from ..actions import organisations as actions
from ..models import Organisation, OrganisationMember, Pairing

K = Organisation.Kind


class OrganisationFilterSerializer(serializers.Serializer[Any]):
    area = serializers.CharField(
        required=False, max_length=15, help_text="An area's code: it and below it."
    )
    kind = serializers.ChoiceField(choices=K.choices, required=False)


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    contact_name = serializers.SerializerMethodField(help_text="Masked.")
    contact_phone = serializers.SerializerMethodField(help_text="Masked.")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "kind",
            "name",
            "area",
            "area_name",
            "parent",
            "contact_name",
            "contact_phone",
            "lon",
            "lat",
            "is_active",
        ]
        read_only_fields = fields

    def get_contact_name(self, organisation: Organisation) -> str:
        return mask_name(organisation.contact_name or "")

    def get_contact_phone(self, organisation: Organisation) -> str:
        return mask_phone(organisation.contact_phone or "")


class MemberSerializer(serializers.ModelSerializer[OrganisationMember]):
    name = serializers.SerializerMethodField(help_text="Masked.")
    phone = serializers.SerializerMethodField(help_text="Masked.")
    place_name = serializers.CharField(
        source="place.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = OrganisationMember
        fields = [
            "id",
            "name",
            "phone",
            "title",
            "place",
            "place_name",
            "pledge",
            "joined_on",
            "left_on",
        ]
        read_only_fields = fields

    def get_name(self, member: OrganisationMember) -> str:
        return mask_name(member.name or "")

    def get_phone(self, member: OrganisationMember) -> str:
        return mask_phone(member.phone or "")


class PairingSerializer(serializers.ModelSerializer[Pairing]):
    class Meta:
        model = Pairing
        fields = ["id", "unit_branch", "grid_branch", "since", "until"]
        read_only_fields = fields


class OrganisationDetailSerializer(OrganisationSerializer):
    members = serializers.SerializerMethodField()
    pairings = serializers.SerializerMethodField()

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "members", "pairings"]
        read_only_fields = fields

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, organisation: Organisation) -> Any:
        return MemberSerializer(
            selectors.organisation_members(organisation), many=True
        ).data

    @extend_schema_field(PairingSerializer(many=True))
    def get_pairings(self, organisation: Organisation) -> Any:
        return PairingSerializer(
            selectors.organisation_pairings(organisation), many=True
        ).data


class OrganisationInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=K.choices)
    name = serializers.CharField(max_length=100)
    area = serializers.CharField(max_length=15, help_text="The area's code.")
    parent = serializers.IntegerField(  # type: ignore[assignment]
        required=False, allow_null=True, min_value=1
    )
    contact_name = serializers.CharField(
        max_length=50, required=False, allow_blank=True
    )
    contact_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True
    )
    lon = serializers.FloatField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False, default=True)


class OrganisationPatchSerializer(OrganisationInputSerializer):
    kind = serializers.ChoiceField(choices=K.choices, required=False)
    name = serializers.CharField(max_length=100, required=False)
    area = serializers.CharField(max_length=15, required=False)
    is_active = serializers.BooleanField(required=False)


class MemberInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    title = serializers.CharField(max_length=50, required=False, allow_blank=True)
    place = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    pledge = serializers.CharField(max_length=200, required=False, allow_blank=True)
    joined_on = serializers.DateField(required=False, allow_null=True)


class LeaveSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(
        required=False, allow_null=True, help_text="Today if left out."
    )


class PairingInputSerializer(serializers.Serializer[Any]):
    other = serializers.IntegerField(
        min_value=1,
        help_text="The grid branch to pair a unit branch with, or the other way.",
    )
    since = serializers.DateField(required=False, allow_null=True)


@extend_schema(tags=["ledger"])
class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Organisation],
):
    """The street's organisations the user reads: 街道大工委 → 社区大党委 → 网格大支部,
    unit branches, social organisations, the 居商联盟."""

    lookup_value_regex = r"\d+"

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return (
            OrganisationSerializer
            if self.action == "list"
            else OrganisationDetailSerializer
        )

    def get_queryset(self) -> QuerySet[Organisation]:
        organisations = selectors.organisations_for_user(self.request.user)
        if self.action == "list":
            filters = OrganisationFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            data = filters.validated_data
            if data.get("area"):
                area = Area.objects.filter(code=data["area"]).first()
                organisations = (
                    organisations.filter(area__path__startswith=area.path)
                    if area
                    else organisations.none()
                )
            if data.get("kind"):
                organisations = organisations.filter(kind=data["kind"])
        return organisations

    def _answer(
        self, organisation: Organisation, code: int = status.HTTP_200_OK
    ) -> Response:
        fresh = self.get_queryset().get(pk=organisation.pk)
        return Response(OrganisationDetailSerializer(fresh).data, status=code)

    @extend_schema(parameters=[OrganisationFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _input(
        self, data: dict[str, Any], organisation: Organisation | None = None
    ) -> actions.OrganisationInput:
        values = dict(data)
        if "area" in values:
            area = Area.objects.filter(code=values["area"], is_active=True).first()
            if area is None:
                raise invalid("area", _("No area has this code."))
            values["area"] = area
        if values.get("parent") is not None:
            parent = (
                selectors.organisations_for_user(self.request.user)
                .filter(pk=values["parent"])
                .first()
            )
            if parent is None:
                raise invalid("parent", _("No organisation has this id."))
            values["parent"] = parent
        if organisation is not None:
            current = {
                field: getattr(organisation, field)
                for field in (
                    "kind",
                    "name",
                    "area",
                    "parent",
                    "contact_name",
                    "contact_phone",
                    "lon",
                    "lat",
                    "is_active",
                )
            }
            values = {**current, **values}
        return actions.OrganisationInput(**values)

    @extend_schema(
        request=OrganisationInputSerializer,
        responses={201: OrganisationDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        given = OrganisationInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)

        def run() -> Response:
            organisation = actions.organisation_create(
                data=self._input(given.validated_data), acting_user=request.user
            )
            return self._answer(organisation, status.HTTP_201_CREATED)

        return idempotent(request, run)

    @extend_schema(
        request=OrganisationPatchSerializer, responses=OrganisationDetailSerializer
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        organisation = self.get_object()
        given = OrganisationPatchSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.organisation_update(
            organisation=organisation,
            data=self._input(given.validated_data, organisation),
            acting_user=request.user,
        )
        return self._answer(organisation)

    @extend_schema(
        request=MemberInputSerializer, responses={201: OrganisationDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def members(self, request: Request, pk: str) -> Response:
        """A member joins (in the 居商联盟: a place, with what it pledged)."""
        organisation = self.get_object()
        given = MemberInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        if values.get("place") is not None:
            place = (
                selectors.places_for_user(request.user)
                .filter(pk=values["place"])
                .first()
            )
            if place is None:
                raise invalid("place", _("No place of yours has this id."))
            values["place"] = place

        def run() -> Response:
            actions.member_add(
                organisation=organisation,
                data=actions.MemberInput(**values),
                acting_user=request.user,
            )
            return self._answer(organisation, status.HTTP_201_CREATED)

        return idempotent(request, run)

    @extend_schema(request=LeaveSerializer, responses=OrganisationDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"members/(?P<member>\d+)/leave")
    def leave(self, request: Request, pk: str, member: str) -> Response:
        """A member leaves; they stay in the record with the date."""
        organisation = self.get_object()
        row = get_object_or_404(organisation.members.all(), pk=member)
        given = LeaveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.member_leave(
            member=row, left_on=given.validated_data.get("on"), acting_user=request.user
        )
        return self._answer(organisation)

    @extend_schema(
        request=PairingInputSerializer, responses={201: OrganisationDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def pairings(self, request: Request, pk: str) -> Response:
        """党建联建: pair this unit branch with a grid branch (or the other way)."""
        organisation = self.get_object()
        given = PairingInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        other = (
            selectors.organisations_for_user(request.user)
            .filter(pk=given.validated_data["other"])
            .first()
        )
        if other is None:
            raise invalid("other", _("No organisation has this id."))
        unit, grid = (
            (organisation, other)
            if organisation.kind == K.UNIT_BRANCH
            else (other, organisation)
        )

        def run() -> Response:
            actions.pairing_add(
                unit_branch=unit,
                grid_branch=grid,
                since=given.validated_data.get("since"),
                acting_user=request.user,
            )
            return self._answer(organisation, status.HTTP_201_CREATED)

        return idempotent(request, run)

    @extend_schema(request=LeaveSerializer, responses=OrganisationDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"pairings/(?P<pairing>\d+)/end")
    def end_pairing(self, request: Request, pk: str, pairing: str) -> Response:
        """The pair ends (kept, with the date)."""
        organisation = self.get_object()
        row = get_object_or_404(
            selectors.organisation_pairings(organisation), pk=pairing
        )
        given = LeaveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.pairing_end(
            pairing=row, until=given.validated_data.get("on"), acting_user=request.user
        )
        return self._answer(organisation)
