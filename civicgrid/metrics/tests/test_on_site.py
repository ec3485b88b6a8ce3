"""The grid's own work in the three rates (三率): a finding dealt with on the
spot (就地处置) counts for the grid as received, dispatched, answered and
completed in time and resolved; a patrol finding closed by the grid worker's
check (核查结案) counts as resolved for the unit that replied. Neither has a
resident to call back, so neither enters the satisfaction rate: its count
and its denominator are the residents' callbacks alone. A check that does
not pass is a re-handle."""

from __future__ import annotations

import pytest
from django.utils import timezone

from civicgrid.api.testing import jpeg_upload
from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.core import clock
from civicgrid.core.images import process_image
from civicgrid.metrics import selectors
from civicgrid.metrics.models import Fact


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def photo():
    return process_image(jpeg_upload().getvalue(), filename="p.jpg")


def dispose(staff, street):
    appeal, _created = actions.appeal_dispose_on_site(
        acting_user=staff["gridworker"],
        grid=street.grids["e1"],
        description="巡查发现垃圾堆放。",
        note="已清理干净。",
        before_photos=[photo()],
        after_photos=[photo()],
        latitude=29.605,
        longitude=91.005,
    )
    return appeal


def grid_row(street):
    today = timezone.localdate(clock.now())
    rows = selectors.ranking(
        street=street.street,
        start=today,
        end=today,
        by="grid",
        formula=selectors.current_formula(),
    )
    return next(r for r in rows if r["id"] == street.grids["e1"].pk)


def figures_of_e1(street):
    today = timezone.localdate(clock.now())
    found = selectors.daily(
        street=street.street, start=today, end=today, grid=street.grids["e1"].pk
    )
    (counts,) = selectors.figures(found).values()
    return counts.raw


def test_a_finding_dealt_with_on_the_spot_counts_for_the_grid(staff, street):
    appeal = dispose(staff, street)
    kinds = sorted(Fact.objects.filter(appeal=appeal).values_list("kind", flat=True))
    assert kinds == sorted(["intake", "dispatch", "response", "completion", "on_site"])
    unit_facts = Fact.objects.filter(appeal=appeal).exclude(kind="intake")
    assert {f.area_id for f in unit_facts} == {street.grids["e1"].pk}
    assert all(f.ok for f in unit_facts.exclude(kind="dispatch"))
    counts = figures_of_e1(street)
    assert counts.intake == 1 and counts.dispatched == 1
    assert counts.response_rate == 1.0 and counts.on_time_rate == 1.0
    assert counts.resolution_rate == 1.0
    # Nobody rated it: no satisfaction rate at all, rather than 0 % or 100 %.
    assert counts.satisfaction_rate() is None
    cases = grid_row(street)["raw"]["cases"]
    assert cases["resolution"] == {"count": 1, "of": 1}
    assert cases["satisfaction"] == {"count": 0, "of": 0}
    assert cases["on_time"] == {"count": 1, "of": 1}


def test_a_patrol_finding_leaves_the_satisfaction_rate_to_the_residents(
    staff, street, submit
):
    dispose(staff, street)
    # A resident's appeal of the same grid, answered and rated unsatisfied.
    appeal = submit()
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(area=street.grids["e1"]),
    )
    share = appeal.assignments.get()
    actions.assignment_sign(assignment=share, acting_user=staff["gridworker"])
    actions.appeal_reply(
        assignment=share,
        acting_user=staff["gridworker"],
        outcome="resolved",
        public_reply="已调解。",
    )
    actions.appeal_callback(
        appeal=appeal, acting_user=None, resolved=True, satisfaction="unsatisfied"
    )
    counts = figures_of_e1(street)
    assert counts.satisfaction_rate() == 0.0  # 0 of the 1 resident who rated
    assert counts.resolution_rate == 1.0  # 2 of 2: the callback and on site
    cases = grid_row(street)["raw"]["cases"]
    assert cases["satisfaction"] == {"count": 0, "of": 1}
    assert cases["resolution"] == {"count": 2, "of": 2}
    assert cases["rehandle_rate"] == {"count": 1, "of": 2}


def test_a_patrol_finding_closed_by_a_check_counts_as_resolved_never_rated(
    staff, street, submit
):
    appeal = submit(
        channel="patrol", name="", phone="", acting_user=staff["gridworker"]
    )
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(area=street.grids["e1"]),
    )
    share = appeal.assignments.get()
    actions.assignment_sign(assignment=share, acting_user=staff["gridworker"])
    actions.appeal_reply(
        assignment=share,
        acting_user=staff["gridworker"],
        outcome="resolved",
        public_reply="已修好。",
    )

    def check(passed: bool) -> None:
        appeal.refresh_from_db()
        actions.verification_request(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            grid_worker=staff["gridworker"],
        )
        actions.appeal_verify(
            appeal=appeal,
            acting_user=staff["gridworker"],
            passed=passed,
            note="" if passed else "还没修好",
        )

    check(False)  # a re-handle for the grid
    appeal.refresh_from_db()
    share.refresh_from_db()
    actions.appeal_reply(
        assignment=share,
        acting_user=staff["gridworker"],
        outcome="resolved",
        public_reply="这次修好了。",
    )
    check(True)
    appeal.refresh_from_db()
    assert appeal.close_reason == "verified"
    on_site = Fact.objects.get(appeal=appeal, kind="on_site")
    assert on_site.ok and on_site.satisfaction == ""
    assert on_site.area_id == street.grids["e1"].pk
    assert Fact.objects.filter(appeal=appeal, kind="rehandle").count() == 1
    assert not Fact.objects.filter(appeal=appeal, kind="callback").exists()
    counts = figures_of_e1(street)
    assert counts.resolution_rate == 1.0 and counts.satisfaction_rate() is None
    assert counts.rehandle_rate == 1.0  # one re-handle of one judged answer
