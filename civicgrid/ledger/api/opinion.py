"""The 社情民意 API: list, read and gather items, turn one into an appeal or
close it — through the same selectors, steps and actions as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.api.errors import invalid
from civicgrid.api.idempotency import idempotent
from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.appeals.models import Category, Kind
from civicgrid.org.models import Area

from .. import permissions, selectors
from ..actions import opinion as actions
from ..models import Opinion
from ..opinion_steps import STEPS, describe
from .reveal import RevealTextsMixin


class OpinionSerializer(serializers.ModelSerializer[Opinion]):
    grid = serializers.CharField(source="grid.code", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    gathered_by = serializers.CharField(
        source="gathered_by.get_full_name", read_only=True
    )
    appeal = serializers.CharField(
        source="appeal.tracking_code",
        default=None,
        allow_null=True,
        read_only=True,
        help_text=_("The tracking code of the appeal it was turned into."),
    )
    url = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField(
        help_text=_("What the step just taken did, in the user's language.")
    )

    class Meta:
        model = Opinion
        fields = [
            "id",
            "grid",
            "grid_name",
            "text",
            "source",
            "topic",
            "risk",
            "state",
            "gathered_by",
            "gathered_at",
            "lon",
            "lat",
            "appeal",
            "closed_note",
            "decided_at",
            "url",
            "message",
        ]
        read_only_fields = fields

    def get_url(self, opinion: Opinion) -> str:
        return reverse("ledger:opinion", args=[opinion.pk])

    def get_message(self, opinion: Opinion) -> str:
        return str(self.context.get("message", ""))


class OpinionFilterSerializer(serializers.Serializer[Any]):
    area = serializers.CharField(
        required=False, max_length=20, help_text=_("A street, community or grid code.")
    )
    risk = serializers.ChoiceField(choices=Opinion.Risk.choices, required=False)
    state = serializers.ChoiceField(choices=Opinion.State.choices, required=False)
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Opinion.Source.choices, required=False
    )
    topic = serializers.CharField(required=False, max_length=50)
    period = serializers.ChoiceField(
        choices=["month", "quarter", "year"], required=False
    )


class OpinionCountersSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    raised = serializers.IntegerField(help_text=_("Of risk warning or urgent."))
    appealed = serializers.IntegerField()
    open = serializers.IntegerField()


class OpinionGatherSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=2000)
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Opinion.Source.choices
    )
    risk = serializers.ChoiceField(
        choices=Opinion.Risk.choices, default=Opinion.Risk.GENERAL
    )
    topic = serializers.CharField(max_length=50, required=False, allow_blank=True)
    grid = serializers.CharField(
        max_length=20,
        required=False,
        help_text=_("The grid's code; without it, the grid of lon/lat."),
    )
    lon = serializers.FloatField(required=False, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)


class OpinionToAppealSerializer(serializers.Serializer[Any]):
    category = serializers.IntegerField(
        required=False, min_value=1, help_text=_("A leaf of the catalogue.")
    )
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)

    def validate_category(self, value: int) -> Category:
        category = appeal_selectors.leaf_categories().filter(pk=value).first()
        if category is None:
            raise serializers.ValidationError(_("Choose a category from the list."))
        return category


class OpinionCloseSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=1000)


@extend_schema(tags=["ledger"])
class OpinionViewSet(
    RevealTextsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Opinion],
):
    """社情民意 the user reads: a grid worker their grids', community staff
    their community's, the street's dispatchers and leaders all of it."""

    serializer_class = OpinionSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Opinion]:
        user = self.request.user
        if self.action == "list":
            return selectors.opinions_filtered(user, self._filters())
        return selectors.opinions_for_user(user)

    def _filters(self) -> dict[str, Any]:
        given = OpinionFilterSerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        filters = dict(given.validated_data)
        if "area" in filters:
            area = (
                selectors.areas_for_opinions(self.request.user)
                .filter(code=filters["area"])
                .first()
            )
            if area is None:
                raise invalid("area", str(_("No area you read has this code.")))
            filters["area"] = area
        return filters

    @extend_schema(
        parameters=[OpinionFilterSerializer],
        responses=OpinionSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[OpinionFilterSerializer], responses=OpinionCountersSerializer
    )
    @action(detail=False, methods=["get"])
    def counters(self, request: Request) -> Response:
        """How many items, how many warnings, how many turned into appeals."""
        opinions = selectors.opinions_filtered(request.user, self._filters())
        return Response(selectors.opinion_counters(opinions))

    def _answer(self, opinion: Opinion, code: int = 200, message: str = "") -> Response:
        fresh = selectors.opinions_for_user(self.request.user).get(pk=opinion.pk)
        return Response(
            OpinionSerializer(fresh, context={"message": message}).data, status=code
        )

    @extend_schema(request=OpinionGatherSerializer, responses={201: OpinionSerializer})
    def create(self, request: Request) -> Response:
        """Gather an item, in the grid named or the one of the point."""
        given = OpinionGatherSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = request.user

        def gather() -> Response:
            grid = None
            if data.get("grid"):
                grid = Area.objects.filter(
                    permissions.visible_q(user, "path"),
                    level=Area.Level.GRID,
                    code=data["grid"],
                ).first()
                if grid is None:
                    raise invalid("grid", str(_("No grid you keep has this code.")))
            point = "lon" in data and "lat" in data
            opinion = actions.opinion_gather(
                data=actions.OpinionInput(
                    text=data["text"],
                    source=data["source"],
                    risk=data["risk"],
                    topic=data.get("topic", ""),
                    grid=grid,
                    lon=data["lon"] if point else None,
                    lat=data["lat"] if point else None,
                ),
                acting_user=user,
            )
            return self._answer(
                opinion,
                status.HTTP_201_CREATED,
                str(
                    _("Public opinion item recorded in %(grid)s.")
                    % {"grid": opinion.grid.name}
                ),
            )

        return idempotent(request, gather)

    def _step(
        self, request: Request, name: str, serializer: type[serializers.Serializer[Any]]
    ) -> Response:
        opinion = self.get_object()
        given = serializer(data=request.data)
        given.is_valid(raise_exception=True)

        def run() -> Response:
            result = STEPS[name](request.user, opinion, given.validated_data)
            return self._answer(opinion, message=describe(name, result))

        return idempotent(request, run)

    @extend_schema(request=OpinionToAppealSerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def appeal(self, request: Request, pk: str) -> Response:
        """Turn the item into an appeal: its text and point carried."""
        return self._step(request, "to_appeal", OpinionToAppealSerializer)

    @extend_schema(request=OpinionCloseSerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close the item with a note."""
        return self._step(request, "close", OpinionCloseSerializer)
