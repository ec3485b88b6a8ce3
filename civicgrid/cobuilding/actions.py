"""The three lists' use cases, one function each: keyword-only, an explicit
``acting_user``, atomic, permission first, a :class:`ListEvent` for every step.

- a problem is raised from its sources (appeals, 社情民意, a meeting, a survey),
  gains sources, is closed with a reason, or becomes a project;
- a resource is offered by a provider and withdrawn (what is pledged stays);
- a project is pledged resources (never more than is left), reports progress
  with photos and milestones, is completed — the residents of the appeals it
  answers are told, on their timeline and by SMS — or cancelled (its pledges
  given back, its problem back on the list), and then evaluated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from civicgrid.accounts import access
from civicgrid.appeals import notify as appeal_notify
from civicgrid.appeals.actions import timeline
from civicgrid.appeals.models import Appeal
from civicgrid.appeals.selectors import appeal_list_for_user
from civicgrid.core import clock
from civicgrid.core.errors import DomainError
from civicgrid.core.images import ProcessedImage, process_images, store_image
from civicgrid.ledger import workflow as ledger_workflow
from civicgrid.ledger.models import Opinion, Organisation, OrganisationMember, Place
from civicgrid.org.models import Area, Department
from civicgrid.partybuilding.models import Registration, UnitRegistration

from . import permissions, workflow
from .models import (
    Contract,
    Decision,
    Evaluation,
    Field,
    ListEvent,
    Meeting,
    Milestone,
    Outreach,
    Pledge,
    Problem,
    ProblemSource,
    ProgressNote,
    Project,
    Resource,
)

MAX_PHOTOS = 6


def _text(
    value: Any, *, field: str, label: str, limit: int, required: bool = True
) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(_("%(label)s is required.") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(
            _("%(label)s is longer than %(limit)d characters.")
            % {"label": label, "limit": limit},
            field=field,
        )
    return text


def _choice(value: Any, choices: Any, *, field: str, message: str) -> str:
    if value not in choices.values:
        raise DomainError(message, field=field)
    return str(value)


def _street_of(area: Area) -> Area:
    if area.level == Area.Level.STREET:
        return area
    street = Area.objects.filter(
        code__in=area.ancestor_codes(), level=Area.Level.STREET
    ).first()
    if street is None:
        raise DomainError(_("Choose an area of a street."), field="area")
    return street


def _event(
    problem: Problem,
    action: str,
    actor: Any,
    *,
    project: Project | None = None,
    old: str = "",
    new: str = "",
    note: str = "",
) -> ListEvent:
    return ListEvent.objects.create(
        problem=problem,
        project=project,
        action=action,
        actor=actor,
        from_state=old,
        to_state=new,
        note=note,
        created_at=clock.now(),
    )


def _within(inner: Area, outer: Area) -> bool:
    return inner.path.startswith(outer.path)


# --- problems (问题清单) ------------------------------------------------------------


@dataclass
class ProblemInput:
    """A need put on the list: what, where, what about, and where it came
    from (at least one source)."""

    title: str
    description: str
    field: str
    area: Area | None
    appeals: Sequence[Appeal] = ()
    opinions: Sequence[Opinion] = ()
    meeting: str = ""
    survey: str = ""


def _check_appeal(appeal: Appeal, area: Area, acting_user: Any) -> None:
    if not appeal_list_for_user(acting_user).filter(pk=appeal.pk).exists():
        raise DomainError(
            _("You cannot see appeal %(code)s.") % {"code": appeal.tracking_code},
            field="appeals",
        )
    # A problem of a grid, a community or the street takes the appeals of
    # its grids; an appeal placed in no grid, those of the whole street.
    where = appeal.grid or appeal.street
    if not (_within(where, area) or _within(area, where)):
        raise DomainError(
            _("Appeal %(code)s is not in %(area)s.")
            % {"code": appeal.tracking_code, "area": area.name},
            field="appeals",
        )


def _check_opinion(opinion: Opinion, area: Area, acting_user: Any) -> None:
    if not permissions.may_keep(acting_user, opinion.grid) and not (
        access.holds_role_over(acting_user, opinion.grid, permissions.READERS)
    ):
        raise DomainError(
            _("You cannot see public opinion item %(pk)d.") % {"pk": opinion.pk},
            field="opinions",
        )
    if not (_within(opinion.grid, area) or _within(area, opinion.grid)):
        raise DomainError(
            _("Public opinion item %(pk)d is not in %(area)s.")
            % {"pk": opinion.pk, "area": area.name},
            field="opinions",
        )


def _add_sources(
    problem: Problem,
    acting_user: Any,
    *,
    appeals: Sequence[Appeal] = (),
    opinions: Sequence[Opinion] = (),
    meeting: str = "",
    survey: str = "",
) -> list[ProblemSource]:
    now = clock.now()
    known_appeals = set(
        problem.sources.filter(appeal__isnull=False).values_list("appeal_id", flat=True)
    )
    known_opinions = set(
        problem.sources.filter(opinion__isnull=False).values_list(
            "opinion_id", flat=True
        )
    )
    rows: list[ProblemSource] = []
    for appeal in {a.pk: a for a in appeals}.values():
        if appeal.pk in known_appeals:
            raise DomainError(
                _("Appeal %(code)s is a source of this problem already.")
                % {"code": appeal.tracking_code},
                field="appeals",
            )
        rows.append(
            ProblemSource(problem=problem, kind="appeal", appeal=appeal, note="")
        )
    for opinion in {o.pk: o for o in opinions}.values():
        if opinion.pk in known_opinions:
            raise DomainError(
                _("Public opinion item %(pk)d is a source of this problem already.")
                % {"pk": opinion.pk},
                field="opinions",
            )
        # The item leaves the 社情民意 queue: it is on the problem list now.
        if opinion.state == Opinion.State.OPEN:
            ledger_workflow.opinion_move(
                opinion,
                Opinion.State.PROBLEM,
                decided_by=acting_user,
                decided_at=now,
            )
        rows.append(ProblemSource(problem=problem, kind="opinion", opinion=opinion))
    if meeting:
        rows.append(ProblemSource(problem=problem, kind="meeting", note=meeting))
    if survey:
        rows.append(ProblemSource(problem=problem, kind="survey", note=survey))
    for row in rows:
        row.added_by = acting_user
        row.created_at = now
    ProblemSource.objects.bulk_create(rows)
    return rows


def problem_raise(*, data: ProblemInput, acting_user: Any) -> Problem:
    """Put a need on the problem list with the sources it came from — a
    recurring appeal or a hotspot's appeals, 社情民意 items (taken off their
    queue), a 联席会 or a survey."""
    title = _text(data.title, field="title", label=_("The title"), limit=100)
    description = _text(
        data.description, field="description", label=_("The description"), limit=2000
    )
    field_ = _choice(
        data.field, Field, field="field", message=_("Choose what the problem is about.")
    )
    if data.area is None:
        raise DomainError(_("Choose the area of the problem."), field="area")
    area = data.area
    _street_of(area)
    permissions.require_keeper(acting_user, area)
    meeting = _text(
        data.meeting, field="meeting", label=_("The meeting"), limit=200, required=False
    )
    survey = _text(
        data.survey, field="survey", label=_("The survey"), limit=200, required=False
    )
    if not (data.appeals or data.opinions or meeting or survey):
        raise DomainError(
            _(
                "Say where the problem came from: appeals, public opinion, "
                "a meeting or a survey."
            ),
            field="appeals",
        )
    for appeal in data.appeals:
        _check_appeal(appeal, area, acting_user)
    for opinion in data.opinions:
        _check_opinion(opinion, area, acting_user)
    with transaction.atomic():
        problem = Problem.objects.create(
            title=title,
            description=description,
            field=field_,
            area=area,
            raised_by=acting_user,
        )
        _add_sources(
            problem,
            acting_user,
            appeals=data.appeals,
            opinions=data.opinions,
            meeting=meeting,
            survey=survey,
        )
        _event(problem, "raise", acting_user, new=problem.state)
    return problem


def problem_add_source(
    *,
    problem: Problem,
    acting_user: Any,
    appeals: Sequence[Appeal] = (),
    opinions: Sequence[Opinion] = (),
    meeting: str = "",
    survey: str = "",
) -> list[ProblemSource]:
    """Another appeal of the same need, another item heard, another meeting."""
    permissions.require_keeper(acting_user, problem.area)
    if problem.state in (Problem.State.SOLVED, Problem.State.CLOSED):
        raise DomainError(
            _("This problem is %(state)s; it takes no more sources.")
            % {"state": problem.get_state_display().lower()},
            field="state",
        )
    meeting = _text(
        meeting, field="meeting", label=_("The meeting"), limit=200, required=False
    )
    survey = _text(
        survey, field="survey", label=_("The survey"), limit=200, required=False
    )
    if not (appeals or opinions or meeting or survey):
        raise DomainError(
            _("Give an appeal, a public opinion item, a meeting or a survey."),
            field="appeals",
        )
    for appeal in appeals:
        _check_appeal(appeal, problem.area, acting_user)
    for opinion in opinions:
        _check_opinion(opinion, problem.area, acting_user)
    with transaction.atomic():
        rows = _add_sources(
            problem,
            acting_user,
            appeals=appeals,
            opinions=opinions,
            meeting=meeting,
            survey=survey,
        )
        _event(
            problem,
            "add_source",
            acting_user,
            note=", ".join(_source_label(row) for row in rows),
        )
    return rows


def _source_label(source: ProblemSource) -> str:
    if source.appeal is not None:
        return source.appeal.tracking_code
    if source.opinion is not None:
        return _("public opinion %(pk)d") % {"pk": source.opinion.pk}
    return source.note


def problem_close(*, problem: Problem, acting_user: Any, reason: str) -> None:
    """Take a problem off the list without a project (solved otherwise,
    not the street's to solve …), saying why."""
    permissions.require_keeper(acting_user, problem.area)
    reason = _text(reason, field="reason", label=_("The reason"), limit=200)
    with transaction.atomic():
        old = workflow.problem_move(problem, Problem.State.CLOSED, reason=reason)
        _event(problem, "close", acting_user, old=old, new=problem.state, note=reason)


# --- resources (资源清单) -----------------------------------------------------------


@dataclass
class ResourceInput:
    """What a provider offers: what, how many, where, when, and who gives it."""

    title: str
    kind: str
    quantity: int | None
    measure: str
    area: Area | None
    provider_kind: str
    field: str = ""
    description: str = ""
    unit: UnitRegistration | None = None
    organisation: Organisation | None = None
    merchant: OrganisationMember | None = None
    department: Department | None = None
    available_from: dt.date | None = None
    available_until: dt.date | None = None


def _check_provider(data: ResourceInput, area: Area) -> dict[str, Any]:
    """The one provider of a resource, offering where it may."""
    kind = _choice(
        data.provider_kind,
        Resource.Provider,
        field="provider_kind",
        message=_("Choose who provides it."),
    )
    provider: dict[str, Any] = {
        "unit": None,
        "organisation": None,
        "merchant": None,
        "department": None,
    }
    if kind == Resource.Provider.UNIT:
        unit = data.unit
        if unit is None or unit.state != Registration.CONFIRMED:
            raise DomainError(
                _("Choose a unit confirmed by a community."), field="unit"
            )
        if not (_within(unit.community, area) or _within(area, unit.community)):
            raise DomainError(
                _("%(unit)s is registered to %(community)s, not %(area)s.")
                % {
                    "unit": unit.organisation.name,
                    "community": unit.community.name,
                    "area": area.name,
                },
                field="unit",
            )
        provider["unit"] = unit
    elif kind == Resource.Provider.DEPARTMENT:
        department = data.department
        if department is None:
            raise DomainError(_("Choose the department."), field="department")
        if not _within(area, department.area):
            raise DomainError(
                _("%(department)s does not serve %(area)s.")
                % {"department": department.name, "area": area.name},
                field="department",
            )
        provider["department"] = department
    else:
        if kind == Resource.Provider.MERCHANT:
            merchant = data.merchant
            if (
                merchant is None
                or merchant.organisation.kind != Organisation.Kind.ALLIANCE
                or merchant.left_on is not None
            ):
                raise DomainError(
                    _(
                        "Choose a member merchant of the residents and "
                        "merchants alliance."
                    ),
                    field="merchant",
                )
            organisation = merchant.organisation
            provider["merchant"] = merchant
        else:
            chosen = data.organisation
            if chosen is None or not chosen.is_active:
                raise DomainError(_("Choose the organisation."), field="organisation")
            organisation = chosen
        street = _street_of(area)
        if not _within(organisation.area, street):
            raise DomainError(
                _("%(organisation)s is not in %(street)s.")
                % {"organisation": organisation.name, "street": street.name},
                field="merchant"
                if kind == Resource.Provider.MERCHANT
                else "organisation",
            )
        provider["organisation"] = organisation
    return {"provider_kind": kind, **provider}


def resource_add(*, data: ResourceInput, acting_user: Any) -> Resource:
    """Put an offer on the resource list: the area's keepers for any provider,
    a registered unit's contact for their own unit."""
    title = _text(data.title, field="title", label=_("What is offered"), limit=100)
    description = _text(
        data.description,
        field="description",
        label=_("The details"),
        limit=1000,
        required=False,
    )
    kind = _choice(data.kind, Resource.Kind, field="kind", message=_("Choose a kind."))
    field_ = ""
    if data.field:
        field_ = _choice(
            data.field, Field, field="field", message=_("Choose what it serves.")
        )
    if data.quantity is None or int(data.quantity) < 1:
        raise DomainError(_("Say how many: at least 1."), field="quantity")
    quantity = int(data.quantity)
    if quantity > 100_000:
        raise DomainError(_("At most 100000."), field="quantity")
    measure = _text(data.measure, field="measure", label=_("The measure"), limit=20)
    if data.area is None:
        raise DomainError(_("Choose where it is offered."), field="area")
    area = data.area
    if area.level not in (Area.Level.STREET, Area.Level.COMMUNITY):
        raise DomainError(
            _("A resource is offered to a street or a community."), field="area"
        )
    provider = _check_provider(data, area)
    own_unit = provider["unit"] is not None and provider["unit"].contact_id == getattr(
        acting_user, "pk", None
    )
    permissions.require(
        permissions.may_keep(acting_user, area) or own_unit,
        _("You do not keep the lists of %(area)s.") % {"area": area.name},
    )
    available_from = data.available_from or clock.today()
    if data.available_until is not None and data.available_until < available_from:
        raise DomainError(
            _("It cannot be available until a day before it is available from."),
            field="available_until",
        )
    return Resource.objects.create(
        title=title,
        description=description,
        kind=kind,
        field=field_,
        area=area,
        quantity=quantity,
        measure=measure,
        available_from=available_from,
        available_until=data.available_until,
        added_by=acting_user,
        **provider,
    )


def resource_withdraw(*, resource: Resource, acting_user: Any) -> None:
    """The provider offers it no more; what was pledged is still given."""
    permissions.require(
        permissions.may_pledge(acting_user, resource),
        _("You do not keep the lists of %(area)s.") % {"area": resource.area.name},
    )
    if not Resource.objects.filter(pk=resource.pk, is_active=True).update(
        is_active=False, updated_at=clock.now()
    ):
        raise DomainError(_("This resource is withdrawn already."), field="resource")
    resource.is_active = False


# --- projects (项目清单) ------------------------------------------------------------


@dataclass
class ProjectInput:
    """A problem made a project: its owner, when it is due, its milestones."""

    title: str
    owner: Any
    due_on: dt.date | None
    started_on: dt.date | None = None
    milestones: Sequence[tuple[str, dt.date]] = field(default_factory=list)


def _may_own(user: Any, area: Area) -> bool:
    """A project's owner is staff of its area (or above it)."""
    if user is None or not getattr(user, "is_active", False):
        return False
    return access.holds_role_over(
        user, area, permissions.READERS
    ) or access.holds_role_within(user, area, permissions.READERS)


def project_start(*, problem: Problem, data: ProjectInput, acting_user: Any) -> Project:
    """立项: the problem becomes a project with an owner and milestones."""
    permissions.require_keeper(acting_user, problem.area)
    title = _text(data.title, field="title", label=_("The title"), limit=100)
    if not _may_own(data.owner, problem.area):
        raise DomainError(
            _("The owner must be staff of %(area)s.") % {"area": problem.area.name},
            field="owner",
        )
    started_on = data.started_on or clock.today()
    if started_on > clock.today():
        raise DomainError(_("A project starts today or earlier."), field="started_on")
    if data.due_on is None:
        raise DomainError(_("Say by when it is to be done."), field="due_on")
    if data.due_on < started_on:
        raise DomainError(_("It cannot be due before it starts."), field="due_on")
    milestones: list[tuple[str, dt.date]] = []
    for n, (name, due_on) in enumerate(data.milestones, start=1):
        name = _text(name, field="milestones", label=_("A milestone"), limit=100)
        if not (started_on <= due_on <= data.due_on):
            raise DomainError(
                _("Milestone %(n)d is due outside the project's dates.") % {"n": n},
                field="milestones",
            )
        milestones.append((name, due_on))
    with transaction.atomic():
        old = workflow.problem_move(problem, Problem.State.PROJECT)
        project = Project.objects.create(
            problem=problem,
            title=title,
            owner=data.owner,
            started_on=started_on,
            due_on=data.due_on,
        )
        Milestone.objects.bulk_create(
            Milestone(project=project, title=name, due_on=due_on)
            for name, due_on in milestones
        )
        _event(
            problem, "start", acting_user, project=project, old=old, new=problem.state
        )
    return project


def _underway(project: Project) -> None:
    if project.state != Project.State.UNDERWAY:
        raise DomainError(
            _("This project is %(state)s.")
            % {"state": project.get_state_display().lower()},
            field="state",
        )


def fits(resource: Resource, area: Area) -> bool:
    """A resource offered where the problem is, or above it (the street's)."""
    return _within(area, resource.area) or _within(resource.area, area)


def pledge(
    *,
    project: Project,
    resource: Resource | None,
    quantity: int | None,
    acting_user: Any,
    note: str = "",
) -> Pledge:
    """A provider pledges part of a resource to a project — never more than
    is left (refused, naming what is left), read and taken in one update."""
    if resource is None:
        raise DomainError(_("Choose a resource."), field="resource")
    permissions.require(
        permissions.may_pledge(acting_user, resource),
        _("You may not pledge this resource."),
    )
    _underway(project)
    area = project.problem.area
    if not fits(resource, area):
        raise DomainError(
            _("“%(title)s” is offered in %(offered)s, not %(area)s.")
            % {
                "title": resource.title,
                "offered": resource.area.name,
                "area": area.name,
            },
            field="resource",
        )
    today = clock.today()
    if resource.available_from > today:
        raise DomainError(
            _("“%(title)s” is available from %(date)s.")
            % {"title": resource.title, "date": resource.available_from.isoformat()},
            field="resource",
        )
    if resource.available_until is not None and resource.available_until < today:
        raise DomainError(
            _("“%(title)s” was available until %(date)s.")
            % {"title": resource.title, "date": resource.available_until.isoformat()},
            field="resource",
        )
    if quantity is None or int(quantity) < 1:
        raise DomainError(_("Pledge at least 1."), field="quantity")
    note = _text(note, field="note", label=_("The note"), limit=200, required=False)
    with transaction.atomic():
        workflow.take_from(resource, int(quantity))
        row = Pledge.objects.create(
            project=project,
            resource=resource,
            quantity=int(quantity),
            note=note,
            pledged_by=acting_user,
            created_at=clock.now(),
        )
        _event(
            project.problem,
            "pledge",
            acting_user,
            project=project,
            note=f"{resource.title} × {row.quantity} {resource.measure}",
        )
    return row


def milestone_done(
    *, milestone: Milestone, acting_user: Any, on: dt.date | None = None
) -> None:
    project = milestone.project
    permissions.require(
        permissions.may_report(acting_user, project),
        _("Only the project's owner and the lists' keepers report on it."),
    )
    _underway(project)
    on = on or clock.today()
    if on > clock.today():
        raise DomainError(_("The date is in the future."), field="on")
    if on < project.started_on:
        raise DomainError(_("The date is before the project started."), field="on")
    with transaction.atomic():
        if not Milestone.objects.filter(pk=milestone.pk, done_on__isnull=True).update(
            done_on=on, done_by=acting_user
        ):
            raise DomainError(
                _("“%(title)s” is done already.") % {"title": milestone.title},
                field="milestone",
            )
        milestone.done_on, milestone.done_by = on, acting_user
        _event(
            project.problem,
            "milestone",
            acting_user,
            project=project,
            note=milestone.title,
        )


def progress_note(
    *,
    project: Project,
    acting_user: Any,
    text: str,
    photos: Sequence[ProcessedImage | IO[bytes] | bytes] = (),
) -> ProgressNote:
    """What was done, with photos (re-encoded, metadata stripped)."""
    permissions.require(
        permissions.may_report(acting_user, project),
        _("Only the project's owner and the lists' keepers report on it."),
    )
    _underway(project)
    text = _text(text, field="text", label=_("The progress"), limit=2000)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(
            _("At most %(n)d photos a note.") % {"n": MAX_PHOTOS}, field="photos"
        )
    # Photos the page's field has checked already, or uploads as they came.
    raw = [p for p in photos if not isinstance(p, ProcessedImage)]
    processed = [p for p in photos if isinstance(p, ProcessedImage)]
    processed += process_images(raw, field="photos") if raw else []
    with transaction.atomic():
        note = ProgressNote.objects.create(
            project=project, text=text, author=acting_user, created_at=clock.now()
        )
        if processed:
            note.photos = [
                store_image(
                    photo, default_storage, f"projects/{project.pk}/{note.pk}-{n}"
                )
                for n, photo in enumerate(processed, start=1)
            ]
            note.save(update_fields=["photos"])
        _event(project.problem, "progress", acting_user, project=project)
    return note


def project_complete(
    *,
    project: Project,
    acting_user: Any,
    summary: str,
    on: dt.date | None = None,
) -> int:
    """完成: every milestone done, what was done said; the problem is solved
    and the residents of the appeals it came from are told (a public step on
    their timeline, an SMS where they left a number). Returns how many
    appeals were told."""
    problem = project.problem
    permissions.require_keeper(acting_user, problem.area)
    summary = _text(summary, field="summary", label=_("What was done"), limit=2000)
    on = on or clock.today()
    if on > clock.today():
        raise DomainError(_("The date is in the future."), field="on")
    if on < project.started_on:
        raise DomainError(_("The date is before the project started."), field="on")
    undone = list(
        project.milestones.filter(done_on__isnull=True).values_list("title", flat=True)
    )
    if undone:
        raise DomainError(
            _("Milestones not done yet: %(titles)s.")
            % {"titles": pgettext("list separator", ", ").join(undone)},
            field="milestones",
        )
    with transaction.atomic():
        now = clock.now()
        old = workflow.project_move(
            project,
            Project.State.COMPLETED,
            completed_on=on,
            summary=summary,
            residents_told_at=now,
        )
        workflow.problem_move(problem, Problem.State.SOLVED)
        _event(
            problem,
            "complete",
            acting_user,
            project=project,
            old=old,
            new=project.state,
            note=summary,
        )
        told = _tell_the_appeals(project, acting_user)
    return told


def source_appeals(problem: Problem) -> list[Appeal]:
    """The appeals a problem came from — and, for one merged into another,
    the main appeal too, whose page its resident follows."""
    ids = problem.sources.filter(appeal__isnull=False).values("appeal_id")
    return list(
        Appeal.objects.filter(
            Q(pk__in=ids)
            | Q(pk__in=Appeal.objects.filter(pk__in=ids).values("merged_into_id"))
        ).order_by("received_at", "pk")
    )


def _tell_the_appeals(project: Project, acting_user: Any) -> int:
    appeals = source_appeals(project.problem)
    for appeal in appeals:
        timeline.write(
            appeal,
            "project_done",
            actor=acting_user,
            public=True,
            data={"project": project.title},
        )
        appeal_notify.resident(appeal, "appeal.project_done")
    return len(appeals)


def project_cancel(*, project: Project, acting_user: Any, reason: str) -> None:
    """Stop a project, saying why: its pledges are given back to their
    resources and its problem goes back on the list."""
    problem = project.problem
    permissions.require_keeper(acting_user, problem.area)
    reason = _text(reason, field="reason", label=_("The reason"), limit=200)
    with transaction.atomic():
        old = workflow.project_move(project, Project.State.CANCELLED, reason=reason)
        for row in project.pledges.all():
            Resource.objects.filter(pk=row.resource_id).update(
                pledged=F("pledged") - row.quantity
            )
        workflow.problem_move(problem, Problem.State.OPEN)
        _event(
            problem,
            "cancel",
            acting_user,
            project=project,
            old=old,
            new=project.state,
            note=reason,
        )


def evaluation_record(
    *,
    project: Project,
    acting_user: Any,
    verdict: str,
    heard: str,
    residents: int | None = 1,
    comment: str = "",
) -> Evaluation:
    """The residents' word on a completed project (群众评价), as heard."""
    permissions.require(
        permissions.may_report(acting_user, project),
        _("Only the project's owner and the lists' keepers report on it."),
    )
    if project.state != Project.State.COMPLETED:
        raise DomainError(
            _("Residents evaluate a project once it is completed."), field="state"
        )
    verdict = _choice(
        verdict, Evaluation.Verdict, field="verdict", message=_("Choose a verdict.")
    )
    heard = _choice(
        heard, Evaluation.Heard, field="heard", message=_("Say where it was heard.")
    )
    if residents is None or int(residents) < 1 or int(residents) > 10_000:
        raise DomainError(_("Say how many residents: 1 to 10000."), field="residents")
    comment = _text(
        comment, field="comment", label=_("What they said"), limit=1000, required=False
    )
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            project=project,
            verdict=verdict,
            heard=heard,
            residents=int(residents),
            comment=comment,
            recorded_by=acting_user,
            created_at=clock.now(),
        )
        _event(
            project.problem,
            "evaluate",
            acting_user,
            project=project,
            # The verdict is the evaluation's, shown in the reader's language.
            note=comment,
        )
    return evaluation


