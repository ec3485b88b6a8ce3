"""纪检监察信访举报: the sealed discipline-report channel.

It shares only the work calendar, accounts and the area tree with the rest of
the platform. What a reporter wrote — the accused, what happened, the evidence,
their messages — and who the reporter is are sealed with the report's own data
keys (``sealing.py``); the rows here keep only what a docket needs in the clear:
the channel, the kind of matter, the dates, the state and the disposal.

Who may see what is this app's own roster (:class:`Post`) and an explicit grant
per report (:class:`Grant`); nothing in ``accounts`` gives access, and no role —
the superuser's included — sees every report. No model has Django permissions
(``default_permissions = ()``), so none can be granted in the admin either.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicgrid.core.fields import EncryptedTextField
from civicgrid.core.models import TimeStamped


class Body(TimeStamped):
    """A discipline inspection and supervision body (纪检监察机关): the county's
    or district's 纪委监委, a street's 纪工委. ``parent`` is the next level up,
    where a report about this body's own principal goes."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(
        _("code"),
        max_length=16,
        unique=True,
        help_text=_("Starts its reports' numbers, e.g. DL-2026-0001."),
    )
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("next level up"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    hotline = models.CharField(_("hotline"), max_length=20, default="12388")
    address = models.CharField(_("address for letters and visits"), max_length=200)
    visiting_hours = models.CharField(_("visiting hours"), max_length=200)
    accepts_online = models.BooleanField(_("takes online reports"), default=True)

    class Meta:
        default_permissions = ()
        ordering = ["name"]
        verbose_name = _("discipline body")
        verbose_name_plural = _("discipline bodies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="body_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Post(TimeStamped):
    """Who works in the channel of a body, and as what. A user may hold posts
    in several bodies. Ending a post (``ended_at``) ends what it allowed."""

    class Kind(models.TextChoices):
        HEAD = "head", _("Head of the reports office")
        OFFICER = "officer", _("Officer")
        CUSTODIAN = "custodian", _("Identity custodian")
        PRINCIPAL = "principal", _("Principal")
        PRINCIPAL_OFFICE = "principal_office", _("Principal's office")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="posts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="discipline_posts",
    )
    kind = models.CharField(_("post"), max_length=20, choices=Kind.choices)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        default_permissions = ()
        ordering = ["body", "kind", "user"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "user", "kind"],
                condition=Q(ended_at__isnull=True),
                name="post_unique_active",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "head",
                        "officer",
                        "custodian",
                        "principal",
                        "principal_office",
                    ]
                ),
                name="post_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.body}"


class Channel(models.TextChoices):
    ONLINE = "online", _("Online form")
    QR = "qr", _("Inspection QR code")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("12388 call")


class Matter(models.TextChoices):
    """The five kinds of matter the channel accepts (受理范围)."""

    PARTY_DISCIPLINE = "party_discipline", _("Breach of Party discipline")
    DUTY_VIOLATION = "duty_violation", _("Duty violation or crime by a public official")
    SANCTION_APPEAL = "sanction_appeal", _("Appeal against a sanction")
    CRITICISM = "criticism", _("Criticism of integrity work")
    OTHER = "other", _("Other breach for a discipline body")


class Disposal(models.TextChoices):
    """The four disposals of an accepted report (四种处置方式)."""

    TALK = "talk", _("Talk or letter of inquiry")
    VERIFY = "verify", _("Preliminary verification")
    HOLD = "hold", _("Held for later")
    CLOSE = "close", _("Closed without further action")


