"""Reveal the sealed texts of the ledger (notes, findings, what was heard):
a phone or ID number someone typed into one is stored masked, the original
encrypted beside it (:class:`~civicgrid.core.fields.SealedTextField`). Who
keeps the grid's ledger may read the texts whole, once, saying why; each
reveal is a :class:`~civicgrid.ledger.models.Change` (action ``reveal``) with
the names of the texts and the reason — never the texts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core.errors import DomainError
from civicgrid.core.fields import SEALED_SUFFIX, full_text, sealed_fields

from .. import history, permissions
from ..models import Change, Household, Visit
from .places import _text


@dataclass(frozen=True)
class RevealedText:
    """One text whole: what it is (the field's name) and its words."""

    label: str
    text: str


def grid_of(obj: Any) -> Any:
    """The grid whose keepers may reveal the object's texts."""
    if isinstance(obj, Visit):
        return obj.household.grid
    return obj.grid


def _with_visits(obj: Any) -> list[Any]:
    """A household's page shows its visits: their texts go with its own."""
    if isinstance(obj, Household):
        return [obj, *obj.visits.order_by("visited_at", "pk")]
    return [obj]


def _sealed_names(obj: Any) -> list[str]:
    return [
        name
        for name in sealed_fields(type(obj))
        if getattr(obj, name + SEALED_SUFFIX, "")
    ]


def has_sealed_texts(obj: Any) -> bool:
    """Whether a number typed into one of the object's texts is masked."""
    return any(_sealed_names(o) for o in _with_visits(obj))


def may_reveal_texts(user: Any, obj: Any) -> bool:
    return permissions.may_reveal(user, grid_of(obj))


def ledger_reveal_texts(
    *, obj: Any, acting_user: Any, reason: str
) -> list[RevealedText]:
    """The object's texts that hold a masked number, whole, for who keeps its
    grid's ledger and says why; each object's reveal is recorded."""
    permissions.require(
        may_reveal_texts(acting_user, obj), _("You may not reveal these numbers.")
    )
    reason = _text(reason, field="reason", label=_("The reason"), limit=200)
    if not reason:
        raise DomainError(_("Say why you need the whole number."), field="reason")
    texts: list[RevealedText] = []
    with transaction.atomic():
        for item in _with_visits(obj):
            names = _sealed_names(item)
            if not names:
                continue
            history.record(
                obj=item,
                action=Change.Action.REVEAL,
                actor=acting_user,
                grid=grid_of(item),
                changes={"texts": names},
                reason=reason,
            )
            model = type(item)
            prefix = ""
            if isinstance(item, Visit) and item is not obj:
                prefix = _("Visit of %(date)s: ") % {
                    "date": timezone.localdate(item.visited_at).isoformat()
                }
            texts += [
                RevealedText(
                    prefix + str(model._meta.get_field(name).verbose_name),
                    full_text(item, name),
                )
                for name in names
            ]
    if not texts:
        raise DomainError(_("There is no number to reveal."), field="reason")
    return texts