# --- leadership: 分包 and meetings ---------------------------------------------------


def contract_assign(
    *, leader: Any, area: Area, acting_user: Any, since: dt.date | None = None
) -> Contract:
    """A leader of the street takes a community or a grid (分包), assigned by
    the street's administrator."""
    if area.level not in (Area.Level.COMMUNITY, Area.Level.GRID):
        raise DomainError(_("A leader takes a community or a grid."), field="area")
    street = _street_of(area)
    permissions.require(
        permissions.may_assign_contracts(acting_user, street),
        _("Only the street's administrator assigns its leaders' areas."),
    )
    if leader is None or not access.holds_role_over(
        leader, street, permissions.LEADERS
    ):
        raise DomainError(
            _("Choose a leader of %(street)s.") % {"street": street.name},
            field="leader",
        )
    if Contract.objects.filter(leader=leader, area=area, until__isnull=True).exists():
        raise DomainError(
            _("%(leader)s has %(area)s already.")
            % {
                "leader": leader.get_full_name() or leader.get_username(),
                "area": area.name,
            },
            field="area",
        )
    return Contract.objects.create(
        leader=leader, area=area, since=since or clock.today(), assigned_by=acting_user
    )


def contract_end(
    *, contract: Contract, acting_user: Any, on: dt.date | None = None
) -> None:
    permissions.require(
        permissions.may_assign_contracts(acting_user, _street_of(contract.area)),
        _("Only the street's administrator assigns its leaders' areas."),
    )
    on = on or clock.today()
    if on < contract.since:
        raise DomainError(_("It cannot end before it began."), field="until")
    if not Contract.objects.filter(pk=contract.pk, until__isnull=True).update(
        until=on, updated_at=clock.now()
    ):
        raise DomainError(_("This area was handed back already."), field="until")
    contract.until = on


