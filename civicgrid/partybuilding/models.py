"""党建引领: units and in-service party members registered to the community
they serve (双报到), the service ledger that is their digital 报到联系证, and
the micro-wishes (微心愿) of elderly and poor households that they claim and
fulfil. Nothing is deleted: an ended registration, a refused or cancelled wish
stays, and every step of a wish is a :class:`WishEvent`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicgrid.core.fields import SealedTextField, SealedTextsModel
from civicgrid.core.models import TimeStamped


class Registration(models.TextChoices):
    """Where a registration stands (双报到)."""

    PENDING = "pending", _("Waiting for the community")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")
    ENDED = "ended", _("Ended")


ACTIVE_REGISTRATIONS = (Registration.PENDING, Registration.CONFIRMED)


class Registered(TimeStamped):
    """Where a registration stands and who decided it (a unit's, a member's)."""

    state = models.CharField(
        _("state"),
        max_length=12,
        choices=Registration.choices,
        default=Registration.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        abstract = True


class UnitRegistration(Registered):
    """单位报到: a unit's party organisation registers to a community, says
    what it can offer and who to call; its contact reads its members' service
    ledgers."""

    organisation = models.ForeignKey(
        "ledger.Organisation",
        verbose_name=_("party organisation"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    community = models.ForeignKey(
        "org.Area",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="unit_registrations",
    )
    offers = models.TextField(_("what it can offer"))
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="unit_registrations",
    )

    class Meta:
        verbose_name = _("unit registration")
        verbose_name_plural = _("unit registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "community"],
                condition=Q(state__in=["pending", "confirmed"]),
                name="one_active_unit_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.community}"


class Volunteer(Registered):
    """个人报到: an in-service party member registers as a volunteer to the
    community where they live — their unit, skills, when they can help, and
    their public pledge (亮身份、亮职责、亮承诺)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="volunteering",
    )
    community = models.ForeignKey(
        "org.Area",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    unit = models.ForeignKey(
        UnitRegistration,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    duty = models.CharField(_("post and duty"), max_length=100, blank=True)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    availability = models.CharField(_("when they can help"), max_length=100, blank=True)
    pledge = models.CharField(_("public pledge"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("registered party member")
        verbose_name_plural = _("registered party members")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(state__in=["pending", "confirmed"]),
                name="one_active_volunteering",
            )
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Wish(SealedTextsModel, TimeStamped):
    """微心愿: a small wish of a household in the ledger, gathered by its grid
    worker with the beneficiary's consent, and carried from the community's
    check to the wall, a claim, the delivery and the beneficiary's word."""

    class State(models.TextChoices):
        GATHERED = "gathered", _("Gathered")
        VERIFIED = "verified", _("Verified")
        PUBLISHED = "published", _("On the wall")
        CLAIMED = "claimed", _("Claimed")
        FULFILLED = "fulfilled", _("Delivered")
        CONFIRMED = "confirmed", _("Confirmed and credited")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    household = models.ForeignKey(
        "ledger.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="wishes",
    )
    grid = models.ForeignKey(
        "org.Area", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        "org.Area",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="wishes",
    )
    beneficiary = models.ForeignKey(
        "ledger.Person",
        verbose_name=_("beneficiary"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wishes",
    )
    # What the wall shows of who wishes: a first name or 老人 — never a full
    # name, an address or a number.
    shown_as = models.CharField(_("shown on the wall as"), max_length=20)
    need = SealedTextField(_("the wish"))
    value = models.DecimalField(
        _("estimated value (yuan)"), max_digits=8, decimal_places=2
    )
    consent_at = models.DateTimeField(_("consent noted at"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.GATHERED
    )
    gathered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gathered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    claimed_by = models.ForeignKey(
        Volunteer,
        verbose_name=_("claimed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    claimed_by_unit = models.ForeignKey(
        UnitRegistration,
        verbose_name=_("claimed by the unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    fulfilled_on = models.DateField(_("delivered on"), null=True, blank=True)
    photo = models.JSONField(_("photo of the delivery"), default=dict, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_for_beneficiary = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        indexes = [
            models.Index(
                fields=["claim_expires_at"],
                condition=Q(state="claimed"),
                name="wish_claim_expiry",
            ),
            models.Index(fields=["community", "state"], name="wish_wall"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0), name="wish_value_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(state="claimed")
                | Q(claimed_by__isnull=False)
                | Q(claimed_by_unit__isnull=False),
                name="a_claimed_wish_has_a_claimer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shown_as}: {self.need[:20]}"


class WishEvent(SealedTextsModel):
    """One step of a wish: who, when, from and to which state, and a note."""

    wish = models.ForeignKey(Wish, on_delete=models.PROTECT, related_name="events")
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
        verbose_name = _("step of a wish")
        verbose_name_plural = _("steps of wishes")
        ordering = ["created_at", "pk"]


class ServiceEntry(models.Model):
    """A line of a volunteer's (or a unit's) service ledger, the digital
    报到联系证: a wish fulfilled, an activity joined, hours served."""

    class Kind(models.TextChoices):
        WISH = "wish", _("Micro-wish fulfilled")
        ACTIVITY = "activity", _("Activity joined")

    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
    )
    unit = models.ForeignKey(
        UnitRegistration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    wish = models.OneToOneField(
        Wish, on_delete=models.PROTECT, null=True, blank=True, related_name="credit"
    )
    title = models.CharField(_("what"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)
    served_on = models.DateField(_("on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("service entry")
        verbose_name_plural = _("service entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteer__isnull=False) | Q(unit__isnull=False),
                name="a_service_is_someones",
            )
        ]

    def __str__(self) -> str:
        return f"{self.served_on} {self.title}"
