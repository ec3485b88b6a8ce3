"""The patrol log through its actions: one open patrol per worker, the route's
points checked and capped, findings attached, the end, and the sweep of
patrols left open."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civicgrid.appeals.models import Channel
from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.ledger.actions import patrol as actions
from civicgrid.ledger.jobs import end_forgotten_patrols
from civicgrid.ledger.models import Opinion, Patrol

from .conftest import centre

pytestmark = pytest.mark.django_db


@pytest.fixture
def patrol(street, ledger_people) -> Patrol:
    return actions.patrol_start(
        grid=street.grids["e1"], acting_user=ledger_people["gridworker"]
    )


def test_a_grid_worker_starts_a_patrol_in_their_grid(street, ledger_people):
    lon, lat = centre(street.grids["e1"])
    patrol = actions.patrol_start(
        grid=street.grids["e1"],
        acting_user=ledger_people["gridworker"],
        lon=lon,
        lat=lat,
    )
    assert patrol.ended_at is None and len(patrol.route) == 1


@pytest.mark.parametrize("who", ["gridworker_w1", "community_east", "leader", "admin"])
def test_nobody_but_the_grids_worker_patrols_it(street, ledger_people, who):
    with pytest.raises(PermissionDeniedError):
        actions.patrol_start(grid=street.grids["e1"], acting_user=ledger_people[who])


def test_a_second_open_patrol_is_refused(street, ledger_people, patrol):
    with pytest.raises(ConflictError):
        actions.patrol_start(
            grid=street.grids["e2"], acting_user=ledger_people["gridworker"]
        )
    assert Patrol.objects.filter(ended_at__isnull=True).count() == 1


def test_points_are_appended_and_a_repeated_point_dropped(
    street, ledger_people, patrol
):
    lon, lat = centre(street.grids["e1"])
    worker = ledger_people["gridworker"]
    assert (
        actions.patrol_add_point(patrol=patrol, acting_user=worker, lon=lon, lat=lat)
        == 1
    )
    assert (
        actions.patrol_add_point(patrol=patrol, acting_user=worker, lon=lon, lat=lat)
        == 1
    )
    assert (
        actions.patrol_add_point(
            patrol=patrol, acting_user=worker, lon=lon + 0.001, lat=lat
        )
        == 2
    )
    patrol.refresh_from_db()
    assert patrol.route[1][:2] == [round(lon + 0.001, 6), lat]


@pytest.mark.parametrize(
    ("lon", "lat"),
    [("x", "29.6"), (200, 29.6), (91.0, -95), ("nan", "29.6"), (None, 1)],
)
def test_a_point_not_on_the_map_is_refused(ledger_people, patrol, lon, lat):
    with pytest.raises(DomainError) as refused:
        actions.patrol_add_point(
            patrol=patrol, acting_user=ledger_people["gridworker"], lon=lon, lat=lat
        )
    assert refused.value.field == "location"


def test_the_route_stops_growing_at_its_cap(ledger_people, patrol, monkeypatch):
    monkeypatch.setattr(actions, "MAX_POINTS", 3)
    for n in range(5):
        count = actions.patrol_add_point(
            patrol=patrol,
            acting_user=ledger_people["gridworker"],
            lon=91.001 + n / 1000,
            lat=29.605,
        )
    assert count == 3


def test_nobody_else_adds_to_a_patrol(ledger_people, patrol):
    with pytest.raises(PermissionDeniedError):
        actions.patrol_add_point(
            patrol=patrol, acting_user=ledger_people["community_east"], lon=91, lat=29.6
        )
    with pytest.raises(PermissionDeniedError):
        actions.patrol_end(patrol=patrol, acting_user=ledger_people["gridworker_w1"])


def test_findings_on_the_way_are_attached_to_the_patrol(street, ledger_people, patrol):
    worker = ledger_people["gridworker"]
    lon, lat = centre(street.grids["e2"])
    opinion = actions.patrol_record_opinion(
        patrol=patrol, acting_user=worker, text="骑手说附近没有充电桩", lon=lon, lat=lat
    )
    assert opinion.source == Opinion.Source.PATROL
    assert opinion.grid == street.grids["e2"]  # where the phone was
    appeal = actions.patrol_record_appeal(
        patrol=patrol,
        acting_user=worker,
        description="井盖松动",
        category=None,
        lon=lon,
        lat=lat,
    )
    assert appeal.channel == Channel.PATROL and appeal.entered_by == worker
    assert list(patrol.opinions.all()) == [opinion]
    assert list(patrol.appeals.all()) == [appeal]


def test_a_finding_without_a_point_is_in_the_patrols_grid(
    street, ledger_people, patrol
):
    opinion = actions.patrol_record_opinion(
        patrol=patrol, acting_user=ledger_people["gridworker"], text="楼道堆物"
    )
    assert opinion.grid == street.grids["e1"]


def test_the_end_is_kept_with_its_summary_and_nothing_is_added_after(
    ledger_people, patrol
):
    worker = ledger_people["gridworker"]
    actions.patrol_end(patrol=patrol, acting_user=worker, summary="一切正常")
    patrol.refresh_from_db()
    assert patrol.ended_at is not None and patrol.summary == "一切正常"
    with pytest.raises(ConflictError):
        actions.patrol_end(patrol=patrol, acting_user=worker)
    with pytest.raises(ConflictError):
        actions.patrol_add_point(patrol=patrol, acting_user=worker, lon=91, lat=29.6)
    with pytest.raises(ConflictError):
        actions.patrol_record_opinion(patrol=patrol, acting_user=worker, text="晚了")


def test_of_two_ends_one_wins(ledger_people, patrol):
    stale = Patrol.objects.get(pk=patrol.pk)
    actions.patrol_end(patrol=patrol, acting_user=ledger_people["gridworker"])
    with pytest.raises(ConflictError):
        actions.patrol_end(patrol=stale, acting_user=ledger_people["gridworker"])


def test_a_patrol_left_open_too_long_is_ended_by_the_sweep(
    street, ledger_people, settings
):
    settings.CIVICGRID_PATROL_MAX_HOURS = 12
    now = clock.now()
    with clock.at(now - timedelta(hours=13)):
        old = actions.patrol_start(
            grid=street.grids["e1"], acting_user=ledger_people["gridworker"]
        )
    assert end_forgotten_patrols() == 1
    old.refresh_from_db()
    assert old.ended_at == old.started_at + timedelta(hours=12)
    assert old.summary
    assert end_forgotten_patrols() is None  # nothing left to end


def test_a_patrol_within_the_limit_is_left_open(ledger_people, patrol, settings):
    settings.CIVICGRID_PATROL_MAX_HOURS = 12
    assert end_forgotten_patrols() is None
    patrol.refresh_from_db()
    assert patrol.ended_at is None


def test_the_sweep_is_registered_with_the_worker():
    from civicgrid.core.scheduler import registered_jobs

    assert "ledger.end_forgotten_patrols" in registered_jobs()
