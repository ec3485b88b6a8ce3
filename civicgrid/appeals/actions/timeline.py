"""The timeline (CaseEvent) the actions write, and the small pieces every
section of the actions shares: cleaning a text, saving photos. (The clocks
are :mod:`civicgrid.appeals.clocks`.)
Whoever follows the timeline as it is written is told through
:mod:`civicgrid.appeals.listeners`, in the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.errors import DomainError
from civicgrid.core.fields import seal_in_data
from civicgrid.core.images import ProcessedImage

from .. import listeners
from ..models import Appeal, Assignment, Attachment, CaseEvent
from ..selectors import SEALED_DATA_KEYS

# --- the events -------------------------------------------------------------------


def write(appeal: Appeal, action: str, **fields: Any) -> CaseEvent:
    """Write a timeline event (``fields`` as :func:`row` takes them) and tell
    the listeners, in the caller's transaction."""
    event = row(appeal, action, **fields)
    event.save(force_insert=True)
    listeners.event_written(event)  # in this same transaction
    return event


def row(
    appeal: Appeal,
    action: str,
    *,
    actor: Any = None,
    actor_role: str = "",
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    public: bool = False,
    assignment: Assignment | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """A timeline event, not yet saved."""
    return CaseEvent(
        appeal=appeal,
        assignment=assignment,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=actor_role or ("system" if actor is None else ""),
        from_state=from_state,
        to_state=to_state or appeal.state,
        note=note,
        public=public,
        data=sealed_data(data or {}),
        created_at=clock.now(),
    )


# Texts typed by a person that an event keeps in its data (a reply's outcome
# reason): masked there like the note, the original encrypted beside it.
def sealed_data(data: dict[str, Any]) -> dict[str, Any]:
    return seal_in_data(data, SEALED_DATA_KEYS)


# --- small pieces -----------------------------------------------------------------

# Control characters (but tab and line breaks): nobody types them, and XML and
# many terminals cannot show them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(
    value: str, *, field: str, label: str, required: bool = True, limit: int
) -> str:
    value = CONTROL_CHARACTERS.sub("", value or "").strip()
    if required and not value:
        raise DomainError(_("%(label)s is required.") % {"label": label}, field=field)
    if len(value) > limit:
        raise DomainError(
            _("%(label)s is longer than %(limit)d characters.")
            % {"label": label, "limit": limit},
            field=field,
        )
    return value


def _save_photos(
    appeal: Appeal,
    photos: Sequence[ProcessedImage],
    *,
    event: CaseEvent | None,
    uploaded_by: Any,
    public: bool,
) -> list[Attachment]:
    saved = []
    for n, photo in enumerate(photos):
        stem = f"{photo.sha256[:16]}-{n}"
        attachment = Attachment(
            appeal=appeal,
            event=event,
            content_type=photo.content_type,
            size=len(photo.content),
            width=photo.width,
            height=photo.height,
            sha256=photo.sha256,
            original_name=photo.original_name,
            public=public,
            uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
        )
        attachment.file.save(
            f"{stem}.{photo.extension}", ContentFile(photo.content), save=False
        )
        attachment.thumbnail.save(
            f"{stem}-thumb.jpg", ContentFile(photo.thumbnail), save=False
        )
        attachment.save()
        saved.append(attachment)
    return saved
