"""Two people acting on the same list item at the same moment, on two
connections: one wins, the other is told, and nothing is taken twice
(PostgreSQL: SQLite runs one writer at a time)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from civicgrid.appeals.models import CaseEvent
from civicgrid.cobuilding import actions
from civicgrid.cobuilding.models import ListEvent, Pledge, Problem, Project, Resource
from civicgrid.core.errors import DomainError
from civicgrid.notifications.models import Notification

from .conftest import IN_E1, offer, raise_problem, start

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent connections: PostgreSQL only",
    ),
]


def at_once(*steps: Callable[[], Any]) -> list[Any]:
    """Run each step on its own thread and connection, released together;
    what each returned, or the DomainError it raised (anything else fails)."""
    barrier = threading.Barrier(len(steps))
    outcomes: list[Any] = [None] * len(steps)

    def run(n: int, step: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[n] = step()
        except Exception as exc:  # shown by the assertion below, not lost
            outcomes[n] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(n, step)) for n, step in enumerate(steps)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    unexpected = [
        o
        for o in outcomes
        if isinstance(o, Exception) and not isinstance(o, DomainError)
    ]
    assert not unexpected, unexpected
    return outcomes


def test_two_pledges_at_once_on_what_covers_one_make_one_pledge(cb, street):
    resource = offer(cb, cb["unit_contact"], street.east, provider="unit", quantity=5)
    first = start(raise_problem(cb["dispatcher"], street.east), cb["dispatcher"])
    second = start(
        raise_problem(cb["dispatcher"], street.grids["e1"], title="楼道照明"),
        cb["dispatcher"],
    )

    def pledge(project_id: int, user: Any) -> Callable[[], Any]:
        # Each reads its own copies, as two requests would.
        project = Project.objects.get(pk=project_id)
        copy = Resource.objects.get(pk=resource.pk)
        return lambda: actions.pledge(
            project=project, resource=copy, quantity=3, acting_user=user
        )

    outcomes = at_once(
        pledge(first.pk, cb["unit_contact"]), pledge(second.pk, cb["dispatcher"])
    )
    pledged = [o for o in outcomes if isinstance(o, Pledge)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert (len(pledged), len(refused)) == (1, 1)
    assert refused[0].field == "quantity"
    assert refused[0].message == (
        "Only 2 次 of “活动室” are left; pledge at most that."
    )
    resource.refresh_from_db()
    assert resource.pledged == 3 <= resource.quantity
    assert list(Pledge.objects.values_list("pk", flat=True)) == [pledged[0].pk]
    assert ListEvent.objects.filter(action="pledge").count() == 1


def test_two_completions_at_once_complete_once(cb, street, submit):
    appeals = [submit(**IN_E1), submit(description="又黑了", **IN_E1)]
    problem = raise_problem(cb["dispatcher"], street.east, appeals=appeals)
    project = start(problem, cb["dispatcher"])

    def complete(user: Any) -> Callable[[], Any]:
        copy = Project.objects.get(pk=project.pk)
        return lambda: actions.project_complete(
            project=copy, acting_user=user, summary="路灯都换了"
        )

    outcomes = at_once(complete(cb["dispatcher"]), complete(cb["community_east"]))
    told = [o for o in outcomes if isinstance(o, int)]
    lost = [o for o in outcomes if isinstance(o, DomainError)]
    assert told == [2]
    assert [type(e).__name__ for e in lost] == ["ConflictError"]
    assert lost[0].message == (
        "Someone else acted on this project just now; look again."
    )
    project.refresh_from_db()
    problem.refresh_from_db()
    assert (project.state, problem.state) == ("completed", "solved")
    assert ListEvent.objects.filter(action="complete").count() == 1
    for appeal in appeals:
        assert (
            CaseEvent.objects.filter(appeal=appeal, action="project_done").count() == 1
        )
    assert Notification.objects.filter(event="appeal.project_done").exclude(
        channel="webhook"
    ).count() == len(appeals)


def test_two_starts_at_once_make_one_project(cb, street):
    problem = raise_problem(cb["dispatcher"], street.east)

    def begin(user: Any) -> Callable[[], Any]:
        copy = Problem.objects.get(pk=problem.pk)
        return lambda: start(copy, user)

    outcomes = at_once(begin(cb["dispatcher"]), begin(cb["community_east"]))
    started = [o for o in outcomes if isinstance(o, Project)]
    lost = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(started) == 1
    assert [type(e).__name__ for e in lost] == ["ConflictError"]
    assert list(Project.objects.values_list("pk", flat=True)) == [started[0].pk]
    problem.refresh_from_db()
    assert problem.state == Problem.State.PROJECT
