"""seed-bulk writes a history whose facts obey the same rules as live ones."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from civicgrid.appeals.models import Appeal, Assignment, CaseEvent
from civicgrid.core import clock
from civicgrid.metrics.models import Fact
from civicgrid.metrics.tests.test_engine import agree

pytestmark = pytest.mark.django_db


def test_a_bulk_history_counts_as_its_timeline_says(staff, catalogue, street):
    out = StringIO()
    call_command("seed_bulk", appeals=600, months=3, seed=3, stdout=out)
    assert "600 appeals" in out.getvalue()
    assert Appeal.objects.count() == 600
    states = set(Appeal.objects.values_list("state", flat=True))
    assert {"closed", "rejected", "handling", "dispatched"} <= states
    actions = set(CaseEvent.objects.values_list("action", flat=True))
    assert {
        "return",
        "late_to_sign",
        "overdue",
        "rehandle",
        "close_unanswered",
    } <= actions
    assert Fact.objects.filter(kind="rehandle").exists()
    # Shares and events agree with the appeals they belong to.
    assert not Appeal.objects.filter(
        state="closed", assignments__state__in=Assignment.ACTIVE_STATES
    ).exists()
    today = timezone.localdate(clock.now())
    agree(street, today - timedelta(days=100), today)
    agree(street, today - timedelta(days=40), today - timedelta(days=20))


def test_seed_bulk_needs_a_street_first(db):
    with pytest.raises(CommandError, match="seed-demo"):
        call_command("seed_bulk", appeals=10, stdout=StringIO())
