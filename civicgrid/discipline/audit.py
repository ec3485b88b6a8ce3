"""The channel's append-only, hash-chained audit log (审计日志).

Every view of a report, every download, grant, identity request and decision
and every step is one :class:`AuditEntry`, written in the transaction of what
it records. Each row's ``digest`` is an HMAC-SHA256 (key
``CIVICGRID_DISCIPLINE_AUDIT_KEY``) over its own fields and the previous row's
digest: editing a row, removing one or slipping one in breaks the chain from
there on, and without the key the chain cannot be forged anew.
:func:`verify` walks it (``manage.py discipline_audit``). The detail holds
identifiers and kinds, never a report's words.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from civicgrid.core import clock

from .models import AuditEntry

GENESIS = "0" * 64
# The advisory lock that puts appends in one line on PostgreSQL.
_LOCK = 0x64697363  # "disc"


def _key() -> bytes:
    return settings.CIVICGRID_DISCIPLINE_AUDIT_KEY.encode()


def _canonical(
    *,
    seq: int,
    at: Any,
    actor_id: int | None,
    actor_label: str,
    action: str,
    report_id: int | None,
    detail: dict,
    previous: str,
) -> bytes:
    return json.dumps(
        [
            seq,
            at.astimezone(UTC).isoformat(),
            actor_id,
            actor_label,
            action,
            report_id,
            detail,
            previous,
        ],
        sort_keys=True,
        ensure_ascii=True,
        separators=(",", ":"),
    ).encode()


def _digest(payload: bytes) -> str:
    return hmac.new(_key(), payload, hashlib.sha256).hexdigest()


def record(
    action: str,
    *,
    actor: Any = None,
    actor_label: str = "",
    report: Any = None,
    **detail: Any,
) -> AuditEntry:
    """Append one entry; must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record runs inside the action's transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
    last = AuditEntry.objects.order_by("-seq").values("seq", "digest").first()
    seq = (last["seq"] + 1) if last else 1
    previous = last["digest"] if last else GENESIS
    at = clock.now()
    actor_id = actor.pk if actor is not None and actor.pk else None
    if actor_id is None and not actor_label:
        actor_label = "system"
    report_id = report.pk if report is not None else None
    digest = _digest(
        _canonical(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            report_id=report_id,
            detail=detail,
            previous=previous,
        )
    )
    return AuditEntry.objects.create(
        seq=seq,
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        report_id=report_id,
        detail=detail,
        previous=previous,
        digest=digest,
    )


@dataclass(frozen=True)
class Break:
    seq: int
    problem: str


def verify() -> Iterator[Break]:
    """Every place where the chain does not hold, in order."""
    expected_previous = GENESIS
    expected_seq = 1
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            yield Break(entry.seq, f"expected entry {expected_seq} here")
        if entry.previous != expected_previous:
            yield Break(entry.seq, "does not follow the entry before it")
        payload = _canonical(
            seq=entry.seq,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_label=entry.actor_label,
            action=entry.action,
            report_id=entry.report_id,
            detail=entry.detail,
            previous=entry.previous,
        )
        if not hmac.compare_digest(_digest(payload), entry.digest):
            yield Break(entry.seq, "its contents were changed")
        expected_previous = entry.digest
        expected_seq = entry.seq + 1
