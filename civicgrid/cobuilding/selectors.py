"""Scoped reads of the three lists: what the acting user may see (the areas
their roles reach, the communities their unit is registered to), never an
unscoped ``get``; the resources that fit a problem, ranked; the counters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.appeals.models import Appeal
from civicgrid.appeals.selectors import appeal_list_for_user
from civicgrid.appeals.workflow import OPEN_STATES
from civicgrid.core import clock
from civicgrid.ledger.models import Opinion, Organisation, OrganisationMember, Place
from civicgrid.partybuilding.models import Wish
from civicgrid.partybuilding.workflow import OPEN_WISHES

from . import permissions
from .models import (
    Contract,
    Decision,
    Evaluation,
    Meeting,
    Milestone,
    Outreach,
    Pledge,
    Problem,
    ProblemSource,
    Project,
    Resource,
)

LIVE_PROJECTS = (Project.State.UNDERWAY, Project.State.COMPLETED)


def problems_for_user(user: Any) -> QuerySet[Problem]:
    if not permissions.is_reader(user):
        return Problem.objects.none()
    return Problem.objects.filter(permissions.read_q(user)).select_related(
        "area", "raised_by"
    )


def problem_get_for_user(user: Any, pk: Any) -> Problem:
    return get_object_or_404(problems_for_user(user), pk=pk)


def problem_list(
    user: Any, *, state: str = "", field: str = "", area: Any = None
) -> QuerySet[Problem]:
    problems = problems_for_user(user).annotate(source_count=Count("sources"))
    if state:
        problems = problems.filter(state=state)
    if field:
        problems = problems.filter(field=field)
    if area is not None:
        problems = problems.filter(area__path__startswith=area.path)
    # An annotation's GROUP BY drops the model's ordering: say it again.
    return problems.order_by("-created_at", "-pk")


def resources_for_user(user: Any) -> QuerySet[Resource]:
    if not permissions.is_reader(user):
        return Resource.objects.none()
    return Resource.objects.filter(
        permissions.read_q(user) | Q(unit__contact=user)
    ).select_related(
        "area",
        "unit__organisation",
        "organisation",
        "merchant__place",
        "department",
    )


def resource_get_for_user(user: Any, pk: Any) -> Resource:
    return get_object_or_404(resources_for_user(user), pk=pk)


def resource_list(
    user: Any, *, field: str = "", provider_kind: str = "", offered: bool = True
) -> QuerySet[Resource]:
    resources = resources_for_user(user)
    if offered:
        resources = resources.filter(is_active=True)
    if field:
        resources = resources.filter(field=field)
    if provider_kind:
        resources = resources.filter(provider_kind=provider_kind)
    return resources


def projects_for_user(user: Any) -> QuerySet[Project]:
    if not permissions.is_reader(user):
        return Project.objects.none()
    return Project.objects.filter(
        permissions.read_q(user, "problem__area__path")
    ).select_related("problem__area", "owner")


def project_get_for_user(user: Any, pk: Any) -> Project:
    return get_object_or_404(
        projects_for_user(user).prefetch_related(
            Prefetch(
                "milestones", queryset=Milestone.objects.select_related("done_by")
            ),
            Prefetch(
                "pledges",
                queryset=Pledge.objects.select_related(
                    "resource__unit__organisation",
                    "resource__organisation",
                    "resource__merchant",
                    "resource__department",
                    "pledged_by",
                ),
            ),
            "notes__author",
            Prefetch("evaluations", queryset=Evaluation.objects.all()),
        ),
        pk=pk,
    )


def project_list(user: Any, *, state: str = "") -> QuerySet[Project]:
    projects = projects_for_user(user).annotate(
        milestone_count=Count("milestones", distinct=True),
        milestones_done=Count(
            "milestones", filter=Q(milestones__done_on__isnull=False), distinct=True
        ),
    )
    if state:
        projects = projects.filter(state=state)
    if not state:
        projects = projects.exclude(state=Project.State.CANCELLED)
    return projects.order_by("-started_on", "-pk")


# --- provenance ---------------------------------------------------------------------


@dataclass
class SourceView:
    """A source of a problem as the reader may see it: an appeal by its code
    (linked where they may open it), an item heard, a meeting or survey."""

    source: ProblemSource
    appeal_visible: bool

    @property
    def code(self) -> str | None:
        """An appeal's tracking code, for a reader who may open the appeal
        (a code opens its resident's tracking page: nobody else reads it)."""
        appeal = self.source.appeal
        return (
            appeal.tracking_code if appeal is not None and self.appeal_visible else None
        )


def sources_for(user: Any, problem: Problem) -> list[SourceView]:
    sources = list(
        problem.sources.select_related("appeal__category", "opinion__grid").order_by(
            "created_at", "pk"
        )
    )
    appeal_ids = [s.appeal_id for s in sources if s.appeal_id]
    visible = set(
        appeal_list_for_user(user)
        .filter(pk__in=appeal_ids)
        .values_list("pk", flat=True)
    )
    return [SourceView(s, s.appeal_id in visible) for s in sources]


def appeals_answered_by(project: Project) -> QuerySet[Appeal]:
    """Provenance: the appeals a project answers, through its problem's sources."""
    return Appeal.objects.filter(
        pk__in=ProblemSource.objects.filter(
            problem_id=project.problem_id, appeal__isnull=False
        ).values("appeal_id")
    ).order_by("received_at", "pk")


def answered_appeals_for(user: Any, project: Project) -> list[SourceView]:
    """Provenance as the reader may see it: the appeals the project answers,
    their codes only where the reader may open them."""
    return [v for v in sources_for(user, project.problem) if v.source.appeal_id]


def live_project(problem: Problem) -> Project | None:
    return problem.projects.exclude(state=Project.State.CANCELLED).first()


# --- matching ---------------------------------------------------------------------


@dataclass
class Match:
    resource: Resource
    same_field: bool

    @property
    def remaining(self) -> int:
        return self.resource.remaining


def _fitting(user: Any, problem: Problem) -> QuerySet[Resource]:
    """Resources the user reads that fit ``problem``: offered today, with some
    left, for its field or any, where it is or above it."""
    today = clock.today()
    area = problem.area
    above = access.ancestor_paths(area.path)[:-1]
    return (
        resources_for_user(user)
        .filter(is_active=True, pledged__lt=F("quantity"), available_from__lte=today)
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=today))
        .filter(Q(field=problem.field) | Q(field=""))
        .filter(Q(area__path__in=above) | Q(area__path__startswith=area.path))
    )


