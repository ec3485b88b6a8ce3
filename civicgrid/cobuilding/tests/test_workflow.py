"""The transition tables: every move they hold is made, every other is refused
with the row left as it was, and a copy read before someone else moved the
row loses (compare-and-set)."""

from __future__ import annotations

from itertools import product

import pytest

from civicgrid.cobuilding import workflow
from civicgrid.cobuilding.models import Problem, Project
from civicgrid.cobuilding.workflow import PROBLEM_TRANSITIONS, PROJECT_TRANSITIONS
from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError

pytestmark = pytest.mark.django_db

PROBLEM_MOVES = list(product(Problem.State.values, repeat=2))
PROJECT_MOVES = list(product(Project.State.values, repeat=2))


def a_problem(street, people, state: str) -> Problem:
    return Problem.objects.create(
        title=f"在{state}",
        description="x",
        field="elderly",
        area=street.east,
        state=state,
        raised_by=people["dispatcher"],
    )


def a_project(street, people, state: str) -> Project:
    problem = a_problem(street, people, Problem.State.PROJECT)
    return Project.objects.create(
        problem=problem,
        title=problem.title,
        owner=people["dispatcher"],
        state=state,
        started_on=clock.today(),
        due_on=clock.today(),
        completed_on=clock.today() if state == Project.State.COMPLETED else None,
    )


def test_the_tables_name_every_state():
    assert set(PROBLEM_TRANSITIONS) == set(Problem.State.values)
    assert set(PROJECT_TRANSITIONS) == set(Project.State.values)
    for moves, states in (
        (PROBLEM_TRANSITIONS, Problem.State.values),
        (PROJECT_TRANSITIONS, Project.State.values),
    ):
        assert all(to in states for targets in moves.values() for to in targets)


@pytest.mark.parametrize(("old", "new"), PROBLEM_MOVES)
def test_a_problem_moves_only_as_the_table_says(street, people, old, new):
    problem = a_problem(street, people, old)
    if new in PROBLEM_TRANSITIONS[old]:
        assert workflow.problem_move(problem, new) == old
        assert Problem.objects.get(pk=problem.pk).state == new
    else:
        with pytest.raises(DomainError) as refused:
            workflow.problem_move(problem, new)
        assert refused.value.field == "state"
        assert not isinstance(refused.value, ConflictError)
        assert Problem.objects.get(pk=problem.pk).state == old


@pytest.mark.parametrize(("old", "new"), PROJECT_MOVES)
def test_a_project_moves_only_as_the_table_says(street, people, old, new):
    project = a_project(street, people, old)
    if new in PROJECT_TRANSITIONS[old]:
        fields = {"completed_on": clock.today()} if new == "completed" else {}
        assert workflow.project_move(project, new, **fields) == old
        assert Project.objects.get(pk=project.pk).state == new
    else:
        with pytest.raises(DomainError) as refused:
            workflow.project_move(project, new)
        assert refused.value.field == "state"
        assert not isinstance(refused.value, ConflictError)
        assert Project.objects.get(pk=project.pk).state == old


def test_a_problem_read_before_another_moved_it_loses(street, people):
    problem = a_problem(street, people, Problem.State.OPEN)
    stale = Problem.objects.get(pk=problem.pk)
    workflow.problem_move(problem, Problem.State.CLOSED, reason="重复")
    with pytest.raises(ConflictError):
        workflow.problem_move(stale, Problem.State.PROJECT)
    assert Problem.objects.get(pk=problem.pk).state == Problem.State.CLOSED


def test_a_project_read_before_another_moved_it_loses(street, people):
    project = a_project(street, people, Project.State.UNDERWAY)
    stale = Project.objects.get(pk=project.pk)
    workflow.project_move(project, Project.State.CANCELLED, reason="改期")
    with pytest.raises(ConflictError):
        workflow.project_move(
            stale, Project.State.COMPLETED, completed_on=clock.today()
        )
    assert Project.objects.get(pk=project.pk).state == Project.State.CANCELLED