@dataclass
class MeetingInput:
    """A 联席会, a weekly study or a 研判会 as its minutes record it."""

    kind: str
    title: str
    held_at: dt.datetime | None
    area: Area | None
    place: str = ""
    chair: Any = None
    attendees: Sequence[Any] = ()
    units: Sequence[Organisation] = ()
    minutes: str = ""


def meeting_record(*, data: MeetingInput, acting_user: Any) -> Meeting:
    kind = _choice(data.kind, Meeting.Kind, field="kind", message=_("Choose a kind."))
    title = _text(data.title, field="title", label=_("The title"), limit=100)
    if data.area is None:
        raise DomainError(_("Choose the street or community."), field="area")
    area = data.area
    if area.level not in (Area.Level.STREET, Area.Level.COMMUNITY):
        raise DomainError(_("A meeting is of a street or a community."), field="area")
    permissions.require_keeper(acting_user, area)
    if data.held_at is None:
        raise DomainError(_("Say when it was held."), field="held_at")
    if data.held_at > clock.now():
        raise DomainError(_("A meeting is recorded once it is held."), field="held_at")
    place = _text(
        data.place, field="place", label=_("The place"), limit=100, required=False
    )
    minutes = _text(
        data.minutes,
        field="minutes",
        label=_("The minutes"),
        limit=5000,
        required=False,
    )
    street = _street_of(area)
    for unit in data.units:
        if not _within(unit.area, street):
            raise DomainError(
                _("%(organisation)s is not in %(street)s.")
                % {"organisation": unit.name, "street": street.name},
                field="units",
            )
    with transaction.atomic():
        meeting = Meeting.objects.create(
            kind=kind,
            title=title,
            held_at=data.held_at,
            place=place,
            area=area,
            chair=data.chair,
            minutes=minutes,
            recorded_by=acting_user,
        )
        meeting.attendees.set(data.attendees)
        meeting.units.set(data.units)
    return meeting