def pledgeable_resources(user: Any, project: Project) -> QuerySet[Resource]:
    """What the user may pledge to ``project`` now: the fitting resources of
    the areas they keep, or their own unit's (the page's choices, the step's
    offer, the API's)."""
    if project.state != Project.State.UNDERWAY:
        return Resource.objects.none()
    pks = [
        r.pk for r in _fitting(user, project.problem) if permissions.may_pledge(user, r)
    ]
    return resources_for_user(user).filter(pk__in=pks)


def matching_resources(user: Any, problem: Problem, limit: int = 20) -> list[Match]:
    """The resources that fit a problem, best first: offered now, with some
    left, where the problem is or above it; those for its very field before
    those that serve any, then the nearest (the community's before the
    street's), then those with the most left."""
    candidates = _fitting(user, problem)
    matches = [
        Match(resource=r, same_field=r.field == problem.field) for r in candidates
    ]
    matches.sort(
        key=lambda m: (
            not m.same_field,
            -len(m.resource.area.path),
            -m.remaining,
            m.resource.pk,
        )
    )
    return matches[:limit]


# --- counters ---------------------------------------------------------------------


def counters(user: Any) -> dict[str, int]:
    """The three lists' figures for what the user reads ("三项清单31个"): the
    problems and needs (all but those closed without a project), the resources
    on offer, the projects started (not cancelled)."""
    problems = problems_for_user(user).exclude(state=Problem.State.CLOSED).count()
    resources = resources_for_user(user).filter(is_active=True).count()
    projects = projects_for_user(user).filter(state__in=LIVE_PROJECTS)
    figures = projects.aggregate(
        started=Count("pk"),
        completed=Count("pk", filter=Q(state=Project.State.COMPLETED)),
    )
    return {
        "problems": problems,
        "resources": resources,
        "projects": figures["started"],
        "completed": figures["completed"],
        "total": problems + resources + figures["started"],
    }


def satisfaction(project: Project) -> dict[str, int]:
    """Residents heard, by verdict."""
    rows = project.evaluations.values("verdict").annotate(n=Sum("residents"))
    return {row["verdict"]: row["n"] for row in rows}