class Report(TimeStamped):
    """One report (检举控告). The clear columns are the docket; ``sealed`` holds
    the content (a JSON document sealed with ``content_key``)."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        REGISTERED = "registered", _("Registered")
        ACCEPTED = "accepted", _("Accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        DISPOSED = "disposed", _("Being handled")
        CONCLUDED = "concluded", _("Concluded")
        FED_BACK = "fed_back", _("Result given")
        OBJECTED = "objected", _("Objection raised")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=32, unique=True)
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    # The body first chosen (or reached by a QR code): where it came in.
    lodged_with = models.ForeignKey(
        Body,
        verbose_name=_("lodged with"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A report about this body's principal: never visible to its principal
    # or their office, wherever the report goes.
    concerns_principal_of = models.ForeignKey(
        Body,
        verbose_name=_("about the principal of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    matter = models.CharField(_("matter"), max_length=24, choices=Matter.choices)
    real_name = models.BooleanField(_("real name"), default=False)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RECEIVED
    )
    disposal = models.CharField(
        _("disposal"), max_length=12, choices=Disposal.choices, blank=True
    )
    received_at = models.DateTimeField(_("received at"))
    # Deadlines on the work calendar (15 working days to decide acceptance, 5
    # to send up what belongs to a higher body, 15 to give the result).
    refer_due_at = models.DateTimeField(_("send up by"), null=True, blank=True)
    decide_due_at = models.DateTimeField(_("decide by"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    feedback_due_at = models.DateTimeField(_("give result by"), null=True, blank=True)
    fed_back_at = models.DateTimeField(_("result given at"), null=True, blank=True)
    # The content's data key, wrapped by the master key (sealing.wrap).
    content_key = models.BinaryField(editable=False)
    sealed = models.BinaryField(editable=False)
    # Argon2id of the receipt (receipts.digest), never the receipt itself.
    receipt_digest = models.CharField(max_length=64, unique=True, editable=False)
    # SHA-256 of the form's one-time key: the same form sent twice (a reload
    # of the receipt page) makes one report.
    intake_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    code = models.ForeignKey(
        "discipline.Code",
        verbose_name=_("QR code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )

    class Meta:
        default_permissions = ()
        ordering = ["-received_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["body", "state"], name="report_body_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "received",
                        "registered",
                        "accepted",
                        "not_accepted",
                        "disposed",
                        "concluded",
                        "fed_back",
                        "objected",
                    ]
                ),
                name="report_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="disposed") | ~Q(disposal=""),
                name="report_disposed_has_disposal",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Identity(models.Model):
    """Who a real-name reporter is, apart from the content and under its own
    data key: opened only for an officer whose request a custodian approved."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="identity"
    )
    key = models.BinaryField(editable=False)
    sealed = models.BinaryField(editable=False)

    class Meta:
        default_permissions = ()
        verbose_name = _("reporter's identity")
        verbose_name_plural = _("reporters' identities")

    def __str__(self) -> str:
        return f"identity of report {self.report_id}"


class Attachment(models.Model):
    """Evidence: an image (re-encoded, metadata gone), a video or a document
    stored as given; every one encrypted with the report's data key. Its name,
    type and size are sealed too: only the file's place is in the clear."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.CharField(max_length=200, editable=False)
    sealed = models.BinaryField(editable=False)
    added_at = models.DateTimeField()
    # Added with the reporter's objection (new evidence), or by an officer.
    from_reporter = models.BooleanField(default=True)

    class Meta:
        default_permissions = ()
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"attachment {self.uid}"


class Step(models.Model):
    """A report's history: every action, with who took it (none for the
    reporter), the states, and its words sealed. ``shown_to_reporter`` marks
    what the receipt page shows (the acceptance notice, the result)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        REGISTERED = "registered", _("Registered")
        ACCEPTED = "accepted", _("Accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        REFERRED = "referred", _("Sent up a level")
        DISPOSED = "disposed", _("Disposal decided")
        CONCLUDED = "concluded", _("Concluded")
        FED_BACK = "fed_back", _("Result given")
        OBJECTED = "objected", _("Objection raised")
        REOPENED = "reopened", _("Reopened")
        UPHELD = "upheld", _("Objection answered")
        GRANTED = "granted", _("Officer assigned")
        REVOKED = "revoked", _("Officer withdrawn")
        MESSAGE = "message", _("Message")
        EVIDENCE = "evidence", _("Evidence added")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    shown_to_reporter = models.BooleanField(default=False)
    # The step's words (a note, the notice, the result, a message), sealed
    # with the report's data key; empty for a step without words.
    sealed = models.BinaryField(default=b"", editable=False)

    class Meta:
        default_permissions = ()
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} of report {self.report_id}"


