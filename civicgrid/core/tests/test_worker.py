from __future__ import annotations

from datetime import timedelta
from io import StringIO

import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command

from civicgrid.core import clock
from civicgrid.core.models import JobSchedule, WorkerHeartbeat
from civicgrid.core.scheduler import registered_jobs, run_due_jobs


def test_a_worker_pass_beats_its_heart_and_clears_expired_sessions(db):
    stale = SessionStore()
    stale["x"] = 1
    stale.set_expiry(-10)
    stale.create()
    live = SessionStore()
    live["x"] = 1
    live.create()

    out = StringIO()
    call_command("worker", "--once", stdout=out)

    assert "ran core.clear_expired_sessions" in out.getvalue()
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        live.session_key
    ]
    assert WorkerHeartbeat.objects.count() == 1


def test_a_job_runs_once_per_period_however_many_workers_ask(db):
    assert "core.clear_expired_sessions" in registered_jobs()
    with time_machine.travel("2026-11-23 09:00 +0800", tick=False):
        assert "core.clear_expired_sessions" in run_due_jobs("worker-a")
        assert "core.clear_expired_sessions" not in run_due_jobs("worker-b")
        schedule = JobSchedule.objects.get(name="core.clear_expired_sessions")
        assert schedule.last_worker == "worker-a"
        assert schedule.next_run_at == clock.now() + timedelta(hours=1)
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        assert "core.clear_expired_sessions" in run_due_jobs("worker-b")


def test_the_worker_waits_out_a_database_outage_and_goes_on(db, monkeypatch):
    """A restart of the database makes a pass fail; the worker waits, reconnects
    and carries on instead of dying."""
    import os
    import signal

    from django.db import OperationalError

    from civicgrid.core.management.commands import worker

    passes: list[str] = []

    def flaky_pollers() -> dict[str, object]:
        passes.append("pass")
        if len(passes) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        os.kill(os.getpid(), signal.SIGTERM)  # ask the loop to stop
        return {"appeals.register_submissions": 3}

    monkeypatch.setattr(worker, "run_pollers", flaky_pollers)
    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    out = StringIO()
    try:
        call_command("worker", "--poll", "0.01", "--sleep", "0.01", stdout=out)
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])

    assert passes == ["pass", "pass"]
    assert "ran appeals.register_submissions: 3" in out.getvalue()
    assert "stopped" in out.getvalue()
