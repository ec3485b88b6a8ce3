"""The demo's 党建引领: units and members registered to the street's
communities, micro-wishes of the ledger's elderly households in every state
— thirteen delivered and confirmed — each through its events, never naming
the beneficiary in full on the wall; seeding again adds nothing."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command

from civicgrid.core import clock
from civicgrid.partybuilding.demo import seed_party_building
from civicgrid.partybuilding.models import (
    Registration,
    ServiceEntry,
    UnitRegistration,
    Volunteer,
    Wish,
    WishEvent,
)

pytestmark = pytest.mark.django_db

W = Wish.State


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=StringIO())


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (UnitRegistration, Volunteer, Wish, WishEvent, ServiceEntry)
    )


def test_the_demo_has_a_year_of_units_members_and_wishes_in_every_state(demo):
    units = UnitRegistration.objects.all()
    assert units.count() >= 20
    assert units.filter(state=Registration.CONFIRMED).count() >= 18
    assert units.filter(state=Registration.PENDING).exists()
    refused = units.get(state=Registration.REFUSED)
    assert refused.reason
    volunteers = Volunteer.objects.all()
    assert volunteers.count() >= 100
    assert {v.state for v in volunteers} == set(Registration.values)
    confirmed = volunteers.filter(state=Registration.CONFIRMED)
    assert not confirmed.filter(unit__isnull=True).exists()
    assert not confirmed.exclude(unit__state=Registration.CONFIRMED).exists()
    assert not confirmed.filter(pledge="").exists()

    # registered over the past year, each after its unit was confirmed
    now = clock.now()
    for unit in UnitRegistration.objects.all():
        assert unit.created_at < now - dt.timedelta(hours=1)
        assert unit.decided_at is None or unit.created_at < unit.decided_at
    for member in Volunteer.objects.select_related("unit"):
        assert member.unit is not None and member.unit.decided_at is not None
        assert member.unit.decided_at < member.created_at < now
        assert member.decided_at is None or member.created_at < member.decided_at
    assert UnitRegistration.objects.filter(
        created_at__lt=now - dt.timedelta(days=300)
    ).exists()

    wishes = Wish.objects.all()
    assert {w.state for w in wishes} == set(W.values)
    assert wishes.filter(state=W.PUBLISHED).count() >= 3
    assert 50 <= min(w.value for w in wishes) <= max(w.value for w in wishes) <= 800
    households = (
        Wish.objects.filter(state=W.CONFIRMED).values("household").distinct().count()
    )
    assert households == 13
    assert ServiceEntry.objects.filter(kind="wish").count() == 13
    assert wishes.filter(state=W.CLAIMED, claimed_by_unit__isnull=False).exists()
    back_on_the_wall = wishes.filter(state=W.PUBLISHED, events__action="release")
    assert back_on_the_wall.exists()
    assert all(w.reason for w in wishes.filter(state__in=[W.REFUSED, W.CANCELLED]))
    assert all(
        w.photo.get("file") for w in wishes.filter(state__in=[W.FULFILLED, W.CONFIRMED])
    )
    assert {w.need for w in wishes.filter(state=W.CONFIRMED)} >= {
        "家里的电饭锅坏了，想要一个小电饭锅，煮饭方便些",
        "想要一台酥油茶打茶机，手打酥油茶胳膊疼",
    }
    assert ServiceEntry.objects.filter(kind="activity", hours__gt=0).count() >= 5


def test_every_demo_wish_went_through_its_events_in_the_past(demo):
    now = clock.now()
    for wish in Wish.objects.prefetch_related("events"):
        events = list(wish.events.all())
        assert events[0].action == "gather" and events[0].from_state == ""
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_state == before.to_state
            assert before.created_at < after.created_at <= now
        assert events[-1].to_state == wish.state
        assert wish.created_at == events[0].created_at == wish.consent_at


def test_the_wall_never_names_a_beneficiary_in_full_nor_a_number(demo):
    wishes = Wish.objects.select_related("beneficiary")
    assert wishes.exclude(shown_as="老人").exists()
    for wish in wishes:
        assert wish.beneficiary is not None
        assert wish.beneficiary.name not in wish.shown_as
        assert not re.search(r"\d", wish.shown_as)
        assert wish.shown_as.endswith("老人")


def test_seeding_the_demo_again_adds_nothing(demo):
    before = _counts()
    assert seed_party_building() == ""
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before
