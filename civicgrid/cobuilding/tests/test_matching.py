"""Matching a problem with the resources that fit it (资源匹配): those for its
very field before those that serve any, the community's before the
street's, the most left first; nothing exhausted, withdrawn, expired, not
yet offered, of another field or of another community."""

from __future__ import annotations

import pytest

from civicgrid.cobuilding import actions, selectors

from .conftest import in_days, offer, raise_problem, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(cb, street):
    keeper = cb["dispatcher"]
    made = {
        "east-elderly-5": offer(cb, keeper, street.east, field="elderly", quantity=5),
        "east-elderly-8": offer(cb, keeper, street.east, field="elderly", quantity=8),
        "street-elderly": offer(
            cb, keeper, street.street, field="elderly", quantity=9, provider="merchant"
        ),
        "east-any": offer(cb, keeper, street.east, quantity=20, provider="unit"),
        "street-any": offer(
            cb, keeper, street.street, quantity=50, provider="department"
        ),
        # None of these may be matched:
        "east-elderly-exhausted": offer(
            cb, keeper, street.east, field="elderly", quantity=2
        ),
        "east-elderly-withdrawn": offer(
            cb, keeper, street.east, field="elderly", quantity=30
        ),
        "east-elderly-expired": offer(
            cb,
            keeper,
            street.east,
            field="elderly",
            quantity=30,
            available_from=in_days(-60),
            available_until=in_days(-1),
        ),
        "east-elderly-next-month": offer(
            cb,
            keeper,
            street.east,
            field="elderly",
            quantity=30,
            available_from=in_days(30),
        ),
        "east-health": offer(cb, keeper, street.east, field="health", quantity=30),
        "west-elderly": offer(cb, keeper, street.west, field="elderly", quantity=30),
        "west-any": offer(cb, keeper, street.west, quantity=30),
    }
    for name, resource in made.items():
        resource.title = name
        resource.save(update_fields=["title"])
    elsewhere = start(raise_problem(keeper, street.east, title="别处"), keeper)
    actions.pledge(
        project=elsewhere,
        resource=made["east-elderly-exhausted"],
        quantity=2,
        acting_user=keeper,
    )
    actions.resource_withdraw(
        resource=made["east-elderly-withdrawn"], acting_user=keeper
    )
    return made


def test_the_resources_that_fit_come_best_first(cb, street, offers):
    problem = raise_problem(cb["dispatcher"], street.grids["e1"], field="elderly")
    matches = selectors.matching_resources(cb["dispatcher"], problem)
    assert [m.resource.title for m in matches] == [
        "east-elderly-8",  # its field, its community, most left
        "east-elderly-5",
        "street-elderly",  # its field, the street's
        "east-any",  # any field, its community
        "street-any",
    ]
    assert [m.same_field for m in matches] == [True, True, True, False, False]
    assert [m.remaining for m in matches] == [8, 5, 9, 20, 50]


def test_what_is_left_decides_between_equals_and_a_pledge_moves_it(cb, street, offers):
    problem = raise_problem(cb["dispatcher"], street.east, field="elderly")
    project = start(raise_problem(cb["dispatcher"], street.east), cb["dispatcher"])
    actions.pledge(
        project=project,
        resource=offers["east-elderly-8"],
        quantity=4,
        acting_user=cb["dispatcher"],
    )
    titles = [
        m.resource.title
        for m in selectors.matching_resources(cb["dispatcher"], problem)
    ]
    assert titles[:2] == ["east-elderly-5", "east-elderly-8"]


def test_a_problem_of_another_field_matches_only_what_serves_any(cb, street, offers):
    problem = raise_problem(cb["dispatcher"], street.east, field="legal")
    matches = selectors.matching_resources(cb["dispatcher"], problem)
    assert [m.resource.title for m in matches] == ["east-any", "street-any"]


def test_the_west_community_is_matched_with_its_own_and_the_streets(cb, street, offers):
    problem = raise_problem(cb["dispatcher"], street.grids["w1"], field="elderly")
    matches = selectors.matching_resources(cb["dispatcher"], problem)
    assert [m.resource.title for m in matches] == [
        "west-elderly",
        "street-elderly",
        "west-any",
        "street-any",
    ]


def test_a_reader_is_matched_only_with_what_they_read(cb, street, offers):
    problem = raise_problem(cb["community_east"], street.east, field="elderly")
    mine = selectors.matching_resources(cb["community_east"], problem)
    theirs = selectors.matching_resources(cb["outsider"], problem)
    assert {m.resource.title for m in mine} == {
        "east-elderly-8",
        "east-elderly-5",
        "street-elderly",
        "east-any",
        "street-any",
    }
    assert theirs == []


def test_the_limit_keeps_the_best(cb, street, offers):
    problem = raise_problem(cb["dispatcher"], street.east, field="elderly")
    best = selectors.matching_resources(cb["dispatcher"], problem, limit=2)
    assert [m.resource.title for m in best] == ["east-elderly-8", "east-elderly-5"]
