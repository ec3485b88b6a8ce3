"""The demo's grid work and corrections: made through the actions, each step at
its own time, and found where the people who act on them look."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from civicgrid.accounts.models import User
from civicgrid.appeals import selectors
from civicgrid.appeals.models import Appeal, CaseEvent
from civicgrid.core import clock


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_grid_work_and_corrections_where_people_look(demo):
    worker = User.objects.get(username="gridworker")
    dispatcher = User.objects.get(username="dispatcher")
    on_site = Appeal.objects.filter(close_reason=Appeal.CloseReason.ON_SITE)
    assert on_site.count() == 3
    for appeal in on_site:
        assert appeal.grid in [m.area for m in worker.memberships.all()]
        # A before photo on the finding, an after photo on its close.
        actions_with_photos = set(
            appeal.attachments.values_list("event__action", flat=True)
        )
        assert actions_with_photos == {"submit", "dispose_on_site"}
    assert selectors.queue(worker, "to_verify").count() == 1
    assert selectors.queue(dispatcher, "to_verify").count() == 1
    assert selectors.queue(worker, "my_grids").exists()
    assert selectors.queue(dispatcher, "pending_extension").count() == 1
    assert CaseEvent.objects.filter(action="reassign").count() == 1
    assert CaseEvent.objects.filter(action="verify", data__passed=True).exists()
    # Every step happened before now, in the order it was taken.
    events = CaseEvent.objects.filter(
        appeal__in=Appeal.objects.filter(
            events__action__in=["dispose_on_site", "reassign"]
        )
    )
    assert all(event.created_at <= clock.now() for event in events)


def test_seeding_the_demo_again_adds_no_grid_work(demo):
    before = Appeal.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Appeal.objects.count() == before


def test_the_demo_has_texts_to_the_streets_number_one_in_tibetan(demo):
    """短信报事: the gateway's texts, in the dispatcher's queue to accept."""
    texts = Appeal.objects.filter(
        events__action="submit", events__data__via="sms"
    ).distinct()
    assert texts.count() == 3
    assert {a.channel for a in texts} == {"api"}
    assert texts.filter(language="bo").count() == 1
    dispatcher = User.objects.get(username="dispatcher")
    assert selectors.queue(dispatcher, "new").filter(pk__in=texts).count() == 3
    assert all(a.received_at <= clock.now() for a in texts)
