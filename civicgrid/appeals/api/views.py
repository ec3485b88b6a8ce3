"""The appeal API (接诉即办): the console's queues and page and every step on
it, intake, the resident's tracking page and the catalogue — through the same
selectors, permissions, steps and actions as the pages, so an outsider gets 404
and a step refused on the page is refused here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civicgrid.api.errors import invalid
from civicgrid.api.idempotency import HEADER, idempotent, namespaced_key
from civicgrid.api.models import ApiClient
from civicgrid.api.renderers import AudioRenderer, ImageRenderer
from civicgrid.core import ratelimit
from civicgrid.core.errors import IdempotencyMismatch

from .. import actions, permissions, selectors
from ..access import resident_key, resident_key_valid
from ..actions import AppealInput
from ..models import Appeal, Assignment, Category, Channel, Submission
from ..photos import VARIANTS, attachment_response, voice_response
from ..steps import STEPS, describe
from . import serializers as s

Serializer = type[serializers.Serializer[Any]]

TRACKED = PolymorphicProxySerializer(
    component_name="Tracked",
    serializers=[s.TrackSerializer, s.PendingTrackSerializer],
    resource_type_field_name=None,
)


def _key_ignored(why: str) -> OpenApiParameter:
    """The schema says every POST honours Idempotency-Key; these do not."""
    return OpenApiParameter(
        HEADER, str, OpenApiParameter.HEADER, description=f"Not honoured: {why}"
    )


def _step(name: str, serializer: Serializer | None, doc: str) -> Callable[..., Any]:
    """``POST /api/appeals/{id}/<name>/``: the input parsed by ``serializer``,
    the step taken by ``steps.STEPS`` as the console takes it, the
    Idempotency-Key honoured, the fresh appeal answered. One maker for the
    steps, rather than a method for each that differs in a name."""

    def view(self: AppealViewSet, request: Request, pk: str) -> Response:
        return self._take(request, name, serializer)

    # "return" is a keyword and "dispatch" the view's own method: "return_" and
    # "dispatch_" in the class, /return/ and /dispatch/ in the address.
    view.__name__ = f"{name}_" if name in ("return", "dispatch") else name
    view.__doc__ = doc
    slug = name.replace("_", "-")
    routed = action(detail=True, methods=["post"], url_path=slug, url_name=slug)(view)
    return extend_schema(
        operation_id=f"appeals_{name}",
        request=serializer,
        responses=s.AppealDetailSerializer,
    )(routed)


@extend_schema(tags=["appeals"])
class AppealViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Appeal],
):
    """Appeals the user may see (selectors.appeal_list_for_user): the street's
    for its command centre, a grid's for its worker, what was dispatched to a
    department for its handlers. Whoever files one without such a role (a
    resident, another system) follows it by its code at /api/track/."""

    lookup_value_regex = r"\d+"
    serializer_class = s.AppealSerializer

    def get_queryset(self) -> QuerySet[Appeal]:
        user = self.request.user
        if self.action == "list":
            filters = s.AppealFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            data = filters.validated_data
            appeals = selectors.appeals_filtered(
                selectors.queue(user, data["queue"]), data
            )
            return appeals.order_by(
                *selectors.queue_ordering(data["queue"], data.get("ordering"))
            )
        if self.action == "retrieve":
            return self._with_detail(selectors.appeal_list_for_user(user))
        return selectors.appeal_list_for_user(user)

    @staticmethod
    def _with_detail(appeals: QuerySet[Appeal]) -> QuerySet[Appeal]:
        return appeals.select_related(
            "street", "grid", "category", "category_version", "merged_into"
        ).prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related(
                    "area", "department"
                ).order_by("id"),
            ),
            "attachments",
            "voice_messages__transcribed_by",
        )

    def _detail(
        self,
        appeal: Appeal,
        contact: dict[str, Any] | None = None,
        message: str = "",
    ) -> dict[str, Any]:
        user = self.request.user
        allowed = permissions.ordered_actions(user, appeal)
        pending = (
            selectors.pending_extension(appeal)
            if "decide_extension" in allowed
            else None
        )
        context = {
            **self.get_serializer_context(),
            "actions": allowed,
            "pending_extension": pending,
            "pending_verification": (
                permissions.pending_verification(appeal)
                if appeal.state == Appeal.State.REPLIED
                else None
            ),
            "contact": contact,
            "message": message,
        }
        return dict(s.AppealDetailSerializer(appeal, context=context).data)

    def _answer(
        self,
        appeal: Appeal,
        code: int = status.HTTP_200_OK,
        *,
        contact: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        message: str = "",
    ) -> Response:
        """The appeal as it is now. A unit that just returned its share no longer
        sees the appeal: the answer to its own step is the last it gets."""
        scoped = selectors.appeal_list_for_user(self.request.user)
        fresh = self._with_detail(scoped).filter(pk=appeal.pk).first()
        if fresh is None:
            fresh = self._with_detail(Appeal.objects.all()).get(pk=appeal.pk)
        return Response(
            self._detail(fresh, contact, message), status=code, headers=headers
        )

    def _take(
        self, request: Request, name: str, serializer: Serializer | None
    ) -> Response:
        appeal = self.get_object()
        data: Mapping[str, Any] = {}
        if serializer is not None:
            given = serializer(data=request.data)
            given.is_valid(raise_exception=True)
            data = given.validated_data

        def run() -> Response:
            result = STEPS[name](request.user, appeal, data)
            return self._answer(appeal, message=describe(name, appeal, result))

        return idempotent(request, run)

    @extend_schema(
        parameters=[s.AppealFilterSerializer],
        responses=s.AppealSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A queue of the console (queue=all by default), filtered as the console
        filters, newest first (deadlines first in due_soon and overdue)."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=s.AppealDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The appeal page: units, staff timeline, photos, and the actions the
        user may take now."""
        response = Response(self._detail(self.get_object()))
        add_never_cache_headers(response)
        return response

    @extend_schema(
        request=s.AppealInputSerializer,
        responses={
            201: OpenApiResponse(
                s.AppealDetailSerializer,
                description="Entered by staff (phone, letter, visit, patrol).",
            ),
            202: OpenApiResponse(
                s.ReceiptSerializer,
                description="Received (api, web): registered moments later.",
            ),
        },
    )
    def create(self, request: Request) -> Response:
        """File an appeal. Idempotency-Key is the intake's own key (per user): a
        retry answers the same tracking code, another payload under it 422.
        A resident's account is held to the report page's limits (per address
        and per resident), counted before any photo is decoded."""
        client_system = isinstance(request.auth, ApiClient)
        data = request.data if isinstance(request.data, Mapping) else {}
        asked = data.get("channel") or (Channel.API if client_system else Channel.WEB)
        if not client_system and asked not in actions.STAFF_CHANNELS:
            wait = ratelimit.intake_over_limit(request._request, request.user)
            if wait:
                raise exceptions.Throttled(wait=wait)
        given = s.AppealInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        photos = fields.pop("photos", [])
        if "channel" not in fields:
            fields["channel"] = Channel.API if client_system else Channel.WEB
        if fields["channel"] == Channel.WEB:
            # A resident files now and as they are: the time received and the
            # priority are for those who enter or forward an appeal.
            if fields.get("received_at") is not None:
                raise invalid("received_at", _("Set when the appeal arrives."))
            if fields.get("priority", Appeal.Priority.NORMAL) != Appeal.Priority.NORMAL:
                raise invalid("priority", _("The street sets the priority."))
        try:
            made, created = actions.appeal_file(
                data=AppealInput(**fields),
                acting_user=request.user,
                photos=photos,
                idempotency_key=namespaced_key(request),
            )
        except IdempotencyMismatch as exc:
            raise IdempotencyMismatch(exc.message, field=HEADER) from exc
        headers = {} if created else {"Idempotent-Replayed": "true"}
        if isinstance(made, Appeal):  # its entering user sees it
            return self._answer(made, status.HTTP_201_CREATED, headers=headers)
        return Response(
            self._receipt(made), status=status.HTTP_202_ACCEPTED, headers=headers
        )

    @staticmethod
    def _receipt(submission: Submission) -> dict[str, Any]:
        state = submission.state
        if submission.appeal is not None:
            state = submission.appeal.state  # a retry after the worker registered it
        code = submission.tracking_code
        return dict(
            s.ReceiptSerializer(
                {
                    "tracking_code": code,
                    "state": state,
                    "received_at": submission.received_at,
                    "track_url": reverse("api:track", args=[code]),
                    "resident_key": resident_key(code),
                }
            ).data
        )

    accept = _step("accept", s.NoteSerializer, "受理: accept a received appeal.")
    categorise = _step(
        "categorise",
        s.CategoriseSerializer,
        "Correct the category, kind, priority or grid before dispatch.",
    )
    reject = _step(
        "reject",
        s.RejectSerializer,
        "不予受理: out of scope; the resident is told why and where to go.",
    )
    merge = _step(
        "merge",
        s.MergeSerializer,
        "A duplicate joins the main appeal (one the user may see, by its code).",
    )
    dispatch_ = _step(
        "dispatch",
        s.DispatchSerializer,
        "派单: a lead unit and any co-handlers; the category's clocks start.",
    )
    sign = _step("sign", None, "签收: the user's unit takes its share on.")
    return_ = _step(
        "return",
        s.ReasonSerializer,
        "退单: not for the user's unit. The unit no longer sees the appeal after.",
    )
    recall = _step(
        "recall",
        s.RecallSerializer,
        "撤回: the street takes back a share not yet signed for; a recalled lead "
        "sends the appeal back to be dispatched. Not a return by the unit.",
    )
    reassign = _step(
        "reassign",
        s.ReassignSerializer,
        "改派: recall a share not yet signed for and dispatch it to another unit.",
    )
    complete_share = _step(
        "complete_share",
        s.ShareNoteSerializer,
        "协办完成: a co-handler completes its signed share, with a note.",
    )
    close_share = _step(
        "close_share",
        s.CloseShareSerializer,
        "The lead closes a co-handler's open share with a note.",
    )
    progress = _step(
        "progress", s.ProgressNoteSerializer, "A progress note, public if asked."
    )
    reply = _step(
        "reply",
        s.ReplySerializer,
        "答复: the lead unit's reply, an internal note and photos (multipart).",
    )
    request_extension = _step(
        "request_extension",
        s.ExtensionRequestSerializer,
        "延期: ask the dispatcher for more working days.",
    )
    decide_extension = _step(
        "decide_extension",
        s.ExtensionDecisionSerializer,
        "Approve or refuse the pending extension request.",
    )
    urge = _step("urge", s.NoteSerializer, "催办: press the units before the deadline.")
    supervise = _step(
        "supervise", s.NoteSerializer, "督办: a leader takes it under supervision."
    )
    callback = _step(
        "callback",
        s.CallbackSerializer,
        "回访: the operator records the resident's answer on the phone.",
    )
    request_verification = _step(
        "request_verification",
        s.VerificationRequestSerializer,
        "请网格员核查: ask a grid worker of the appeal's grid to verify the reply "
        "on site; the callback waits for it.",
    )
    verify = _step(
        "verify",
        s.VerifySerializer,
        "核查: the grid worker asked records what they found on site (multipart "
        "for photos). Passed closes a patrol finding that names no resident "
        "(核查结案); a resident's appeal goes on to its callback. Not passed: "
        "handled again (重办).",
    )

    transcribe = _step(
        "transcribe",
        s.TranscribeSerializer,
        "听写: an operator writes down what a voice message says, or corrects "
        "it; with no description typed, it becomes the description. Another "
        "operator's transcription since the given revision: 409.",
    )

    @extend_schema(
        request=s.OnSiteSerializer,
        responses={201: s.AppealDetailSerializer},
    )
    @action(detail=False, methods=["post"], url_path="on-site", url_name="on-site")
    def on_site(self, request: Request) -> Response:
        """就地处置: a grid worker records a problem found on patrol in one of
        their grids and dealt with there; it is received and closed for the
        grid at once. Idempotency-Key is the intake's own key (per user)."""
        given = s.OnSiteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        try:
            made, created = actions.appeal_dispose_on_site(
                acting_user=request.user,
                idempotency_key=namespaced_key(request),
                **fields,
            )
        except IdempotencyMismatch as exc:
            raise IdempotencyMismatch(exc.message, field=HEADER) from exc
        headers = {} if created else {"Idempotent-Replayed": "true"}
        return self._answer(made, status.HTTP_201_CREATED, headers=headers)

    @extend_schema(
        request=None,
        responses=s.AppealDetailSerializer,
        parameters=[_key_ignored("a stored answer would keep the number in clear.")],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="reveal-contact",
        url_name="reveal-contact",
    )
    def reveal_contact(self, request: Request, pk: str) -> Response:
        """The resident's whole name, number and e-mail, for whoever calls back;
        the timeline records who saw them."""
        appeal = self.get_object()
        contact = actions.appeal_reveal_contact(appeal=appeal, acting_user=request.user)
        return self._answer(appeal, contact=contact)

    @extend_schema(
        parameters=[
            OpenApiParameter("attachment", int, OpenApiParameter.PATH),
            OpenApiParameter("variant", str, OpenApiParameter.PATH, enum=VARIANTS),
        ],
        responses={(200, "image/*"): bytes},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"photos/(?P<attachment>\d+)/(?P<variant>thumb|full)",
        renderer_classes=[ImageRenderer, JSONRenderer],
    )
    def photo(
        self, request: Request, pk: str, attachment: str, variant: str
    ) -> FileResponse:
        """A photo of the appeal, or its JPEG thumbnail."""
        appeal = self.get_object()
        return attachment_response(
            selectors.attachment_get_for_user(
                request.user, int(attachment), appeal=appeal
            ),
            variant,
        )

    @extend_schema(
        parameters=[OpenApiParameter("voice", int, OpenApiParameter.PATH)],
        responses={(200, "audio/*"): bytes, (206, "audio/*"): bytes},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"voice/(?P<voice>\d+)",
        url_name="voice",
        renderer_classes=[AudioRenderer, JSONRenderer],
    )
    def voice(self, request: Request, pk: str, voice: str) -> HttpResponseBase:
        """A voice message of the appeal, as it was recorded (one byte range
        of it for a ``Range`` header)."""
        appeal = self.get_object()
        return voice_response(
            selectors.voice_get_for_user(request.user, int(voice), appeal=appeal),
            request.headers.get("Range", ""),
        )