def decision_add(
    *,
    meeting: Meeting,
    acting_user: Any,
    text: str,
    problem: Problem | None = None,
    project: Project | None = None,
    owner: Any = None,
    due_on: dt.date | None = None,
) -> Decision:
    """What the meeting decided, linked to the problem or project it decides
    (of the meeting's area), with who carries it out and by when."""
    permissions.require_keeper(acting_user, meeting.area)
    text = _text(text, field="text", label=_("The decision"), limit=300)
    if project is not None:
        problem = problem or project.problem
        if project.problem_id != problem.pk:
            raise DomainError(
                _("The project does not answer that problem."), field="project"
            )
    if problem is not None and not (
        _within(problem.area, meeting.area) or _within(meeting.area, problem.area)
    ):
        raise DomainError(
            _("“%(title)s” is not in %(area)s.")
            % {"title": problem.title, "area": meeting.area.name},
            field="problem",
        )
    if due_on is not None and due_on < timezone.localdate(meeting.held_at):
        raise DomainError(_("It cannot be due before the meeting."), field="due_on")
    with transaction.atomic():
        decision = Decision.objects.create(
            meeting=meeting,
            text=text,
            problem=problem,
            project=project,
            owner=owner,
            due_on=due_on,
            created_at=clock.now(),
        )
        if problem is not None:
            _event(
                problem,
                "decide",
                acting_user,
                project=project,
                note=f"{meeting.title}: {text}",
            )
    return decision


