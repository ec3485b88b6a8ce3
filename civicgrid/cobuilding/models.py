"""三项清单: the street's three lists, kept so that a need meets a unit that can
meet it — problems and needs (问题清单) lifted from appeals, 社情民意, meetings
and surveys, each with the sources it came from; resources (资源清单) that
co-building units, departments, 双报到 units and 居商联盟 merchants offer, with a
quantity and when; projects (项目清单) that answer a problem, with an owner,
the resources pledged to it, milestones, progress notes, completion and the
residents' evaluation. Nothing is deleted: a closed problem, a withdrawn
resource, a cancelled project stays, and every step is a :class:`ListEvent`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from civicgrid.core.fields import SealedTextField, SealedTextsModel
from civicgrid.core.models import TimeStamped


class Field(models.TextChoices):
    """What a problem is about and what a resource serves (服务领域): the key
    on which the two lists meet."""

    ELDERLY = "elderly", _("Care for the elderly")
    CHILDREN = "children", _("Children and young people")
    HEALTH = "health", _("Health")
    LEGAL = "legal", _("Legal advice and mediation")
    ENVIRONMENT = "environment", _("Environment and sanitation")
    FACILITIES = "facilities", _("Roads, lamps and facilities")
    SAFETY = "safety", _("Safety")
    CULTURE = "culture", _("Culture and sport")
    EMPLOYMENT = "employment", _("Jobs and new employment")


class Problem(SealedTextsModel, TimeStamped):
    """问题清单: a need of an area the street keeps on its list until a
    project answers it or it is closed with a reason."""

    class State(models.TextChoices):
        OPEN = "open", _("On the list")
        PROJECT = "project", _("A project answers it")
        SOLVED = "solved", _("Solved")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=100)
    description = SealedTextField(_("description"))
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The street, community or grid where the need is."),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("put on the list by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problem list")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "field"], name="problem_state_field")]

    def __str__(self) -> str:
        return self.title


class ProblemSource(models.Model):
    """Where a problem came from: an appeal (a recurring one, a hotspot), a
    社情民意 item, a meeting or a survey — linked, so that the list can be
    traced back and the appeals' residents told."""

    class Kind(models.TextChoices):
        APPEAL = "appeal", _("Appeal")
        OPINION = "opinion", _("Public opinion")
        MEETING = "meeting", _("Meeting")
        SURVEY = "survey", _("Survey")

    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="sources"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opinion = models.ForeignKey(
        "ledger.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A meeting's or survey's name and date, as the minutes give them.
    note = models.CharField(_("which meeting or survey"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("source of a problem")
        verbose_name_plural = _("sources of problems")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="appeal") & Q(appeal__isnull=False))
                | (Q(kind="opinion") & Q(opinion__isnull=False))
                | (Q(kind__in=["meeting", "survey"]) & ~Q(note="")),
                name="problem_source_names_its_source",
            ),
            models.UniqueConstraint(
                fields=["problem", "appeal"], name="problem_source_one_appeal"
            ),
            models.UniqueConstraint(
                fields=["problem", "opinion"], name="problem_source_one_opinion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.appeal_id or self.opinion_id or self.note}"


class Resource(TimeStamped):
    """资源清单: what a provider offers the street — a venue, a vehicle, free
    haircuts for the elderly, legal advice, volunteer hours a month — how
    many, when, and how many are pledged to projects already."""

    class Kind(models.TextChoices):
        VENUE = "venue", _("Venue")
        VEHICLE = "vehicle", _("Vehicle")
        SERVICE = "service", _("Service")
        GOODS = "goods", _("Goods")
        FUNDS = "funds", _("Funds")
        HOURS = "hours", _("Volunteer hours")

    class Provider(models.TextChoices):
        UNIT = "unit", _("Registered unit")
        COBUILDER = "cobuilder", _("Co-building organisation")
        MERCHANT = "merchant", _("Alliance merchant")
        DEPARTMENT = "department", _("Department")

    title = models.CharField(_("what is offered"), max_length=100)
    description = models.TextField(_("details"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Blank: it serves any field (a venue, a vehicle).
    field = models.CharField(
        _("field"), max_length=16, choices=Field.choices, blank=True
    )
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("offered in"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The street or community where it can be used."),
    )
    provider_kind = models.CharField(
        _("provider"), max_length=12, choices=Provider.choices
    )
    unit = models.ForeignKey(
        "partybuilding.UnitRegistration",
        verbose_name=_("registered unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    organisation = models.ForeignKey(
        "ledger.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    merchant = models.ForeignKey(
        "ledger.OrganisationMember",
        verbose_name=_("merchant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    measure = models.CharField(
        _("counted in"), max_length=20, help_text=_("times, hours a month, vehicles …")
    )
    pledged = models.PositiveIntegerField(_("pledged"), default=0)
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"), null=True, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resource list")
        ordering = ["area__path", "field", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pledged__lte=F("quantity")),
                name="resource_pledged_within_quantity",
            ),
            models.CheckConstraint(
                condition=(
                    Q(provider_kind="unit")
                    & Q(unit__isnull=False)
                    & Q(organisation__isnull=True)
                    & Q(merchant__isnull=True)
                    & Q(department__isnull=True)
                )
                | (
                    Q(provider_kind="cobuilder")
                    & Q(unit__isnull=True)
                    & Q(organisation__isnull=False)
                    & Q(merchant__isnull=True)
                    & Q(department__isnull=True)
                )
                | (
                    Q(provider_kind="merchant")
                    & Q(unit__isnull=True)
                    & Q(organisation__isnull=False)
                    & Q(merchant__isnull=False)
                    & Q(department__isnull=True)
                )
                | (
                    Q(provider_kind="department")
                    & Q(unit__isnull=True)
                    & Q(organisation__isnull=True)
                    & Q(merchant__isnull=True)
                    & Q(department__isnull=False)
                ),
                name="resource_has_one_provider",
            ),
            models.CheckConstraint(
                condition=Q(available_until__isnull=True)
                | Q(available_until__gte=F("available_from")),
                name="resource_available_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def remaining(self) -> int:
        return self.quantity - self.pledged

    @property
    def provider_name(self) -> str:
        if self.merchant_id and self.merchant is not None:
            shop = self.merchant.place
            return shop.name if shop is not None else self.merchant.title
        if self.unit_id and self.unit is not None:
            return self.unit.organisation.name
        if self.department_id and self.department is not None:
            return self.department.name
        return self.organisation.name if self.organisation is not None else ""


class Project(SealedTextsModel, TimeStamped):
    """项目清单: a problem made a project, with an owner, the resources units
    pledge to it, milestones and progress notes, then completion (the
    appeals it answers are told) and the residents' evaluation."""

    class State(models.TextChoices):
        UNDERWAY = "underway", _("Underway")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    problem = models.ForeignKey(
        Problem,
        verbose_name=_("problem"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.UNDERWAY
    )
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("to be done by"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    summary = SealedTextField(_("what was done"), blank=True)
    residents_told_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("project list")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("started_on")),
                name="project_due_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(state="completed") | Q(completed_on__isnull=False),
                name="a_completed_project_has_a_date",
            ),
            # A cancelled project leaves its problem free for another.
            models.UniqueConstraint(
                fields=["problem"],
                condition=~Q(state="cancelled"),
                name="one_live_project_per_problem",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Pledge(models.Model):
    """A provider's pledge of part of a resource to a project (认领资源)."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="pledges"
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="pledges"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="pledge_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} × {self.quantity}"


class Milestone(models.Model):
    """A step of a project with the date it is due and the day it was done."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=100)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ProgressNote(SealedTextsModel):
    """What was done on a project, with photos, by whom, when."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="notes")
    text = SealedTextField(_("progress"))
    photos = models.JSONField(_("photos"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-created_at", "-pk"]


class Evaluation(SealedTextsModel):
    """The residents' word on a completed project: satisfied, basically
    satisfied or not, heard on a callback, at a residents' meeting or in a
    survey."""

    class Verdict(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    class Heard(models.TextChoices):
        CALLBACK = "callback", _("Callback")
        MEETING = "meeting", _("Residents' meeting")
        SURVEY = "survey", _("Survey")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="evaluations"
    )
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    heard = models.CharField(_("heard at"), max_length=10, choices=Heard.choices)
    residents = models.PositiveIntegerField(_("residents"), default=1)
    comment = SealedTextField(_("what they said"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(residents__gt=0), name="evaluation_by_someone"
            )
        ]


class ListEvent(SealedTextsModel):
    """One step on the lists: a problem raised, a source added, a project
    started, a pledge, a milestone, completion, an evaluation."""

    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="events"
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    note = SealedTextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("step on the lists")
        verbose_name_plural = _("steps on the lists")
        ordering = ["created_at", "pk"]


# --- leadership: 分包 and meetings ------------------------------------------------


class Contract(TimeStamped):
    """街道党政班子分包: a leader of the street takes a community or a grid and
    answers for what is open there."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("community or grid"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("contracted area")
        verbose_name_plural = _("contracted areas")
        ordering = ["area__path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "area"],
                condition=Q(until__isnull=True),
                name="one_current_contract_per_leader_and_area",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="contract_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader_id} → {self.area_id}"


class Meeting(SealedTextsModel, TimeStamped):
    """A 联席会, a weekly study or a 研判会: when, where, who came (staff and
    the units represented), the minutes, and the decisions it took."""

    class Kind(models.TextChoices):
        JOINT = "joint", _("Joint meeting")
        STUDY = "study", _("Weekly study")
        JUDGEMENT = "judgement", _("Situation review")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("street or community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chaired by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("present"),
        related_name="meetings_attended",
        blank=True,
    )
    units = models.ManyToManyField(
        "ledger.Organisation",
        verbose_name=_("units represented"),
        related_name="meetings",
        blank=True,
    )
    minutes = SealedTextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """What a meeting decided, linked to the list item it decides, with who
    carries it out and by when."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions"
    )
    text = models.CharField(_("decision"), max_length=300)
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("problem"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried out by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("by"), null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:40]


# --- 居商联盟 and 新就业群体 ----------------------------------------------------------


class Outreach(TimeStamped):
    """A service for the new employment groups (新就业群体) — delivery riders,
    couriers, ride-hailing and truck drivers: an event such as the 717骑士节
    or a day at a service station, with how many were served and with what."""

    class Group(models.TextChoices):
        DELIVERY = "delivery", _("Delivery riders")
        COURIER = "courier", _("Couriers")
        RIDE_HAILING = "ride_hailing", _("Ride-hailing drivers")
        TRUCK = "truck", _("Truck drivers")

    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("held on"))
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("street or community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        "ledger.Place",
        verbose_name=_("service station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outreach",
    )
    group = models.CharField(_("served"), max_length=14, choices=Group.choices)
    served = models.PositiveIntegerField(_("people served"))
    services = models.CharField(_("services"), max_length=300)
    organisers = models.ManyToManyField(
        "ledger.Organisation",
        verbose_name=_("organised with"),
        related_name="outreach",
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("service for new employment groups")
        verbose_name_plural = _("services for new employment groups")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(served__gt=0), name="outreach_served_someone"
            )
        ]

    def __str__(self) -> str:
        return self.title
