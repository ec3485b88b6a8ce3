"""What the reference API says about areas and departments: names, codes and
boundaries, as the resident's page shows them — no people."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Area, Department


class AreaRefSerializer(serializers.ModelSerializer[Area]):
    class Meta:
        model = Area
        fields = ["code", "name", "level"]


class DepartmentRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class AreaSerializer(serializers.ModelSerializer[Area]):
    parent = AreaRefSerializer(read_only=True, allow_null=True)
    bbox = serializers.SerializerMethodField(
        help_text="[west, south, east, north] in WGS-84, or null without a boundary."
    )

    class Meta:
        model = Area
        fields = ["code", "name", "level", "parent", "community_kind", "bbox"]

    @extend_schema_field(
        {"type": "array", "items": {"type": "number"}, "nullable": True}
    )
    def get_bbox(self, area: Area) -> list[float | None] | None:
        if area.min_lon is None:
            return None
        return [area.min_lon, area.min_lat, area.max_lon, area.max_lat]


class AreaDetailSerializer(AreaSerializer):
    boundary = serializers.SerializerMethodField(
        help_text="A GeoJSON Polygon or MultiPolygon, [longitude, latitude]."
    )

    class Meta(AreaSerializer.Meta):
        fields = [*AreaSerializer.Meta.fields, "boundary"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_boundary(self, area: Area) -> dict[str, Any] | None:
        return area.boundary


class DepartmentSerializer(serializers.ModelSerializer[Department]):
    area = serializers.CharField(
        source="area.code", read_only=True, help_text="The area it serves."
    )

    class Meta:
        model = Department
        fields = ["id", "code", "name", "short_name", "area"]


# --- input --------------------------------------------------------------------------


class AreaFilterSerializer(serializers.Serializer[Any]):
    level = serializers.ChoiceField(choices=Area.Level.choices, required=False)
    # The stubs type Field.parent (a field's serializer); a field may still be
    # named so.
    parent = serializers.CharField(  # type: ignore[assignment]
        required=False, max_length=15, help_text="The parent area's code."
    )


class PointSerializer(serializers.Serializer[Any]):
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)


class LocatedSerializer(serializers.Serializer[Any]):
    grid = AreaRefSerializer()
    community = AreaRefSerializer(allow_null=True)
    street = AreaRefSerializer(allow_null=True)
