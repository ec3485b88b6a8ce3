"""What the Open311 adapter keeps of its own: the tokens it issues for batch
services, and the updates other systems posted, by their own ids."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    """128 random bits: a token is the filer's to poll with, and nobody's to guess."""
    return secrets.token_urlsafe(16)


class RequestToken(models.Model):
    """The token a batch service answers a new request with (GeoReport v2's
    ``token``): random, issued here, never the client's idempotency key. Anyone
    holding it learns the request's id, and only that."""

    token = models.CharField(_("token"), max_length=32, unique=True, default=new_token)
    submission = models.OneToOneField(
        "appeals.Submission",
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 token")
        verbose_name_plural = _("Open311 tokens")

    def __str__(self) -> str:
        return self.token[:6] + "…"


class ClientUpdate(models.Model):
    """An update a client system posted (the FixMyStreet updates extension),
    under the client's own ``update_id``: the same id again is the same update,
    answered with the event it was recorded as, never recorded twice."""

    client = models.ForeignKey(
        "api.ApiClient",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    update_id = models.CharField(_("client's update id"), max_length=100)
    event = models.ForeignKey(
        "appeals.CaseEvent",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 client update")
        verbose_name_plural = _("Open311 client updates")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "update_id"], name="open311_update_once_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.update_id}"
