"""接诉即办: categories, appeals, the units that handle them, and the timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from civicgrid.core.fields import EncryptedTextField, SealedTextField, SealedTextsModel
from civicgrid.core.localized import localized
from civicgrid.core.models import TimeStamped


class Kind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class Channel(models.TextChoices):
    WEB = "web", _("Resident web page")
    PHONE = "phone", _("Hotline call")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    PATROL = "patrol", _("Grid patrol")
    API = "api", _("Other system (API)")


class UnitType(models.TextChoices):
    GRID = "grid", _("Grid")
    COMMUNITY = "community", _("Community")
    DEPARTMENT = "department", _("Department")


class Category(TimeStamped):
    """A node of the category catalogue (派单目录). A leaf — a category that can be
    chosen — has a current version holding its kind, default unit and clocks.
    Other systems see the leaves as Open311 services."""

    class ServiceType(models.TextChoices):
        # As GeoReport v2 names them: what a client gets back when it files one.
        REALTIME = "realtime", _("Realtime: the request id at once")
        BATCH = "batch", _("Batch: a token, the request id later")
        BLACKBOX = "blackbox", _("Blackbox: no request id")

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_bo = models.CharField(_("name in Tibetan"), max_length=100, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What belongs here, in a sentence residents understand."),
    )
    description_bo = models.TextField(_("description in Tibetan"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    keywords = models.CharField(
        _("keywords"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated words other systems search services by."),
    )
    service_type = models.CharField(
        _("Open311 service type"),
        max_length=10,
        choices=ServiceType.choices,
        default=ServiceType.REALTIME,
    )
    current_version = models.ForeignKey(
        "CategoryVersion",
        verbose_name=_("current version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("category catalogue")

    def __str__(self) -> str:
        name = localized(self, "name")
        return f"{localized(self.parent, 'name')} / {name}" if self.parent else name

    @property
    def is_leaf(self) -> bool:
        return self.current_version_id is not None


class CategoryVersion(models.Model):
    """The clocks and routing of a leaf category at one point in time. Never
    changed: an edit makes a new version, and every appeal keeps the version it
    was received with."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    default_unit_type = models.CharField(
        _("default handling unit"), max_length=16, choices=UnitType.choices
    )
    default_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("default department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    response_hours = models.DecimalField(
        _("response clock (working hours)"), max_digits=5, decimal_places=2
    )
    handling_days = models.DecimalField(
        _("handling clock (working days)"), max_digits=5, decimal_places=2
    )
    # 紧急: an urgent appeal's clocks; empty, the settings' defaults (see
    # appeals.clocks), and never longer than the normal ones.
    urgent_response_hours = models.DecimalField(
        _("urgent response clock (working hours)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    urgent_handling_days = models.DecimalField(
        _("urgent handling clock (working days)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    public_notice = models.TextField(_("public notice"), blank=True)
    public_notice_bo = models.TextField(_("public notice in Tibetan"), blank=True)
    public_notice_en = models.TextField(_("public notice in English"), blank=True)
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
        ordering = ["category_id", "-number"]
        verbose_name = _("category version")
        verbose_name_plural = _("category versions")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "number"], name="categoryversion_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(response_hours__gt=0) & Q(handling_days__gt=0),
                name="categoryversion_clocks_positive",
            ),
            models.CheckConstraint(
                condition=(
                    Q(urgent_response_hours__isnull=True)
                    | Q(
                        urgent_response_hours__gt=0,
                        urgent_response_hours__lte=F("response_hours"),
                    )
                )
                & (
                    Q(urgent_handling_days__isnull=True)
                    | Q(
                        urgent_handling_days__gt=0,
                        urgent_handling_days__lte=F("handling_days"),
                    )
                ),
                name="categoryversion_urgent_clocks_within_normal",
            ),
            models.CheckConstraint(
                condition=Q(
                    default_unit_type="department", default_department__isnull=False
                )
                | (
                    ~Q(default_unit_type="department")
                    & Q(default_department__isnull=True)
                ),
                name="categoryversion_department_matches_unit_type",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(category)s, version %(number)s") % {
            "category": self.category.name,
            "number": self.number,
        }


class CategoryQuestion(models.Model):
    """An extra question asked when a resident chooses the category."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        DATETIME = "datetime", _("Date and time")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("question"), max_length=200)
    label_bo = models.CharField(_("question in Tibetan"), max_length=200, blank=True)
    label_en = models.CharField(_("question in English"), max_length=200, blank=True)
    datatype = models.CharField(
        _("answer type"), max_length=16, choices=Datatype.choices
    )
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_("For single and multiple choice: a list of the options."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["category_id", "sort_order", "code"]
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"], name="categoryquestion_unique_code"
            )
        ]

    def __str__(self) -> str:
        return localized(self, "label")


class ResponseTemplate(TimeStamped):
    """A reply text handlers start from; for one category, or for all when empty."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response_templates",
    )
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")

    def __str__(self) -> str:
        return self.title


