"""Lost races are errors, not silent overwrites: two people acting on copies of
the same appeal read before either acted — the second gets a conflict and leaves
no trace. The last tests run the race for real on PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections, transaction

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.appeals import actions
from civicgrid.appeals.actions import AppealInput, Unit
from civicgrid.appeals.jobs import register_submissions, sweep_deadlines
from civicgrid.appeals.models import Appeal, Assignment, Submission
from civicgrid.core.errors import ConflictError
from civicgrid.notifications.models import Notification
from conftest import make_user


@pytest.fixture
def second_dispatcher(street):
    user = make_user("dispatcher2", "格桑")
    membership_add(
        user=user, role=Role.DISPATCHER, area=street.street, acting_user=None
    )
    return user


@pytest.fixture
def second_handler(departments):
    user = make_user("handler_cg2", "达瓦")
    membership_add(
        user=user,
        role=Role.DEPARTMENT_HANDLER,
        department=departments["cg"],
        acting_user=None,
    )
    return user


def report(street, catalogue, n: int = 0) -> AppealInput:
    return AppealInput(
        description=f"路灯坏了 {n}",
        street=street.street,
        category=catalogue["lamp"],
        phone="13812345678",
        consent=True,
        latitude=29.605,
        longitude=91.005,
    )


def copy(appeal: Appeal) -> Appeal:
    return Appeal.objects.get(pk=appeal.pk)


def copy_lead(appeal: Appeal) -> Assignment:
    return Assignment.objects.select_related("appeal").get(
        appeal=appeal, role="lead", state__in=Assignment.ACTIVE_STATES
    )


def counts(appeal: Appeal) -> dict[str, int]:
    return {
        "events": appeal.events.count(),
        "assignments": appeal.assignments.count(),
        "notifications": Notification.objects.filter(
            subject_ref=f"appeal:{appeal.pk}"
        ).count(),
    }


# --- stale copies -----------------------------------------------------------------


def test_the_second_of_two_accepts_is_a_conflict(bring, staff, second_dispatcher):
    appeal = bring("received")
    mine, theirs = copy(appeal), copy(appeal)
    actions.appeal_accept(appeal=mine, acting_user=staff["dispatcher"])
    before = counts(appeal)

    with pytest.raises(ConflictError) as caught:
        actions.appeal_accept(appeal=theirs, acting_user=second_dispatcher)

    assert caught.value.status == 409
    assert counts(appeal) == before
    assert appeal.events.filter(action="accept").get().actor == staff["dispatcher"]


def test_a_reject_on_a_copy_read_before_the_accept_is_a_conflict(
    bring, staff, second_dispatcher
):
    appeal = bring("received")
    mine, theirs = copy(appeal), copy(appeal)
    actions.appeal_accept(appeal=mine, acting_user=staff["dispatcher"])
    before = counts(appeal)

    with pytest.raises(ConflictError):
        actions.appeal_reject(
            appeal=theirs, acting_user=second_dispatcher, reason="重复"
        )

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.ACCEPTED
    assert appeal.reject_reason == ""
    assert counts(appeal) == before


def test_the_second_of_two_dispatches_is_a_conflict_and_adds_no_assignment(
    bring, staff, departments, second_dispatcher
):
    appeal = bring("accepted")
    mine, theirs = copy(appeal), copy(appeal)
    actions.appeal_dispatch(
        appeal=mine,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
    )
    before = counts(appeal)

    with pytest.raises(ConflictError):
        actions.appeal_dispatch(
            appeal=theirs,
            acting_user=second_dispatcher,
            lead=Unit(department=departments["zj"]),
            co_handlers=[Unit(department=departments["cg"])],
        )

    assert counts(appeal) == before
    [only] = appeal.assignments.all()
    assert only.department == departments["cg"]
    assert appeal.events.filter(action="dispatch").count() == 1


def test_the_second_of_two_signs_is_a_conflict(bring, staff, second_handler):
    appeal = bring("dispatched")
    mine, theirs = copy_lead(appeal), copy_lead(appeal)
    actions.assignment_sign(assignment=mine, acting_user=staff["handler_cg"])
    before = counts(appeal)

    with pytest.raises(ConflictError):
        actions.assignment_sign(assignment=theirs, acting_user=second_handler)

    assert counts(appeal) == before
    lead = copy_lead(appeal)
    assert lead.signed_by == staff["handler_cg"]
    assert appeal.events.filter(action="sign").count() == 1


def test_the_second_of_two_co_handler_signs_is_a_conflict(
    bring, staff, departments, street
):
    """A co-handler's sign leaves the appeal alone, so only the share's own
    compare-and-set stands between the two."""
    second = make_user("handler_zj2", "尼玛")
    membership_add(
        user=second,
        role=Role.DEPARTMENT_HANDLER,
        department=departments["zj"],
        acting_user=None,
    )
    appeal = bring("accepted")
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(department=departments["zj"])],
    )
    co = appeal.assignments.get(role="co")
    mine = Assignment.objects.select_related("appeal").get(pk=co.pk)
    theirs = Assignment.objects.select_related("appeal").get(pk=co.pk)
    actions.assignment_sign(assignment=mine, acting_user=staff["handler_zj"])
    before = counts(appeal)

    with pytest.raises(ConflictError):
        actions.assignment_sign(assignment=theirs, acting_user=second)

    co.refresh_from_db()
    assert co.signed_by == staff["handler_zj"]
    assert counts(appeal) == before


def test_a_recall_on_a_copy_read_before_the_sign_is_a_conflict(
    bring, staff, second_dispatcher
):
    """The unit signed first: the street's recall (撤回) loses, says so and
    leaves no trace; the unit keeps its share."""
    appeal = bring("dispatched")
    mine, theirs = copy_lead(appeal), copy_lead(appeal)
    actions.assignment_sign(assignment=mine, acting_user=staff["handler_cg"])
    before = counts(appeal)

    with pytest.raises(ConflictError) as caught:
        actions.assignment_recall(
            assignment=theirs, acting_user=second_dispatcher, reason="派错"
        )

    assert caught.value.status == 409
    assert counts(appeal) == before
    lead = copy_lead(appeal)
    assert (lead.state, lead.recall_reason) == ("handling", "")
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.HANDLING


def test_a_sign_on_a_copy_read_before_the_reassignment_is_a_conflict(
    bring, staff, departments, second_handler
):
    """The street reassigned first (改派): the old unit's sign loses."""
    appeal = bring("dispatched")
    mine, theirs = copy_lead(appeal), copy_lead(appeal)
    actions.assignment_reassign(
        assignment=mine,
        acting_user=staff["dispatcher"],
        to=Unit(department=departments["zj"]),
        reason="属住建职责",
    )
    before = counts(appeal)

    with pytest.raises(ConflictError):
        actions.assignment_sign(assignment=theirs, acting_user=second_handler)

    assert counts(appeal) == before
    assert not appeal.events.filter(action="sign").exists()
    assert copy_lead(appeal).department == departments["zj"]


