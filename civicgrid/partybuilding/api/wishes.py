"""The 微心愿 API: the staff's wishes, the wish wall (心愿墙) a member reads, a
wish gathered and each of its steps — through the same selectors, steps and
actions as the pages.

What the wall shows of a wish is all a member sees of it: how the wall names
them, the need (masked as stored), its value, the community and its days on
the wall; never the household, its address, the beneficiary or a number. The
staff the wish reaches see the grid, the household's id, the claimer and the
timeline as well."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.api.errors import invalid
from civicgrid.api.idempotency import idempotent
from civicgrid.core import clock
from civicgrid.ledger import selectors as ledger_selectors

from .. import actions, selectors
from ..models import UnitRegistration, Wish, WishEvent
from ..steps import STEPS, available, describe

# The fields only the staff see; null for a member.
STAFF_ONLY = (
    "grid",
    "grid_name",
    "household",
    "beneficiary",
    "gathered_by",
    "claimed_by",
    "claimed_by_unit",
    "claimed_at",
    "fulfilled_on",
    "confirmed_at",
    "confirmed_for_beneficiary",
    "reason",
    "events",
)


def _with_wall_days(wishes: QuerySet[Wish]) -> QuerySet[Wish]:
    """Each wish with when it first went on the wall, for its days there."""
    first_published = (
        WishEvent.objects.filter(wish=OuterRef("pk"), to_state=Wish.State.PUBLISHED)
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    return wishes.annotate(on_wall_since=Subquery(first_published)).select_related(
        "gathered_by", "claimed_by__user", "claimed_by_unit__organisation"
    )


# --- serializers --------------------------------------------------------------------


class WallWishSerializer(serializers.ModelSerializer[Wish]):
    """A wish as the wall shows it."""

    shown_as = serializers.CharField(
        read_only=True, help_text="A first name or 老人: never a full name."
    )
    need = serializers.CharField(
        read_only=True, help_text="The wish, any number in it masked."
    )
    community_name = serializers.CharField(source="community.name", read_only=True)
    days_on_wall = serializers.SerializerMethodField(
        help_text="Days since it first went on the wall; null off the wall."
    )

    class Meta:
        model = Wish
        fields = ["id", "shown_as", "need", "value", "community_name", "days_on_wall"]
        read_only_fields = fields

    def get_days_on_wall(self, wish: Wish) -> int | None:
        since = getattr(wish, "on_wall_since", None)
        if wish.state != Wish.State.PUBLISHED or since is None:
            return None
        return (clock.today() - timezone.localdate(since)).days


class WishEventSerializer(serializers.ModelSerializer[WishEvent]):
    actor = serializers.SerializerMethodField(
        help_text="Who took the step (their display name); null for the worker."
    )
    from_state = serializers.CharField(read_only=True, help_text="Empty at first.")
    to_state = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True, help_text="Any number masked.")

    class Meta:
        model = WishEvent
        fields = ["action", "actor", "from_state", "to_state", "note", "created_at"]
        read_only_fields = fields

    def get_actor(self, event: WishEvent) -> str | None:
        return event.actor.get_full_name() if event.actor else None


class WishSerializer(WallWishSerializer):
    """A wish: the wall's fields and where it stands for everyone who opens it;
    the rest for the staff only (null for a member). ``steps`` and ``events``
    are given when one wish is read (null in lists)."""

    community = serializers.IntegerField(source="community_id", read_only=True)
    state = serializers.ChoiceField(choices=Wish.State.choices, read_only=True)
    claim_expires_at = serializers.DateTimeField(read_only=True, allow_null=True)
    steps = serializers.SerializerMethodField(
        help_text="The steps the reader may take now (POST …/{id}/{step}/)."
    )
    grid = serializers.CharField(source="grid.code", read_only=True, allow_null=True)
    grid_name = serializers.CharField(
        source="grid.name", read_only=True, allow_null=True
    )
    household = serializers.IntegerField(
        source="household_id", read_only=True, allow_null=True
    )
    beneficiary = serializers.IntegerField(
        source="beneficiary_id", read_only=True, allow_null=True
    )
    gathered_by = serializers.CharField(
        source="gathered_by.get_full_name", read_only=True, allow_null=True
    )
    claimed_by = serializers.SerializerMethodField(
        help_text="The volunteer who claimed it (display name)."
    )
    claimed_by_unit = serializers.CharField(
        source="claimed_by_unit.organisation.name",
        default=None,
        read_only=True,
        allow_null=True,
        help_text="The unit that claimed it.",
    )
    claimed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    fulfilled_on = serializers.DateField(read_only=True, allow_null=True)
    confirmed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    confirmed_for_beneficiary = serializers.BooleanField(
        read_only=True, allow_null=True
    )
    reason = serializers.CharField(read_only=True, allow_null=True)
    events = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField(
        help_text="What the step just taken did, in the user's language."
    )

    class Meta(WallWishSerializer.Meta):
        fields = [
            *WallWishSerializer.Meta.fields,
            "community",
            "state",
            "claim_expires_at",
            "steps",
            *STAFF_ONLY,
            "message",
        ]
        read_only_fields = fields

    def to_representation(self, wish: Wish) -> dict[str, Any]:
        data = super().to_representation(wish)
        if not self.context.get("staff"):
            data.update(dict.fromkeys(STAFF_ONLY))
        return data

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=list(STEPS)), allow_null=True
        )
    )
    def get_steps(self, wish: Wish) -> list[str] | None:
        if not self.context.get("detail"):
            return None
        return available(self.context["request"].user, wish)

    def get_claimed_by(self, wish: Wish) -> str | None:
        return wish.claimed_by.user.get_full_name() if wish.claimed_by else None

    @extend_schema_field(WishEventSerializer(many=True, allow_null=True))
    def get_events(self, wish: Wish) -> Any:
        if not (self.context.get("detail") and self.context.get("staff")):
            return None
        events = wish.events.select_related("actor")
        return WishEventSerializer(events, many=True).data

    def get_message(self, wish: Wish) -> str:
        return str(self.context.get("message", ""))


class WishFilterSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=Wish.State.choices, required=False)


class WishGatherSerializer(serializers.Serializer[Any]):
    household = serializers.IntegerField(
        min_value=1, help_text="A household of a grid whose ledger you keep."
    )
    beneficiary = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="The person of the household it is for.",
    )
    need = serializers.CharField(max_length=actions.MAX_NEED)
    value = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        help_text=f"Estimated value in yuan, 0 to {actions.MAX_VALUE}.",
    )
    shown_as = serializers.CharField(
        max_length=20,
        help_text="How the wall names them: a first name or 老人 — never a full "
        "name, an address or a number.",
    )
    consent = serializers.BooleanField(
        help_text="The beneficiary agrees that the wish is shown on the wall; "
        "without it nothing is written down."
    )


class WishNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class WishReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=200)


class WishReleaseSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class WishClaimSerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="Claim for a unit registered to the community whose contact "
        "you are; without it, as a volunteer.",
    )

    def validate_unit(self, value: int | None) -> UnitRegistration | None:
        if value is None:
            return None
        user = self.context["request"].user
        mine = selectors.units_for_user(user).filter(contact_id=user.pk)
        unit = mine.filter(pk=value).first()
        if unit is None:
            raise serializers.ValidationError(
                _(
                    "Only the contact of a unit registered to this community "
                    "claims for it."
                )
            )
        return unit


class WishFulfilSerializer(serializers.Serializer[Any]):
    photo = serializers.FileField(
        help_text="A photo of the delivery: JPEG, PNG or WebP."
    )
    on = serializers.DateField(required=False, help_text="Today if left out.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


# --- views --------------------------------------------------------------------------


@extend_schema(tags=["partybuilding"])
class WishViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Wish],
):
    """微心愿: the staff list the wishes their roles reach; a member reads the
    wall of the communities they are registered to and the wishes they
    claimed."""

    serializer_class = WishSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Wish]:
        user = self.request.user
        if self.action == "list":
            filters = WishFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            state = filters.validated_data.get("state", "")
            return _with_wall_days(selectors.staff_wishes(user, state))
        if self.action == "wall":
            return _with_wall_days(selectors.wall(user))
        return _with_wall_days(selectors.wishes_for_user(user))

    def get_object(self) -> Wish:
        return selectors.wish_get_for_user(self.request.user, self.kwargs["pk"])

    def get_serializer_context(self) -> dict[str, Any]:
        # Every wish of the list is one of the staff's.
        return {**super().get_serializer_context(), "staff": self.action == "list"}

    def _answer(self, wish: Wish, code: int = 200, message: str = "") -> Response:
        """The wish as it is now, as the user may see it."""
        user = self.request.user
        fresh = self.get_queryset().filter(pk=wish.pk).first() or wish
        context = {
            **super().get_serializer_context(),
            "detail": True,
            "staff": selectors.staff_wishes(user).filter(pk=wish.pk).exists(),
            "message": message,
        }
        return Response(WishSerializer(fresh, context=context).data, status=code)

    @extend_schema(
        parameters=[WishFilterSerializer], responses=WishSerializer(many=True)
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The wishes of the grids and communities the staff's roles reach,
        newest first (to verify, publish and confirm)."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=WallWishSerializer(many=True))
    @action(detail=False, methods=["get"])
    def wall(self, request: Request) -> Response:
        """心愿墙: the wishes on the walls of the user's communities, the longest
        waiting first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WallWishSerializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One wish: what the wall shows and the steps the user may take; the
        staff see the household's id, the claimer and the timeline too."""
        return self._answer(self.get_object())

    @extend_schema(request=WishGatherSerializer, responses={201: WishSerializer})
    def create(self, request: Request) -> Response:
        """Write down a household's wish, with the beneficiary's consent: a
        household of a grid whose ledger the user keeps."""
        given = WishGatherSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = request.user

        def gather() -> Response:
            # 404 for a household the user does not read, 403 from the action
            # for one they read but do not keep: the ledger's own rule.
            household = ledger_selectors.household_get_for_user(user, data["household"])
            beneficiary = None
            if data.get("beneficiary") is not None:
                beneficiary = household.members.filter(pk=data["beneficiary"]).first()
                if beneficiary is None:
                    raise invalid(
                        "beneficiary", _("Choose a person of this household.")
                    )
            wish = actions.wish_gather(
                household=household,
                beneficiary=beneficiary,
                need=data["need"],
                value=data["value"],
                shown_as=data["shown_as"],
                consent=data["consent"],
                acting_user=user,
            )
            return self._answer(
                wish,
                status.HTTP_201_CREATED,
                _("The wish of %(who)s is written down; the community checks it next.")
                % {"who": wish.shown_as},
            )

        return idempotent(request, gather)

    def _step(
        self,
        request: Request,
        name: str,
        serializer: type[serializers.Serializer[Any]] | None = None,
    ) -> Response:
        """The input parsed, the step taken by ``steps.STEPS`` as the page takes
        it, the Idempotency-Key honoured, the wish and what was done answered."""
        wish = self.get_object()
        data: dict[str, Any] = {}
        if serializer is not None:
            given = serializer(data=request.data, context={"request": request})
            given.is_valid(raise_exception=True)
            data = dict(given.validated_data)

        def run() -> Response:
            STEPS[name](request.user, wish, data)
            return self._answer(wish, message=describe(name, wish))

        return idempotent(request, run)

    @extend_schema(request=WishNoteSerializer, responses=WishSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        """家庭情况核实: the community has checked the household's situation."""
        return self._step(request, "verify", WishNoteSerializer)

    @extend_schema(request=WishReasonSerializer, responses=WishSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        """The community refuses the wish, saying why."""
        return self._step(request, "refuse", WishReasonSerializer)

    @extend_schema(request=None, responses=WishSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """Put a verified wish on the community's wall."""
        return self._step(request, "publish")

    @extend_schema(request=WishClaimSerializer, responses=WishSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str) -> Response:
        """A registered volunteer, or a unit's contact for the unit, claims a
        wish on the wall; a second claim at the same moment gets 409."""
        return self._step(request, "claim", WishClaimSerializer)

    @extend_schema(request=WishReleaseSerializer, responses=WishSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str) -> Response:
        """The claimer cannot deliver after all: the wish returns to the wall."""
        return self._step(request, "release", WishReleaseSerializer)

    @extend_schema(request=WishFulfilSerializer, responses=WishSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def fulfil(self, request: Request, pk: str) -> Response:
        """The claimer delivered: a photo of the delivery and the day
        (multipart)."""
        return self._step(request, "fulfil", WishFulfilSerializer)

    @extend_schema(request=WishNoteSerializer, responses=WishSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        """The beneficiary's word, given on their behalf by who keeps the
        household's grid: confirmed and credited to the claimer's ledger."""
        return self._step(request, "confirm", WishNoteSerializer)

    @extend_schema(request=WishReasonSerializer, responses=WishSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancel before the delivery, saying why."""
        return self._step(request, "cancel", WishReasonSerializer)
