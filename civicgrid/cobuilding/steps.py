"""The steps on a problem and on a project, shared by the pages and the API:
each takes the acting user, the object and the parsed input, calls its
action, and :func:`describe` says what was done in the page's words;
:func:`available` says which the user may take now (the buttons a page
shows — the actions check again)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from civicgrid.core.errors import DomainError

from . import actions, permissions, selectors
from .models import Problem, Project

ProblemStep = Callable[[Any, Problem, Mapping[str, Any]], Any]
ProjectStep = Callable[[Any, Project, Mapping[str, Any]], Any]


def _add_source(user: Any, problem: Problem, data: Mapping[str, Any]) -> Any:
    return actions.problem_add_source(
        problem=problem,
        acting_user=user,
        appeals=data.get("appeals") or (),
        opinions=data.get("opinions") or (),
        meeting=data.get("meeting", ""),
        survey=data.get("survey", ""),
    )


def _close(user: Any, problem: Problem, data: Mapping[str, Any]) -> None:
    actions.problem_close(
        problem=problem, acting_user=user, reason=data.get("reason", "")
    )


def _start(user: Any, problem: Problem, data: Mapping[str, Any]) -> Project:
    return actions.project_start(
        problem=problem,
        acting_user=user,
        data=actions.ProjectInput(
            title=data.get("title") or problem.title,
            owner=data.get("owner"),
            due_on=data.get("due_on"),
            started_on=data.get("started_on"),
            milestones=data.get("milestones") or [],
        ),
    )


PROBLEM_STEPS: dict[str, ProblemStep] = {
    "add_source": _add_source,
    "start": _start,
    "close": _close,
}


def _pledge(user: Any, project: Project, data: Mapping[str, Any]) -> Any:
    return actions.pledge(
        project=project,
        resource=data.get("resource"),
        quantity=data.get("quantity"),
        note=data.get("note", ""),
        acting_user=user,
    )


def _milestone(user: Any, project: Project, data: Mapping[str, Any]) -> None:
    milestone = data.get("milestone")
    if milestone is None or milestone.project_id != project.pk:
        raise DomainError(_("Choose a milestone of this project."), field="milestone")
    actions.milestone_done(milestone=milestone, acting_user=user, on=data.get("on"))


def _progress(user: Any, project: Project, data: Mapping[str, Any]) -> Any:
    return actions.progress_note(
        project=project,
        acting_user=user,
        text=data.get("text", ""),
        photos=data.get("photos") or (),
    )


def _complete(user: Any, project: Project, data: Mapping[str, Any]) -> int:
    return actions.project_complete(
        project=project,
        acting_user=user,
        summary=data.get("summary", ""),
        on=data.get("on"),
    )


def _cancel(user: Any, project: Project, data: Mapping[str, Any]) -> None:
    actions.project_cancel(
        project=project, acting_user=user, reason=data.get("reason", "")
    )


def _evaluate(user: Any, project: Project, data: Mapping[str, Any]) -> Any:
    return actions.evaluation_record(
        project=project,
        acting_user=user,
        verdict=data.get("verdict", ""),
        heard=data.get("heard", ""),
        residents=data.get("residents"),
        comment=data.get("comment", ""),
    )


PROJECT_STEPS: dict[str, ProjectStep] = {
    "pledge": _pledge,
    "milestone": _milestone,
    "progress": _progress,
    "complete": _complete,
    "cancel": _cancel,
    "evaluate": _evaluate,
}


def describe(name: str, obj: Problem | Project, result: Any = None) -> str:
    """What the step did, for the page's message and the API's answer."""
    title = obj.title
    if name == "complete":
        return _(
            "“%(title)s” is completed; the residents of %(n)d appeals were told."
        ) % {"title": title, "n": result or 0}
    if name == "pledge" and result is not None:
        return _("Pledged %(n)d %(measure)s of “%(resource)s” to “%(title)s”.") % {
            "n": result.quantity,
            "measure": result.resource.measure,
            "resource": result.resource.title,
            "title": title,
        }
    messages = {
        "add_source": _("The sources of “%(title)s” are added."),
        "start": _("“%(title)s” is a project now; pledge resources to it."),
        "close": _("“%(title)s” is closed."),
        "pledge": _("Pledged to “%(title)s”."),
        "milestone": _("The milestone of “%(title)s” is done."),
        "progress": _("The progress of “%(title)s” is recorded."),
        "cancel": _("“%(title)s” is cancelled; its pledges are given back."),
        "evaluate": _("The residents' evaluation of “%(title)s” is recorded."),
    }
    return messages[name] % {"title": title}


def problem_steps(user: Any, problem: Problem) -> list[str]:
    if not permissions.may_keep(user, problem.area):
        return []
    if problem.state == Problem.State.OPEN:
        return ["start", "add_source", "close"]
    if problem.state == Problem.State.PROJECT:
        return ["add_source"]
    return []


def project_steps(user: Any, project: Project) -> list[str]:
    keeper = permissions.may_keep(user, project.problem.area)
    reporter = permissions.may_report(user, project)
    steps: list[str] = []
    if project.state == Project.State.UNDERWAY:
        if selectors.pledgeable_resources(user, project).exists():
            steps.append("pledge")  # a unit's contact pledges its own too
        if reporter:
            steps += ["milestone", "progress"]
        if keeper:
            steps += ["complete", "cancel"]
    elif project.state == Project.State.COMPLETED and reporter:
        steps.append("evaluate")
    return steps
