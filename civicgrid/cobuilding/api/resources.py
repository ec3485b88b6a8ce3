"""The 资源清单 API: what providers offer the areas the user reads, how much
is pledged and left; an offer put on the list (by the area's keepers, or a
registered unit's contact for their unit) and withdrawn — through the same
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

from civicgrid.api.idempotency import idempotent
from civicgrid.ledger import selectors as ledger_selectors
from civicgrid.ledger.models import OrganisationMember
from civicgrid.org.models import Area, Department
from civicgrid.partybuilding import selectors as pb_selectors

from .. import actions, permissions, selectors
from ..models import Field, Pledge, Resource

WITHDRAW = "withdraw"

# --- serializers --------------------------------------------------------------------


class ResourcePledgeSerializer(serializers.ModelSerializer[Pledge]):
    """A pledge of the resource, as the resource's page lists them."""

    project_title = serializers.CharField(source="project.title", read_only=True)
    pledged_by = serializers.CharField(
        source="pledged_by.get_full_name", read_only=True, help_text="Display name."
    )

    class Meta:
        model = Pledge
        fields = [
            "id",
            "project",
            "project_title",
            "quantity",
            "note",
            "pledged_by",
            "created_at",
        ]
        read_only_fields = fields


class ResourceSerializer(serializers.ModelSerializer[Resource]):
    """An offer on the resource list and what is left of it. ``steps`` and
    ``pledges`` are given when one resource is read (null in lists)."""

    kind = serializers.ChoiceField(choices=Resource.Kind.choices, read_only=True)
    field = serializers.ChoiceField(
        choices=Field.choices,
        allow_blank=True,
        read_only=True,
        help_text="What it serves; blank: any need.",
    )
    area = serializers.IntegerField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    provider_kind = serializers.ChoiceField(
        choices=Resource.Provider.choices, read_only=True
    )
    provider = serializers.CharField(
        source="provider_name", read_only=True, help_text="Who offers it."
    )
    remaining = serializers.IntegerField(
        read_only=True, help_text="What is left to pledge."
    )
    offered = serializers.BooleanField(
        source="is_active", read_only=True, help_text="False once withdrawn."
    )
    steps = serializers.SerializerMethodField(
        help_text="The steps the reader may take now (POST …/{id}/{step}/)."
    )
    pledges = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField(
        help_text="What the step just taken did, in the user's language."
    )

    class Meta:
        model = Resource
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "field",
            "area",
            "area_name",
            "provider_kind",
            "provider",
            "unit",
            "organisation",
            "merchant",
            "department",
            "quantity",
            "measure",
            "pledged",
            "remaining",
            "available_from",
            "available_until",
            "offered",
            "created_at",
            "steps",
            "pledges",
            "message",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=[WITHDRAW]), allow_null=True
        )
    )
    def get_steps(self, resource: Resource) -> list[str] | None:
        if not self.context.get("detail"):
            return None
        user = self.context["request"].user
        # As the resource's page offers it; the action checks again.
        if resource.is_active and permissions.may_pledge(user, resource):
            return [WITHDRAW]
        return []

    @extend_schema_field(ResourcePledgeSerializer(many=True, allow_null=True))
    def get_pledges(self, resource: Resource) -> Any:
        if not self.context.get("detail"):
            return None
        pledges = resource.pledges.select_related("project", "pledged_by")
        return ResourcePledgeSerializer(pledges, many=True).data

    def get_message(self, resource: Resource) -> str:
        return str(self.context.get("message", ""))


class ResourceFilterSerializer(serializers.Serializer[Any]):
    field = serializers.ChoiceField(choices=Field.choices, required=False)
    provider_kind = serializers.ChoiceField(
        choices=Resource.Provider.choices, required=False
    )
    offered = serializers.BooleanField(
        default=True, help_text="False: the withdrawn ones as well."
    )


def _id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        help_text=help_text,
    )


class ResourceAddSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=100, help_text="What is offered.")
    kind = serializers.ChoiceField(choices=Resource.Kind.choices)
    field = serializers.ChoiceField(
        choices=Field.choices,
        required=False,
        allow_blank=True,
        help_text="What it serves; blank or left out: any need.",
    )
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)
    measure = serializers.CharField(
        max_length=20, help_text="What it is counted in: 次, 小时/月, 辆, 场 …"
    )
    area = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The street or community where it can be used.",
    )
    provider_kind = serializers.ChoiceField(
        choices=Resource.Provider.choices,
        help_text="Who provides it; name that one provider below.",
    )
    unit = _id("unit: a confirmed 双报到 unit registration.")
    organisation = _id("cobuilder: a co-building organisation of the street.")
    merchant = _id("merchant: a member of the residents and merchants alliance.")
    department = _id("department: a department that serves the area.")
    available_from = serializers.DateField(
        required=False, help_text="Today if left out."
    )
    available_until = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(
        max_length=1000, required=False, allow_blank=True
    )


# --- views --------------------------------------------------------------------------


def _providers(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The area and the providers named, as the user may name them; one they
    may not see is left out, for the action to say what to choose."""

    def pick(queryset: QuerySet[Any], name: str) -> Any:
        pk = data.get(name)
        return queryset.filter(pk=pk).first() if pk is not None else None

    organisations = ledger_selectors.organisations_for_user(user)
    return {
        # Areas and departments are public, as their API lists them.
        "area": pick(Area.objects.filter(is_active=True), "area"),
        "unit": pick(pb_selectors.units_for_user(user), "unit"),
        "organisation": pick(organisations, "organisation"),
        "merchant": pick(
            OrganisationMember.objects.filter(
                organisation__in=organisations
            ).select_related("organisation"),
            "merchant",
        ),
        "department": pick(Department.objects.filter(is_active=True), "department"),
    }


@extend_schema(tags=["cobuilding"])
class ResourceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Resource],
):
    """资源清单: the offers of the areas the user reads and, for a unit's
    contact, their unit's own."""

    serializer_class = ResourceSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Resource]:
        user = self.request.user
        if self.action == "list":
            filters = ResourceFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            data = filters.validated_data
            return selectors.resource_list(
                user,
                field=data.get("field", ""),
                provider_kind=data.get("provider_kind", ""),
                offered=data["offered"],
            )
        return selectors.resources_for_user(user)

    def get_object(self) -> Resource:
        return selectors.resource_get_for_user(self.request.user, self.kwargs["pk"])

    def _answer(
        self, resource: Resource, code: int = status.HTTP_200_OK, message: str = ""
    ) -> Response:
        fresh = (
            selectors.resources_for_user(self.request.user)
            .filter(pk=resource.pk)
            .first()
        )
        context = {
            **self.get_serializer_context(),
            "detail": True,
            "message": message,
        }
        return Response(
            ResourceSerializer(fresh or resource, context=context).data, status=code
        )

    @extend_schema(
        parameters=[ResourceFilterSerializer],
        responses=ResourceSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The offers, by area, field and title; withdrawn ones only when
        ``offered=false``."""
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One offer, what is left of it and its pledges."""
        return self._answer(self.get_object())

    @extend_schema(request=ResourceAddSerializer, responses={201: ResourceSerializer})
    def create(self, request: Request) -> Response:
        """Put an offer on the resource list: the area's keepers for any
        provider, a registered unit's contact for their own unit."""
        given = ResourceAddSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data

        def add() -> Response:
            resource = actions.resource_add(
                data=actions.ResourceInput(
                    title=data["title"],
                    kind=data["kind"],
                    field=data.get("field", ""),
                    quantity=data["quantity"],
                    measure=data["measure"],
                    provider_kind=data["provider_kind"],
                    available_from=data.get("available_from"),
                    available_until=data.get("available_until"),
                    description=data.get("description", ""),
                    **_providers(request.user, data),
                ),
                acting_user=request.user,
            )
            return self._answer(
                resource,
                status.HTTP_201_CREATED,
                _("“%(title)s” is on the resource list.") % {"title": resource.title},
            )

        return idempotent(request, add)

    @extend_schema(request=None, responses=ResourceSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """The provider offers it no more; what was pledged is still given."""
        resource = self.get_object()

        def run() -> Response:
            actions.resource_withdraw(resource=resource, acting_user=request.user)
            return self._answer(
                resource,
                message=_("“%(title)s” is withdrawn; what was pledged is still given.")
                % {"title": resource.title},
            )

        return idempotent(request, run)
