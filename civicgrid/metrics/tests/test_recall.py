"""A share the street recalls (撤回) or reassigns (改派) before its unit signed
for it counts for nothing against that unit: not dispatched to it, not a
return (退单), not late to sign, not overdue — in the facts and in the daily
sums the pages read. The unit it goes to counts it from then on."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.jobs import sweep_deadlines
from civicgrid.core import clock
from civicgrid.metrics import selectors
from civicgrid.metrics.actions import exclusion_request
from civicgrid.metrics.models import Exclusion, Fact

MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))

pytestmark = pytest.mark.django_db


def by_department(street, start, end, source):
    found = source(street=street.street, start=start, end=end)
    return selectors.figures(found, by="department")


@pytest.mark.parametrize("how", ["reassign", "recall"])
def test_a_recalled_share_late_to_sign_and_overdue_counts_nothing_for_its_unit(
    time_machine, bring, staff, departments, street, how
):
    time_machine.move_to(MONDAY, tick=False)
    appeal = bring("dispatched")
    cg, zj = departments["cg"], departments["zj"]
    lead = appeal.assignments.get(role="lead")
    # Unsigned past its response and its due time: the sweep marks both.
    time_machine.shift(timedelta(days=7))
    sweep_deadlines()
    assert appeal.events.filter(action="late_to_sign").exists()
    assert appeal.events.filter(action="overdue").exists()
    assert Fact.objects.filter(assignment=lead, kind="response", ok=False).exists()
    exclusion_request(
        assignment=lead, acting_user=staff["handler_cg"], reason="非我职责"
    )
    appeal.refresh_from_db()
    lead.appeal = appeal

    if how == "reassign":
        actions.assignment_reassign(
            assignment=lead,
            acting_user=staff["dispatcher"],
            to=Unit(department=zj),
            reason="属住建职责",
        )
    else:
        actions.assignment_recall(
            assignment=lead, acting_user=staff["dispatcher"], reason="派错单位"
        )
        actions.appeal_dispatch(
            appeal=appeal, acting_user=staff["dispatcher"], lead=Unit(department=zj)
        )

    start, end = MONDAY.date(), timezone.localdate(clock.now())
    for source in (selectors.facts, selectors.daily):
        figures = by_department(street, start, end, source)
        assert cg.pk not in figures, source  # nothing at all for 城管
        new = figures[zj.pk].raw
        assert (new.dispatched, new.responses, new.returns) == (1, 0, 0), source
    assert not Fact.objects.filter(assignment=lead).exists()
    # Its request not to count is moot, and said so.
    asked = Exclusion.objects.get(assignment=lead)
    assert asked.state == Exclusion.State.REFUSED
    assert asked.decision_note == "The share was recalled: it does not count anyway."

    # The new unit signs in time: its response counts for it alone.
    actions.assignment_sign(
        assignment=appeal.assignments.get(role="lead", department=zj),
        acting_user=staff["handler_zj"],
    )
    (total,) = selectors.figures(
        selectors.daily(street=street.street, start=start, end=end)
    ).values()
    assert (total.raw.dispatched, total.raw.responses, total.raw.returns) == (1, 1, 0)
    assert total.raw.response_rate == 1.0
