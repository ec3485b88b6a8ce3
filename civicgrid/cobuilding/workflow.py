"""The states of the three lists and their transition tables, moved by
compare-and-set: one row updated, or someone else got there first and the
step is refused. A resource's pledged share moves the same way — only while
what is left covers the pledge."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from civicgrid.core.db import compare_and_set
from civicgrid.core.errors import ConflictError, DomainError

from .models import Problem, Project, Resource

P = Problem.State
PROBLEM_TRANSITIONS: dict[str, set[str]] = {
    P.OPEN: {P.PROJECT, P.CLOSED},
    # A cancelled project puts its problem back on the list.
    P.PROJECT: {P.SOLVED, P.OPEN},
    P.SOLVED: set(),
    P.CLOSED: set(),
}

J = Project.State
PROJECT_TRANSITIONS: dict[str, set[str]] = {
    J.UNDERWAY: {J.COMPLETED, J.CANCELLED},
    J.COMPLETED: set(),
    J.CANCELLED: set(),
}


def problem_move(problem: Problem, to: str, **fields: Any) -> str:
    """Move ``problem`` from the state it was read in; returns the old state."""
    old = problem.state
    if to not in PROBLEM_TRANSITIONS[old]:
        raise DomainError(
            _("This problem is %(state)s; it cannot be %(new)s.")
            % {"state": P(old).label.lower(), "new": P(to).label.lower()},
            field="state",
        )
    if not compare_and_set(problem, {"state": old}, {"state": to, **fields}):
        raise ConflictError(
            _("Someone else acted on this problem just now; look again.")
        )
    return old


def project_move(project: Project, to: str, **fields: Any) -> str:
    """Move ``project`` from the state it was read in; returns the old state."""
    old = project.state
    if to not in PROJECT_TRANSITIONS[old]:
        raise DomainError(
            _("This project is %(state)s; it cannot be %(new)s.")
            % {"state": J(old).label.lower(), "new": J(to).label.lower()},
            field="state",
        )
    if not compare_and_set(project, {"state": old}, {"state": to, **fields}):
        raise ConflictError(
            _("Someone else acted on this project just now; look again.")
        )
    return old


def take_from(resource: Resource, quantity: int) -> None:
    """Add ``quantity`` to what is pledged of ``resource`` if what is left
    covers it (one ``UPDATE … WHERE pledged <= quantity - n``); otherwise say
    what is left, read again."""
    taken = Resource.objects.filter(
        pk=resource.pk,
        is_active=True,
        pledged__lte=F("quantity") - quantity,
    ).update(pledged=F("pledged") + quantity)
    if taken != 1:
        resource.refresh_from_db(fields=["pledged", "quantity", "is_active"])
        if not resource.is_active:
            raise DomainError(
                _("This resource is no longer offered."), field="resource"
            )
        raise DomainError(
            _("Only %(left)d %(measure)s of “%(title)s” are left; pledge at most that.")
            % {
                "left": resource.remaining,
                "measure": resource.measure,
                "title": resource.title,
            },
            field="quantity",
        )
    resource.refresh_from_db(fields=["pledged"])
