"""seed-bulk writes a history whose facts obey the same rules as live ones."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from shapely.geometry import Point, Polygon, shape

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.appeals import labels, permissions
from civicgrid.appeals.actions.intake import STAFF_CHANNELS
from civicgrid.appeals.clocks import appeal_clocks, deadlines
from civicgrid.appeals.demo import DEMO_DESCRIPTIONS
from civicgrid.appeals.models import Appeal, Assignment, CaseEvent
from civicgrid.core import clock
from civicgrid.core.fields import full_text
from civicgrid.core.models import CalendarDay
from civicgrid.core.pii import mask_text
from civicgrid.core.workcalendar import get_work_calendar
from civicgrid.metrics.models import Fact
from civicgrid.metrics.tests.test_engine import agree
from civicgrid.org.actions import area_save
from civicgrid.org.geometry import to_geojson
from civicgrid.org.selectors import grid_for_point
from civicgrid.synthetic.bulk import in_working_time
from conftest import make_user

pytestmark = pytest.mark.django_db

# Histories end at a moment of a working morning: what is open then (signed
# or still waiting to be) does not hang on the hour the suite runs at.
NOW = datetime(2026, 6, 17, 11, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday


def test_a_bulk_history_counts_as_its_timeline_says(
    staff, catalogue, street, time_machine
):
    time_machine.move_to(NOW, tick=False)
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


# --- the history reads like real work -------------------------------------------

STAFF_STEPS = (
    "accept",
    "reject",
    "dispatch",
    "sign",
    "return",
    "complete_share",
    "close_share",
    "reply",
    "callback",
)
UNIT_STEPS = ("sign", "return", "complete_share", "close_share", "reply")
SWEEP_MARKS = ("due_soon", "late_to_sign", "overdue", "close_unanswered", "rehandle")


@pytest.fixture
def history(staff, catalogue, street, departments, time_machine):
    """A season of history on a street whose every unit has its own staff
    (the grid worker keeps e1 and e2, another w1 and w2, each community its
    staff member), with a grid that is a triangle (w2), and a holiday and a
    make-up working day in the calendar."""
    time_machine.move_to(NOW, tick=False)
    other = make_user("gridworker_w", "格桑")
    for grid in ("w1", "w2"):
        membership_add(
            user=other,
            role=Role.GRID_WORKER,
            area=street.grids[grid],
            acting_user=None,
        )
    for n, community in enumerate((street.east, street.west)):
        membership_add(
            user=make_user(f"community_{n}", ["卓玛", "王丽"][n]),
            role=Role.COMMUNITY_STAFF,
            area=community,
            acting_user=None,
        )
    # A grid that is no square: half its bounding box is outside it.
    corner = street.grids["w2"]
    corner.boundary = to_geojson(
        Polygon([(91.01, 29.61), (91.02, 29.61), (91.01, 29.62)])
    )
    area_save(area=corner, acting_user=None)
    today = timezone.localdate(clock.now())
    holiday = today - timedelta(days=20)
    while holiday.weekday() >= 5:
        holiday -= timedelta(days=1)
    CalendarDay.objects.create(date=holiday, kind="holiday", name="假日")
    saturday = today - timedelta(days=today.weekday() + 2 + 35)
    CalendarDay.objects.create(date=saturday, kind="workday", name="调休")
    call_command("seed_bulk", appeals=500, months=3, seed=11, stdout=StringIO())
    return holiday


def _events():
    return CaseEvent.objects.select_related(
        "appeal__grid",
        "appeal__street",
        "actor",
        "assignment__area",
        "assignment__department",
    )


def test_each_step_is_taken_by_a_person_of_its_unit_or_the_street(history, staff):
    translation.activate("zh-hans")  # the console's words
    events = list(_events())
    by_action = {e.action for e in events}
    assert set(UNIT_STEPS) - {"close_share"} <= by_action
    for event in events:
        if event.action in STAFF_STEPS:
            assert event.actor is not None, event.action
            assert event.actor_role == ""
        if event.action in ("accept", "reject", "dispatch"):
            assert event.actor == staff["dispatcher"]
            assert labels.actor_label(event) == "次仁（东嘎街道）"
        elif event.action == "callback":
            assert event.actor == staff["operator"]
            assert labels.actor_label(event) == "央金（东嘎街道）"
        elif event.action in UNIT_STEPS:
            share = event.assignment
            assert share is not None
            assert permissions.acts_for(event.actor, share), event.action
            unit = labels.unit_name(share)
            name = event.actor.get_full_name()
            assert labels.actor_label(event) == f"{name}（{unit}）"
        elif event.action in SWEEP_MARKS:
            assert event.actor is None and event.actor_role == "system"
            assert labels.actor_label(event) == "系统"


def test_each_appeal_is_entered_by_whoever_takes_its_channel(history, staff):
    translation.activate("zh-hans")
    submits = list(_events().filter(action="submit"))
    assert {e.appeal.channel for e in submits} >= {"web", "phone", "patrol"}
    for event in submits:
        appeal = event.appeal
        if appeal.channel == "web":
            assert event.actor is None and event.actor_role == "resident"
            assert labels.actor_label(event) == "居民"
        elif appeal.channel == "patrol":
            assert permissions.is_grid_worker_of(event.actor, appeal.grid)
            assert labels.actor_label(event).endswith(f"（{appeal.grid.name}）")
        else:  # a call, a visit, a letter
            assert event.actor == staff["operator"]
        assert appeal.entered_by_id == event.actor_id


def test_dispatch_and_unit_events_name_their_units(history):
    for appeal in Appeal.objects.filter(events__action="dispatch").distinct():
        dispatches = list(appeal.events.filter(action="dispatch").order_by("pk"))
        leads = list(
            appeal.assignments.filter(role="lead")
            .select_related("area", "department")
            .order_by("pk")
        )
        assert [e.data["lead"] for e in dispatches] == [str(s.unit) for s in leads]
        co = [str(s.unit) for s in appeal.assignments.filter(role="co")]
        assert sorted(sum((e.data["co_handlers"] for e in dispatches), [])) == co
        for event, share in zip(dispatches, leads, strict=True):
            due = datetime.fromisoformat(event.data["due_at"])
            assert due == share.due_at or appeal.rehandle_count
    unit_events = _events().filter(
        action__in=["sign", "return", "late_to_sign", "overdue", "complete_share"]
    )
    assert unit_events.filter(assignment__role="co").exists()
    for event in unit_events:
        assert event.data["unit"] == str(event.assignment.unit), event.action
    for event in _events().filter(action="reply"):
        assert set(event.data) == {"late", "outcome", "outcome_reason"}
        if not event.appeal.rehandle_count:  # else it was due at another time
            assert event.data["late"] == (event.created_at > event.assignment.due_at)


def test_the_console_shows_whom_it_was_sent_to_and_who_signed(client, history, staff):
    share = (
        Assignment.objects.filter(role="lead", signed_at__isnull=False)
        .select_related("appeal", "department", "area")
        .first()
    )
    assert share is not None and share.signed_by is not None
    client.force_login(staff["dispatcher"])
    page = client.get(
        reverse("appeals:detail", args=[share.appeal.pk]),
        headers={"Accept-Language": "zh-hans"},
    )
    text = page.content.decode()
    assert f"已派单至 {share.unit}" in text
    assert f"已签收： {share.unit}" in text
    signer = share.signed_by.get_full_name()
    assert f"{signer}（{labels.unit_name(share)}）" in text


def test_staff_steps_fall_in_working_time_and_deadlines_on_the_calendar(history):
    calendar = get_work_calendar()
    holiday = history
    events = list(_events().order_by("created_at", "pk"))
    for event in events:
        local = timezone.localtime(event.created_at)
        if event.action in STAFF_STEPS:
            assert in_working_time(calendar, event.created_at), (event.action, local)
            assert local.date() != holiday
        if event.action == "submit" and event.appeal.channel in STAFF_CHANNELS:
            assert in_working_time(calendar, event.created_at), local
    # Each step after the one before: the states follow on, in time order.
    state: dict[int, str] = {}
    for event in events:
        if event.from_state:
            assert event.from_state == state[event.appeal_id], event.action
        state[event.appeal_id] = event.to_state
    # The deadlines are the clocks from dispatch on the work calendar (a
    # re-handle's from its callback), and the sweep marks them when they pass.
    for share in Assignment.objects.select_related("appeal__category_version"):
        clocks = appeal_clocks(share.appeal)
        assert clocks is not None
        given = deadlines(clocks, share.dispatched_at)
        assert share.response_due_at == given["response_due_at"]
        rehandled = share.appeal.events.filter(action="rehandle").last()
        if rehandled is not None and share.role == "lead" and share.signed_at:
            given = deadlines(clocks, rehandled.created_at)
        assert (share.due_at, share.warn_at) == (given["due_at"], given["warn_at"])
    marks = {"late_to_sign": "response_due_at", "due_soon": "warn_at"}
    marked = (
        _events().filter(action__in=marks).exclude(assignment__appeal__rehandle_count=1)
    )
    assert marked.filter(action="late_to_sign").exists()
    for event in marked:
        due = getattr(event.assignment, marks[event.action])
        assert due < event.created_at <= due + timedelta(minutes=5)
    for event in _events().filter(action="overdue"):
        due = datetime.fromisoformat(event.data["due_at"])
        assert due < event.created_at <= due + timedelta(minutes=5)


def test_every_pin_falls_inside_its_grid(history):
    appeals = Appeal.objects.select_related("grid")
    assert appeals.count() == 500
    assert appeals.filter(grid__code__endswith="002002").count() > 10
    for appeal in appeals:
        lon, lat, grid = appeal.longitude, appeal.latitude, appeal.grid
        assert lon is not None and lat is not None and grid is not None
        assert shape(grid.boundary).contains(Point(lon, lat))
        assert grid_for_point(lon, lat) == grid


def test_the_history_reads_like_the_demo_where_it_has_words(history, catalogue):
    lamps = Appeal.objects.filter(category=catalogue["lamp"])
    assert lamps.exists()
    # Its words hold a phone number: written masked, the original sealed, as
    # the field would write them (COPY and the batched INSERT skip the field).
    assert set(lamps.values_list("description", flat=True)) == {
        mask_text(DEMO_DESCRIPTIONS["street-lamp"])
    }
    assert {full_text(a, "description") for a in lamps} == {
        DEMO_DESCRIPTIONS["street-lamp"]
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT description, description_sealed FROM appeals_appeal")
        stored = cursor.fetchall()
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", str(stored))
    # A category the demo has no words for: its name and a resident's words.
    others = Appeal.objects.filter(category=catalogue["dispute"])
    assert all(
        d.startswith("邻里纠纷：") for d in others.values_list("description", flat=True)
    )