class Grant(models.Model):
    """An officer's access to one report (承办): given by the head of the
    report's body with a reason, ended by revocation or when the report goes
    up a level."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="grants")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Encrypted at rest like every text an officer types here: a reason may
    # name what the report is about.
    reason = EncryptedTextField(_("reason"))
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        default_permissions = ()
        ordering = ["granted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "officer"],
                condition=Q(revoked_at__isnull=True),
                name="grant_one_active_per_officer",
            )
        ]

    def __str__(self) -> str:
        return f"report {self.report_id} to user {self.officer_id}"


class IdentityRequest(models.Model):
    """An officer's request to see a reporter's identity; a custodian of the
    report's body approves or refuses it, each with a reason. The custodian
    never sees the identity."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a custodian")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        # The report went up a level before a custodian decided.
        WITHDRAWN = "withdrawn", _("Withdrawn")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="identity_requests"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField(_("reason"))
    requested_at = models.DateTimeField()
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = EncryptedTextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "officer"],
                condition=Q(state="pending"),
                name="identityrequest_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "withdrawn"])
                | Q(custodian__isnull=False),
                name="identityrequest_decided_by_custodian",
            ),
        ]

    def __str__(self) -> str:
        return f"identity request {self.pk} ({self.state})"


class Alert(models.Model):
    """A step gone past its deadline, for the head of the report's body."""

    class Kind(models.TextChoices):
        REFER = "refer", _("Not sent up within 5 working days")
        DECIDE = "decide", _("Acceptance not decided within 15 working days")
        FEEDBACK = "feedback", _("Result not given within 15 working days")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="alerts")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField()
    raised_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "due_at"], name="alert_once_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} alert on report {self.report_id}"


class Code(TimeStamped):
    """A 码上巡 QR code: for an inspection group, an inspected unit or a
    poster. Scanning it opens the report form with ``target`` filled in.
    With ``questions`` it is a pair ("双码"): beside the report code, a
    questionnaire code (测评) whose answers are only counted
    (:class:`Tally`). Scans are counted here, never who scanned."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Inspection group")
        UNIT = "unit", _("Inspected unit")
        POSTER = "poster", _("Poster")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="codes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("name"), max_length=100)
    target = models.CharField(
        _("unit filled in"),
        max_length=100,
        blank=True,
        help_text=_("The unit the report form names when this code is scanned."),
    )
    # [{"text": "…", "choices": ["…", "…"]}, …]; empty: no questionnaire.
    questions = models.JSONField(_("questionnaire"), default=list, blank=True)
    scans = models.PositiveIntegerField(_("scans"), default=0, editable=False)
    survey_scans = models.PositiveIntegerField(
        _("questionnaire scans"), default=0, editable=False
    )
    answered = models.PositiveIntegerField(
        _("questionnaires answered"), default=0, editable=False
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        default_permissions = ()
        ordering = ["body", "kind", "label"]
        verbose_name = _("QR code")
        verbose_name_plural = _("QR codes")

    def __str__(self) -> str:
        return self.label


class AuditEntry(models.Model):
    """The channel's own audit log: every view, download, grant and step, one
    row each, chained — ``digest`` is an HMAC over the row and the previous
    row's digest, so an edited, removed or inserted row breaks the chain
    (``manage.py discipline_audit --verify``). Rows are never updated or
    deleted: the database refuses it (migration 0002's triggers)."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # "reporter" for the anonymous reporter, "system" for the worker.
    actor_label = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=32)
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.JSONField(default=dict)
    previous = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        default_permissions = ()
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"audit {self.seq} {self.action}"


