"""Periodic jobs for the worker.

Each app declares its jobs in ``<app>/jobs.py`` with :func:`job`. The worker runs a
job when its ``JobSchedule.next_run_at`` has passed and it wins the compare-and-set
that moves ``next_run_at`` on, so with several workers each run happens once.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.db import DatabaseError, IntegrityError, transaction
from django.utils.module_loading import autodiscover_modules

from . import clock
from .models import JobSchedule, WorkerHeartbeat

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    func: Callable[[], object]


F = TypeVar("F", bound=Callable[[], object])

_registry: dict[str, Job] = {}
_pollers: dict[str, Callable[[], object]] = {}


def job(
    *, name: str, every: timedelta
) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(func: Callable[[], object]) -> Callable[[], object]:
        _registry[name] = Job(name, every, func)
        return func

    return register


def poller(*, name: str) -> Callable[[F], F]:
    """Work the worker looks for on every short pass (received submissions),
    without a schedule: the function claims its own rows, so several workers may
    call it at once."""

    def register(func: F) -> F:
        _pollers[name] = func
        return func

    return register


def registered_jobs() -> dict[str, Job]:
    autodiscover_modules("jobs")
    return dict(_registry)


def run_pollers() -> dict[str, object]:
    """Call every poller; what each said it did, by name."""
    autodiscover_modules("jobs")
    ran: dict[str, object] = {}
    for name, func in _pollers.items():
        try:
            ran[name] = func()
        except DatabaseError:
            raise  # the database is away: the worker waits for it
        except Exception:
            log.exception("poller %s failed", name)
            ran[name] = None
    return ran


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def heartbeat(worker_id: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen_at": clock.now(), "started_at": started_at},
    )


def _claim(job: Job, worker_id: str) -> bool:
    """Win the right to run ``job`` now, or learn that it is not due / taken."""
    now = clock.now()
    try:
        with transaction.atomic():
            JobSchedule.objects.get_or_create(
                name=job.name, defaults={"next_run_at": now}
            )
    except IntegrityError:
        pass  # another worker created it first
    claimed = JobSchedule.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + job.every, last_started_at=now, last_worker=worker_id
    )
    return claimed == 1


def run_due_jobs(worker_id: str) -> dict[str, object]:
    """Run every job that is due and that this worker claims; return what each
    said it did (a count, say), by name."""
    ran: dict[str, object] = {}
    for job in registered_jobs().values():
        if not _claim(job, worker_id):
            continue
        error = ""
        result: object = None
        try:
            result = job.func()
        except Exception:
            error = traceback.format_exc()
            log.exception("job %s failed", job.name)
        JobSchedule.objects.filter(name=job.name).update(
            last_finished_at=clock.now(), last_error=error[-4000:]
        )
        ran[job.name] = result
    return ran