# --- 新就业群体 --------------------------------------------------------------


@dataclass
class OutreachInput:
    """A service for riders and couriers: what, when, where, for whom, how
    many were served, with whom."""

    title: str
    held_on: dt.date | None
    area: Area | None
    group: str
    served: int | None
    services: str
    station: Place | None = None
    organisers: Sequence[Organisation] = ()


def outreach_record(*, data: OutreachInput, acting_user: Any) -> Outreach:
    """为N名外卖小哥提供便捷服务: record an event or a station's day of service."""
    title = _text(data.title, field="title", label=_("The title"), limit=100)
    if data.area is None:
        raise DomainError(_("Choose the street or community."), field="area")
    area = data.area
    if area.level not in (Area.Level.STREET, Area.Level.COMMUNITY):
        raise DomainError(
            _("A service is recorded for a street or a community."), field="area"
        )
    permissions.require_keeper(acting_user, area)
    if data.held_on is None:
        raise DomainError(_("Say when it was held."), field="held_on")
    if data.held_on > clock.today():
        raise DomainError(_("A service is recorded once it is held."), field="held_on")
    group = _choice(
        data.group, Outreach.Group, field="group", message=_("Choose who was served.")
    )
    if data.served is None or not 1 <= int(data.served) <= 100_000:
        raise DomainError(_("Say how many were served: 1 to 100000."), field="served")
    services = _text(
        data.services, field="services", label=_("The services"), limit=300
    )
    station = data.station
    if station is not None and (
        station.kind != Place.Kind.SERVICE_STATION or not _within(station.grid, area)
    ):
        raise DomainError(
            _("Choose a service station in %(area)s.") % {"area": area.name},
            field="station",
        )
    street = _street_of(area)
    for organiser in data.organisers:
        if not _within(organiser.area, street):
            raise DomainError(
                _("%(organisation)s is not in %(street)s.")
                % {"organisation": organiser.name, "street": street.name},
                field="organisers",
            )
    with transaction.atomic():
        outreach = Outreach.objects.create(
            title=title,
            held_on=data.held_on,
            area=area,
            station=station,
            group=group,
            served=int(data.served),
            services=services,
            recorded_by=acting_user,
        )
        outreach.organisers.set(data.organisers)
    return outreach
