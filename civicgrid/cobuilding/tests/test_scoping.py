"""Who reads which of the three lists: every role against problems, resources
and projects spread over the street, its two communities and their grids;
an outsider's 404; the counters against a count of the rows themselves."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from civicgrid.cobuilding import actions, selectors
from civicgrid.cobuilding.models import Problem, Project, Resource
from civicgrid.partybuilding import actions as pb_actions

from .conftest import offer, raise_problem, start

pytestmark = pytest.mark.django_db

EVERYWHERE = {"street", "east", "e1", "west", "w1"}
EAST_SIDE = {"street", "east", "e1"}
WEST_SIDE = {"street", "west", "w1"}

# What each persona reads: the areas (by name below) whose rows it sees.
READS = {
    "dispatcher": EVERYWHERE,
    "leader": EVERYWHERE,
    "admin": EVERYWHERE,
    "gridworker": EAST_SIDE,  # grids e1 and e2 of the east community
    "gridworker_w1": WEST_SIDE,
    "community_east": EAST_SIDE,
    "community_west": WEST_SIDE,
    "unit_contact": EAST_SIDE,  # its unit is registered to the east
    "unit_contact_w": WEST_SIDE,
    "handler_cg": set(),
    "resident": set(),
    "outsider": set(),
    "anonymous": set(),
}


def persona(cb, who):
    return AnonymousUser() if who == "anonymous" else cb[who]


@pytest.fixture
def lists(cb, street):
    """A problem in each of the street, east, e1, west and w1 (titled by its
    place), in every state; resources of the street, both communities; projects
    underway, completed and cancelled."""
    areas = {
        "street": street.street,
        "east": street.east,
        "e1": street.grids["e1"],
        "west": street.west,
        "w1": street.grids["w1"],
    }
    keeper = cb["dispatcher"]
    problems = {
        name: raise_problem(keeper, area, title=name) for name, area in areas.items()
    }
    projects = {
        "east": start(problems["east"], keeper),
        "e1": start(problems["e1"], keeper),
        "w1": start(problems["w1"], keeper),
    }
    actions.project_complete(project=projects["e1"], acting_user=keeper, summary="好")
    actions.project_cancel(project=projects["w1"], acting_user=keeper, reason="改期")
    actions.problem_close(problem=problems["west"], acting_user=keeper, reason="重复")
    resources = {
        "street": offer(cb, keeper, street.street, title="street"),
        "east": offer(cb, keeper, street.east, provider="unit", title="east"),
        "west": offer(
            cb, keeper, street.west, provider="unit", unit=cb["unit_w"], title="west"
        ),
    }
    withdrawn = offer(cb, keeper, street.east, title="east-withdrawn")
    actions.resource_withdraw(resource=withdrawn, acting_user=keeper)
    resources["east-withdrawn"] = withdrawn
    return {
        "areas": areas,
        "problems": problems,
        "projects": projects,
        "resources": resources,
    }


@pytest.mark.parametrize("who", sorted(READS))
def test_each_role_reads_the_problems_of_the_areas_it_reaches(cb, lists, who):
    user = persona(cb, who)
    seen = list(selectors.problems_for_user(user))
    assert len(seen) == len({p.pk for p in seen})  # no row twice
    assert {p.title for p in seen} == READS[who]


@pytest.mark.parametrize("who", sorted(READS))
def test_each_role_reads_the_resources_of_the_areas_it_reaches(cb, lists, who):
    user = persona(cb, who)
    seen = list(selectors.resources_for_user(user))
    assert len(seen) == len({r.pk for r in seen})
    expected = {
        name
        for name, resource in lists["resources"].items()
        if name.split("-")[0] in READS[who]
    }
    assert {r.title for r in seen} == expected


@pytest.mark.parametrize("who", sorted(READS))
def test_each_role_reads_the_projects_of_the_areas_it_reaches(cb, lists, who):
    user = persona(cb, who)
    seen = list(selectors.projects_for_user(user))
    assert len(seen) == len({p.pk for p in seen})
    assert {p.problem.title for p in seen} == READS[who] & set(lists["projects"])


@pytest.mark.parametrize("who", sorted(READS))
def test_a_row_out_of_reach_is_a_404_and_one_in_reach_is_found(cb, lists, who):
    user = persona(cb, who)
    for name, problem in lists["problems"].items():
        if name in READS[who]:
            assert selectors.problem_get_for_user(user, problem.pk) == problem
        else:
            with pytest.raises(Http404):
                selectors.problem_get_for_user(user, problem.pk)
    for name, project in lists["projects"].items():
        if name in READS[who]:
            assert selectors.project_get_for_user(user, project.pk) == project
        else:
            with pytest.raises(Http404):
                selectors.project_get_for_user(user, project.pk)
    for name, resource in lists["resources"].items():
        if name.split("-")[0] in READS[who]:
            assert selectors.resource_get_for_user(user, resource.pk) == resource
        else:
            with pytest.raises(Http404):
                selectors.resource_get_for_user(user, resource.pk)


def test_an_outsider_gets_a_404_for_every_problem(cb, lists):
    for problem in lists["problems"].values():
        with pytest.raises(Http404):
            selectors.problem_get_for_user(cb["outsider"], problem.pk)


def test_a_unit_whose_registration_ended_reads_nothing_more(cb, lists):
    assert selectors.problems_for_user(cb["unit_contact"]).exists()
    pb_actions.registration_end(
        registration=cb["unit"], reason="单位撤销", acting_user=cb["unit_contact"]
    )
    assert not selectors.problems_for_user(cb["unit_contact"]).exists()
    assert not selectors.resources_for_user(cb["unit_contact"]).exists()
    assert not selectors.projects_for_user(cb["unit_contact"]).exists()


def test_a_units_contact_reads_their_own_units_resources(cb, street, lists):
    mine = set(selectors.resources_for_user(cb["unit_contact"]))
    assert lists["resources"]["east"] in mine
    assert lists["resources"]["west"] not in mine


def test_the_problem_list_filters_by_state_field_and_area(cb, street, lists):
    user = cb["dispatcher"]
    health = raise_problem(user, street.grids["e1"], title="health", field="health")
    open_ = {p.title for p in selectors.problem_list(user, state="open")}
    assert open_ == {
        p.title
        for p in Problem.objects.filter(state="open")
        if p.area_id in {a.pk for a in lists["areas"].values()}
    }
    assert list(selectors.problem_list(user, field="health")) == [health]
    east = {p.title for p in selectors.problem_list(user, area=street.east)}
    assert east == {"east", "e1", "health"}
    counted = selectors.problem_list(user).get(pk=health.pk)
    assert counted.source_count == health.sources.count()  # type: ignore[attr-defined]


def test_the_project_list_leaves_out_the_cancelled_unless_asked(cb, lists):
    user = cb["dispatcher"]
    assert {p.problem.title for p in selectors.project_list(user)} == {"east", "e1"}
    assert [
        p.problem.title for p in selectors.project_list(user, state="cancelled")
    ] == ["w1"]


def test_the_resource_list_shows_what_is_offered_unless_asked(cb, lists):
    user = cb["dispatcher"]
    offered = {r.title for r in selectors.resource_list(user)}
    everything = {r.title for r in selectors.resource_list(user, offered=False)}
    assert offered == {"street", "east", "west"}
    assert everything == offered | {"east-withdrawn"}
    units = {r.title for r in selectors.resource_list(user, provider_kind="unit")}
    assert units == {"east", "west"}


# --- counters -------------------------------------------------------------------


@pytest.mark.parametrize("who", sorted(READS))
def test_the_counters_equal_a_count_of_the_rows_the_user_reads(cb, lists, who):
    user = persona(cb, who)
    areas = [lists["areas"][name] for name in READS[who]]
    problems = (
        Problem.objects.filter(area__in=areas)
        .exclude(state=Problem.State.CLOSED)
        .count()
    )
    resources = Resource.objects.filter(area__in=areas, is_active=True).count()
    projects = Project.objects.filter(problem__area__in=areas).exclude(
        state=Project.State.CANCELLED
    )
    expected = {
        "problems": problems,
        "resources": resources,
        "projects": projects.count(),
        "completed": projects.filter(state=Project.State.COMPLETED).count(),
    }
    expected["total"] = (
        expected["problems"] + expected["resources"] + expected["projects"]
    )
    assert selectors.counters(user) == expected
    if READS[who]:
        assert expected["total"] > 0


def test_the_counters_move_with_the_lists(cb, street, lists):
    user = cb["community_east"]
    before = selectors.counters(user)
    raise_problem(user, street.grids["e2"], title="e2")
    offer(cb, user, street.east, title="more")
    actions.project_cancel(
        project=lists["projects"]["east"], acting_user=user, reason="改期"
    )
    after = selectors.counters(user)
    assert after["problems"] == before["problems"] + 1
    assert after["resources"] == before["resources"] + 1
    assert after["projects"] == before["projects"] - 1
    assert after["total"] == before["total"] + 1
