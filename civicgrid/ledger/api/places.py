"""The places API: buildings (楼栋) and places (shops, enterprises, service
stations, party-building positions), through the same selectors and actions
as the pages. Contacts are masked; an outsider gets 404."""

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
from civicgrid.core.crypto import mask_name, mask_phone

from .. import selectors
from ..actions import places as actions
from ..models import Building, Place

# --- serializers ------------------------------------------------------------------


class GridFilterSerializer(serializers.Serializer[Any]):
    grid = serializers.CharField(
        required=False, max_length=15, help_text="A grid's 15-digit code."
    )


class PlaceFilterSerializer(GridFilterSerializer):
    kind = serializers.ChoiceField(choices=Place.Kind.choices, required=False)
    active = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Open ones only, or closed ones.",
    )


class BuildingSerializer(serializers.ModelSerializer[Building]):
    grid = serializers.CharField(source="grid.code", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)

    class Meta:
        model = Building
        fields = [
            "id",
            "name",
            "grid",
            "grid_name",
            "lon",
            "lat",
            "footprint",
            "address",
            "floors",
            "units",
            "property_manager",
            "is_active",
        ]
        read_only_fields = fields


class BuildingInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    lon = serializers.FloatField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    footprint = serializers.JSONField(
        required=False, allow_null=True, help_text="A GeoJSON Polygon in WGS-84."
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    floors = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=200
    )
    units = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=99
    )
    property_manager = serializers.CharField(
        max_length=100, required=False, allow_blank=True
    )
    is_active = serializers.BooleanField(required=False, default=True)


class BuildingPatchSerializer(BuildingInputSerializer):
    name = serializers.CharField(max_length=100, required=False)
    is_active = serializers.BooleanField(required=False)


class PlaceSerializer(serializers.ModelSerializer[Place]):
    grid = serializers.CharField(source="grid.code", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    contact_name = serializers.SerializerMethodField(help_text="Masked.")
    contact_phone = serializers.SerializerMethodField(help_text="Masked.")
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=Place.Service.choices), read_only=True
    )

    class Meta:
        model = Place
        fields = [
            "id",
            "kind",
            "name",
            "grid",
            "grid_name",
            "building",
            "lon",
            "lat",
            "address",
            "licence_number",
            "trade",
            "contact_name",
            "contact_phone",
            "services",
            "opening_hours",
            "position_kind",
            "is_active",
        ]
        read_only_fields = fields

    def get_contact_name(self, place: Place) -> str:
        return mask_name(place.contact_name or "")

    def get_contact_phone(self, place: Place) -> str:
        return mask_phone(place.contact_phone or "")


class PlaceInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Place.Kind.choices)
    name = serializers.CharField(max_length=100)
    lon = serializers.FloatField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    building = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    licence_number = serializers.CharField(
        max_length=32, required=False, allow_blank=True
    )
    trade = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_name = serializers.CharField(
        max_length=50, required=False, allow_blank=True
    )
    contact_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True
    )
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=Place.Service.choices),
        required=False,
        max_length=len(Place.Service.values),
    )
    opening_hours = serializers.CharField(
        max_length=100, required=False, allow_blank=True
    )
    position_kind = serializers.CharField(
        max_length=50, required=False, allow_blank=True
    )


class PlacePatchSerializer(PlaceInputSerializer):
    kind = serializers.ChoiceField(choices=Place.Kind.choices, required=False)
    name = serializers.CharField(max_length=100, required=False)


class PlaceOpenSerializer(serializers.Serializer[Any]):
    open = serializers.BooleanField(help_text="False closes the place (it is kept).")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


# --- views ------------------------------------------------------------------------


def _by_grid(queryset: QuerySet[Any], request: Request) -> QuerySet[Any]:
    filters = PlaceFilterSerializer(data=request.query_params)
    filters.is_valid(raise_exception=True)
    data = filters.validated_data
    if data.get("grid"):
        queryset = queryset.filter(grid__code=data["grid"])
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("active") is not None:
        queryset = queryset.filter(is_active=data["active"])
    return queryset