def test_two_workers_that_picked_the_same_share_mark_it_once(settings, bring):
    """Both workers selected the share before either marked it."""
    settings.CIVICGRID_NOTIFY_STAFF_CHANNEL = "console"
    appeal = bring("dispatched")
    picked_by_a = copy_lead(appeal)
    picked_by_b = copy_lead(appeal)

    assert actions.assignment_mark_overdue(assignment=picked_by_a) is True
    assert actions.assignment_mark_overdue(assignment=picked_by_b) is False

    assert appeal.events.filter(action="overdue").count() == 1
    assert Notification.objects.filter(event="appeal.overdue").count() == 1


def test_a_return_on_a_copy_read_before_the_sign_is_a_conflict(
    bring, staff, second_handler
):
    appeal = bring("dispatched")
    mine, theirs = copy_lead(appeal), copy_lead(appeal)
    actions.assignment_sign(assignment=mine, acting_user=staff["handler_cg"])
    before = counts(appeal)

    with pytest.raises(ConflictError):
        actions.assignment_return(
            assignment=theirs, acting_user=second_handler, reason="不归我们"
        )

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.HANDLING
    assert appeal.return_count == 0
    assert counts(appeal) == before


def test_a_callback_after_the_sweep_closed_the_appeal_is_a_conflict(settings, bring):
    settings.CIVICGRID_CALLBACK_DAYS = 0
    appeal = bring("replied")
    stale = copy(appeal)
    assert sweep_deadlines()["closed_unanswered"] == 1
    before = counts(appeal)

    with pytest.raises(ConflictError):
        actions.appeal_callback(
            appeal=stale, acting_user=None, resolved=True, satisfaction="satisfied"
        )

    appeal.refresh_from_db()
    assert appeal.close_reason == Appeal.CloseReason.NO_ANSWER
    assert appeal.satisfaction == ""
    assert counts(appeal) == before


