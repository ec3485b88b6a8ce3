"""The 项目清单 API: the projects that answer the problems of the areas the
user reads, and each step of one — a pledge of a resource (never more than
is left), a milestone done, progress with photos, completion (the residents
of the appeals it answers are told), cancellation, the residents' evaluation
— through the same selectors, steps and actions as the pages.

The appeals a project answers appear by their tracking codes only; a
progress photo by what describes it (type, size), not where it is stored."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.api.idempotency import idempotent

from .. import actions, selectors
from ..models import Evaluation, Milestone, Pledge, ProgressNote, Project, Resource
from ..steps import PROJECT_STEPS, describe, project_steps
from .problems import ListEventSerializer

# --- serializers --------------------------------------------------------------------


class ProjectMilestoneSerializer(serializers.ModelSerializer[Milestone]):
    done_by = serializers.CharField(
        source="done_by.get_full_name",
        default=None,
        read_only=True,
        allow_null=True,
        help_text="Who reported it done (their display name).",
    )

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on", "done_by"]
        read_only_fields = fields


class ProjectPledgeSerializer(serializers.ModelSerializer[Pledge]):
    resource_title = serializers.CharField(source="resource.title", read_only=True)
    provider = serializers.CharField(
        source="resource.provider_name", read_only=True, help_text="Who gives it."
    )
    measure = serializers.CharField(source="resource.measure", read_only=True)
    pledged_by = serializers.CharField(
        source="pledged_by.get_full_name", read_only=True, help_text="Display name."
    )

    class Meta:
        model = Pledge
        fields = [
            "id",
            "resource",
            "resource_title",
            "provider",
            "quantity",
            "measure",
            "note",
            "pledged_by",
            "created_at",
        ]
        read_only_fields = fields


class ProjectPhotoSerializer(serializers.Serializer[Any]):
    """What describes a progress photo as stored (re-encoded, metadata
    stripped)."""

    n = serializers.IntegerField(help_text="Its place among the note's photos, from 1.")
    content_type = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    size = serializers.IntegerField(help_text="In bytes.")


class ProjectNoteSerializer(serializers.ModelSerializer[ProgressNote]):
    text = serializers.CharField(read_only=True, help_text="Any number masked.")
    author = serializers.CharField(
        source="author.get_full_name", read_only=True, help_text="Display name."
    )
    photos = serializers.SerializerMethodField()

    class Meta:
        model = ProgressNote
        fields = ["id", "text", "author", "photos", "created_at"]
        read_only_fields = fields

    @extend_schema_field(ProjectPhotoSerializer(many=True))
    def get_photos(self, note: ProgressNote) -> Any:
        described = [{**photo, "n": n} for n, photo in enumerate(note.photos, start=1)]
        return ProjectPhotoSerializer(described, many=True).data


class ProjectEvaluationSerializer(serializers.ModelSerializer[Evaluation]):
    verdict = serializers.ChoiceField(
        choices=Evaluation.Verdict.choices, read_only=True
    )
    heard = serializers.ChoiceField(choices=Evaluation.Heard.choices, read_only=True)
    comment = serializers.CharField(read_only=True, help_text="Any number masked.")

    class Meta:
        model = Evaluation
        fields = ["id", "verdict", "heard", "residents", "comment", "created_at"]
        read_only_fields = fields


class SatisfactionSerializer(serializers.Serializer[Any]):
    """Residents heard, by verdict."""

    satisfied = serializers.IntegerField(default=0)
    basic = serializers.IntegerField(default=0, help_text="Basically satisfied.")
    dissatisfied = serializers.IntegerField(default=0)


class ProjectSerializer(serializers.ModelSerializer[Project]):
    """A project on the list. ``steps``, ``milestones``, ``pledges``,
    ``notes``, ``evaluations``, ``satisfaction``, ``appeals`` and ``events``
    are given when one project is read (null in lists)."""

    problem_title = serializers.CharField(source="problem.title", read_only=True)
    area = serializers.IntegerField(source="problem.area_id", read_only=True)
    area_name = serializers.CharField(source="problem.area.name", read_only=True)
    owner = serializers.CharField(
        source="owner.get_full_name", read_only=True, help_text="Display name."
    )
    state = serializers.ChoiceField(choices=Project.State.choices, read_only=True)
    summary = serializers.CharField(
        read_only=True, help_text="What was done; any number masked."
    )
    milestone_count = serializers.SerializerMethodField()
    milestones_done = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField(
        help_text="The steps the reader may take now (POST …/{id}/{step}/)."
    )
    milestones = serializers.SerializerMethodField()
    pledges = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField(help_text="Newest first.")
    evaluations = serializers.SerializerMethodField()
    satisfaction = serializers.SerializerMethodField()
    appeals = serializers.SerializerMethodField(
        help_text="The tracking codes of the appeals it answers (told when it "
        "is completed)."
    )
    events = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField(
        help_text="What the step just taken did, in the user's language."
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "problem",
            "problem_title",
            "area",
            "area_name",
            "title",
            "owner",
            "state",
            "started_on",
            "due_on",
            "completed_on",
            "summary",
            "residents_told_at",
            "reason",
            "milestone_count",
            "milestones_done",
            "steps",
            "milestones",
            "pledges",
            "notes",
            "evaluations",
            "satisfaction",
            "appeals",
            "events",
            "message",
        ]
        read_only_fields = fields

    def _detail(self) -> bool:
        return bool(self.context.get("detail"))

    def get_milestone_count(self, project: Project) -> int:
        counted = getattr(project, "milestone_count", None)
        return counted if counted is not None else len(project.milestones.all())

    def get_milestones_done(self, project: Project) -> int:
        counted = getattr(project, "milestones_done", None)
        if counted is not None:
            return int(counted)
        return sum(1 for m in project.milestones.all() if m.done_on is not None)

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=list(PROJECT_STEPS)),
            allow_null=True,
        )
    )
    def get_steps(self, project: Project) -> list[str] | None:
        if not self._detail():
            return None
        return project_steps(self.context["request"].user, project)

    @extend_schema_field(ProjectMilestoneSerializer(many=True, allow_null=True))
    def get_milestones(self, project: Project) -> Any:
        if not self._detail():
            return None
        return ProjectMilestoneSerializer(project.milestones.all(), many=True).data

    @extend_schema_field(ProjectPledgeSerializer(many=True, allow_null=True))
    def get_pledges(self, project: Project) -> Any:
        if not self._detail():
            return None
        return ProjectPledgeSerializer(project.pledges.all(), many=True).data

    @extend_schema_field(ProjectNoteSerializer(many=True, allow_null=True))
    def get_notes(self, project: Project) -> Any:
        if not self._detail():
            return None
        return ProjectNoteSerializer(project.notes.all(), many=True).data

    @extend_schema_field(ProjectEvaluationSerializer(many=True, allow_null=True))
    def get_evaluations(self, project: Project) -> Any:
        if not self._detail():
            return None
        return ProjectEvaluationSerializer(project.evaluations.all(), many=True).data

    @extend_schema_field(SatisfactionSerializer(allow_null=True))
    def get_satisfaction(self, project: Project) -> Any:
        if not self._detail():
            return None
        return SatisfactionSerializer(selectors.satisfaction(project)).data

    @extend_schema_field(
        serializers.ListField(child=serializers.CharField(), allow_null=True)
    )
    def get_appeals(self, project: Project) -> list[str] | None:
        if not self._detail():
            return None
        user = self.context["request"].user
        return [
            view.code
            for view in selectors.answered_appeals_for(user, project)
            if view.code
        ]

    @extend_schema_field(ListEventSerializer(many=True, allow_null=True))
    def get_events(self, project: Project) -> Any:
        if not self._detail():
            return None
        events = project.events.select_related("actor")
        return ListEventSerializer(events, many=True).data

    def get_message(self, project: Project) -> str:
        return str(self.context.get("message", ""))


class ProjectFilterSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(
        choices=Project.State.choices,
        required=False,
        help_text="Without it, all but the cancelled.",
    )


class ProjectPledgeInputSerializer(serializers.Serializer[Any]):
    resource = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="A resource offered where the project's problem is, or above "
        "it: one of your unit's, or any there if you keep the lists.",
    )
    quantity = serializers.IntegerField(
        min_value=1, max_value=100_000, help_text="At most what is left of it."
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def validate_resource(self, pk: int) -> Resource:
        user = self.context["request"].user
        resource = selectors.resources_for_user(user).filter(pk=pk).first()
        if resource is None:
            raise serializers.ValidationError(
                _("No resource %(n)s that you can see.") % {"n": pk}
            )
        return resource


class ProjectMilestoneDoneSerializer(serializers.Serializer[Any]):
    milestone = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="A milestone of this project not done yet.",
    )
    on = serializers.DateField(required=False, help_text="Today if left out.")

    def validate_milestone(self, pk: int) -> Milestone | None:
        return self.context["project"].milestones.filter(pk=pk).first()


class ProjectProgressSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=2000, help_text="What was done.")
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=actions.MAX_PHOTOS,
        help_text="JPEG, PNG or WebP; multipart only.",
    )


class ProjectCompleteSerializer(serializers.Serializer[Any]):
    summary = serializers.CharField(
        max_length=2000,
        help_text="What was done; the residents of the appeals it answers are told.",
    )
    on = serializers.DateField(required=False, help_text="Today if left out.")


class ProjectCancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=200)


class ProjectEvaluateSerializer(serializers.Serializer[Any]):
    verdict = serializers.ChoiceField(choices=Evaluation.Verdict.choices)
    heard = serializers.ChoiceField(
        choices=Evaluation.Heard.choices, help_text="Where it was heard."
    )
    residents = serializers.IntegerField(
        min_value=1, max_value=10_000, default=1, help_text="How many residents."
    )
    comment = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text="What they said.",
    )


# --- views --------------------------------------------------------------------------


@extend_schema(tags=["cobuilding"])
class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Project],
):
    """项目清单: the projects that answer the problems of the areas the user
    reads."""

    serializer_class = ProjectSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Project]:
        user = self.request.user
        if self.action == "list":
            filters = ProjectFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            projects = selectors.project_list(
                user, state=filters.validated_data.get("state", "")
            )
            # The counts' GROUP BY drops the model's ordering: latest first.
            return projects.order_by("-started_on", "-pk")
        return selectors.projects_for_user(user)

    def get_object(self) -> Project:
        return selectors.project_get_for_user(self.request.user, self.kwargs["pk"])

    def _answer(self, project: Project, message: str = "") -> Response:
        """The project as it is now, with all it holds."""
        fresh = selectors.project_get_for_user(self.request.user, project.pk)
        context = {
            **self.get_serializer_context(),
            "detail": True,
            "message": message,
        }
        return Response(ProjectSerializer(fresh, context=context).data)

    @extend_schema(
        parameters=[ProjectFilterSerializer], responses=ProjectSerializer(many=True)
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The projects, the latest started first, with how many of their
        milestones are done."""
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One project: its milestones, pledges, progress, the residents'
        evaluation, the appeals it answers and the steps the user may take."""
        return self._answer(self.get_object())

    def _step(
        self,
        request: Request,
        name: str,
        serializer: type[serializers.Serializer[Any]],
    ) -> Response:
        """The input parsed, the step taken by ``steps.PROJECT_STEPS`` as the
        page takes it, the Idempotency-Key honoured, the project and what was
        done answered."""
        project = self.get_object()
        given = serializer(
            data=request.data, context={"request": request, "project": project}
        )
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)

        def run() -> Response:
            result = PROJECT_STEPS[name](request.user, project, data)
            return self._answer(project, message=describe(name, project, result))

        return idempotent(request, run)

    @extend_schema(request=ProjectPledgeInputSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def pledge(self, request: Request, pk: str) -> Response:
        """认领资源: pledge part of a resource — never more than is left (400
        naming what is left, at ``quantity``)."""
        return self._step(request, "pledge", ProjectPledgeInputSerializer)

    @extend_schema(request=ProjectMilestoneDoneSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def milestone(self, request: Request, pk: str) -> Response:
        """A milestone is done: the owner or a keeper reports it."""
        return self._step(request, "milestone", ProjectMilestoneDoneSerializer)

    @extend_schema(request=ProjectProgressSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str) -> Response:
        """What was done, with photos (multipart; JSON for text alone)."""
        return self._step(request, "progress", ProjectProgressSerializer)

    @extend_schema(request=ProjectCompleteSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        """完成: every milestone done, what was done said; the problem is
        solved and the residents of the appeals it came from are told."""
        return self._step(request, "complete", ProjectCompleteSerializer)

    @extend_schema(request=ProjectCancelSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Stop the project, saying why: its pledges are given back and its
        problem goes back on the list."""
        return self._step(request, "cancel", ProjectCancelSerializer)

    @extend_schema(request=ProjectEvaluateSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def evaluate(self, request: Request, pk: str) -> Response:
        """群众评价: the residents' word on the completed project, as heard."""
        return self._step(request, "evaluate", ProjectEvaluateSerializer)