@extend_schema(tags=["ledger"])
class BuildingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Building]
):
    """楼栋: the buildings of the grids the user reads; a grid's keepers add and
    change them. The grid comes from the point (or the footprint's centre)."""

    serializer_class = BuildingSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Building]:
        buildings = selectors.buildings_for_user(self.request.user)
        if self.action == "list":
            filters = GridFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if code := filters.validated_data.get("grid"):
                buildings = buildings.filter(grid__code=code)
        return buildings

    @extend_schema(parameters=[GridFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=BuildingInputSerializer, responses={201: BuildingSerializer})
    def create(self, request: Request) -> Response:
        given = BuildingInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)

        def run() -> Response:
            building = actions.building_create(
                data=actions.BuildingInput(**given.validated_data),
                acting_user=request.user,
            )
            return Response(
                BuildingSerializer(building).data, status=status.HTTP_201_CREATED
            )

        return idempotent(request, run)

    @extend_schema(request=BuildingPatchSerializer, responses=BuildingSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        building = self.get_object()
        given = BuildingPatchSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        current = {
            field: getattr(building, field)
            for field in (
                "name",
                "lon",
                "lat",
                "footprint",
                "address",
                "floors",
                "units",
                "property_manager",
                "is_active",
            )
        }
        actions.building_update(
            building=building,
            data=actions.BuildingInput(**{**current, **given.validated_data}),
            acting_user=request.user,
        )
        return Response(
            BuildingSerializer(self.get_queryset().get(pk=building.pk)).data
        )


@extend_schema(tags=["ledger"])
class PlaceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Place]
):
    """Shops and enterprises (小个专), service stations (龙行侠微e站 …) and
    party-building positions of the grids the user reads; contacts masked."""

    serializer_class = PlaceSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Place]:
        places = selectors.places_for_user(self.request.user)
        if self.action == "list":
            places = _by_grid(places, self.request)
        return places

    @extend_schema(parameters=[PlaceFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _input(
        self, data: dict[str, Any], place: Place | None = None
    ) -> actions.PlaceInput:
        values = dict(data)
        if values.get("building") is not None:
            building = (
                selectors.buildings_for_user(self.request.user)
                .filter(pk=values["building"])
                .first()
            )
            if building is None:
                raise invalid("building", _("No building of yours has this id."))
            values["building"] = building
        if place is not None:
            current = {
                field: getattr(place, field)
                for field in (
                    "kind",
                    "name",
                    "lon",
                    "lat",
                    "building",
                    "address",
                    "licence_number",
                    "trade",
                    "contact_name",
                    "contact_phone",
                    "services",
                    "opening_hours",
                    "position_kind",
                )
            }
            values = {**current, **values}
        return actions.PlaceInput(**values)

    @extend_schema(request=PlaceInputSerializer, responses={201: PlaceSerializer})
    def create(self, request: Request) -> Response:
        given = PlaceInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)

        def run() -> Response:
            place = actions.place_create(
                data=self._input(given.validated_data), acting_user=request.user
            )
            return Response(PlaceSerializer(place).data, status=status.HTTP_201_CREATED)

        return idempotent(request, run)

    @extend_schema(request=PlacePatchSerializer, responses=PlaceSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        place = self.get_object()
        given = PlacePatchSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.place_update(
            place=place,
            data=self._input(given.validated_data, place),
            acting_user=request.user,
        )
        return Response(PlaceSerializer(self.get_queryset().get(pk=place.pk)).data)

    @extend_schema(request=PlaceOpenSerializer, responses=PlaceSerializer)
    @action(detail=True, methods=["post"], url_path="open")
    def set_open(self, request: Request, pk: str) -> Response:
        """Close the place (kept in the ledger, marked closed) or open it again."""
        place = self.get_object()
        given = PlaceOpenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.place_set_open(
            place=place,
            is_open=given.validated_data["open"],
            reason=given.validated_data.get("reason", ""),
            acting_user=request.user,
        )
        return Response(PlaceSerializer(self.get_queryset().get(pk=place.pk)).data)
