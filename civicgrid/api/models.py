from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotentRequest(models.Model):
    """A creating POST made with an ``Idempotency-Key`` header: a retry with the
    same key and request gets the first answer again; another request under the
    key is refused (422). Keys are each user's own."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("idempotency key"), max_length=100)
    endpoint = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="idempotent_request_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class ApiClient(models.Model):
    """Another system that files and follows appeals without a person in between:
    the city's 12345 platform, a mini program, a department's case system. It
    acts as its own user (``user``), so what it may see and do comes from that
    user's memberships, exactly as for a person; appeals it files carry the API
    channel and its name. Only a hash of its key is kept."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acts as user"),
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    key_prefix = models.CharField(_("key begins"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        default=120,
        help_text=_("More requests than this in a minute are refused (429)."),
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name

    @property
    def usable(self) -> bool:
        return self.is_active and self.revoked_at is None and self.user.is_active


class ApiClientUse(models.Model):
    """One request made with a client's key — also a refused one: the log an
    auditor reads, and what the rate limit counts."""

    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="uses",
    )
    at = models.DateTimeField(_("at"))
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=200)
    status = models.PositiveSmallIntegerField(_("status"))
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("API client use")
        verbose_name_plural = _("API client uses")
        indexes = [models.Index(fields=["client", "at"])]

    def __str__(self) -> str:
        return f"{self.client_id} {self.method} {self.path} {self.status}"