# --- leadership ---------------------------------------------------------------


def contracts_of(user: Any) -> QuerySet[Contract]:
    """The communities and grids a leader has taken, current ones."""
    if not getattr(user, "is_authenticated", False):
        return Contract.objects.none()
    return Contract.objects.filter(leader=user, until__isnull=True).select_related(
        "area"
    )


def street_contracts(user: Any) -> QuerySet[Contract]:
    """Every current contract of the streets the user administers or leads."""
    if not getattr(user, "is_authenticated", False):
        return Contract.objects.none()
    scope = (
        Q()
        if getattr(user, "is_superuser", False)
        else access.over_q(
            user, (*permissions.LEADERS, Role.ADMIN, Role.DISPATCHER), "area__path"
        )
    )
    return (
        Contract.objects.filter(scope, until__isnull=True)
        .select_related("area", "leader")
        .order_by("leader__full_name", "area__path")
    )


def open_in(area: Any) -> dict[str, int]:
    """What is open in a leader's community or grid: appeals (and how many
    overdue), raised 社情民意, problems waiting, projects underway, wishes."""
    now = clock.now()
    appeals = Appeal.objects.filter(
        grid__path__startswith=area.path, state__in=list(OPEN_STATES)
    ).aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    return {
        "appeals": appeals["open"],
        "overdue": appeals["overdue"],
        "opinions": Opinion.objects.filter(
            grid__path__startswith=area.path,
            state=Opinion.State.OPEN,
            risk__in=[Opinion.Risk.WARNING, Opinion.Risk.URGENT],
        ).count(),
        "problems": Problem.objects.filter(
            area__path__startswith=area.path, state=Problem.State.OPEN
        ).count(),
        "projects": Project.objects.filter(
            problem__area__path__startswith=area.path, state=Project.State.UNDERWAY
        ).count(),
        "wishes": Wish.objects.filter(
            grid__path__startswith=area.path, state__in=list(OPEN_WISHES)
        ).count(),
    }


def meetings_for_user(user: Any) -> QuerySet[Meeting]:
    if not permissions.is_reader(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(permissions.read_q(user)).select_related(
        "area", "chair"
    )


def meeting_get_for_user(user: Any, pk: Any) -> Meeting:
    return get_object_or_404(
        meetings_for_user(user).prefetch_related(
            "attendees",
            "units",
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("problem", "project", "owner"),
            ),
        ),
        pk=pk,
    )


# --- 居商联盟 and 新就业群体 ----------------------------------------------------


def outreach_for_user(user: Any) -> QuerySet[Outreach]:
    if not permissions.is_reader(user):
        return Outreach.objects.none()
    return (
        Outreach.objects.filter(permissions.read_q(user))
        .select_related("area", "station")
        .prefetch_related("organisers")
    )


def served_by_group(user: Any) -> dict[str, int]:
    """People served by group ("为126名外卖小哥提供便捷服务"), what the user reads."""
    rows = outreach_for_user(user).values("group").annotate(n=Sum("served"))
    figures = dict.fromkeys(Outreach.Group.values, 0)
    figures.update({row["group"]: row["n"] for row in rows})
    return figures


def stations_for_user(user: Any) -> QuerySet[Place]:
    """The service stations (驿站) of the areas the user reads, with how many
    services were recorded at each."""
    if not permissions.is_reader(user):
        return Place.objects.none()
    return (
        Place.objects.filter(
            permissions.read_q(user, "grid__path"),
            kind=Place.Kind.SERVICE_STATION,
            is_active=True,
        )
        .select_related("grid")
        .annotate(served=Sum("outreach__served"))
        .order_by("grid__path", "name")
    )


def alliance_merchants(user: Any) -> QuerySet[OrganisationMember]:
    """The 居商联盟's member merchants where the user reads, with their shop,
    what they pledged and how many of their offers are on the list."""
    if not permissions.is_reader(user):
        return OrganisationMember.objects.none()
    return (
        OrganisationMember.objects.filter(
            permissions.read_q(user, "organisation__area__path"),
            organisation__kind=Organisation.Kind.ALLIANCE,
            left_on__isnull=True,
        )
        .select_related("organisation__area", "place")
        .annotate(offers=Count("resources", filter=Q(resources__is_active=True)))
        .order_by("organisation__area__path", "organisation__name", "pk")
    )
