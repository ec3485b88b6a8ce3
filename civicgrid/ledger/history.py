"""The ledger's history (:class:`~civicgrid.ledger.models.Change`): every
write and every reveal, in the transaction of the write."""

from __future__ import annotations

from typing import Any

from civicgrid.core import clock

from .models import Change


def record(
    *,
    obj: Any,
    action: str,
    actor: Any,
    grid: Any = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> Change:
    """Append one change. ``changes`` maps a field to ``[old, new]``; personal
    values must already be masked by the caller."""
    return Change.objects.create(
        grid=grid if grid is not None else getattr(obj, "grid", None),
        model=obj._meta.model_name,
        object_id=obj.pk,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes=changes or {},
        reason=reason,
        created_at=clock.now(),
    )


def diff(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields of ``values`` that differ from ``obj``'s, as ``[old, new]``."""
    changed = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changed[field] = [_plain(old), _plain(new)]
    return changed


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value