@extend_schema(tags=["reference"])
class CategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Category]):
    """The catalogue's active leaves (派单目录): their clocks and the extra
    questions intake asks."""

    serializer_class = s.CategorySerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Category]:
        return selectors.leaf_categories().prefetch_related("questions")


# --- residents: no account, the tracking code and the resident's key -------------


RESIDENT_KEY_IGNORED = _key_ignored("a resident holds no account to keep it under.")

# The resident's key in a header rather than the path, so that no access log
# keeps it (the path forms still work for links already given out).
RESIDENT_KEY_HEADER = "Resident-Key"
RESIDENT_KEY = OpenApiParameter(
    RESIDENT_KEY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description="The resident's key from the receipt; without it, the public view.",
)


def _key_from(request: Request, key: str | None) -> str | None:
    return key or request.headers.get(RESIDENT_KEY_HEADER) or None


@extend_schema(tags=["residents"])
class _ResidentView(APIView):
    """Open to anyone holding the code; the default throttles count anonymous
    callers by address."""

    permission_classes = [AllowAny]

    def _appeal(self, request: Request, code: str, key: str | None) -> Appeal:
        """The registered appeal the resident's key (in the path or the
        ``Resident-Key`` header) opens; 404 otherwise."""
        key = _key_from(request, key)
        received = selectors.received_by_code(code)
        if (
            key is None
            or not isinstance(received, Appeal)
            or not resident_key_valid(received.tracking_code, key)
        ):
            raise Http404
        return received

    def _answer(self, received: Appeal | Submission, *, resident: bool) -> Response:
        if isinstance(received, Submission):
            return Response(s.PendingTrackSerializer(received).data)
        return Response(
            s.TrackSerializer(received, context={"resident": resident}).data
        )


