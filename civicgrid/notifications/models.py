"""The outbox (发件箱): one row per message that must leave the system.

Actions write rows in their own transaction, so a rolled-back action sends
nothing; the worker drains committed rows afterwards (see ``outbox.py``).
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core import clock
from civicgrid.core.fields import EncryptedTextField


class Notification(models.Model):
    """A message on its way out: rendered at enqueue time, sent after commit."""

    class Channel(models.TextChoices):
        CONSOLE = "console", _("Console (log only)")
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WEBHOOK = "webhook", _("Webhook")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DEAD = "dead", _("Dead (gave up)")

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", "简体中文"
        BO = "bo", "བོད་ཡིག"
        EN = "en", "English"

    event = models.CharField(_("event"), max_length=100)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # A phone number, an e-mail address or a webhook URL: personal data, encrypted.
    recipient = EncryptedTextField(_("recipient"))
    language = models.CharField(
        _("language"),
        max_length=16,
        choices=Language.choices,
        default=Language.ZH_HANS,
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    # The text may carry the resident's own link (its key): encrypted like the
    # recipient, so a database dump or the admin's SQL shows neither.
    body = EncryptedTextField(_("body"), blank=True)
    payload = models.JSONField(
        _("payload"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    # What the message is about, e.g. "appeal:123"; a string so that any app can
    # point at its objects without a foreign key from here to there.
    subject_ref = models.CharField(
        _("about"), max_length=100, blank=True, db_index=True
    )
    # A second notify() with the same key is a no-op (e.g. one due-soon warning
    # per assignment and deadline).
    dedupe_key = models.CharField(
        _("dedupe key"), max_length=200, null=True, blank=True, unique=True
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=clock.now)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The drain query: due pending rows, and sending rows whose claim expired.
            models.Index(
                fields=["state", "next_attempt_at"], name="notification_drain_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "sending", "sent", "dead"]),
                name="notification_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=["console", "email", "sms", "webhook"]),
                name="notification_channel_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=["zh-hans", "bo", "en"]),
                name="notification_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.event} → {self.get_channel_display()} ({self.get_state_display()})"
        )
