"""The demo looks like a street after a year of work, not like yesterday."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from civicgrid.appeals.demo import DEMO_DESCRIPTIONS
from civicgrid.appeals.models import Appeal, CaseEvent, Submission
from civicgrid.core import clock
from civicgrid.core.fields import full_text
from civicgrid.core.pii import mask_text
from civicgrid.metrics.models import Fact

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_a_year_of_history_month_by_month(demo, settings):
    now = clock.now()
    months = {
        timezone.localtime(at).strftime("%Y-%m")
        for at in Appeal.objects.values_list("received_at", flat=True)
    }
    assert len(months) >= 12
    assert Appeal.objects.count() >= settings.CIVICGRID_DEMO_HISTORY_APPEALS
    assert not Appeal.objects.filter(received_at__gt=now).exists()


def test_the_demos_rates_are_those_of_a_real_street(demo):
    callbacks = Fact.objects.filter(kind=Fact.Kind.CALLBACK)
    resolved = callbacks.filter(ok=True).count() / callbacks.count()
    satisfied = (
        callbacks.filter(satisfaction__in=["satisfied", "basic"]).count()
        / callbacks.count()
    )
    assert 0.70 <= resolved <= 0.98
    assert 0.70 <= satisfied <= 0.98
    assert Appeal.objects.filter(return_count__gt=0).exists()
    assert CaseEvent.objects.filter(action="rehandle").exists()


def test_each_recent_case_reads_like_its_category_and_each_step_has_its_time(
    demo,
):
    # Those the appeals' seed made through the actions (the history writes no
    # submissions): the operator entered them.
    # (The voice messages' seed tells its cases in its own words: its test is
    # in appeals' test_voice.)
    recent = Appeal.objects.filter(
        entered_by__username="operator",
        tracking_code__in=Submission.objects.values("tracking_code"),
    ).exclude(voice_messages__isnull=False)
    assert recent.count() >= 30
    for appeal in recent.select_related("category"):
        assert appeal.category is not None
        words = DEMO_DESCRIPTIONS[appeal.category.code]
        assert appeal.description == mask_text(words)
        assert full_text(appeal, "description") == words
        times = list(appeal.events.order_by("pk").values_list("created_at", flat=True))
        assert times[0] == appeal.received_at  # received when it came in
        assert times == sorted(times)
        assert times[-1] <= clock.now()
    # not all stamped at the moment of seeding
    days = {timezone.localtime(a.received_at).date() for a in recent}
    assert len(days) >= 10


def test_in_the_demos_history_every_step_is_someones_own(demo):
    """Every unit of the demo has its staff: nobody signs for another's unit
    (the administrator acts for none), and only the sweep is the system."""
    staff_steps = ["accept", "dispatch", "reject", "sign", "return", "reply"]
    steps = CaseEvent.objects.filter(action__in=[*staff_steps, "callback"])
    assert not steps.filter(actor__isnull=True, actor_role="system").exists()
    assert not steps.filter(actor__is_superuser=True).exists()
    assert (
        not steps.filter(action="callback", actor__isnull=True)
        .exclude(actor_role="resident")
        .exists()
    )
    marks = CaseEvent.objects.filter(action__in=["late_to_sign", "overdue"])
    assert marks.exists()
    assert not marks.exclude(actor_role="system").exists()
