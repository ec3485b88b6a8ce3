"""The components API (部件): list and read (a department only what it owns),
add and change, state moves with a note, a problem reported as a linked patrol
appeal, an existing appeal linked by its tracking code — through the same
selectors and actions as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.api.errors import invalid
from civicgrid.api.idempotency import idempotent
from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.org.models import Department

from .. import selectors
from ..actions import components as actions
from ..catalogue import MajorClass
from ..models import Component
from .places import GridFilterSerializer
from .reveal import RevealTextsMixin


class ComponentFilterSerializer(GridFilterSerializer):
    major = serializers.ChoiceField(choices=MajorClass.choices, required=False)
    state = serializers.ChoiceField(
        choices=Component.State.choices,
        required=False,
        help_text="The state shown: damaged while an appeal about it is open.",
    )


class ComponentSerializer(serializers.ModelSerializer[Component]):
    grid = serializers.CharField(source="grid.code", read_only=True)
    kind = serializers.CharField(source="get_subclass_display", read_only=True)
    major_class = serializers.CharField(read_only=True)
    shown_state = serializers.ChoiceField(
        choices=Component.State.choices,
        read_only=True,
        help_text="Damaged while it is damaged or an appeal about it is open.",
    )
    department = serializers.IntegerField(
        source="department_id", read_only=True, allow_null=True
    )
    department_name = serializers.CharField(
        source="department.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Component
        fields = [
            "id",
            "code",
            "subclass",
            "kind",
            "major_class",
            "state",
            "shown_state",
            "grid",
            "department",
            "department_name",
            "lon",
            "lat",
            "note",
        ]
        read_only_fields = fields


class LinkedAppealSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    tracking_code = serializers.CharField()
    state = serializers.CharField()
    received_at = serializers.DateTimeField()


class ComponentDetailSerializer(ComponentSerializer):
    appeals = serializers.SerializerMethodField()

    class Meta(ComponentSerializer.Meta):
        fields = [*ComponentSerializer.Meta.fields, "appeals"]
        read_only_fields = fields

    @extend_schema_field(LinkedAppealSerializer(many=True))
    def get_appeals(self, component: Component) -> Any:
        user = self.context["request"].user
        return LinkedAppealSerializer(
            selectors.component_appeals(user, component), many=True
        ).data


class ComponentInputSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=20)
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    department = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ComponentPatchSerializer(ComponentInputSerializer):
    code = serializers.CharField(max_length=20, required=False)
    lon = serializers.FloatField(required=False)
    lat = serializers.FloatField(required=False)


class StateSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=Component.State.choices)
    note = serializers.CharField(max_length=200, help_text="What was seen or done.")


class ReportSerializer(serializers.Serializer[Any]):
    description = serializers.CharField(max_length=4000)
    category = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="A leaf category; by default the one the kind most likely needs.",
    )
    mark_damaged = serializers.BooleanField(required=False, default=False)


class ReportAnswerSerializer(serializers.Serializer[Any]):
    appeal = LinkedAppealSerializer()
    component = ComponentDetailSerializer()


class LinkSerializer(serializers.Serializer[Any]):
    tracking_code = serializers.CharField(max_length=12)


@extend_schema(tags=["ledger"])
class ComponentViewSet(
    RevealTextsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Component],
):
    """城市部件: the components the user sees (a department only those it owns),
    with the state they show."""

    lookup_value_regex = r"\d+"

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return (
            ComponentSerializer if self.action == "list" else ComponentDetailSerializer
        )

    def get_queryset(self) -> QuerySet[Component]:
        components = selectors.components_for_user(self.request.user)
        if self.action == "list":
            filters = ComponentFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            data = filters.validated_data
            if data.get("grid"):
                components = components.filter(grid__code=data["grid"])
            if data.get("major"):
                components = components.filter(subclass__startswith=data["major"])
            if data.get("state"):
                components = components.filter(**{"shown_state": data["state"]})
        return components

    def _answer(self, component: Component, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=component.pk)
        return Response(
            ComponentDetailSerializer(
                fresh, context=self.get_serializer_context()
            ).data,
            status=code,
        )

    @extend_schema(parameters=[ComponentFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _department(self, pk: int | None) -> Department | None:
        if pk is None:
            return None
        department = Department.objects.filter(pk=pk, is_active=True).first()
        if department is None:
            raise invalid("department", _("No department has this id."))
        return department

    @extend_schema(
        request=ComponentInputSerializer, responses={201: ComponentDetailSerializer}
    )
    def create(self, request: Request) -> Response:
        given = ComponentInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data

        def run() -> Response:
            component = actions.component_create(
                data=actions.ComponentInput(
                    code=data["code"],
                    lon=data["lon"],
                    lat=data["lat"],
                    department=self._department(data.get("department")),
                    note=data.get("note", ""),
                ),
                acting_user=request.user,
            )
            return self._answer(component, status.HTTP_201_CREATED)

        return idempotent(request, run)

    @extend_schema(
        request=ComponentPatchSerializer, responses=ComponentDetailSerializer
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        component = self.get_object()
        given = ComponentPatchSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        actions.component_update(
            component=component,
            data=actions.ComponentInput(
                code=data.get("code", component.code),
                lon=data.get("lon", component.lon),
                lat=data.get("lat", component.lat),
                department=self._department(data["department"])
                if "department" in data
                else component.department,
                note=data.get("note", component.note),
            ),
            acting_user=request.user,
        )
        return self._answer(component)

    @extend_schema(request=StateSerializer, responses=ComponentDetailSerializer)
    @action(detail=True, methods=["post"])
    def state(self, request: Request, pk: str) -> Response:
        """Mark it damaged, missing or good again, with a note."""
        component = self.get_object()
        given = StateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.component_set_state(
            component=component,
            state=given.validated_data["state"],
            note=given.validated_data["note"],
            acting_user=request.user,
        )
        return self._answer(component)

    @extend_schema(request=ReportSerializer, responses={201: ReportAnswerSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str) -> Response:
        """上报: a problem with it becomes a patrol appeal at its place, linked."""
        component = self.get_object()
        given = ReportSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data

        def run() -> Response:
            category = None
            if data.get("category") is not None:
                category = (
                    appeal_selectors.leaf_categories()
                    .filter(pk=data["category"])
                    .first()
                )
                if category is None:
                    raise invalid("category", _("Choose a category from the list."))
            appeal = actions.component_report_problem(
                component=component,
                description=data["description"],
                category=category,
                mark_damaged=data["mark_damaged"],
                acting_user=request.user,
            )
            fresh = self.get_queryset().get(pk=component.pk)
            context = self.get_serializer_context()
            return Response(
                {
                    "appeal": LinkedAppealSerializer(appeal).data,
                    "component": ComponentDetailSerializer(fresh, context=context).data,
                },
                status=status.HTTP_201_CREATED,
            )

        return idempotent(request, run)

    @extend_schema(request=LinkSerializer, responses=ComponentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="appeals")
    def link(self, request: Request, pk: str) -> Response:
        """Link an appeal the user can see, by its tracking code."""
        component = self.get_object()
        given = LinkSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.component_link_appeal(
            component=component,
            tracking_code=given.validated_data["tracking_code"],
            acting_user=request.user,
        )
        return self._answer(component)
