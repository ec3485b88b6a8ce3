"""The patrol log API: start, a point of the route, a finding (an appeal with
photos, or a 社情民意 item), end — the same steps and actions as the page."""

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
from civicgrid.appeals import forms as appeal_forms
from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.appeals.models import Category, Kind
from civicgrid.core.images import MAX_PHOTOS_PER_APPEAL

from .. import selectors
from ..actions import patrol as actions
from ..models import Opinion, Patrol
from ..opinion_steps import STEPS, describe
from .reveal import RevealTextsMixin


class PatrolSerializer(serializers.ModelSerializer[Patrol]):
    grid = serializers.CharField(source="grid.code", read_only=True)
    worker = serializers.CharField(source="worker.get_full_name", read_only=True)
    points = serializers.SerializerMethodField()
    opinions: serializers.PrimaryKeyRelatedField[Opinion] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )
    appeals = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()

    class Meta:
        model = Patrol
        fields = [
            "id",
            "grid",
            "worker",
            "started_at",
            "ended_at",
            "summary",
            "points",
            "route",
            "opinions",
            "appeals",
            "url",
            "message",
        ]
        read_only_fields = fields

    def get_points(self, patrol: Patrol) -> int:
        return len(patrol.route or [])

    def get_appeals(self, patrol: Patrol) -> list[str]:
        """The tracking codes of its findings that the user may see."""
        user = self.context.get("user")
        return list(
            appeal_selectors.appeal_list_for_user(user)
            .filter(pk__in=patrol.appeals.values("pk"))
            .values_list("tracking_code", flat=True)
        )

    def get_url(self, patrol: Patrol) -> str:
        return reverse("ledger:patrol", args=[patrol.pk])

    def get_message(self, patrol: Patrol) -> str:
        return str(self.context.get("message", ""))


class PatrolStartSerializer(serializers.Serializer[Any]):
    grid = serializers.CharField(max_length=20, help_text=_("One of your grids."))
    lon = serializers.FloatField(required=False, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)


class PatrolPointSerializer(serializers.Serializer[Any]):
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=_(
            "When the phone took the point (one kept while it had no signal); "
            "default: now."
        ),
    )


class PatrolOpinionSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=2000)
    risk = serializers.ChoiceField(
        choices=Opinion.Risk.choices, default=Opinion.Risk.GENERAL
    )
    topic = serializers.CharField(max_length=50, required=False, allow_blank=True)
    lon = serializers.FloatField(required=False, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)


class PatrolAppealSerializer(serializers.Serializer[Any]):
    description = serializers.CharField(max_length=4000)
    category = serializers.IntegerField(required=False, min_value=1)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    lon = serializers.FloatField(required=False, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_PHOTOS_PER_APPEAL,
        help_text=_("JPEG, PNG or WebP; multipart only."),
    )

    def validate_category(self, value: int) -> Category:
        category = appeal_selectors.leaf_categories().filter(pk=value).first()
        if category is None:
            raise serializers.ValidationError(_("Choose a category from the list."))
        return category

    def validate_photos(self, files: list[Any]) -> Any:
        return appeal_forms.PhotosField().clean(files)


class PatrolEndSerializer(serializers.Serializer[Any]):
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class PatrolPointAnswerSerializer(serializers.Serializer[Any]):
    points = serializers.IntegerField()


@extend_schema(tags=["ledger"])
class PatrolViewSet(
    RevealTextsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Patrol],
):
    """巡查: patrols in the grids the user reads, and their own."""

    serializer_class = PatrolSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Patrol]:
        return selectors.patrols_for_user(self.request.user).prefetch_related(
            "opinions"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "user": self.request.user}

    def _answer(self, patrol: Patrol, code: int = 200, message: str = "") -> Response:
        fresh = self.get_queryset().get(pk=patrol.pk)
        context = {**self.get_serializer_context(), "message": message}
        return Response(PatrolSerializer(fresh, context=context).data, status=code)

    @extend_schema(request=PatrolStartSerializer, responses={201: PatrolSerializer})
    def create(self, request: Request) -> Response:
        """Start a patrol in one of your grids (one open patrol at a time)."""
        given = PatrolStartSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = request.user

        def start() -> Response:
            grid = (
                appeal_selectors.grids_of_grid_worker(user)
                .filter(code=data["grid"])
                .first()
            )
            if grid is None:
                raise invalid("grid", str(_("No grid of yours has this code.")))
            patrol = actions.patrol_start(
                grid=grid, acting_user=user, lon=data.get("lon"), lat=data.get("lat")
            )
            return self._answer(
                patrol,
                status.HTTP_201_CREATED,
                str(_("Patrol started in %(grid)s.") % {"grid": grid.name}),
            )

        return idempotent(request, start)

    def _step(
        self, request: Request, name: str, serializer: type[serializers.Serializer[Any]]
    ) -> Any:
        patrol = self.get_object()
        given = serializer(data=request.data)
        given.is_valid(raise_exception=True)
        result = STEPS[name](request.user, patrol, given.validated_data)
        return patrol, result

    @extend_schema(request=PatrolPointSerializer, responses=PatrolPointAnswerSerializer)
    @action(detail=True, methods=["post"])
    def point(self, request: Request, pk: str) -> Response:
        """A point of the route, from the phone (beyond the cap, dropped)."""
        _patrol, count = self._step(request, "point", PatrolPointSerializer)
        return Response({"points": count})

    @extend_schema(request=PatrolOpinionSerializer, responses=PatrolSerializer)
    @action(detail=True, methods=["post"])
    def opinion(self, request: Request, pk: str) -> Response:
        """A 社情民意 item heard on the way, attached to the patrol."""

        def run() -> Response:
            patrol, result = self._step(request, "opinion", PatrolOpinionSerializer)
            return self._answer(patrol, message=describe("opinion", result))

        return idempotent(request, run)

    @extend_schema(request=PatrolAppealSerializer, responses=PatrolSerializer)
    @action(detail=True, methods=["post"])
    def appeal(self, request: Request, pk: str) -> Response:
        """A problem found on the way, entered as a patrol finding (multipart
        for photos), attached to the patrol."""

        def run() -> Response:
            patrol, result = self._step(request, "appeal", PatrolAppealSerializer)
            return self._answer(patrol, message=describe("appeal", result))

        return idempotent(request, run)

    @extend_schema(request=PatrolEndSerializer, responses=PatrolSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        """End the patrol with a summary."""

        def run() -> Response:
            patrol, result = self._step(request, "end", PatrolEndSerializer)
            return self._answer(patrol, message=describe("end", result))

        return idempotent(request, run)
