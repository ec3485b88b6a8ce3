"""问题清单: a problem is raised from its sources — appeals, 社情民意, a meeting
or a survey — gains sources, and is closed with a reason; what is refused
leaves nothing behind."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from civicgrid.cobuilding import actions
from civicgrid.cobuilding.models import ListEvent, Problem, ProblemSource
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.ledger.models import Opinion
from civicgrid.ledger.tests.conftest import make_opinion
from civicgrid.org.geometry import to_geojson
from civicgrid.org.models import Area
from conftest import make_area, make_user

from .conftest import IN_E1, IN_W1, raise_problem, start

pytestmark = pytest.mark.django_db


def nothing_written() -> bool:
    return not (
        Problem.objects.exists()
        or ProblemSource.objects.exists()
        or ListEvent.objects.exists()
    )


# --- raising --------------------------------------------------------------------


def test_a_problem_raised_from_appeals_keeps_them_as_its_sources(cb, street, submit):
    first = submit(**IN_E1)
    second = submit(description="路灯又坏了，第二次反映。", **IN_E1)
    problem = raise_problem(
        cb["dispatcher"], street.east, appeals=[first, second, first]
    )
    problem.refresh_from_db()
    assert problem.state == Problem.State.OPEN
    assert problem.area == street.east
    assert problem.raised_by == cb["dispatcher"]
    sources = list(problem.sources.all())
    assert {s.kind for s in sources} == {ProblemSource.Kind.APPEAL}
    assert sorted(s.appeal_id or 0 for s in sources) == sorted([first.pk, second.pk])
    assert all(s.added_by == cb["dispatcher"] for s in sources)
    event = problem.events.get()
    assert (event.action, event.actor, event.to_state) == (
        "raise",
        cb["dispatcher"],
        Problem.State.OPEN,
    )


@pytest.mark.parametrize("area", ["street", "east", "e1"])
def test_an_appeal_of_the_area_is_a_source_at_every_level(cb, street, submit, area):
    where = street.grids["e1"] if area == "e1" else getattr(street, area)
    appeal = submit(**IN_E1)
    problem = raise_problem(cb["dispatcher"], where, appeals=[appeal])
    assert list(problem.sources.values_list("appeal_id", flat=True)) == [appeal.pk]


def test_a_problem_raised_from_public_opinion_takes_the_item_off_its_queue(cb, street):
    opinion = make_opinion(street.grids["e1"], cb["gridworker"])
    problem = raise_problem(cb["community_east"], street.east, opinions=[opinion])
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.PROBLEM
    assert opinion.decided_by == cb["community_east"]
    source = problem.sources.get()
    assert (source.kind, source.opinion_id) == (ProblemSource.Kind.OPINION, opinion.pk)


def test_a_problem_may_come_from_a_meeting_and_a_survey(cb, street):
    problem = raise_problem(
        cb["leader"],
        street.street,
        meeting="2024年5月街道联席会",
        survey="2024年春季居民需求问卷",
    )
    assert sorted(problem.sources.values_list("kind", "note")) == [
        ("meeting", "2024年5月街道联席会"),
        ("survey", "2024年春季居民需求问卷"),
    ]


def test_a_problem_without_a_source_is_refused_and_nothing_is_written(cb, street):
    with pytest.raises(DomainError) as refused:
        actions.problem_raise(
            data=actions.ProblemInput(
                title="老人助餐难",
                description="独居老人中午吃饭没有着落。",
                field="elderly",
                area=street.east,
                meeting="   ",
            ),
            acting_user=cb["dispatcher"],
        )
    assert refused.value.field == "appeals"
    assert nothing_written()


def test_a_problem_outside_any_street_is_refused(cb, street):
    with pytest.raises(DomainError) as refused:
        raise_problem(cb["dispatcher"], street.district)
    assert refused.value.field == "area"
    assert nothing_written()


def test_an_appeal_the_user_cannot_see_is_refused_naming_it(cb, street, submit):
    appeal = submit(**IN_E1)  # east's; the west's staff do not see it
    with pytest.raises(DomainError) as refused:
        raise_problem(cb["community_west"], street.west, appeals=[appeal])
    assert refused.value.field == "appeals"
    assert appeal.tracking_code in refused.value.message
    assert nothing_written()


def test_an_appeal_of_another_street_is_refused(cb, street, submit):
    north = make_area(
        "540103002",
        "乃琼街道",
        Area.Level.STREET,
        street.district,
        to_geojson(box(91.1, 29.6, 91.12, 29.62)),
    )
    appeal = submit(street=north, latitude=None, longitude=None, address="乃琼路8号")
    root = make_user("root", is_superuser=True)  # sees every appeal
    with pytest.raises(DomainError) as refused:
        raise_problem(root, street.east, appeals=[appeal])
    assert refused.value.field == "appeals"
    assert refused.value.message == (
        f"Appeal {appeal.tracking_code} is not in {street.east.name}."
    )
    assert nothing_written()


def test_an_appeal_of_another_community_of_the_street_is_refused(cb, street, submit):
    appeal = submit(**IN_E1)  # the dispatcher sees the whole street's appeals
    with pytest.raises(DomainError) as refused:
        raise_problem(cb["dispatcher"], street.west, appeals=[appeal])
    assert refused.value.field == "appeals"
    assert nothing_written()


def test_an_item_the_user_cannot_see_is_refused_and_stays_on_its_queue(cb, street):
    opinion = make_opinion(street.grids["e1"], cb["gridworker"])
    with pytest.raises(DomainError) as refused:
        raise_problem(cb["community_west"], street.west, opinions=[opinion])
    assert refused.value.field == "opinions"
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.OPEN
    assert nothing_written()


def test_an_item_outside_the_area_is_refused(cb, street):
    opinion = make_opinion(street.grids["e1"], cb["gridworker"])
    with pytest.raises(DomainError) as refused:
        raise_problem(cb["dispatcher"], street.west, opinions=[opinion])
    assert refused.value.field == "opinions"
    assert street.west.name in refused.value.message
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.OPEN
    assert nothing_written()


def test_one_bad_source_among_good_ones_writes_nothing(cb, street):
    mine = make_opinion(street.grids["e1"], cb["gridworker"])
    theirs = make_opinion(street.grids["w1"], cb["gridworker_w1"])
    with pytest.raises(DomainError):
        raise_problem(cb["community_east"], street.east, opinions=[mine, theirs])
    mine.refresh_from_db()
    assert mine.state == Opinion.State.OPEN
    assert nothing_written()


@pytest.mark.parametrize(
    "who", ["gridworker", "community_west", "unit_contact", "resident", "outsider"]
)
def test_a_user_who_does_not_keep_the_area_may_not_raise_a_problem(cb, street, who):
    with pytest.raises(PermissionDeniedError):
        raise_problem(cb[who], street.east)
    assert nothing_written()


# --- sources --------------------------------------------------------------------


def test_an_appeal_and_an_item_may_be_added_as_sources(cb, street, submit):
    problem = raise_problem(cb["community_east"], street.east)
    appeal = submit(**IN_E1)
    opinion = make_opinion(street.grids["e2"], cb["gridworker"])
    rows = actions.problem_add_source(
        problem=problem,
        acting_user=cb["community_east"],
        appeals=[appeal],
        opinions=[opinion],
    )
    assert len(rows) == 2
    assert problem.sources.count() == 3
    assert problem.sources.filter(appeal=appeal).exists()
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.PROBLEM
    event = problem.events.get(action="add_source")
    assert appeal.tracking_code in event.note


def test_an_appeal_already_a_source_is_refused_and_nothing_is_added(cb, street, submit):
    old = submit(**IN_E1)
    new = submit(description="同一处的路灯还是不亮。", **IN_E1)
    problem = raise_problem(cb["dispatcher"], street.east, appeals=[old])
    with pytest.raises(DomainError) as refused:
        actions.problem_add_source(
            problem=problem, acting_user=cb["dispatcher"], appeals=[new, old]
        )
    assert refused.value.field == "appeals"
    assert old.tracking_code in refused.value.message
    assert list(problem.sources.values_list("appeal_id", flat=True)) == [old.pk]
    assert not problem.events.filter(action="add_source").exists()


def test_an_item_already_a_source_is_refused_and_the_new_one_stays_on_its_queue(
    cb, street
):
    old = make_opinion(street.grids["e1"], cb["gridworker"])
    problem = raise_problem(cb["community_east"], street.east, opinions=[old])
    new = make_opinion(street.grids["e1"], cb["gridworker"], text="没有地方吃午饭")
    with pytest.raises(DomainError) as refused:
        actions.problem_add_source(
            problem=problem, acting_user=cb["community_east"], opinions=[new, old]
        )
    assert refused.value.field == "opinions"
    new.refresh_from_db()
    assert new.state == Opinion.State.OPEN
    assert problem.sources.count() == 1


def test_adding_nothing_is_refused(cb, street):
    problem = raise_problem(cb["dispatcher"], street.east)
    with pytest.raises(DomainError) as refused:
        actions.problem_add_source(problem=problem, acting_user=cb["dispatcher"])
    assert refused.value.field == "appeals"
    assert problem.sources.count() == 1


def test_only_a_keeper_adds_sources(cb, street):
    problem = raise_problem(cb["dispatcher"], street.east)
    with pytest.raises(PermissionDeniedError):
        actions.problem_add_source(
            problem=problem, acting_user=cb["gridworker"], meeting="网格会"
        )
    assert problem.sources.count() == 1


def test_a_closed_problem_takes_no_more_sources(cb, street):
    problem = raise_problem(cb["dispatcher"], street.east)
    actions.problem_close(
        problem=problem, acting_user=cb["dispatcher"], reason="已由区里统一解决"
    )
    with pytest.raises(DomainError) as refused:
        actions.problem_add_source(
            problem=problem, acting_user=cb["dispatcher"], meeting="又一次会"
        )
    assert refused.value.field == "state"
    assert problem.sources.count() == 1


# --- closing --------------------------------------------------------------------


def test_closing_a_problem_needs_a_reason_and_keeps_it(cb, street):
    problem = raise_problem(cb["community_east"], street.east)
    with pytest.raises(DomainError) as refused:
        actions.problem_close(
            problem=problem, acting_user=cb["community_east"], reason="  "
        )
    assert refused.value.field == "reason"
    actions.problem_close(
        problem=problem, acting_user=cb["community_east"], reason="不属于街道事权"
    )
    problem.refresh_from_db()
    assert (problem.state, problem.reason) == (
        Problem.State.CLOSED,
        "不属于街道事权",
    )
    event = problem.events.get(action="close")
    assert (event.from_state, event.to_state, event.note) == (
        "open",
        "closed",
        "不属于街道事权",
    )


def test_a_problem_a_project_answers_cannot_be_closed(cb, street):
    problem = raise_problem(cb["dispatcher"], street.east)
    start(problem, cb["dispatcher"])
    with pytest.raises(DomainError) as refused:
        actions.problem_close(
            problem=problem, acting_user=cb["dispatcher"], reason="不做了"
        )
    assert refused.value.field == "state"
    problem.refresh_from_db()
    assert problem.state == Problem.State.PROJECT


def test_only_a_keeper_of_the_area_closes_a_problem(cb, street):
    problem = raise_problem(cb["dispatcher"], street.east)
    with pytest.raises(PermissionDeniedError):
        actions.problem_close(
            problem=problem, acting_user=cb["community_west"], reason="不管"
        )
    problem.refresh_from_db()
    assert problem.state == Problem.State.OPEN


def test_a_problem_in_grid_w1_comes_from_an_appeal_there(cb, street, submit):
    appeal = submit(**IN_W1)
    assert appeal.grid == street.grids["w1"]
    problem = raise_problem(cb["community_west"], street.west, appeals=[appeal])
    assert problem.sources.get().appeal == appeal
