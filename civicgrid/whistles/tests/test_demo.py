from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from civicgrid.org.models import Area


@pytest.fixture
def demo(db, settings):
    # The whistles seed's own figures: the synthetic year behind it adds
    # whistles of its own, how many depending on the hour it is written at.
    settings.CIVICGRID_DEMO_HISTORY_APPEALS = 0
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_whistles_give_the_published_figures(demo):
    from datetime import timedelta

    from civicgrid.core import clock
    from civicgrid.whistles.selectors import whistle_counters

    now = clock.now()
    counters = whistle_counters(
        street=Area.objects.get(code="540103001"),
        start=now - timedelta(days=365),
        end=now + timedelta(days=1),
    )
    assert counters.blown == 13
    assert counters.resolved == 11
    assert counters.departments_reported >= 20
    # Spread across the year in the order they were blown, none in the future.
    from civicgrid.whistles.models import Whistle

    blown = list(Whistle.objects.order_by("pk").values_list("blown_at", flat=True))
    assert blown == sorted(blown)
    assert all(now - timedelta(days=366) <= at <= now for at in blown)
    assert counters.late_check_ins == 0
