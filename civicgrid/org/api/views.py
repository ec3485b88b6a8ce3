"""Reference data for clients: the area tree (with boundaries, and which grid
a point falls in) and the departments. Public geography, the same for every
signed-in user: the resident's page draws the same boundaries."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import Area, Department
from ..selectors import point_location
from . import serializers as s


@extend_schema(tags=["reference"])
class AreaViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Area]
):
    """Active areas: city → district → street → community → grid, by code."""

    lookup_field = "code"
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Area]:
        areas = Area.objects.filter(is_active=True).select_related("parent")
        if self.action == "retrieve":
            return areas.defer("parent__boundary")
        # Lists carry no polygons: a street's grids would weigh megabytes.
        areas = areas.defer("boundary", "parent__boundary")
        filters = s.AreaFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        if level := filters.validated_data.get("level"):
            areas = areas.filter(level=level)
        if parent := filters.validated_data.get("parent"):
            areas = areas.filter(parent__code=parent)
        return areas.order_by("path")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return s.AreaDetailSerializer if self.action == "retrieve" else s.AreaSerializer

    @extend_schema(parameters=[s.AreaFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[s.PointSerializer], responses=s.LocatedSerializer)
    @action(detail=False, methods=["get"])
    def locate(self, request: Request) -> Response:
        """Which grid, community and street a point (WGS-84) falls in."""
        point = s.PointSerializer(data=request.query_params)
        point.is_valid(raise_exception=True)
        found = point_location(
            point.validated_data["longitude"], point.validated_data["latitude"]
        )
        if found is None:
            raise NotFound(_("The point is in no grid."))
        return Response(s.LocatedSerializer(found).data)


@extend_schema(tags=["reference"])
class DepartmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Department]):
    """Active departments (职能部门); dispatch names one as "department:<id>"."""

    serializer_class = s.DepartmentSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Department]:
        return (
            Department.objects.filter(is_active=True)
            .select_related("area")
            .only("id", "code", "name", "short_name", "area__code", "area__path")
            .order_by("area__path", "code")
        )