class Counter(models.Model):
    """The last number given to a body's reports in a year (DL-2026-0042)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}: {self.last}"


class Tally(models.Model):
    """How many answered a questionnaire's question with a choice: a count,
    never an answer of anyone's."""

    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="tallies")
    question = models.PositiveSmallIntegerField()
    choice = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["code", "question", "choice"], name="tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code_id} q{self.question} c{self.choice}: {self.count}"


# --- the acceptance guide and the publicity ledger ------------------------------


class GuideVersion(models.Model):
    """One saved version of a body's acceptance guide (《信访举报指南》): every
    save by the head is a new version, the old ones kept; the public page
    shows the latest. ``texts`` holds the guide in each language
    (``guide_texts.LANGUAGES``), text by text (``guide_texts.KEYS``)."""

    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="guide_versions",
    )
    number = models.PositiveIntegerField(_("version"))
    texts = models.JSONField(_("texts"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"))

    class Meta:
        default_permissions = ()
        ordering = ["body", "-number"]
        verbose_name = _("guide version")
        verbose_name_plural = _("guide versions")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"], name="guideversion_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="guideversion_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"guide of {self.body_id} v{self.number}"


class Material(TimeStamped):
    """Publicity material a body had printed (宣传品): calendars, posters,
    paper cups, leaflets. ``handed_out`` is the running total of its
    distributions, raised only by a conditional update, so it never passes
    ``printed`` (and the database checks it too)."""

    class Kind(models.TextChoices):
        CALENDAR = "calendar", _("Calendar poster")
        POSTER = "poster", _("Poster")
        CUP = "cup", _("Paper cup")
        LEAFLET = "leaflet", _("Leaflet")
        OTHER = "other", _("Other")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    printed = models.PositiveIntegerField(_("quantity printed"))
    handed_out = models.PositiveIntegerField(_("handed out"), default=0, editable=False)

    class Meta:
        default_permissions = ()
        ordering = ["body", "-year", "kind", "name"]
        verbose_name = _("publicity material")
        verbose_name_plural = _("publicity materials")
        constraints = [
            models.CheckConstraint(
                condition=Q(printed__gte=1), name="material_printed_positive"
            ),
            models.CheckConstraint(
                condition=Q(handed_out__lte=models.F("printed")),
                name="material_not_overdrawn",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["calendar", "poster", "cup", "leaflet", "other"]),
                name="material_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def left(self) -> int:
        return self.printed - self.handed_out


class Activity(TimeStamped):
    """A publicity activity (宣传活动): door-to-door visits, a square event
    (e.g. 全民国家安全教育日, 15 April), a meeting; how many people came to
    ask (接受群众咨询, counted, never who)."""

    class Kind(models.TextChoices):
        DOOR_TO_DOOR = "door_to_door", _("Door-to-door")
        SQUARE = "square", _("Square event")
        MEETING = "meeting", _("Meeting")
        OTHER = "other", _("Other")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("held on"))
    area = models.ForeignKey(
        "org.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    consultations = models.PositiveIntegerField(_("consultations"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        default_permissions = ()
        ordering = ["body", "-held_on", "-pk"]
        verbose_name = _("publicity activity")
        verbose_name_plural = _("publicity activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["door_to_door", "square", "meeting", "other"]),
                name="activity_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Distribution(models.Model):
    """Material handed out in a township or village (发放), at an activity
    or on its own."""

    material = models.ForeignKey(
        Material,
        verbose_name=_("material"),
        on_delete=models.PROTECT,
        related_name="distributions",
    )
    area = models.ForeignKey(
        "org.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    handed_out_on = models.DateField(_("handed out on"))
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="distributions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        default_permissions = ()
        ordering = ["-handed_out_on", "-pk"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="distribution_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of {self.material_id} in {self.area_id}"
