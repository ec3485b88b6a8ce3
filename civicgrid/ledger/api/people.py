"""The people API (人): households, people and visits, through the same
selectors and actions as the pages. ID numbers and phones are masked in every
answer; the whole number comes only from the reveal endpoint, with a reason,
and is recorded. Names are whole for the grid's keepers, masked for readers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.api.idempotency import idempotent
from civicgrid.core import crypto
from civicgrid.org.models import Area

from .. import permissions, selectors
from ..actions import people as actions
from ..models import Building, Household, Person, PersonTag, Visit
from .reveal import RevealTextsMixin

# --- serializers --------------------------------------------------------------------


def _keeps(context: Mapping[str, Any], grid_id: int | None) -> bool:
    return grid_id in context.get("editable_grids", set())


def _home_seen(context: Mapping[str, Any], person: Person) -> bool:
    """Whether the reader reads the household the person lives in now: the
    grid they moved away from keeps their past there, not their new address."""
    return person.household is not None and person.household.grid_id in context.get(
        "readable_grids", set()
    )


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    grid = serializers.CharField(source="grid.code", read_only=True)
    building_name = serializers.CharField(source="building.name", read_only=True)
    address = serializers.CharField(source="__str__", read_only=True)
    member_count = serializers.IntegerField(
        read_only=True, help_text="The people living there now."
    )

    class Meta:
        model = Household
        fields = [
            "id",
            "grid",
            "building",
            "building_name",
            "unit",
            "room",
            "address",
            "note",
            "member_count",
        ]
        read_only_fields = fields


class HouseholdInputSerializer(serializers.Serializer[Any]):
    building = serializers.IntegerField()
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    room = serializers.CharField(max_length=20)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class HouseholdFilterSerializer(serializers.Serializer[Any]):
    grid = serializers.CharField(required=False, help_text="A grid's 15-digit code.")
    building = serializers.IntegerField(required=False)
    tag = serializers.ChoiceField(choices=PersonTag.Tag.choices, required=False)


class TagSerializer(serializers.ModelSerializer[PersonTag]):
    class Meta:
        model = PersonTag
        fields = ["id", "tag", "since", "until", "note"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer[Person]):
    household = serializers.SerializerMethodField(
        help_text="Where they live now, when the reader reads that grid."
    )
    name = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField(
        help_text="Masked: 5401*************2."
    )
    phone = serializers.SerializerMethodField(help_text="Masked: 139****0001.")
    age = serializers.SerializerMethodField()
    moved_away = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    appeals_consent = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "household",
            "name",
            "id_number",
            "phone",
            "gender",
            "birth_date",
            "age",
            "ethnicity",
            "relation",
            "moved_away",
            "tags",
            "appeals_consent",
        ]
        read_only_fields = fields

    def get_household(self, person: Person) -> int | None:
        return person.household_id if _home_seen(self.context, person) else None

    def get_name(self, person: Person) -> str:
        grid = person.household.grid_id if person.household else None
        return (
            person.name if _keeps(self.context, grid) else crypto.mask_name(person.name)
        )

    def get_id_number(self, person: Person) -> str:
        return crypto.mask_id_number(person.id_number) if person.id_number else ""

    def get_phone(self, person: Person) -> str:
        return crypto.mask_phone(person.phone) if person.phone else ""

    def get_age(self, person: Person) -> int | None:
        from ..templatetags.ledger_people import age

        value = age(person.birth_date)
        return value if isinstance(value, int) else None

    def get_moved_away(self, person: Person) -> bool:
        return not _home_seen(self.context, person)

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, person: Person) -> list[dict[str, Any]]:
        current = [t for t in person.tags.all() if t.until is None]
        return TagSerializer(current, many=True).data  # type: ignore[return-value]

    def get_appeals_consent(self, person: Person) -> bool:
        return person.appeals_consent_at is not None


class PersonInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    gender = serializers.ChoiceField(
        choices=Person.Gender.choices, required=False, allow_blank=True
    )
    birth_date = serializers.DateField(required=False, allow_null=True)
    ethnicity = serializers.CharField(max_length=20, required=False, allow_blank=True)
    relation = serializers.CharField(max_length=20, required=False, allow_blank=True)

    def person_input(self, person: Person | None = None) -> actions.PersonInput:
        data = self.validated_data
        return actions.PersonInput(
            name=data["name"],
            id_number=data.get("id_number") or (person.id_number if person else ""),
            phone=data.get("phone") or (person.phone if person else ""),
            gender=data.get("gender", ""),
            birth_date=data.get("birth_date"),
            ethnicity=data.get("ethnicity", ""),
            relation=data.get("relation", ""),
        )


class PersonAddSerializer(PersonInputSerializer):
    household = serializers.IntegerField()
    moved_in_on = serializers.DateField(required=False, allow_null=True)
    move_existing = serializers.BooleanField(
        default=False,
        help_text="Someone with this ID number already in the ledger moves in here.",
    )


class PersonFilterSerializer(serializers.Serializer[Any]):
    household = serializers.IntegerField(required=False)
    grid = serializers.CharField(required=False)


class RevealSerializer(serializers.Serializer[Any]):
    field = serializers.ChoiceField(choices=actions.REVEALABLE)
    reason = serializers.CharField(max_length=200)


class RevealedSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    value = serializers.CharField()


class MoveOutSerializer(serializers.Serializer[Any]):
    moved_out_on = serializers.DateField()
    moved_out_to = serializers.CharField(
        max_length=200, required=False, allow_blank=True
    )


class MoveInSerializer(serializers.Serializer[Any]):
    household = serializers.IntegerField()
    moved_in_on = serializers.DateField(required=False, allow_null=True)


class TagAddSerializer(serializers.Serializer[Any]):
    tag = serializers.ChoiceField(choices=PersonTag.Tag.choices)
    since = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ConsentSerializer(serializers.Serializer[Any]):
    consented = serializers.BooleanField()


class VisitSerializer(serializers.ModelSerializer[Visit]):
    visitor = serializers.CharField(source="visitor.get_full_name", read_only=True)
    people_met: serializers.PrimaryKeyRelatedField[Person] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )
    appeal = serializers.CharField(
        source="appeal.tracking_code", default=None, read_only=True
    )

    class Meta:
        model = Visit
        fields = [
            "id",
            "household",
            "visitor",
            "visited_at",
            "people_met",
            "notes",
            "findings",
            "appeal",
        ]
        read_only_fields = fields


class VisitInputSerializer(serializers.Serializer[Any]):
    household = serializers.IntegerField()
    people_met = serializers.ListField(child=serializers.IntegerField(), required=False)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    findings = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    make_appeal = serializers.BooleanField(default=False)
    appellant = serializers.IntegerField(required=False, allow_null=True)


# --- views --------------------------------------------------------------------------


def _editable_grids(user: Any) -> set[int]:
    return set(
        selectors.grids_for_user(user)
        .filter(permissions.editable_q(user, "path"))
        .values_list("pk", flat=True)
    )


def _invalid(field: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


def _grid(user: Any, code: str) -> Area:
    grid = selectors.grids_for_user(user).filter(code=code).first()
    if grid is None:
        raise _invalid("grid", _("No grid of yours has this code."))
    return grid


class _LedgerViewSet(viewsets.GenericViewSet[Any]):
    lookup_value_regex = r"\d+"

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "editable_grids": _editable_grids(self.request.user),
            "readable_grids": set(
                selectors.grids_for_user(self.request.user).values_list("pk", flat=True)
            ),
        }


@extend_schema(tags=["ledger"])
class HouseholdViewSet(
    RevealTextsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, _LedgerViewSet
):
    """户: the households of the grids whose ledger the user reads."""

    serializer_class = HouseholdSerializer

    def get_queryset(self) -> QuerySet[Household]:
        user = self.request.user
        if self.action != "list":
            return (
                selectors.households_for_user(user)
                .annotate(member_count=Count("members", distinct=True))
                .order_by("pk")
            )
        filters = HouseholdFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        grid = _grid(user, data["grid"]) if "grid" in data else None
        return selectors.households_filtered(
            user, grid, building=data.get("building"), tag=data.get("tag", "")
        )

    def _building(self, pk: int) -> Building:
        building = Building.objects.filter(
            permissions.visible_q(self.request.user), pk=pk
        ).first()
        if building is None:
            raise _invalid("building", _("No building of yours has this number."))
        return building

    @extend_schema(parameters=[HouseholdFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=HouseholdInputSerializer, responses={201: HouseholdSerializer}
    )
    def create(self, request: Request) -> Response:
        given = HouseholdInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data

        def create() -> Response:
            household = actions.household_create(
                acting_user=request.user,
                building=self._building(data["building"]),
                unit=data.get("unit", ""),
                room=data["room"],
                note=data.get("note", ""),
            )
            fresh = self.get_queryset().get(pk=household.pk)
            return Response(
                self.get_serializer(fresh).data, status=status.HTTP_201_CREATED
            )

        return idempotent(request, create)

    @extend_schema(request=HouseholdInputSerializer, responses=HouseholdSerializer)
    def update(self, request: Request, pk: Any = None) -> Response:
        household = self.get_object()
        given = HouseholdInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        actions.household_update(
            acting_user=request.user,
            household=household,
            building=self._building(data["building"]),
            unit=data.get("unit", ""),
            room=data["room"],
            note=data.get("note", ""),
        )
        fresh = self.get_queryset().get(pk=household.pk)
        return Response(self.get_serializer(fresh).data)


@extend_schema(tags=["ledger"])
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _LedgerViewSet):
    """The people who live, or lived, in the households the user reads; ID
    numbers and phones masked."""

    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        user = self.request.user
        people = (
            selectors.people_for_user(user)
            .select_related("household__grid")
            .prefetch_related("tags")
            .order_by("pk")
        )
        if self.action == "list":
            filters = PersonFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            data = filters.validated_data
            if "household" in data:
                people = people.filter(residences__household_id=data["household"])
            if "grid" in data:
                people = people.filter(household__grid=_grid(user, data["grid"]))
            people = people.distinct()
        return people

    def _household(self, pk: int, field: str = "household") -> Household:
        household = (
            selectors.households_for_user(self.request.user).filter(pk=pk).first()
        )
        if household is None:
            raise _invalid(field, _("No household of yours has this number."))
        return household

    def _answer(self, person: Person, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=person.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(parameters=[PersonFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=PersonAddSerializer,
        responses={201: PersonSerializer},
        description="Add a member to a household. An ID number already in the "
        "ledger is refused (400 on id_number) unless move_existing, which moves "
        "that person in here.",
    )
    def create(self, request: Request) -> Response:
        given = PersonAddSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data

        def add() -> Response:
            added = actions.person_add(
                acting_user=request.user,
                household=self._household(data["household"]),
                data=given.person_input(),
                moved_in_on=data.get("moved_in_on"),
                move_existing=data["move_existing"],
            )
            return self._answer(added.person, status.HTTP_201_CREATED)

        return idempotent(request, add)

    @extend_schema(
        request=PersonInputSerializer,
        responses=PersonSerializer,
        description="Correct a person; an empty ID number or phone keeps it.",
    )
    def update(self, request: Request, pk: Any = None) -> Response:
        person = self.get_object()
        given = PersonInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.person_update(
            acting_user=request.user, person=person, data=given.person_input(person)
        )
        return self._answer(person)

    @extend_schema(request=RevealSerializer, responses=RevealedSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: Any = None) -> Response:
        """The whole ID number or phone, with a reason; the reveal is recorded."""
        person = self.get_object()
        given = RevealSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        value = actions.person_reveal(
            acting_user=request.user,
            person=person,
            field=given.validated_data["field"],
            reason=given.validated_data["reason"],
        )
        return Response({"field": given.validated_data["field"], "value": value})

    @extend_schema(request=MoveOutSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"], url_path="move-out")
    def move_out(self, request: Request, pk: Any = None) -> Response:
        person = self.get_object()
        given = MoveOutSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.person_move_out(
            acting_user=request.user,
            person=person,
            on=given.validated_data["moved_out_on"],
            to=given.validated_data.get("moved_out_to", ""),
        )
        return self._answer(person)

    @extend_schema(request=MoveInSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"], url_path="move-in")
    def move_in(self, request: Request, pk: Any = None) -> Response:
        person = self.get_object()
        given = MoveInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.person_move_in(
            acting_user=request.user,
            person=person,
            household=self._household(given.validated_data["household"]),
            on=given.validated_data.get("moved_in_on"),
        )
        return self._answer(person)

    @extend_schema(request=TagAddSerializer, responses={201: PersonSerializer})
    @action(detail=True, methods=["post"])
    def tags(self, request: Request, pk: Any = None) -> Response:
        person = self.get_object()
        given = TagAddSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.tag_add(
            acting_user=request.user,
            person=person,
            tag=given.validated_data["tag"],
            since=given.validated_data.get("since"),
            note=given.validated_data.get("note", ""),
        )
        return self._answer(person, status.HTTP_201_CREATED)

    @extend_schema(request=ConsentSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: Any = None) -> Response:
        person = self.get_object()
        given = ConsentSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.person_note_consent(
            acting_user=request.user,
            person=person,
            consented=given.validated_data["consented"],
        )
        return self._answer(person)


@extend_schema(tags=["ledger"])
class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _LedgerViewSet):
    """入户走访: visits to the households the user reads."""

    serializer_class = VisitSerializer

    def get_queryset(self) -> QuerySet[Visit]:
        visits = selectors.visits_for_user(self.request.user)
        household = self.request.query_params.get("household")
        if (
            self.action == "list"
            and household
            and household.isdecimal()
            and household.isascii()
        ):
            visits = visits.filter(household_id=int(household))
        return visits

    @extend_schema(request=VisitInputSerializer, responses={201: VisitSerializer})
    def create(self, request: Request) -> Response:
        given = VisitInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        household = (
            selectors.households_for_user(request.user)
            .filter(pk=data["household"])
            .first()
        )
        if household is None:
            raise _invalid("household", _("No household of yours has this number."))
        members = {
            p.pk: p
            for p in Person.objects.filter(residences__household=household).distinct()
        }
        met = data.get("people_met", [])
        if any(pk not in members for pk in met):
            raise _invalid("people_met", _("Choose people of this household."))
        appellant = data.get("appellant")
        if appellant is not None and appellant not in members:
            raise _invalid("appellant", _("Choose a person of this household."))

        def record() -> Response:
            recorded = actions.visit_record(
                acting_user=request.user,
                household=household,
                people_met=[members[pk] for pk in met],
                notes=data.get("notes", ""),
                findings=data.get("findings", ""),
                make_appeal=data["make_appeal"],
                appellant=members[appellant] if appellant is not None else None,
            )
            return Response(
                self.get_serializer(recorded.visit).data,
                status=status.HTTP_201_CREATED,
            )

        # A phone on a weak line sends a visit again: the key makes it one visit.
        return idempotent(request, record)
