"""The head's quarterly counts (季度统计): what came in to the body in the
quarter, in local time, counted by channel, matter, disposal and state."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from civicgrid.discipline import actions, selectors
from civicgrid.discipline.models import Channel, Disposal

from .conftest import bring, real_name, submit

LHASA = ZoneInfo("Asia/Shanghai")


def test_a_quarter_is_counted_for_the_head(sealed, time_machine):
    time_machine.move_to(dt.datetime(2026, 4, 1, 7, tzinfo=LHASA), tick=False)
    disposed = bring(sealed, "disposed", **real_name())  # 31 March in UTC
    submit(sealed.district, channel=Channel.LETTER, acting_user=sealed["officer"])
    time_machine.move_to(dt.datetime(2026, 6, 30, 23, tzinfo=LHASA), tick=False)
    submit(sealed.district, matter="criticism")
    time_machine.move_to(dt.datetime(2026, 7, 1, 0, 30, tzinfo=LHASA), tick=False)
    submit(sealed.district)  # the next quarter
    submit(sealed.street)  # another body

    counts = selectors.rollup(sealed["head"], sealed.district, 2026, 2)
    assert counts.total == 3
    assert counts.real_name == 1
    assert counts.by_channel == {Channel.ONLINE: 2, Channel.LETTER: 1}
    assert counts.by_matter == {"duty_violation": 2, "criticism": 1}
    assert counts.by_disposal == {Disposal.VERIFY: 1}
    assert counts.by_state == {"disposed": 1, "received": 2}
    assert disposed.disposal == Disposal.VERIFY
    assert selectors.rollup(sealed["head"], sealed.district, 2026, 3).total == 1
    assert selectors.rollup(sealed["head"], sealed.district, 2026, 1).total == 0


def test_the_fourth_quarter_ends_at_new_year(sealed, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 31, 23, 59, tzinfo=LHASA), tick=False)
    submit(sealed.district)
    time_machine.move_to(dt.datetime(2027, 1, 1, 0, 1, tzinfo=LHASA), tick=False)
    submit(sealed.district)
    assert selectors.rollup(sealed["head"], sealed.district, 2026, 4).total == 1
    assert selectors.rollup(sealed["head"], sealed.district, 2027, 1).total == 1


def test_only_the_head_of_the_body_gets_the_counts(sealed):
    submit(sealed.district)
    for who in ("officer", "custodian", "principal", "city_head", "superuser"):
        assert selectors.rollup(sealed[who], sealed.district, 2026, 2).total == 0


def test_counts_follow_the_report_where_it_went(sealed, time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 6, 10, tzinfo=LHASA), tick=False)
    report = bring(sealed, "received")
    actions.report_refer(report=report, reason="属上级", acting_user=sealed["officer"])
    assert selectors.rollup(sealed["head"], sealed.district, 2026, 2).total == 0
    assert selectors.rollup(sealed["city_head"], sealed.city, 2026, 2).total == 1
