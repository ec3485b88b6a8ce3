"""The acceptance guide (《信访举报指南》): the head of a body's reports office
saves it, in three languages; every save is a new version and the old ones
stay."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, PermissionDeniedError

from .. import audit, guide_texts, permissions
from ..models import Body, GuideVersion

__all__ = ["guide_save"]


def guide_save(
    *, body: Body, texts: Mapping[str, Mapping[str, str]], acting_user: Any
) -> GuideVersion:
    """Version n+1 of ``body``'s guide: ``texts`` is ``{language: {key:
    text}}`` with every key of ``guide_texts.KEYS`` in every language."""
    if not permissions.may_keep_docket(acting_user, body):
        raise PermissionDeniedError(
            _("Only the head of the reports office edits the guide.")
        )
    cleaned = guide_texts.clean(texts)
    with transaction.atomic():
        # One save at a time per body (PostgreSQL; SQLite writes one at a
        # time anyway); the unique number is the last word.
        Body.objects.select_for_update().filter(pk=body.pk).exists()
        last = GuideVersion.objects.filter(body=body).aggregate(n=Max("number"))["n"]
        number = (last or 0) + 1
        try:
            with transaction.atomic():
                version = GuideVersion.objects.create(
                    body=body,
                    number=number,
                    texts=cleaned,
                    author=acting_user,
                    saved_at=clock.now(),
                )
        except IntegrityError as exc:
            raise ConflictError(
                _(
                    "Someone saved the guide at the same moment: read the latest "
                    "version and save again."
                )
            ) from exc
        audit.record(
            "guide.saved",
            actor=acting_user,
            body=body.pk,
            guide_version=version.pk,
            number=number,
        )
    return version