# --- for real, on PostgreSQL ------------------------------------------------------


def race(*calls: Callable[[], Any]) -> list[str]:
    """Run the calls at once, each in its own thread and connection; returns
    how each ended."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
            outcome = "done"
        except ConflictError:
            outcome = "conflict"
        except Exception as exc:  # reported by the assertion
            outcome = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent connections: PostgreSQL only",
)
class TestAtOnceOnPostgres:
    @pytest.mark.parametrize("attempt", range(3))
    def test_two_dispatchers_at_once_dispatch_once(
        self, attempt, bring, staff, departments, second_dispatcher
    ):
        appeal = bring("accepted")
        mine, theirs = copy(appeal), copy(appeal)

        outcomes = race(
            lambda: actions.appeal_dispatch(
                appeal=mine,
                acting_user=staff["dispatcher"],
                lead=Unit(department=departments["cg"]),
            ),
            lambda: actions.appeal_dispatch(
                appeal=theirs,
                acting_user=second_dispatcher,
                lead=Unit(department=departments["zj"]),
            ),
        )

        assert outcomes == ["conflict", "done"]
        assert appeal.assignments.count() == 1
        assert appeal.events.filter(action="dispatch").count() == 1

    @pytest.mark.parametrize("attempt", range(3))
    def test_two_handlers_at_once_sign_once(
        self, attempt, bring, staff, second_handler
    ):
        appeal = bring("dispatched")
        mine, theirs = copy_lead(appeal), copy_lead(appeal)

        outcomes = race(
            lambda: actions.assignment_sign(
                assignment=mine, acting_user=staff["handler_cg"]
            ),
            lambda: actions.assignment_sign(
                assignment=theirs, acting_user=second_handler
            ),
        )

        assert outcomes == ["conflict", "done"]
        assert appeal.events.filter(action="sign").count() == 1
        appeal.refresh_from_db()
        assert appeal.state == Appeal.State.HANDLING

    @pytest.mark.parametrize("attempt", range(3))
    def test_a_sign_and_a_recall_at_once_end_with_one_winner(
        self, attempt, bring, staff, second_dispatcher
    ):
        appeal = bring("dispatched")
        mine, theirs = copy_lead(appeal), copy_lead(appeal)

        outcomes = race(
            lambda: actions.assignment_sign(
                assignment=mine, acting_user=staff["handler_cg"]
            ),
            lambda: actions.assignment_recall(
                assignment=theirs, acting_user=second_dispatcher, reason="派错"
            ),
        )

        assert outcomes == ["conflict", "done"]
        signed = appeal.events.filter(action="sign").count()
        recalled = appeal.events.filter(action="recall").count()
        assert signed + recalled == 1
        appeal.refresh_from_db()
        share = Assignment.objects.get(pk=mine.pk)
        if signed:
            assert (appeal.state, share.state) == ("handling", "handling")
        else:
            assert (appeal.state, share.state) == ("accepted", "recalled")

    def test_workers_sweeping_at_once_warn_and_mark_once(self, settings, bring, staff):
        settings.CIVICGRID_WORKING_HOURS = "09:00-12:00,13:30-17:30"
        settings.CIVICGRID_WARN_BEFORE_WORKING_HOURS = 4
        settings.CIVICGRID_NOTIFY_STAFF_CHANNEL = "console"
        friday = datetime(2026, 6, 12, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
        with time_machine.travel(friday, tick=False) as traveller:
            appeal = bring("dispatched")
            traveller.shift(timedelta(days=4, hours=18, minutes=30))  # Wed 11:00
            totals: Counter[str] = Counter()
            lock = threading.Lock()

            def sweep() -> None:
                counts = sweep_deadlines()
                with lock:
                    totals.update(counts)

            assert race(sweep, sweep, sweep) == ["done", "done", "done"]

        assert totals["warned"] == 1 and totals["late_to_sign"] == 1
        assert appeal.events.filter(action="due_soon").count() == 1
        assert appeal.events.filter(action="late_to_sign").count() == 1
        assert Notification.objects.filter(event="appeal.due_soon").count() == 1

    @pytest.mark.parametrize("attempt", range(3))
    def test_workers_registering_at_once_make_each_appeal_once(
        self, attempt, street, catalogue, caplog
    ):
        codes = {
            actions.appeal_receive(
                data=report(street, catalogue, n), idempotency_key=f"k-{n}"
            )[0].tracking_code
            for n in range(6)
        }
        registered: list[int] = []

        def work() -> None:
            registered.append(register_submissions())

        with caplog.at_level("WARNING", logger="civicgrid.appeals.jobs"):
            assert race(work, work, work) == ["done", "done", "done"]
        # Each worker took rows of its own: no batch collided with another's
        # (which the unique tracking code would only have caught afterwards).
        assert not caplog.records
        assert not Submission.objects.filter(attempts__gt=0).exists()
        assert sum(registered) == 6
        assert set(Appeal.objects.values_list("tracking_code", flat=True)) == codes
        assert Appeal.objects.count() == 6
        assert not Submission.objects.filter(state=Submission.State.PENDING).exists()

    @pytest.mark.parametrize("attempt", range(3))
    def test_two_retries_at_once_answer_with_one_code(self, attempt, street, catalogue):
        codes: list[str] = []

        def send() -> None:
            submission, _created = actions.appeal_receive(
                data=report(street, catalogue), idempotency_key="k-1"
            )
            codes.append(submission.tracking_code)

        assert race(send, send) == ["done", "done"]
        assert len(set(codes)) == 1
        assert Submission.objects.get().tracking_code == codes[0]

    def test_a_retry_while_the_first_attempt_is_in_flight_is_a_conflict(
        self, settings, street, catalogue
    ):
        settings.CIVICGRID_IDEMPOTENCY_WAIT_SECONDS = 0.2
        data = report(street, catalogue)
        holding, release = threading.Event(), threading.Event()

        def first() -> None:
            try:
                with transaction.atomic():
                    actions.appeal_submit(data=data, idempotency_key="k-1")
                    holding.set()  # written, not yet committed: in flight
                    release.wait(10)
            finally:
                connections.close_all()

        thread = threading.Thread(target=first)
        thread.start()
        assert holding.wait(10)
        try:
            with pytest.raises(ConflictError) as caught:
                actions.appeal_submit(data=data, idempotency_key="k-1")
            assert caught.value.status == 409
        finally:
            release.set()
            thread.join()

        appeal, created = actions.appeal_submit(data=data, idempotency_key="k-1")
        assert created is False
        assert Appeal.objects.get() == appeal
