"""The 问题清单 API: the problems and needs of the areas the user reads, one
put on the list from its sources, each of its steps (a source added, made a
project, closed) and the resources that fit it — through the same selectors,
steps and actions as the pages.

A source names an appeal by its tracking code only, never its resident; a
社情民意 item by its number."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.api.idempotency import idempotent
from civicgrid.appeals.selectors import appeal_by_code_for_user
from civicgrid.ledger import selectors as ledger_selectors
from civicgrid.org.models import Area

from .. import actions, selectors
from ..models import Field, ListEvent, Problem, ProblemSource
from ..steps import PROBLEM_STEPS, describe, problem_steps
from .resources import ResourceSerializer

MAX_SOURCES = 50  # of each kind, in one request

# --- serializers --------------------------------------------------------------------


class ListEventSerializer(serializers.ModelSerializer[ListEvent]):
    """One step on the lists."""

    actor = serializers.SerializerMethodField(
        help_text="Who took the step (their display name)."
    )
    from_state = serializers.CharField(read_only=True, help_text="Empty if none.")
    to_state = serializers.CharField(read_only=True, help_text="Empty if none.")
    note = serializers.CharField(read_only=True, help_text="Any number masked.")

    class Meta:
        model = ListEvent
        fields = [
            "action",
            "actor",
            "project",
            "from_state",
            "to_state",
            "note",
            "created_at",
        ]
        read_only_fields = fields

    def get_actor(self, event: ListEvent) -> str | None:
        return event.actor.get_full_name() if event.actor else None


class ProblemSourceSerializer(serializers.Serializer[Any]):
    """Where a problem came from (a :class:`selectors.SourceView`)."""

    kind = serializers.ChoiceField(
        source="source.kind", choices=ProblemSource.Kind.choices, read_only=True
    )
    appeal = serializers.CharField(
        source="code",
        default=None,
        read_only=True,
        allow_null=True,
        help_text="The appeal's tracking code, where the reader may open the "
        "appeal (null otherwise).",
    )
    appeal_visible = serializers.BooleanField(
        read_only=True, help_text="Whether the reader may open the appeal itself."
    )
    opinion = serializers.IntegerField(
        source="source.opinion_id",
        read_only=True,
        allow_null=True,
        help_text="The number of the public opinion (社情民意) item.",
    )
    note = serializers.CharField(
        source="source.note",
        read_only=True,
        help_text="Which meeting or survey; empty for an appeal or an item.",
    )
    added_at = serializers.DateTimeField(source="source.created_at", read_only=True)


class ProblemSerializer(serializers.ModelSerializer[Problem]):
    """A problem on the list. ``project``, ``steps``, ``sources`` and
    ``events`` are given when one problem is read (null in lists)."""

    field = serializers.ChoiceField(choices=Field.choices, read_only=True)
    area = serializers.IntegerField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    state = serializers.ChoiceField(choices=Problem.State.choices, read_only=True)
    description = serializers.CharField(read_only=True, help_text="Any number masked.")
    raised_by = serializers.CharField(
        source="raised_by.get_full_name", read_only=True, help_text="Display name."
    )
    source_count = serializers.SerializerMethodField()
    project = serializers.SerializerMethodField(
        help_text="The project that answers it (underway or completed)."
    )
    steps = serializers.SerializerMethodField(
        help_text="The steps the reader may take now: POST …/{id}/{step}/ "
        "(add_source at …/add-source/)."
    )
    sources = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField(
        help_text="What the step just taken did, in the user's language."
    )

    class Meta:
        model = Problem
        fields = [
            "id",
            "title",
            "description",
            "field",
            "area",
            "area_name",
            "state",
            "reason",
            "raised_by",
            "created_at",
            "source_count",
            "project",
            "steps",
            "sources",
            "events",
            "message",
        ]
        read_only_fields = fields

    def _detail(self) -> bool:
        return bool(self.context.get("detail"))

    def get_source_count(self, problem: Problem) -> int:
        counted = getattr(problem, "source_count", None)
        return counted if counted is not None else problem.sources.count()

    def get_project(self, problem: Problem) -> int | None:
        if not self._detail():
            return None
        project = selectors.live_project(problem)
        return project.pk if project is not None else None

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=list(PROBLEM_STEPS)),
            allow_null=True,
        )
    )
    def get_steps(self, problem: Problem) -> list[str] | None:
        if not self._detail():
            return None
        return problem_steps(self.context["request"].user, problem)

    @extend_schema_field(ProblemSourceSerializer(many=True, allow_null=True))
    def get_sources(self, problem: Problem) -> Any:
        if not self._detail():
            return None
        views = selectors.sources_for(self.context["request"].user, problem)
        return ProblemSourceSerializer(views, many=True).data

    @extend_schema_field(ListEventSerializer(many=True, allow_null=True))
    def get_events(self, problem: Problem) -> Any:
        if not self._detail():
            return None
        events = problem.events.select_related("actor")
        return ListEventSerializer(events, many=True).data

    def get_message(self, problem: Problem) -> str:
        return str(self.context.get("message", ""))


class ProblemFilterSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=Problem.State.choices, required=False)
    field = serializers.ChoiceField(choices=Field.choices, required=False)


class ProblemSourcesSerializer(serializers.Serializer[Any]):
    """Where a problem came from: appeals by their tracking codes, 社情民意
    items by their numbers, a meeting, a survey."""

    appeals = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        max_length=MAX_SOURCES,
        help_text="Tracking codes of appeals you can see.",
    )
    opinions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        max_length=MAX_SOURCES,
        help_text="Numbers of public opinion (社情民意) items you can see.",
    )
    meeting = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Which meeting raised it, with its date.",
    )
    survey = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Which survey found it.",
    )

    def validate_appeals(self, codes: list[str]) -> list[Any]:
        user = self.context["request"].user
        found = []
        for code in codes:
            appeal = appeal_by_code_for_user(user, code)
            if appeal is None:
                raise serializers.ValidationError(
                    _("No appeal %(code)s that you can see.") % {"code": code}
                )
            found.append(appeal)
        return found

    def validate_opinions(self, numbers: list[int]) -> list[Any]:
        opinions = ledger_selectors.opinions_for_user(self.context["request"].user)
        found = []
        for number in numbers:
            opinion = opinions.filter(pk=number).first()
            if opinion is None:
                raise serializers.ValidationError(
                    _("No public opinion item %(n)s that you can see.") % {"n": number}
                )
            found.append(opinion)
        return found


class ProblemRaiseSerializer(ProblemSourcesSerializer):
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=2000)
    field = serializers.ChoiceField(choices=Field.choices)
    area = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="A street, community or grid whose lists you keep: where the "
        "need is.",
    )


class ProblemMilestoneSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=100)
    due_on = serializers.DateField()


class ProblemStartSerializer(serializers.Serializer[Any]):
    """立项: the problem becomes a project."""

    title = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="The project's title; the problem's if left out.",
    )
    owner = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The user who owns the project: staff of the problem's area, "
        "of one above it or of one within it.",
    )
    due_on = serializers.DateField(help_text="By when it is to be done.")
    started_on = serializers.DateField(required=False, help_text="Today if left out.")
    milestones = serializers.ListField(
        child=ProblemMilestoneSerializer(),
        required=False,
        max_length=MAX_SOURCES,
        help_text="Each due between the start and the project's due date.",
    )

    def validate_owner(self, pk: int) -> Any:
        # The action says who may own it; an unknown user is no staff either.
        return get_user_model().objects.filter(pk=pk, is_active=True).first()

    def validate_milestones(self, rows: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
        return [(row["title"], row["due_on"]) for row in rows]


class ProblemCloseSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=200, help_text="Why it comes off the list without a project."
    )


class ResourceMatchSerializer(serializers.Serializer[Any]):
    """A resource that fits a problem (a :class:`selectors.Match`)."""

    resource = ResourceSerializer(read_only=True)
    same_field = serializers.BooleanField(
        read_only=True,
        help_text="It serves the problem's very field (false: it serves any).",
    )


# --- views --------------------------------------------------------------------------


@extend_schema(tags=["cobuilding"])
class ProblemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Problem],
):
    """问题清单: the problems of the areas the user's roles reach and of the
    communities their unit is registered to."""

    serializer_class = ProblemSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Problem]:
        user = self.request.user
        if self.action == "list":
            filters = ProblemFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            data = filters.validated_data
            problems = selectors.problem_list(
                user, state=data.get("state", ""), field=data.get("field", "")
            )
            # The count's GROUP BY drops the model's ordering: newest first.
            return problems.order_by("-created_at", "-pk")
        return selectors.problem_list(user)

    def get_object(self) -> Problem:
        return selectors.problem_get_for_user(self.request.user, self.kwargs["pk"])

    def _answer(
        self, problem: Problem, code: int = status.HTTP_200_OK, message: str = ""
    ) -> Response:
        """The problem as it is now, with its sources and steps."""
        fresh = selectors.problem_list(self.request.user).filter(pk=problem.pk).first()
        context = {
            **self.get_serializer_context(),
            "detail": True,
            "message": message,
        }
        return Response(
            ProblemSerializer(fresh or problem, context=context).data, status=code
        )

    @extend_schema(
        parameters=[ProblemFilterSerializer], responses=ProblemSerializer(many=True)
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The problems, newest first."""
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One problem: where it came from, the project that answers it, its
        steps on the list and those the user may take."""
        return self._answer(self.get_object())

    @extend_schema(request=ProblemRaiseSerializer, responses={201: ProblemSerializer})
    def create(self, request: Request) -> Response:
        """Put a need on the problem list with where it came from — appeals,
        public opinion, a meeting or a survey (at least one)."""
        given = ProblemRaiseSerializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        data = given.validated_data

        def raise_problem() -> Response:
            problem = actions.problem_raise(
                data=actions.ProblemInput(
                    title=data["title"],
                    description=data["description"],
                    field=data["field"],
                    # Areas are public; the action checks the user keeps it.
                    area=Area.objects.filter(pk=data["area"], is_active=True).first(),
                    appeals=data.get("appeals", []),
                    opinions=data.get("opinions", []),
                    meeting=data.get("meeting", ""),
                    survey=data.get("survey", ""),
                ),
                acting_user=request.user,
            )
            return self._answer(
                problem,
                status.HTTP_201_CREATED,
                _("“%(title)s” is on the problem list.") % {"title": problem.title},
            )

        return idempotent(request, raise_problem)

    def _step(
        self,
        request: Request,
        name: str,
        serializer: type[serializers.Serializer[Any]],
    ) -> Response:
        """The input parsed, the step taken by ``steps.PROBLEM_STEPS`` as the
        page takes it, the Idempotency-Key honoured, the problem and what was
        done answered."""
        problem = self.get_object()
        given = serializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)

        def run() -> Response:
            result = PROBLEM_STEPS[name](request.user, problem, data)
            return self._answer(problem, message=describe(name, problem, result))

        return idempotent(request, run)

    @extend_schema(request=ProblemSourcesSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"], url_path="add-source", url_name="add-source")
    def add_source(self, request: Request, pk: str) -> Response:
        """Another appeal of the same need, another item heard, another
        meeting or survey."""
        return self._step(request, "add_source", ProblemSourcesSerializer)

    @extend_schema(request=ProblemStartSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        """立项: the problem becomes a project with an owner, a due date and
        milestones; the answer's ``project`` is its id."""
        return self._step(request, "start", ProblemStartSerializer)

    @extend_schema(request=ProblemCloseSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Take the problem off the list without a project, saying why."""
        return self._step(request, "close", ProblemCloseSerializer)

    @extend_schema(responses=ResourceMatchSerializer(many=True))
    @action(detail=True, methods=["get"])
    def matches(self, request: Request, pk: str) -> Response:
        """The resources that fit the problem, best first: for its very field
        before those that serve any, the nearest first, then those with the
        most left."""
        problem = self.get_object()
        page = self.paginate_queryset(
            selectors.matching_resources(request.user, problem)
        )
        return self.get_paginated_response(
            ResourceMatchSerializer(
                page, many=True, context=self.get_serializer_context()
            ).data
        )