class TrackView(_ResidentView):
    @extend_schema(
        operation_id="track_retrieve", responses=TRACKED, parameters=[RESIDENT_KEY]
    )
    def get(self, request: Request, code: str, key: str | None = None) -> Response:
        """The tracking page, read-only: the state, the public timeline, the
        latest reply and public photos ("pending" until registered). With the
        resident's key (the ``Resident-Key`` header), it says what the resident
        may do."""
        key = _key_from(request, key)
        received = selectors.received_by_code(code)
        resident = key is not None and resident_key_valid(received.tracking_code, key)
        if key is not None and not resident:
            raise Http404
        return self._answer(received, resident=resident)


@extend_schema_view(get=extend_schema(operation_id="track_resident_retrieve"))
class ResidentTrackView(TrackView):
    """The tracking page with the resident's key (a wrong key: 404)."""


class TrackInformationView(_ResidentView):
    @extend_schema(
        request=s.InformationSerializer,
        responses=s.TrackSerializer,
        parameters=[RESIDENT_KEY_IGNORED, RESIDENT_KEY],
    )
    def post(self, request: Request, code: str, key: str | None = None) -> Response:
        """The resident adds information or photos (multipart)."""
        appeal = self._appeal(request, code, key)
        given = s.InformationSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.appeal_add_information(
            appeal=appeal,
            acting_user=None,
            text=given.validated_data.get("text", ""),
            photos=given.validated_data.get("photos", []),
        )
        return self._answer(appeal, resident=True)


class TrackCallbackView(_ResidentView):
    @extend_schema(
        request=s.CallbackSerializer,
        responses=s.TrackSerializer,
        parameters=[RESIDENT_KEY_IGNORED, RESIDENT_KEY],
    )
    def post(self, request: Request, code: str, key: str | None = None) -> Response:
        """回访: the resident says whether it was solved and how satisfied they
        are; not solved or unsatisfied sends it back to be handled again."""
        appeal = self._appeal(request, code, key)
        given = s.CallbackSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        STEPS["callback"](None, appeal, given.validated_data)  # None: the resident
        appeal.refresh_from_db()
        return self._answer(appeal, resident=True)


@extend_schema_view(
    post=extend_schema(operation_id="track_information_by_header_create")
)
class TrackInformationByHeaderView(TrackInformationView):
    """Add information with the key in the ``Resident-Key`` header."""


@extend_schema_view(post=extend_schema(operation_id="track_callback_by_header_create"))
class TrackCallbackByHeaderView(TrackCallbackView):
    """The callback with the key in the ``Resident-Key`` header."""