class ReplyOutcome(models.TextChoices):
    """What a reply says came of the appeal (办理结果); "not resolved" gives
    its reason."""

    RESOLVED = "resolved", pgettext_lazy("outcome", "Resolved")
    PARTLY_RESOLVED = "partly_resolved", pgettext_lazy("outcome", "Partly resolved")
    NOT_RESOLVED = "not_resolved", pgettext_lazy("outcome", "Not resolved")
    OUTSIDE_REMIT = "outside_remit", pgettext_lazy("outcome", "Outside our remit")


class Appeal(SealedTextsModel, TimeStamped):
    """An appeal (诉求/工单) from a resident."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACCEPTED = "accepted", _("Accepted")
        DISPATCHED = "dispatched", _("Dispatched")
        HANDLING = "handling", _("Being handled")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged")

    class Priority(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")

    class CloseReason(models.TextChoices):
        RATED = "rated", _("Resolved and rated")
        NO_ANSWER = "no_answer", _("No answer to the callback")
        UNREACHABLE = "unreachable", _("Resident not reached at the callback")
        # Patrol findings: no resident to call back.
        ON_SITE = "on_site", _("Found and dealt with on the spot")
        VERIFIED = "verified", _("Verified on site by the grid worker")

    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RECEIVED
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    street = models.ForeignKey(
        "org.Area",
        verbose_name=_("street"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The street that receives and dispatches this appeal."),
    )
    grid = models.ForeignKey(
        "org.Area",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    category_version = models.ForeignKey(
        CategoryVersion,
        verbose_name=_("category version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = SealedTextField(_("description"))
    answers = models.JSONField(
        _("answers to extra questions"), default=list, blank=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    appellant_name = EncryptedTextField(_("name"), blank=True)
    appellant_phone = EncryptedTextField(_("phone"), blank=True)
    appellant_email = EncryptedTextField(_("e-mail"), blank=True)
    # The language the resident reported in: their messages go out in it.
    language = models.CharField(
        _("resident's language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="zh-hans",
    )
    # A keyed hash of the phone number: finds a person's other appeals unencrypted.
    appellant_phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    consented_at = models.DateTimeField(
        _("privacy notice accepted at"), null=True, blank=True
    )
    received_at = models.DateTimeField(_("received at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    # The latest reply's outcome; each reply's own is on its timeline event.
    reply_outcome = models.CharField(
        _("outcome of the reply"),
        max_length=16,
        choices=ReplyOutcome.choices,
        blank=True,
    )
    reply_outcome_reason = SealedTextField(
        _("why it is not (fully) resolved"), blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    close_reason = models.CharField(
        _("closed because"), max_length=16, choices=CloseReason.choices, blank=True
    )
    reject_reason = SealedTextField(_("reason for rejecting"), blank=True)
    redirect_to = models.CharField(_("where to go instead"), max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_appeals",
    )
    return_count = models.PositiveIntegerField(_("returns"), default=0)
    rehandle_count = models.PositiveIntegerField(_("re-handles"), default=0)
    urge_count = models.PositiveIntegerField(_("urges"), default=0)
    supervised = models.BooleanField(_("supervised by a leader"), default=False)
    resolved = models.BooleanField(
        _("resolved, says the resident"), null=True, blank=True
    )
    satisfaction = models.CharField(
        _("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    callback_comment = SealedTextField(_("callback comment"), blank=True)
    callback_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    # 未接通: the operator's calls that did not reach the resident.
    callback_tries = models.PositiveSmallIntegerField(
        _("callback tries not reached"), default=0
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [
            models.Index(fields=["street", "state", "-received_at"]),
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["category", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "received",
                        "accepted",
                        "dispatched",
                        "handling",
                        "replied",
                        "closed",
                        "rejected",
                        "merged",
                    ]
                ),
                name="appeal_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state="merged", merged_into__isnull=False)
                | (~Q(state="merged") & Q(merged_into__isnull=True)),
                name="appeal_merged_has_main",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90, latitude__lte=90)
                    & Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="appeal_location_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return self.state not in {
            self.State.CLOSED,
            self.State.REJECTED,
            self.State.MERGED,
        }


class Assignment(SealedTextsModel, TimeStamped):
    """One handling unit's share of an appeal: the lead (主办) or a co-handler
    (协办), with its own state and clocks."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        CO = "co", _("Co-handler")

    class State(models.TextChoices):
        DISPATCHED = "dispatched", _("Waiting to be signed for")
        HANDLING = "handling", _("Being handled")
        REPLIED = "replied", _("Replied")
        RETURNED = "returned", _("Returned")
        DONE = "done", _("Done")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        RECALLED = "recalled", _("Recalled")

    ACTIVE_STATES = (State.DISPATCHED, State.HANDLING, State.REPLIED)

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("grid or community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.DISPATCHED
    )
    dispatched_at = models.DateTimeField(_("dispatched at"))
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    response_due_at = models.DateTimeField(_("sign by"))
    due_at = models.DateTimeField(_("due at"))
    warn_at = models.DateTimeField(_("warn at"))
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = SealedTextField(_("reason for returning"), blank=True)
    # 撤回: the street took the share back before it was signed for (to
    # dispatch it again, or to another unit at once: 改派). Not the unit's return.
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    recall_reason = SealedTextField(_("reason for recalling"), blank=True)
    # A co-handler's share completed by its unit (协办完成), or closed by the lead.
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    response_overdue_at = models.DateTimeField(
        _("marked late to sign at"), null=True, blank=True
    )

    class Meta:
        ordering = ["appeal_id", "role", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [
            models.Index(
                fields=["warn_at"],
                name="assignment_open_warn",
                condition=Q(
                    state__in=["dispatched", "handling"], warned_at__isnull=True
                ),
            ),
            models.Index(
                fields=["due_at"],
                name="assignment_open_due",
                condition=Q(
                    state__in=["dispatched", "handling"], overdue_at__isnull=True
                ),
            ),
            models.Index(
                fields=["response_due_at"],
                name="assignment_unsigned_due",
                condition=Q(state="dispatched", response_overdue_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=False) & Q(department__isnull=True))
                | (Q(area__isnull=True) & Q(department__isnull=False)),
                name="assignment_one_unit",
            ),
            models.UniqueConstraint(
                fields=["appeal"],
                condition=Q(
                    role="lead", state__in=["dispatched", "handling", "replied"]
                ),
                name="assignment_one_active_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal} → {self.unit}"

    @property
    def unit(self) -> object:
        return self.department or self.area


class ExtensionRequest(SealedTextsModel, TimeStamped):
    """A unit asks for more time (延期); the dispatcher approves or refuses."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="extension_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    days = models.DecimalField(_("working days"), max_digits=5, decimal_places=2)
    reason = SealedTextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = SealedTextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(state="pending"),
                name="extension_one_pending_per_assignment",
            ),
            models.CheckConstraint(
                condition=Q(days__gt=0), name="extension_days_positive"
            ),
        ]


class CaseEvent(SealedTextsModel):
    """The append-only timeline: who did what, when, from which state to which.
    The audit trail and the source of every metric."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # "resident", "system", or the role the actor acted in.
    actor_role = models.CharField(_("acting as"), max_length=32, blank=True)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = SealedTextField(_("note"), blank=True)
    public = models.BooleanField(_("shown to the resident"), default=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline")
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self) -> str:
        return f"{self.appeal} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class Verification(SealedTextsModel, TimeStamped):
    """核查: a dispatcher asks a grid worker of the appeal's grid to check a
    reply on the spot before the appeal closes. Passed, a patrol finding (no
    resident to call back) closes (核查结案) and a resident's appeal goes on to
    its callback; failed, the lead unit handles it again (重办)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the grid worker")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Not passed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="verifications"
    )
    grid_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    note = SealedTextField(_("what to check"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    decided_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    result_note = SealedTextField(_("what the grid worker found"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"],
                condition=Q(state="pending"),
                name="verification_one_pending_per_appeal",
            )
        ]
        indexes = [
            models.Index(
                fields=["grid_worker"],
                condition=Q(state="pending"),
                name="verification_pending_worker",
            )
        ]

    def __str__(self) -> str:
        return f"{self.appeal} → {self.grid_worker}"


def attachment_path(instance: Attachment, filename: str) -> str:
    appeal = instance.appeal
    return f"appeals/{appeal.received_at:%Y/%m}/{appeal.pk}/{filename}"


class Attachment(models.Model):
    """A photo on an appeal, a reply or a check-in: re-encoded without metadata,
    stored outside the web root and served only to those who may see the appeal."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        CaseEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(upload_to=attachment_path, max_length=255)
    thumbnail = models.FileField(upload_to=attachment_path, max_length=255)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=100, blank=True)
    public = models.BooleanField(_("shown to the resident"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.original_name or str(self.file.name)


class VoiceMessage(SealedTextsModel):
    """A voice message (语音留言) a resident recorded instead of typing, or an
    operator or grid worker recorded for them: checked like a photo (its
    container sniffed, its tags cleared), stored outside the web root and
    served only to those who may see the appeal. The operator listens and
    writes down what it says (the transcript); the timeline keeps both."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="voice_messages"
    )
    event = models.ForeignKey(
        CaseEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="voice_messages",
    )
    file = models.FileField(upload_to=attachment_path, max_length=255)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    # Seconds, as the container states them (None where it does not).
    duration = models.FloatField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    transcript = SealedTextField(_("transcript"), blank=True)
    # Whether the transcript became the description (the resident typed none):
    # a corrected transcript then corrects the description too.
    transcript_is_description = models.BooleanField(default=False)
    transcribed_at = models.DateTimeField(_("transcribed at"), null=True, blank=True)
    transcribed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("transcribed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Counts the transcriptions: an operator's write names the one they read,
    # so of two writing at once one wins and the other is told (compare-and-set).
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("voice message")
        verbose_name_plural = _("voice messages")

    def __str__(self) -> str:
        return self.original_name or str(self.file.name)

    @property
    def transcribed(self) -> bool:
        return self.transcribed_at is not None


class Submission(models.Model):
    """An appeal as it arrived (接诉): written in one insert while the client
    waits, then registered as an :class:`Appeal` by the worker within moments
    (its tracking page says "being registered" meanwhile). The key is the
    client's idempotency key: a retry with the same key and payload answers with
    the same tracking code, another payload under that key is refused."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being registered")
        REGISTERED = "registered", _("Registered")

    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    request_hash = models.CharField(_("request hash"), max_length=64)
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    # No database constraint: checking one would lock the street's row (FOR KEY
    # SHARE) in every intake transaction, and all of a street's residents report
    # to the same row. The street was checked when it was received, and the
    # appeal made from this row holds the real constraint.
    street = models.ForeignKey(
        "org.Area",
        verbose_name=_("street"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # The cleaned input as JSON, encrypted: it holds the name and phone number.
    payload = EncryptedTextField(_("payload"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"))
    appeal = models.OneToOneField(
        Appeal,
        verbose_name=_("appeal"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="submission",
    )
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    retry_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(state="pending"),
                name="appeals_submission_pending",
            )
        ]

    def __str__(self) -> str:
        return self.tracking_code
