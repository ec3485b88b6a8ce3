"""The three lists' pages: the street's lists (printable for the 联席会), a
problem with its sources and the resources that fit it, a project with its
pledges, milestones, progress and evaluation. Thin over the selectors, the
shared steps and the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.appeals.forms import attach_domain_error
from civicgrid.core import clock
from civicgrid.core.errors import DomainError
from civicgrid.core.views import private_file
from civicgrid.ledger.models import Organisation, OrganisationMember, Place
from civicgrid.org.models import Area, Department
from civicgrid.partybuilding.models import Registration, UnitRegistration

from . import actions, forms, permissions, selectors
from .models import Problem, Project, Resource
from .steps import (
    PROBLEM_STEPS,
    PROJECT_STEPS,
    describe,
    problem_steps,
    project_steps,
)


def _reader(request: HttpRequest) -> Any:
    if not permissions.is_reader(request.user):
        raise Http404
    return request.user


def _kept_areas(user: Any) -> Any:
    """The streets, communities and grids whose lists the user keeps."""
    if getattr(user, "is_superuser", False):
        areas = Area.objects.filter(is_active=True)
    else:
        areas = Area.objects.filter(
            access.over_q(user, permissions.KEEPERS, "path"), is_active=True
        )
    return areas.filter(
        level__in=[Area.Level.STREET, Area.Level.COMMUNITY, Area.Level.GRID]
    ).order_by("path")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """三项清单: the figures and where each list is."""
    user = _reader(request)
    return render(
        request,
        "cobuilding/index.html",
        {
            "counters": selectors.counters(user),
            "keeper": permissions.may_keep_somewhere(user),
            "mine": list(
                selectors.project_list(user, state=Project.State.UNDERWAY).filter(
                    owner=user
                )
            ),
            "open_problems": selectors.problem_list(
                user, state=Problem.State.OPEN
            ).count(),
        },
    )


@login_required
def problem_list(request: HttpRequest) -> HttpResponse:
    """问题清单, newest first; printable."""
    user = _reader(request)
    form = forms.ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    problems = selectors.problem_list(
        user, state=data.get("state", ""), field=data.get("field", "")
    )
    return render(
        request,
        "cobuilding/problem_list.html",
        {
            "problems": problems[:500],
            "form": form,
            "counters": selectors.counters(user),
            "keeper": permissions.may_keep_somewhere(user),
            "today": clock.today(),
        },
    )


@login_required
def problem_new(request: HttpRequest) -> HttpResponse:
    """Put a need on the list, from appeals (``?appeal=CODE`` fills one in),
    public opinion, a meeting or a survey."""
    user = _reader(request)
    if not permissions.may_keep_somewhere(user):
        raise Http404
    initial = {"appeals": request.GET.get("appeal", "")[:20]}
    if request.GET.get("opinion", "").isdigit():
        initial["opinions"] = request.GET["opinion"]
    form = forms.ProblemForm(
        request.POST or None, user=user, areas=_kept_areas(user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problem = actions.problem_raise(
                data=actions.ProblemInput(
                    title=data["title"],
                    description=data["description"],
                    field=data["field"],
                    area=data["area"],
                    appeals=data["appeals"],
                    opinions=data["opinions"],
                    meeting=data["meeting"],
                    survey=data["survey"],
                ),
                acting_user=user,
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” is on the problem list.") % {"title": problem.title},
            )
            return redirect("cobuilding:problem", problem.pk)
    return render(
        request,
        "cobuilding/problem_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _owners(problem: Problem) -> Any:
    """Who may own a project of the problem: staff of its area, of an area
    above it or of one within it."""
    return access.holders_around(problem.area, permissions.READERS)


def _problem_form(name: str, user: Any, problem: Problem, data: Any = None) -> Any:
    if name == "add_source":
        return forms.SourcesFields(data, user=user)
    if name == "start":
        return forms.StartForm(
            data, owners=_owners(problem), initial={"title": problem.title}
        )
    return forms.ReasonForm(data)


def _problem_page(
    request: HttpRequest,
    problem: Problem,
    form: Any = None,
    step: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    steps = problem_steps(user, problem)
    project = selectors.live_project(problem)
    pledging = project is not None and project.state == Project.State.UNDERWAY
    matches = [
        (m, pledging and permissions.may_pledge(user, m.resource))
        for m in selectors.matching_resources(user, problem)
    ]
    return render(
        request,
        "cobuilding/problem_detail.html",
        {
            "problem": problem,
            "sources": selectors.sources_for(user, problem),
            "project": project,
            "past_projects": problem.projects.filter(state=Project.State.CANCELLED),
            "matches": matches,
            "step_forms": {
                name: form
                if name == step and form is not None
                else _problem_form(name, user, problem)
                for name in steps
            },
            "events": problem.events.select_related("actor", "project"),
        },
        status=status,
    )


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    return _problem_page(request, selectors.problem_get_for_user(request.user, pk))


@login_required
@require_POST
def problem_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in PROBLEM_STEPS:
        raise Http404
    user = _reader(request)
    problem = selectors.problem_get_for_user(user, pk)
    form = _problem_form(step, user, problem, request.POST)
    if form.is_valid():
        try:
            result = PROBLEM_STEPS[step](user, problem, dict(form.cleaned_data))
        except DomainError as exc:
            attach_domain_error(form, exc)
            if step not in problem_steps(user, problem):
                messages.error(request, exc.message)
        else:
            messages.success(request, describe(step, problem, result))
            if step == "start":
                return redirect("cobuilding:project", result.pk)
            return redirect("cobuilding:problem", problem.pk)
    return _problem_page(request, problem, form, step, status=400)


# --- resources ---------------------------------------------------------------------


@login_required
def resource_list(request: HttpRequest) -> HttpResponse:
    """资源清单: what is on offer and how much is left; printable."""
    user = _reader(request)
    form = forms.ListFilterForm(request.GET or None, states=None)
    data = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "cobuilding/resource_list.html",
        {
            "resources": selectors.resource_list(user, field=data.get("field", ""))[
                :500
            ],
            "form": form,
            "counters": selectors.counters(user),
            "may_add": permissions.may_keep_somewhere(user)
            or bool(permissions.unit_paths(user)),
            "today": clock.today(),
        },
    )


def _street_path(area: Area) -> str:
    street_code = area.code[:9]
    return area.path[: area.path.index(street_code) + len(street_code) + 1]


def _resource_choices(user: Any) -> dict[str, Any]:
    """What the resource form offers the user: the areas they keep (a unit's
    contact: their unit's communities) and the providers of those streets."""
    units = UnitRegistration.objects.filter(state=Registration.CONFIRMED)
    if permissions.may_keep_somewhere(user):
        areas = _kept_areas(user).filter(
            level__in=[Area.Level.STREET, Area.Level.COMMUNITY]
        )
        if not getattr(user, "is_superuser", False):
            units = units.filter(
                access.reaching_q(user, permissions.KEEPERS, "community__path")
            )
    else:
        units = units.filter(contact=user)
        areas = Area.objects.filter(pk__in=units.values("community_id"))
    streets = sorted({_street_path(area) for area in areas})
    return {
        "area": areas,
        "unit": units.select_related("organisation", "community"),
        "organisation": Organisation.objects.filter(
            access.path_q(streets, "area__path"), is_active=True
        ).exclude(kind=Organisation.Kind.ALLIANCE),
        "merchant": OrganisationMember.objects.filter(
            access.path_q(streets, "organisation__area__path"),
            organisation__kind=Organisation.Kind.ALLIANCE,
            left_on__isnull=True,
        ).select_related("organisation", "place"),
        "department": Department.objects.filter(
            is_active=True,
            area__path__in={p for s in streets for p in access.ancestor_paths(s)},
        ).order_by("name"),
    }


@login_required
def resource_new(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    if not (permissions.may_keep_somewhere(user) or permissions.unit_paths(user)):
        raise Http404
    form = forms.ResourceForm(
        request.POST or None,
        choices=_resource_choices(user),
        initial={"available_from": clock.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = actions.resource_add(
                data=actions.ResourceInput(
                    title=data["title"],
                    kind=data["kind"],
                    field=data["field"],
                    quantity=data["quantity"],
                    measure=data["measure"],
                    area=data["area"],
                    provider_kind=data["provider_kind"],
                    unit=data["unit"],
                    organisation=data["organisation"],
                    merchant=data["merchant"],
                    department=data["department"],
                    available_from=data["available_from"],
                    available_until=data["available_until"],
                    description=data["description"],
                ),
                acting_user=user,
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” is on the resource list.") % {"title": resource.title},
            )
            return redirect("cobuilding:resource", resource.pk)
    return render(
        request,
        "cobuilding/resource_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    resource = selectors.resource_get_for_user(user, pk)
    return render(
        request,
        "cobuilding/resource_detail.html",
        {
            "resource": resource,
            "pledges": resource.pledges.select_related("project", "pledged_by"),
            "may_withdraw": resource.is_active
            and permissions.may_pledge(user, resource),
        },
    )


@login_required
@require_POST
def resource_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    resource = selectors.resource_get_for_user(user, pk)
    try:
        actions.resource_withdraw(resource=resource, acting_user=user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("“%(title)s” is withdrawn; what was pledged is still given.")
            % {"title": resource.title},
        )
    return redirect("cobuilding:resource", resource.pk)


# --- projects ----------------------------------------------------------------------


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """项目清单: the projects and how far each is; printable."""
    user = _reader(request)
    form = forms.ListFilterForm(request.GET or None, states=Project.State)
    data = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "cobuilding/project_list.html",
        {
            "projects": selectors.project_list(user, state=data.get("state", ""))[:500],
            "form": form,
            "counters": selectors.counters(user),
            "today": clock.today(),
        },
    )


def _project_form(
    name: str, user: Any, project: Project, data: Any = None, files: Any = None
) -> Any:
    if name == "pledge":
        return forms.PledgeForm(
            data, resources=selectors.pledgeable_resources(user, project)
        )
    if name == "milestone":
        return forms.MilestoneForm(
            data,
            milestones=project.milestones.filter(done_on__isnull=True),
            initial={"on": clock.today()},
        )
    if name == "progress":
        return forms.ProgressForm(data, files)
    if name == "complete":
        return forms.CompleteForm(data, initial={"on": clock.today()})
    if name == "evaluate":
        return forms.EvaluateForm(data)
    return forms.ReasonForm(data)


def _project_page(
    request: HttpRequest,
    project: Project,
    form: Any = None,
    step: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    step_forms = {
        name: form
        if name == step and form is not None
        else _project_form(name, user, project)
        for name in project_steps(user, project)
    }
    return render(
        request,
        "cobuilding/project_detail.html",
        {
            "project": project,
            "problem": project.problem,
            "appeals": selectors.answered_appeals_for(user, project),
            "satisfaction": selectors.satisfaction(project),
            "step_forms": step_forms,
            "events": project.events.select_related("actor"),
        },
        status=status,
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    return _project_page(request, selectors.project_get_for_user(request.user, pk))


@login_required
@require_POST
def project_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in PROJECT_STEPS:
        raise Http404
    user = _reader(request)
    project = selectors.project_get_for_user(user, pk)
    form = _project_form(step, user, project, request.POST, request.FILES)
    if form.is_valid():
        try:
            result = PROJECT_STEPS[step](user, project, dict(form.cleaned_data))
        except DomainError as exc:
            attach_domain_error(form, exc)
            if step not in project_steps(user, project):
                messages.error(request, exc.message)
        else:
            messages.success(request, describe(step, project, result))
            back = request.POST.get("back", "")
            if back.isdigit():
                problem = selectors.problem_get_for_user(user, int(back))
                return redirect("cobuilding:problem", problem.pk)
            return redirect("cobuilding:project", project.pk)
    return _project_page(request, project, form, step, status=400)


@login_required
def note_photo(
    request: HttpRequest, pk: int, note_pk: int, n: int, variant: str
) -> FileResponse:
    """A progress note's photo (or its thumbnail), to who may read the project."""
    _reader(request)
    project = selectors.project_get_for_user(request.user, pk)
    note = get_object_or_404(project.notes.all(), pk=note_pk)
    if variant not in ("full", "thumb") or not 1 <= n <= len(note.photos):
        raise Http404
    photo = note.photos[n - 1]
    thumb = variant == "thumb"
    name = photo["thumbnail"] if thumb else photo["file"]
    if not default_storage.exists(name):
        raise Http404
    return private_file(
        default_storage.open(name),
        content_type="image/jpeg" if thumb else photo["content_type"],
        name=f"project-{project.pk}-{note.pk}-{n}",
    )


# --- leadership: 分包 and meetings ---------------------------------------------------


def _streets_administered(user: Any) -> Any:
    if getattr(user, "is_superuser", False):
        return Area.objects.filter(level=Area.Level.STREET, is_active=True)
    return Area.objects.filter(
        access.over_q(user, (Role.ADMIN,), "path"), level=Area.Level.STREET
    )


def _contract_form(user: Any, data: Any = None) -> Any:
    streets = list(_streets_administered(user))
    if not streets:
        return None
    paths = [s.path for s in streets]
    leaders = access.holders_over(streets[0], permissions.LEADERS).order_by(
        "full_name", "username"
    )
    for street in streets[1:]:
        leaders = leaders | access.holders_over(street, permissions.LEADERS)
    areas = Area.objects.filter(
        access.path_q(paths, "path"),
        level__in=[Area.Level.COMMUNITY, Area.Level.GRID],
        is_active=True,
    ).order_by("path")
    return forms.ContractForm(data, leaders=leaders, areas=areas)


@login_required
def leaders(request: HttpRequest) -> HttpResponse:
    """分包: what is open in the areas a leader took; the street's whole
    table for its administrator, leaders and dispatchers."""
    user = _reader(request)
    mine = [(c, selectors.open_in(c.area)) for c in selectors.contracts_of(user)]
    street = [(c, selectors.open_in(c.area)) for c in selectors.street_contracts(user)]
    form = _contract_form(user)
    return render(
        request,
        "cobuilding/leaders.html",
        {"mine": mine, "street": street, "form": form},
    )


@login_required
@require_POST
def contract_assign(request: HttpRequest) -> HttpResponse:
    form = _contract_form(request.user, request.POST)
    if form is None:
        raise Http404
    if form.is_valid():
        try:
            contract = actions.contract_assign(
                leader=form.cleaned_data["leader"],
                area=form.cleaned_data["area"],
                acting_user=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(leader)s takes %(area)s.")
                % {
                    "leader": contract.leader.get_full_name()
                    or contract.leader.get_username(),
                    "area": contract.area.name,
                },
            )
    else:
        messages.error(request, _("Choose a leader and a community or grid."))
    return redirect("cobuilding:leaders")


@login_required
@require_POST
def contract_end(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_object_or_404(selectors.street_contracts(request.user), pk=pk)
    try:
        actions.contract_end(contract=contract, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(area)s is handed back.") % {"area": contract.area.name},
        )
    return redirect("cobuilding:leaders")


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    return render(
        request,
        "cobuilding/meeting_list.html",
        {
            "meetings": selectors.meetings_for_user(user).annotate(
                decision_count=Count("decisions")
            )[:200],
            "keeper": permissions.may_keep_somewhere(user),
        },
    )


def _meeting_choices(user: Any) -> dict[str, Any]:
    areas = _kept_areas(user).filter(
        level__in=[Area.Level.STREET, Area.Level.COMMUNITY]
    )
    streets = sorted({_street_path(area) for area in areas})
    staff = get_user_model().objects.none()
    for street in Area.objects.filter(path__in=streets):
        staff = staff | access.holders_around(street, permissions.READERS)
    staff = staff.order_by("full_name", "username")
    return {
        "area": areas,
        "chair": staff,
        "attendees": staff,
        "units": Organisation.objects.filter(
            access.path_q(streets, "area__path"), is_active=True
        ).order_by("kind", "name"),
    }


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    if not permissions.may_keep_somewhere(user):
        raise Http404
    form = forms.MeetingForm(request.POST or None, choices=_meeting_choices(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = actions.meeting_record(
                data=actions.MeetingInput(
                    kind=data["kind"],
                    title=data["title"],
                    held_at=data["held_at"],
                    area=data["area"],
                    place=data["place"],
                    chair=data["chair"],
                    attendees=list(data["attendees"]),
                    units=list(data["units"]),
                    minutes=data["minutes"],
                ),
                acting_user=user,
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” is recorded; add what it decided.")
                % {"title": meeting.title},
            )
            return redirect("cobuilding:meeting", meeting.pk)
    return render(
        request,
        "cobuilding/meeting_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _decision_form(user: Any, meeting: Any, data: Any = None) -> Any:
    if not permissions.may_keep(user, meeting.area):
        return None
    problems = (
        selectors.problems_for_user(user)
        .filter(
            Q(area__path__startswith=meeting.area.path)
            | Q(area__path__in=access.ancestor_paths(meeting.area.path))
        )
        .exclude(state__in=[Problem.State.CLOSED, Problem.State.SOLVED])
    )
    return forms.DecisionForm(
        data,
        problems=problems,
        owners=_meeting_choices(user)["chair"],
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    meeting = selectors.meeting_get_for_user(user, pk)
    form = _decision_form(user, meeting, request.POST or None)
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            problem = form.cleaned_data["problem"]
            try:
                actions.decision_add(
                    meeting=meeting,
                    acting_user=user,
                    text=form.cleaned_data["text"],
                    problem=problem,
                    project=selectors.live_project(problem) if problem else None,
                    owner=form.cleaned_data["owner"],
                    due_on=form.cleaned_data["due_on"],
                )
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("The decision is recorded."))
                return redirect("cobuilding:meeting", meeting.pk)
        status = 400
    return render(
        request,
        "cobuilding/meeting_detail.html",
        {"meeting": meeting, "form": form},
        status=status,
    )


# --- 居商联盟 and 新就业群体 ----------------------------------------------------


@login_required
def new_employment(request: HttpRequest) -> HttpResponse:
    """新就业群体: the services for riders and couriers, the stations, the
    figures ("为126名外卖小哥提供便捷服务")."""
    user = _reader(request)
    return render(
        request,
        "cobuilding/new_employment.html",
        {
            "served": selectors.served_by_group(user),
            "events": selectors.outreach_for_user(user)[:200],
            "stations": selectors.stations_for_user(user),
            "keeper": permissions.may_keep_somewhere(user),
        },
    )


def _outreach_choices(user: Any) -> dict[str, Any]:
    areas = _kept_areas(user).filter(
        level__in=[Area.Level.STREET, Area.Level.COMMUNITY]
    )
    paths = [a.path for a in areas]
    streets = sorted({_street_path(area) for area in areas})
    return {
        "area": areas,
        "station": Place.objects.filter(
            access.path_q(paths, "grid__path"),
            kind=Place.Kind.SERVICE_STATION,
            is_active=True,
        ).order_by("name"),
        "organisers": Organisation.objects.filter(
            access.path_q(streets, "area__path"), is_active=True
        ).order_by("kind", "name"),
    }


@login_required
def outreach_new(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    if not permissions.may_keep_somewhere(user):
        raise Http404
    form = forms.OutreachForm(
        request.POST or None,
        choices=_outreach_choices(user),
        initial={"held_on": clock.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outreach = actions.outreach_record(
                data=actions.OutreachInput(
                    title=data["title"],
                    held_on=data["held_on"],
                    area=data["area"],
                    group=data["group"],
                    served=data["served"],
                    services=data["services"],
                    station=data["station"],
                    organisers=list(data["organisers"]),
                ),
                acting_user=user,
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” is recorded: %(n)d people served.")
                % {"title": outreach.title, "n": outreach.served},
            )
            return redirect("cobuilding:new_employment")
    return render(
        request,
        "cobuilding/outreach_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def alliance(request: HttpRequest) -> HttpResponse:
    """居商联盟: the member merchants, what they pledged, their offers on the
    resource list."""
    user = _reader(request)
    merchants = list(selectors.alliance_merchants(user))
    return render(
        request,
        "cobuilding/alliance.html",
        {
            "merchants": merchants,
            "offers": selectors.resource_list(
                user, provider_kind=Resource.Provider.MERCHANT
            ),
            "may_add": permissions.may_keep_somewhere(user),
        },
    )
