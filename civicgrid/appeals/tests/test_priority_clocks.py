"""Priorities carry their own clocks (紧急): an urgent appeal runs on its
category version's urgent clocks, or the settings' defaults; a new priority or
category before dispatch recomputes the deadlines from receipt and the timeline
says so; after dispatch the priority is refused, the shares' deadlines kept.

The office works 09:00-12:00 and 13:30-17:30 (7 h a day). The street lamp
signs within 2 working hours and is handled in 3 days, and names no urgent
clocks: urgent, it runs on the defaults, 0.5 h and 1 day. Gas signs within
1 h, is handled in 2 days, and urgent in 0.25 h and 0.5 day."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from civicgrid.api.testing import api_client as api
from civicgrid.appeals import actions, labels
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.catalogue import category_set_terms
from civicgrid.appeals.clocks import Clocks, clocks_for
from civicgrid.appeals.models import Appeal, Assignment, Category, CategoryVersion
from civicgrid.core.errors import DomainError
from civicgrid.metrics.models import Fact

from .test_admin_catalogue import _post

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY_AFTERNOON = datetime(2026, 6, 12, 16, 30, tzinfo=SHANGHAI)
MONDAY_TEN = datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def clocks(settings, tmp_path):
    settings.CIVICGRID_WORKING_HOURS = "09:00-12:00,13:30-17:30"
    settings.CIVICGRID_WARN_BEFORE_WORKING_HOURS = 4
    settings.CIVICGRID_URGENT_RESPONSE_HOURS = 0.5
    settings.CIVICGRID_URGENT_HANDLING_DAYS = 1
    settings.TIME_ZONE = "Asia/Shanghai"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def gas(catalogue, departments) -> Category:
    category = Category.objects.create(
        code="gas-safety", name="燃气安全隐患", parent=catalogue["group"]
    )
    category_set_terms(
        category=category,
        acting_user=None,
        kind="help",
        default_unit_type="department",
        default_department=departments["cg"],
        response_hours=1,
        handling_days=2,
        urgent_response_hours="0.25",
        urgent_handling_days="0.5",
    )
    return category


@pytest.fixture
def received(submit, staff):
    """The operator enters a hotline call on Friday 16:30."""

    def _received(**fields) -> Appeal:
        with time_machine.travel(FRIDAY_AFTERNOON, tick=False):
            return submit(channel="phone", acting_user=staff["operator"], **fields)

    return _received


def categorise(appeal: Appeal, staff, **change) -> Appeal:
    with time_machine.travel(MONDAY_TEN, tick=False):
        return actions.appeal_categorise(
            appeal=appeal, acting_user=staff["dispatcher"], **change
        )


def dispatch(appeal: Appeal, staff, departments) -> Assignment:
    with time_machine.travel(MONDAY_TEN, tick=False):
        if appeal.state == Appeal.State.RECEIVED:
            actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            lead=Unit(department=departments["cg"]),
        )
    return appeal.assignments.get(state=Assignment.State.DISPATCHED)


# --- the clocks of an appeal ----------------------------------------------------------


def test_an_urgent_appeal_runs_on_its_categorys_urgent_clocks_or_the_defaults(
    catalogue, gas
):
    lamp = catalogue["lamp"].current_version
    assert clocks_for(lamp, "normal") == Clocks(Decimal(2), Decimal(3))
    assert clocks_for(lamp, "urgent") == Clocks(Decimal("0.5"), Decimal(1))
    assert clocks_for(gas.current_version, "urgent") == Clocks(
        Decimal("0.25"), Decimal("0.5")
    )


def test_the_default_urgent_clocks_are_never_longer_than_the_normal_ones(
    catalogue, departments
):
    quick = Category.objects.create(
        code="quick", name="快件", parent=catalogue["group"]
    )
    version = category_set_terms(
        category=quick,
        acting_user=None,
        kind="help",
        default_unit_type="grid",
        default_department=None,
        response_hours="0.25",
        handling_days="0.5",
    )
    assert clocks_for(version, "urgent") == Clocks(Decimal("0.25"), Decimal("0.5"))


@pytest.mark.parametrize(
    ("field", "hours", "days"),
    [
        ("urgent_response_hours", "3", None),  # longer than the normal 1 h
        ("urgent_response_hours", "0.1", None),
        ("urgent_handling_days", None, "5"),
        ("urgent_handling_days", None, "many"),
    ],
)
def test_urgent_clocks_outside_their_bounds_are_refused_naming_the_field(
    gas, departments, field, hours, days
):
    with pytest.raises(DomainError) as caught:
        category_set_terms(
            category=gas,
            acting_user=None,
            kind="help",
            default_unit_type="department",
            default_department=departments["cg"],
            response_hours=1,
            handling_days=2,
            urgent_response_hours=hours,
            urgent_handling_days=days,
        )
    assert caught.value.field == field
    assert gas.versions.count() == 1


def test_the_database_refuses_urgent_clocks_longer_than_the_normal_ones(gas):
    version = gas.current_version
    with pytest.raises(IntegrityError), transaction.atomic():
        CategoryVersion.objects.filter(pk=version.pk).update(urgent_response_hours=2)


# --- received urgent ------------------------------------------------------------------


def test_an_appeal_filed_as_urgent_gets_the_urgent_clocks(received, staff, departments):
    """From Friday 16:30: 0.5 h → Friday 17:00; 1 day (7 h) = Friday 1 + Monday
    3 + 3 → Monday 16:30. Dispatched Monday 10:00: sign by 10:30; 7 h = Monday
    2 + 4 + Tuesday 1 → Tuesday 10:00, warned 4 h before, Monday 14:30."""
    appeal = received(priority="urgent")
    assert appeal.due_at == at(6, 15, 16, 30)  # from receipt, until dispatched

    lead = dispatch(appeal, staff, departments)

    assert lead.response_due_at == at(6, 15, 10, 30)
    assert lead.due_at == at(6, 16, 10)
    assert lead.warn_at == at(6, 15, 14, 30)
    appeal.refresh_from_db()
    assert appeal.due_at == lead.due_at


def test_a_resident_submission_gets_its_deadlines_from_receipt_when_registered(
    submit,
):
    """The worker registers a submission later; its clocks still run from the
    moment it was received (the lamp: 21 h from Friday 16:30, Wednesday 16:30)."""
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False):
        appeal = submit()
    assert appeal.received_at == FRIDAY_AFTERNOON
    assert appeal.due_at == at(6, 17, 16, 30)


# --- a new priority before dispatch ---------------------------------------------------


def test_making_an_appeal_urgent_before_dispatch_recomputes_from_receipt(
    received, staff, departments
):
    appeal = received()
    assert appeal.due_at == at(6, 17, 16, 30)

    categorise(appeal, staff, priority="urgent")

    appeal.refresh_from_db()
    assert appeal.priority == "urgent"
    assert appeal.due_at == at(6, 15, 16, 30)  # Friday 16:30 + 1 day, not Monday's
    [event] = appeal.events.filter(action="categorise")
    assert event.data == {
        "priority": "urgent",
        "response_due_at": at(6, 12, 17).isoformat(),
        "due_at": at(6, 15, 16, 30).isoformat(),
    }
    assert labels.event_summary(event) == (
        "Priority changed to Urgent; respond by 06-12 17:00, answer by "
        "06-15 16:30, counted from receipt"
    )
    with translation.override("zh-hans"):
        assert labels.event_summary(event) == (
            "紧急程度改为 紧急；响应时限 06-12 17:00，"
            "办结时限 06-15 16:30（自接诉时起算）"
        )

    lead = dispatch(appeal, staff, departments)  # and the shares run urgent
    assert lead.response_due_at == at(6, 15, 10, 30)


def test_back_to_normal_gives_back_the_normal_deadlines(received, staff):
    appeal = received(priority="urgent")

    categorise(appeal, staff, priority="normal")

    appeal.refresh_from_db()
    assert appeal.due_at == at(6, 17, 16, 30)
    [event] = appeal.events.filter(action="categorise")
    assert event.data["response_due_at"] == at(6, 15, 10).isoformat()


def test_a_new_category_brings_its_own_urgent_clocks(received, staff, gas):
    """Gas, urgent: 0.25 h → Friday 16:45; 3.5 h = Friday 1 + Monday 2.5 →
    Monday 11:30."""
    appeal = received(priority="urgent")

    categorise(appeal, staff, category=gas)

    appeal.refresh_from_db()
    assert appeal.category_version == gas.current_version
    assert appeal.due_at == at(6, 15, 11, 30)
    [event] = appeal.events.filter(action="categorise")
    assert event.data["response_due_at"] == at(6, 12, 16, 45).isoformat()


def test_the_action_says_the_new_deadlines(client, received, staff):
    """The console's categorise step: the message and the timeline say it."""
    appeal = received()
    client.force_login(staff["dispatcher"])
    with time_machine.travel(MONDAY_TEN, tick=False):
        page = client.post(
            reverse("appeals:action", args=[appeal.pk, "categorise"]),
            {
                "categorise-kind": appeal.kind,
                "categorise-priority": "urgent",
                "categorise-category": appeal.category_id,
            },
            follow=True,
        ).content.decode()
    assert (
        "Urgent; respond by 06-12 17:00, answer by 06-15 16:30, counted from receipt."
        in page
    )
    assert "Priority changed to Urgent; respond by 06-12 17:00" in page

    staff["dispatcher"].language = "zh-hans"
    staff["dispatcher"].save(update_fields=["language"])
    client.force_login(staff["dispatcher"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "紧急程度改为 紧急；响应时限 06-12 17:00，办结时限 06-15 16:30" in page


def test_the_api_takes_the_same_step_and_answers_the_clocks_and_the_words(
    received, staff
):
    appeal = received()
    desk = api(staff["dispatcher"])
    with time_machine.travel(MONDAY_TEN, tick=False):
        response = desk.post(
            f"/api/appeals/{appeal.pk}/categorise/",
            {"priority": "urgent"},
            format="json",
        )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["priority"] == "urgent"
    assert body["clocks"] == {"response_hours": 0.5, "handling_days": 1.0}
    assert body["due_at"].startswith("2026-06-15T16:30")
    [event] = [e for e in body["timeline"] if e["action"] == "categorise"]
    assert event["summary"].startswith("Priority changed to Urgent; respond by")


# --- after dispatch -------------------------------------------------------------------


@pytest.mark.parametrize("state", ["dispatched", "handling", "replied"])
def test_after_dispatch_a_new_priority_is_refused_and_the_deadlines_stay(
    bring, staff, state
):
    appeal = bring(state)
    shares = sorted(appeal.assignments.values_list("id", "response_due_at", "due_at"))
    due, events = appeal.due_at, appeal.events.count()

    with pytest.raises(DomainError) as caught:
        actions.appeal_categorise(
            appeal=appeal, acting_user=staff["dispatcher"], priority="urgent"
        )

    assert caught.value.field == "priority"
    assert "only before dispatch" in str(caught.value)
    appeal.refresh_from_db()
    assert (appeal.priority, appeal.due_at) == ("normal", due)
    assert appeal.events.count() == events
    assert (
        sorted(appeal.assignments.values_list("id", "response_due_at", "due_at"))
        == shares
    )


def test_after_dispatch_a_new_category_is_refused_naming_the_field(
    bring, staff, catalogue
):
    appeal = bring("dispatched")
    with pytest.raises(DomainError) as caught:
        actions.appeal_categorise(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            category=catalogue["dispute"],
        )
    assert caught.value.field == "category"


def test_the_api_refuses_a_new_priority_after_dispatch_naming_the_field(bring, staff):
    appeal = bring("dispatched")
    response = api(staff["dispatcher"]).post(
        f"/api/appeals/{appeal.pk}/categorise/", {"priority": "urgent"}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert set(response.json()["error"]["fields"]) == {"priority"}
    appeal.refresh_from_db()
    assert appeal.priority == "normal"


def test_a_returned_appeal_can_be_made_urgent_and_is_dispatched_urgent(
    received, staff, departments
):
    """Returned (退单), the appeal is the dispatcher's again: nothing runs."""
    appeal = received()
    lead = dispatch(appeal, staff, departments)
    with time_machine.travel(MONDAY_TEN, tick=False):
        actions.assignment_return(
            assignment=lead, acting_user=staff["handler_cg"], reason="不归我们管"
        )
    appeal.refresh_from_db()

    categorise(appeal, staff, priority="urgent")

    appeal.refresh_from_db()
    assert appeal.due_at == at(6, 15, 16, 30)
    again = dispatch(appeal, staff, departments)
    assert again.response_due_at == at(6, 15, 10, 30)
    assert again.due_at == at(6, 16, 10)


def test_an_urgent_appeal_handled_again_gets_the_urgent_handling_clock(
    received, staff, departments
):
    """Called back unsatisfied on Monday 10:00: 1 day again, Tuesday 10:00."""
    appeal = received(priority="urgent")
    lead = dispatch(appeal, staff, departments)
    with time_machine.travel(MONDAY_TEN, tick=False):
        actions.assignment_sign(assignment=lead, acting_user=staff["handler_cg"])
        actions.appeal_reply(
            assignment=lead,
            acting_user=staff["handler_cg"],
            outcome="resolved",
            public_reply="已处理。",
        )
    with time_machine.travel(at(6, 16, 10), tick=False):
        actions.appeal_callback(
            appeal=appeal, acting_user=None, resolved=False, satisfaction="unsatisfied"
        )
    lead.refresh_from_db()
    assert lead.due_at == at(6, 17, 10)


# --- what the rates read --------------------------------------------------------------


def test_the_response_rate_counts_an_urgent_share_against_its_urgent_clock(
    received, staff, departments
):
    """Signed for Monday 11:00: an hour after dispatch is late for an urgent
    appeal (by 10:30) and in time for a normal one (by 12:00)."""
    urgent = received(priority="urgent")
    normal = received()
    shares = [dispatch(a, staff, departments) for a in (urgent, normal)]
    with time_machine.travel(at(6, 15, 11), tick=False):
        for share in shares:
            actions.assignment_sign(assignment=share, acting_user=staff["handler_cg"])

    responses = dict(
        Fact.objects.filter(kind=Fact.Kind.RESPONSE).values_list("appeal_id", "ok")
    )
    assert responses == {urgent.pk: False, normal.pk: True}


# --- the catalogue --------------------------------------------------------------------


def test_the_admin_edits_the_urgent_clocks_as_a_new_version(
    admin_client, submit, gas, departments
):
    old = submit(category=gas)
    response = admin_client.post(
        reverse("admin:appeals_category_change", args=[gas.pk]),
        _post(
            gas,
            department=departments["cg"].pk,
            response_hours="1",
            handling_days="2",
            urgent_response_hours="0.5",
            urgent_handling_days="",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    gas.refresh_from_db()
    version = gas.current_version
    assert version.number == 2
    assert (version.urgent_response_hours, version.urgent_handling_days) == (
        Decimal("0.5"),
        None,  # empty: the default, 1 day, capped at the normal 2
    )
    assert clocks_for(version, "urgent") == Clocks(Decimal("0.5"), Decimal(1))
    old.refresh_from_db()
    assert old.category_version.urgent_response_hours == Decimal("0.25")


def test_the_admin_refuses_an_urgent_clock_longer_than_the_normal_one(
    admin_client, gas, departments
):
    page = admin_client.get(reverse("admin:appeals_category_change", args=[gas.pk]))
    assert "0.5 working hours (the site default)" in page.content.decode()
    response = admin_client.post(
        reverse("admin:appeals_category_change", args=[gas.pk]),
        _post(
            gas,
            department=departments["cg"].pk,
            response_hours="1",
            handling_days="2",
            urgent_response_hours="",
            urgent_handling_days="3",
        ),
    )
    assert response.status_code == 200
    assert "urgent_handling_days" in response.context["adminform"].form.errors
    assert gas.versions.count() == 1


def test_the_catalogue_api_gives_each_service_its_urgent_clocks(people, catalogue, gas):
    body = {
        c["code"]: c for c in api(people["outsider"]).get("/api/categories/").json()
    }
    assert (
        body["gas-safety"]["urgent_response_hours"],
        body["gas-safety"]["urgent_handling_days"],
    ) == (0.25, 0.5)
    assert (
        body["street-lamp"]["urgent_response_hours"],
        body["street-lamp"]["urgent_handling_days"],
    ) == (0.5, 1.0)


# --- the migration --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_versions_valid_with_the_default_urgent_clocks():
    before = [("appeals", "0008_on_spot_and_verification")]
    after = [("appeals", "0009_priority_clocks")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    category = old.get_model("appeals", "Category").objects.create(
        code="old-lamp", name="路灯"
    )
    version = old.get_model("appeals", "CategoryVersion").objects.create(
        category=category,
        number=1,
        kind="help",
        default_unit_type="grid",
        response_hours=Decimal(2),
        handling_days=Decimal(3),
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    # Then the rest: going back unapplied what depends on appeals (open311's
    # tables), which the tests after this one need.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    kept = CategoryVersion.objects.get(pk=version.pk)
    assert (kept.urgent_response_hours, kept.urgent_handling_days) == (None, None)
    assert clocks_for(kept, "normal") == Clocks(Decimal(2), Decimal(3))
    assert clocks_for(kept, "urgent") == Clocks(Decimal("0.5"), Decimal(1))
