"""吹哨报到: the street summons departments to a matter beyond one unit; each must
report in (报到) before a deadline and stay until its share is done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.fields import SealedCharField, SealedTextField, SealedTextsModel
from civicgrid.core.localized import localized
from civicgrid.core.models import TimeStamped


class WhistleType(TimeStamped):
    """A kind of whistle and its report-in deadline: wall-clock minutes for an
    emergency (30), working hours on the work calendar for the rest."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_bo = models.CharField(_("name in Tibetan"), max_length=50, blank=True)
    name_en = models.CharField(_("name in English"), max_length=50, blank=True)
    report_in_minutes = models.PositiveIntegerField(
        _("report in within (minutes, around the clock)"), null=True, blank=True
    )
    report_in_working_hours = models.DecimalField(
        _("report in within (working hours)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("whistle type")
        verbose_name_plural = _("whistle types")
        constraints = [
            models.CheckConstraint(
                name="whistletype_one_deadline",
                condition=(
                    Q(
                        report_in_minutes__isnull=False,
                        report_in_working_hours__isnull=True,
                    )
                    | Q(
                        report_in_minutes__isnull=True,
                        report_in_working_hours__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return localized(self, "name")


class Whistle(SealedTextsModel, TimeStamped):
    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("whistle state", "In progress")
        CLOSED = "closed", pgettext_lazy("whistle state", "Closed")

    street = models.ForeignKey(
        "org.Area", verbose_name=_("street"), on_delete=models.PROTECT, related_name="+"
    )
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="whistles",
    )
    type = models.ForeignKey(
        WhistleType, verbose_name=_("type"), on_delete=models.PROTECT
    )
    title = models.CharField(_("matter"), max_length=200)
    reason = SealedTextField(_("why the street blows the whistle"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.OPEN
    )
    blown_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    blown_at = models.DateTimeField(_("blown at"))
    report_in_due_at = models.DateTimeField(_("report in by"))
    consolidated_reply = SealedTextField(_("the lead's consolidated reply"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-blown_at", "-id"]
        verbose_name = _("whistle")
        verbose_name_plural = _("whistles")
        indexes = [models.Index(fields=["street", "state", "-blown_at"])]

    def __str__(self) -> str:
        return self.title


def check_in_photo_path(instance: Summons, filename: str) -> str:
    return f"whistles/{instance.whistle_id}/{instance.pk}/{filename}"


class Summons(SealedTextsModel, TimeStamped):
    """One department summoned to a whistle: its report-in and its share."""

    class State(models.TextChoices):
        OPEN = "open", _("Working on it")
        DONE = "done", _("Done")

    whistle = models.ForeignKey(
        Whistle, on_delete=models.CASCADE, related_name="summonses"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), on_delete=models.PROTECT
    )
    is_lead = models.BooleanField(_("leads"), default=False)
    task = SealedTextField(_("its share of the work"), blank=True)
    due_at = models.DateTimeField(_("share due at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.OPEN
    )
    checked_in_at = models.DateTimeField(_("reported in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    attendees = SealedCharField(_("who came"), max_length=300, blank=True)
    # Where the handler stood when reporting in, if the phone shared it.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # A photo from the scene, re-encoded without metadata, served only to those
    # who may see the whistle.
    check_in_photo = models.FileField(
        _("photo"), upload_to=check_in_photo_path, max_length=255, blank=True
    )
    check_in_thumbnail = models.FileField(
        upload_to=check_in_photo_path, max_length=255, blank=True
    )
    late = models.BooleanField(_("reported in late"), default=False)
    escalated_at = models.DateTimeField(
        _("missing check-in escalated at"), null=True, blank=True
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = SealedTextField(_("what was done"), blank=True)

    class Meta:
        ordering = ["whistle_id", "-is_lead", "id"]
        verbose_name = _("summons")
        verbose_name_plural = _("summonses")
        constraints = [
            models.UniqueConstraint(
                fields=["whistle", "department"], name="summons_one_per_department"
            ),
            models.UniqueConstraint(
                fields=["whistle"], condition=Q(is_lead=True), name="summons_one_lead"
            ),
        ]
        indexes = [
            models.Index(
                fields=["whistle"],
                name="summons_missing_checkin",
                condition=Q(checked_in_at__isnull=True, escalated_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.whistle} → {self.department}"


class WhistleEvent(SealedTextsModel):
    """The whistle's own timeline (a whistle may have no appeal)."""

    whistle = models.ForeignKey(
        Whistle, on_delete=models.CASCADE, related_name="events"
    )
    summons = models.ForeignKey(
        Summons, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = SealedTextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("whistle event")
        verbose_name_plural = _("whistle timeline")

    def __str__(self) -> str:
        return f"{self.whistle} {self.action}"


class JointMeeting(SealedTextsModel):
    """A joint meeting (联席会) held on the matter: who attended, what was decided."""

    whistle = models.ForeignKey(
        Whistle, on_delete=models.CASCADE, related_name="meetings"
    )
    held_at = models.DateTimeField(_("held at"))
    attendees = SealedTextField(_("attended"))
    decisions = SealedTextField(_("decided"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_at", "id"]
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")

    def __str__(self) -> str:
        return f"{self.whistle} {self.held_at:%Y-%m-%d}"


class StreetScore(SealedTextsModel):
    """The street scores a department on reporting in and on handling (1–5)."""

    summons = models.OneToOneField(
        Summons, on_delete=models.CASCADE, related_name="street_score"
    )
    report_in = models.PositiveSmallIntegerField(_("reporting in (1–5)"))
    handling = models.PositiveSmallIntegerField(_("handling (1–5)"))
    comment = SealedTextField(_("comment"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("street's score of a department")
        verbose_name_plural = _("street's scores of departments")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    report_in__gte=1, report_in__lte=5, handling__gte=1, handling__lte=5
                ),
                name="streetscore_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.summons}: {self.report_in}/{self.handling}"


class DepartmentFeedback(SealedTextsModel):
    """A department scores the whistle: was it justified, was it well run."""

    summons = models.OneToOneField(
        Summons, on_delete=models.CASCADE, related_name="feedback"
    )
    justified = models.BooleanField(_("the whistle was justified"))
    well_run = models.PositiveSmallIntegerField(_("well run (1–5)"))
    comment = SealedTextField(_("comment"), blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("department's feedback on a whistle")
        verbose_name_plural = _("departments' feedback on whistles")
        constraints = [
            models.CheckConstraint(
                condition=Q(well_run__gte=1, well_run__lte=5), name="feedback_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.summons}: {self.well_run}"
