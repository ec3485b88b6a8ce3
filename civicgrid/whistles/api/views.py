"""The whistle API: the board, the page and every step on it, through the same
actions and selectors as the pages (an outsider gets 404)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.api.errors import invalid
from civicgrid.api.idempotency import idempotent
from civicgrid.api.renderers import ImageRenderer
from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.org.models import Department

from .. import actions, permissions, selectors
from ..models import Whistle, WhistleType
from ..photos import check_in_photo_response
from ..steps import STEPS, describe
from . import serializers as s


class WhistleTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[WhistleType]):
    """Whistle types and their report-in deadlines."""

    serializer_class = s.WhistleTypeSerializer
    queryset = WhistleType.objects.filter(is_active=True).order_by("code")
    pagination_class = None


@extend_schema(tags=["whistles"])
class WhistleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Whistle],
):
    """吹哨报到: whistles the user may see — a street's dispatchers and leaders
    its whistles, a department those it is summoned to."""

    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Whistle]:
        user = self.request.user
        if self.action == "list":
            filters = s.WhistleFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            whistles = selectors.whistles_filtered(user, filters.validated_data)
        else:
            whistles = selectors.whistles_for_user(user).prefetch_related(
                "events__actor", "events__summons__department", "meetings"
            )
        return whistles.prefetch_related(
            "summonses__department", "summonses__checked_in_by"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "my_departments": selectors.my_department_ids(self.request.user),
        }

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return (
            s.WhistleSerializer if self.action == "list" else s.WhistleDetailSerializer
        )

    def _answer(
        self, whistle: Whistle, code: int = status.HTTP_200_OK, message: str = ""
    ) -> Response:
        fresh = self.get_queryset().get(pk=whistle.pk)
        context = {**self.get_serializer_context(), "message": message}
        return Response(
            s.WhistleDetailSerializer(fresh, context=context).data, status=code
        )

    @extend_schema(
        parameters=[s.WhistleFilterSerializer],
        responses=s.WhistleSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.BlowSerializer, responses={201: s.WhistleDetailSerializer})
    def create(self, request: Request) -> Response:
        """Blow the whistle (吹哨) on a street, optionally on an appeal."""
        given = s.BlowSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = request.user

        def blow() -> Response:
            appeal = (
                appeal_selectors.appeal_get_for_user(user, data["appeal"])
                if "appeal" in data
                else None
            )
            try:
                street = permissions.street_to_blow_on(
                    user, code=data.get("street"), appeal=appeal
                )
            except PermissionDeniedError:
                raise
            except DomainError as exc:
                # A street named wrongly, or not at all, is bad input like a bad type.
                raise invalid("street", exc.message) from exc
            whistle_type = WhistleType.objects.filter(
                code=data["type"], is_active=True
            ).first()
            if whistle_type is None:
                raise invalid("type", _("Choose a whistle type."))
            found = Department.objects.in_bulk(data["departments"])
            if missing := [pk for pk in data["departments"] if pk not in found]:
                raise invalid(
                    "departments",
                    _("No department has the id %(ids)s.")
                    % {"ids": ", ".join(map(str, missing))},
                )
            lead = (
                found.get(data["lead"])
                or Department.objects.filter(pk=data["lead"]).first()
            )
            if lead is None:
                raise invalid("lead", _("No department has this id."))
            whistle = actions.whistle_blow(
                street=street,
                whistle_type=whistle_type,
                title=data["title"],
                reason=data["reason"],
                departments=[found[pk] for pk in data["departments"]],
                lead=lead,
                acting_user=user,
                appeal=appeal,
            )
            return self._answer(whistle, status.HTTP_201_CREATED)

        return idempotent(request, blow)

    def _step(
        self, request: Request, serializer: type[serializers.Serializer[Any]], name: str
    ) -> Response:
        """The input parsed by ``serializer``, the step taken by ``steps.STEPS``
        as the page takes it, the Idempotency-Key honoured, the fresh whistle
        answered."""
        whistle = self.get_object()
        given = serializer(data=request.data)
        given.is_valid(raise_exception=True)

        def run() -> Response:
            result = STEPS[name](request.user, whistle, given.validated_data)
            return self._answer(whistle, message=describe(name, whistle, result))

        return idempotent(request, run)

    @extend_schema(request=s.CheckInSerializer, responses=s.WhistleDetailSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: str) -> Response:
        """报到: the summoned department reports in, with who came and, if given,
        where they stand and a photo (multipart)."""
        return self._step(request, s.CheckInSerializer, "check_in")

    @extend_schema(request=s.TaskSerializer, responses=s.WhistleDetailSerializer)
    @action(detail=True, methods=["post"])
    def task(self, request: Request, pk: str) -> Response:
        """The street gives a department its share and, optionally, its days."""
        return self._step(request, s.TaskSerializer, "task")

    @extend_schema(request=s.ShareDoneSerializer, responses=s.WhistleDetailSerializer)
    @action(detail=True, methods=["post"], url_path="share-done")
    def share_done(self, request: Request, pk: str) -> Response:
        """A department's share is done."""
        return self._step(request, s.ShareDoneSerializer, "share_done")

    @extend_schema(
        request=s.MeetingInputSerializer, responses=s.WhistleDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def meetings(self, request: Request, pk: str) -> Response:
        """联席会: record a joint meeting."""
        return self._step(request, s.MeetingInputSerializer, "meeting")

    @extend_schema(request=s.ScoreSerializer, responses=s.WhistleDetailSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: str) -> Response:
        """双向评价, the street's half: score a department 1–5."""
        return self._step(request, s.ScoreSerializer, "score")

    @extend_schema(request=s.FeedbackSerializer, responses=s.WhistleDetailSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk: str) -> Response:
        """双向评价, the department's half: was it justified, was it well run."""
        return self._step(request, s.FeedbackSerializer, "feedback")

    @extend_schema(request=s.ProgressSerializer, responses=s.WhistleDetailSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str) -> Response:
        """A progress note from the street or a summoned department."""
        return self._step(request, s.ProgressSerializer, "progress")

    @extend_schema(
        request=s.ConsolidatedReplySerializer, responses=s.WhistleDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        """The lead department's consolidated reply (may be rewritten while open)."""
        return self._step(request, s.ConsolidatedReplySerializer, "reply")

    @extend_schema(request=s.CloseSerializer, responses=s.WhistleDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close once every share is done, with the lead's consolidated reply
        (or the street's own)."""
        return self._step(request, s.CloseSerializer, "close")

    @extend_schema(
        parameters=[
            OpenApiParameter("variant", enum=["thumb", "full"], default="full")
        ],
        responses={(200, "image/*"): bytes},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"check-in/(?P<summons>\d+)/photo",
        renderer_classes=[ImageRenderer, JSONRenderer],
    )
    def photo(self, request: Request, pk: str, summons: str) -> FileResponse:
        """The photo a department took when it reported in."""
        return check_in_photo_response(
            self.get_object(),
            int(summons),
            thumb=request.query_params.get("variant") == "thumb",
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("street", str, required=True),
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        responses=s.CountersSerializer,
    )
    @action(detail=False, methods=["get"])
    def counters(self, request: Request) -> Response:
        """The counters as the newspaper reports them, for [start, end]."""
        period = _Period(data=request.query_params)
        period.is_valid(raise_exception=True)
        data = period.validated_data
        street = next(
            (
                a
                for a in permissions.streets_for_dispatcher(
                    request.user, roles=permissions.OVERSEERS
                )
                if a.code == data["street"]
            ),
            None,
        )
        if street is None:
            raise Http404
        tz = timezone.get_current_timezone()
        counters = selectors.whistle_counters(
            street=street,
            start=datetime.combine(data["start"], time.min, tzinfo=tz),
            end=datetime.combine(data["end"] + timedelta(days=1), time.min, tzinfo=tz),
        )
        return Response(
            s.CountersSerializer(
                {
                    "street": street.code,
                    "start": data["start"],
                    "end": data["end"],
                    **counters.__dict__,
                }
            ).data
        )


class _Period(serializers.Serializer[Any]):
    street = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] < attrs["start"]:
            raise invalid("end", _("The end is before the start."))
        return attrs
