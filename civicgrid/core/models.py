from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CalendarDay(TimeStamped):
    """An exception to the Monday–Friday week: a statutory holiday (法定节假日) that
    falls on a weekday, or a make-up working day (调休上班) that falls on a weekend.
    Days without a row follow the ordinary week."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (day off)")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("work calendar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]),
                name="calendarday_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class JobSchedule(models.Model):
    """When each periodic job of the worker is next due. Workers claim a run by
    compare-and-set on ``next_run_at``, so any number of them share the work and
    each run happens once."""

    name = models.CharField(_("job"), max_length=100, primary_key=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(
        _("last finished at"), null=True, blank=True
    )
    last_worker = models.CharField(_("last worker"), max_length=200, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """One row per running worker process, refreshed every loop."""

    worker_id = models.CharField(_("worker"), max_length=200, primary_key=True)
    started_at = models.DateTimeField(_("started at"))
    last_seen_at = models.DateTimeField(_("last seen at"))

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return self.worker_id


class RateCounter(models.Model):
    """One rate-limit window's count for one key (a limit's name and a hash of
    the address or the user), shared by every web process on every machine.
    ``window`` is the second (Unix time) the window ends; rows of windows that
    ended over a minute ago are deleted as new windows open."""

    key = models.CharField(_("key"), max_length=120)
    window = models.BigIntegerField(_("window ends"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window"], name="core_ratecounter_key_window"
            )
        ]
        indexes = [models.Index(fields=["window"], name="core_ratecounter_window")]
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.key}@{self.window}"
