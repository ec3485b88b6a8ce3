"""三率: the facts the rates are counted from, the formulas that weigh them, the
exclusion reviews (核减) and the periods published with their formula."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civicgrid.core.fields import SealedTextField, SealedTextsModel


class Fact(models.Model):
    """One countable outcome, written in the same transaction as the timeline
    event it comes from, and never changed but for its exclusion: an appeal
    received; a share dispatched, answered in time or late (响应), returned
    (退单), completed in time or late (按时办结); a callback, resolved or not,
    satisfied or not (回访); a patrol finding resolved on site with nobody to
    call back (就地处置, 核查结案: resolved, never rated); a re-handle (重办); an
    appeal closed because its callback never reached the resident (未接通),
    counted apart and in no rate.
    The rates are sums over these rows; a test derives each from the raw
    timeline and compares."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("Received")
        DISPATCH = "dispatch", _("Dispatched to a unit")
        RESPONSE = "response", _("Response by a unit")
        RETURN = "return", _("Returned by a unit")
        COMPLETION = "completion", _("Completion by the lead unit")
        CALLBACK = "callback", _("Callback")
        REHANDLE = "rehandle", _("Re-handle")
        UNREACHABLE = "unreachable", _("Closed as unreachable")
        # A patrol finding resolved with nobody to call back: dealt with on
        # the spot (就地处置), or closed by the grid worker's check (核查结案).
        ON_SITE = "on_site", _("Resolved on site, no callback")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    day = models.DateField(help_text=_("The local date of ``at``."))
    # Where: the street always; the unit for a unit's facts (a department, or
    # a grid or community as ``area``); the community and grid for map and
    # community figures (the unit's, or for an intake the appeal's).
    street = models.ForeignKey(
        "org.Area", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    area = models.ForeignKey(
        "org.Area",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    community = models.ForeignKey(
        "org.Area",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    grid = models.ForeignKey(
        "org.Area",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    category = models.ForeignKey(
        "appeals.Category",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    channel = models.CharField(max_length=16)
    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="facts"
    )
    assignment = models.ForeignKey(
        "appeals.Assignment",
        on_delete=models.CASCADE,
        null=True,
        related_name="facts",
    )
    # In time (a response, a completion) or resolved (a callback).
    ok = models.BooleanField(null=True)
    # A callback's answer: satisfied, basic or unsatisfied.
    satisfaction = models.CharField(max_length=12, blank=True)
    # A response's or completion's time since dispatch, in seconds.
    seconds = models.FloatField(null=True)
    excluded = models.BooleanField(
        default=False, help_text=_("Excluded from the reviewed figures.")
    )

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        indexes = [
            models.Index(fields=["street", "kind", "day"]),
            models.Index(fields=["department", "kind", "day"]),
            models.Index(fields=["grid", "kind", "day"]),
            models.Index(fields=["community", "kind", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class Formula(models.Model):
    """How the rates are weighed into one score, and where the red and black
    lists begin. Never changed: an edit makes a new version, and a published
    period keeps the one it was published with."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    w_response = models.DecimalField(
        _("weight of the response rate"), max_digits=4, decimal_places=2
    )
    w_resolution = models.DecimalField(
        _("weight of the resolution rate"), max_digits=4, decimal_places=2
    )
    w_satisfaction = models.DecimalField(
        _("weight of the satisfaction rate"), max_digits=4, decimal_places=2
    )
    w_on_time = models.DecimalField(
        _("weight of on-time completion"), max_digits=4, decimal_places=2
    )
    w_no_return = models.DecimalField(
        _("weight of not returning"), max_digits=4, decimal_places=2
    )
    w_no_rehandle = models.DecimalField(
        _("weight of not re-handling"), max_digits=4, decimal_places=2
    )
    basic_counts_as_satisfied = models.BooleanField(
        _("“basically satisfied” counts as satisfied"), default=True
    )
    red_at_least = models.DecimalField(
        _("red list: score at least"), max_digits=5, decimal_places=2
    )
    black_below = models.DecimalField(
        _("black list: score below"), max_digits=5, decimal_places=2
    )
    min_cases = models.PositiveIntegerField(
        _("fewest appeals dispatched to be ranked"),
        default=5,
        help_text=_(
            "A unit is ranked (and may be on the red or black list) when at least "
            "this many appeals were dispatched to it in the period."
        ),
    )
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("formula")
        verbose_name_plural = _("formulas")
        constraints = [
            models.CheckConstraint(
                condition=Q(black_below__lte=models.F("red_at_least")),
                name="formula_black_below_red",
            )
        ]

    def __str__(self) -> str:
        return gettext("version %(number)s") % {"number": self.number}

    @property
    def weights(self) -> dict[str, Decimal]:
        return {
            "response": self.w_response,
            "resolution": self.w_resolution,
            "satisfaction": self.w_satisfaction,
            "on_time": self.w_on_time,
            "no_return": self.w_no_return,
            "no_rehandle": self.w_no_rehandle,
        }


class Exclusion(SealedTextsModel):
    """核减: a unit asks that an unreasonable appeal not count against it; the
    street's dispatcher approves or refuses. Approved, the unit's facts for
    the appeal leave the reviewed figures (the raw ones keep them)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    assignment = models.ForeignKey(
        "appeals.Assignment",
        verbose_name=_("share"),
        on_delete=models.CASCADE,
        related_name="exclusions",
    )
    reason = SealedTextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = SealedTextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("exclusion review")
        verbose_name_plural = _("exclusion reviews")
        constraints = [
            # One open or granted request per share: asking again after a
            # refusal is allowed, twice at once is not.
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(state__in=["pending", "approved"]),
                name="exclusion_one_live_per_assignment",
            )
        ]

    def __str__(self) -> str:
        return gettext("share %(share)s: %(state)s") % {
            "share": self.assignment_id,
            "state": self.get_state_display(),
        }


class PublishedPeriod(models.Model):
    """A period's figures as the street published them: frozen, with the
    formula they were scored by."""

    street = models.ForeignKey(
        "org.Area", verbose_name=_("street"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to (inclusive)"))
    formula = models.ForeignKey(
        Formula, verbose_name=_("formula"), on_delete=models.PROTECT, related_name="+"
    )
    figures = models.JSONField(_("figures"), default=dict)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-start"]
        verbose_name = _("published period")
        verbose_name_plural = _("published periods")
        constraints = [
            models.UniqueConstraint(
                fields=["street", "start", "end"], name="published_period_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


class DailyFigure(models.Model):
    """The facts of a day summed by street, kind and unit: what the dashboards
    read, a few hundred rows a day instead of thousands. Kept exact — added to
    in the transaction that writes the facts, moved when an exclusion is
    approved — and a test holds it equal to the facts it sums. 0 stands for
    "none" in the unit columns, so the key is unique as it stands."""

    day = models.DateField()
    street_id = models.IntegerField()
    kind = models.CharField(max_length=12, choices=Fact.Kind.choices)
    department_id = models.IntegerField(default=0)
    area_id = models.IntegerField(default=0)
    community_id = models.IntegerField(default=0)
    grid_id = models.IntegerField(default=0)
    is_excluded = models.BooleanField(default=False)
    n = models.IntegerField(default=0)
    ok = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    basic = models.IntegerField(default=0)
    seconds = models.FloatField(default=0)
    timed = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "day",
                    "street_id",
                    "kind",
                    "department_id",
                    "area_id",
                    "community_id",
                    "grid_id",
                    "is_excluded",
                ],
                name="dailyfigure_key",
            )
        ]
        indexes = [
            models.Index(fields=["street_id", "day"]),
            models.Index(fields=["department_id", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.n}"
