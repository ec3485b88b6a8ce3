"""The demo's three lists (三项清单): thirty-one items as the street counts
them, every problem traced to its sources, two projects completed whose
appeals' residents were told on their timelines, every state there, each
step in the past; seeding again adds nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from civicgrid.accounts.models import User
from civicgrid.appeals.models import CaseEvent
from civicgrid.cobuilding import selectors
from civicgrid.cobuilding.demo import seed_three_lists
from civicgrid.cobuilding.models import (
    Evaluation,
    ListEvent,
    Milestone,
    Pledge,
    Problem,
    ProblemSource,
    ProgressNote,
    Project,
    Resource,
)
from civicgrid.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=StringIO())


def _counts() -> tuple[int, ...]:
    return (
        *(
            model.objects.count()
            for model in (
                Problem,
                ProblemSource,
                Resource,
                Project,
                Pledge,
                Milestone,
                ProgressNote,
                Evaluation,
                ListEvent,
            )
        ),
        CaseEvent.objects.filter(action="project_done").count(),
    )


def test_the_street_counts_thirty_one_items_on_its_three_lists(demo):
    direct = (
        Problem.objects.exclude(state=Problem.State.CLOSED).count()
        + Resource.objects.filter(is_active=True).count()
        + Project.objects.exclude(state=Project.State.CANCELLED).count()
    )
    assert direct == 31
    for username in ("dispatcher", "leader"):
        figures = selectors.counters(User.objects.get(username=username))
        assert figures["total"] == 31
        assert figures["completed"] == 2
    assert {p.state for p in Problem.objects.all()} == set(Problem.State.values)
    assert {p.state for p in Project.objects.all()} == set(Project.State.values)
    assert Resource.objects.filter(is_active=False).count() == 1
    assert {r.provider_kind for r in Resource.objects.all()} == set(
        Resource.Provider.values
    )
    assert all(r.pledged <= r.quantity for r in Resource.objects.all())


def test_every_demo_problem_has_its_sources(demo):
    for problem in Problem.objects.all():
        assert problem.sources.exists(), problem.title
    kinds = set(ProblemSource.objects.values_list("kind", flat=True))
    assert kinds == set(ProblemSource.Kind.values)
    assert ProblemSource.objects.filter(
        kind="meeting", note__contains="季度街道联席会"
    ).exists()
    # A 社情民意 item on the list has left its queue.
    for source in ProblemSource.objects.filter(kind="opinion").select_related(
        "opinion"
    ):
        assert source.opinion is not None and source.opinion.state == "problem"


def test_two_completed_projects_told_the_residents_of_their_appeals(demo):
    completed = Project.objects.filter(state=Project.State.COMPLETED)
    assert completed.count() == 2
    for project in completed:
        assert project.problem.state == Problem.State.SOLVED
        assert project.summary and project.residents_told_at is not None
        assert not project.milestones.filter(done_on__isnull=True).exists()
        assert project.evaluations.exists()
        answered = selectors.appeals_answered_by(project)
        assert answered.exists()
        for appeal in answered:
            told = appeal.events.filter(action="project_done", public=True)
            assert told.count() == 1
            assert told.get().data["project"] == project.title


def test_underway_projects_have_pledges_milestones_and_progress(demo):
    underway = Project.objects.filter(state=Project.State.UNDERWAY)
    assert underway.count() == 4
    for project in underway:
        assert project.pledges.exists()
        assert project.milestones.filter(done_on__isnull=False).exists()
        assert project.notes.exists()
    assert any(note.photos for note in ProgressNote.objects.all())
    cancelled = Project.objects.get(state=Project.State.CANCELLED)
    assert cancelled.reason
    # Its problem went back on the list and another project answers it now.
    assert cancelled.problem.projects.filter(state=Project.State.UNDERWAY).exists()


def test_every_step_on_the_lists_happened_in_the_past_in_order(demo):
    now = clock.now()
    for problem in Problem.objects.prefetch_related("events"):
        events = list(problem.events.all())
        assert events[0].action == "raise"
        assert problem.created_at == events[0].created_at
        assert all(e.created_at < now for e in events)
        assert problem.created_at <= problem.updated_at < now
    # A year of work: the oldest problems were raised months ago.
    assert Problem.objects.filter(created_at__lt=now - dt.timedelta(days=180)).exists()
    for project in Project.objects.all():
        assert project.created_at < now
        assert project.started_on <= project.due_on


def test_seeding_the_demo_again_adds_nothing(demo):
    before = _counts()
    assert seed_three_lists() == ""
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before


def test_the_streets_leaders_take_every_community_and_meet(demo):
    from civicgrid.cobuilding.models import Contract, Decision, Meeting, Outreach
    from civicgrid.org.models import Area

    street = Area.objects.get(code="540103001")
    communities = set(
        Area.objects.filter(parent=street, level=Area.Level.COMMUNITY).values_list(
            "pk", flat=True
        )
    )
    taken = set(
        Contract.objects.filter(until__isnull=True).values_list("area_id", flat=True)
    )
    assert communities <= taken
    for contract in Contract.objects.select_related("area"):
        figures = selectors.open_in(contract.area)
        assert figures["appeals"] >= figures["overdue"] >= 0
    kinds = set(Meeting.objects.values_list("kind", flat=True))
    assert kinds == {"joint", "study", "judgement"}
    joint = Meeting.objects.filter(kind="joint").first()
    assert joint is not None and joint.units.exists() and joint.attendees.exists()
    assert Decision.objects.filter(problem__isnull=False).exists()
    dispatcher = User.objects.get(username="dispatcher")
    assert selectors.served_by_group(dispatcher)["delivery"] == 126
    festival = Outreach.objects.get(title="717骑士节")
    assert (festival.held_on.month, festival.held_on.day) == (7, 17)
    assert festival.held_on <= clock.today()
