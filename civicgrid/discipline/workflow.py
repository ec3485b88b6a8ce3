"""A report's states under the 2020 rules (《纪检监察机关处理检举控告工作规则》)
and their transition table, moved by compare-and-set.

received ─register─▶ registered ─accept─▶ accepted ─dispose─▶ disposed ─conclude─▶
   │                    │   └─not accept (reason, where to go instead)
   └──── refer: up a level (back to received there) ────┘
concluded ─feed back─▶ fed_back ─object─▶ objected ─reopen─▶ accepted
                                              └─uphold─▶ fed_back
A report held for later (暂存待查) may be disposed of again.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from civicgrid.core.db import compare_and_set
from civicgrid.core.errors import ConflictError, DomainError

from .models import Report

S = Report.State

TRANSITIONS: dict[str, set[str]] = {
    S.RECEIVED: {S.REGISTERED, S.RECEIVED},  # received → received: sent up
    S.REGISTERED: {S.ACCEPTED, S.NOT_ACCEPTED, S.RECEIVED},
    S.ACCEPTED: {S.DISPOSED},
    S.DISPOSED: {S.DISPOSED, S.CONCLUDED},
    S.CONCLUDED: {S.FED_BACK},
    S.FED_BACK: {S.OBJECTED},
    S.NOT_ACCEPTED: {S.OBJECTED},
    S.OBJECTED: {S.ACCEPTED, S.FED_BACK, S.NOT_ACCEPTED},
}

# Where the reporter may still write and object; what counts as open.
OPEN = (S.RECEIVED, S.REGISTERED, S.ACCEPTED, S.DISPOSED, S.CONCLUDED, S.OBJECTED)
# The states from which a report may go up a level.
REFERABLE = (S.RECEIVED, S.REGISTERED)


def move(
    report: Report, to: str, *, only_from: tuple[str, ...] | None = None, **fields: Any
) -> str:
    """Move ``report`` to ``to`` from the state it was read in; returns the old
    state. An illegal move is a DomainError, a lost race a ConflictError.
    ``only_from`` narrows the table for a step that shares its target with
    another (accepting and reopening both lead to accepted)."""
    old = report.state
    if to not in TRANSITIONS.get(old, set()) or (
        only_from is not None and old not in only_from
    ):
        raise DomainError(
            _("This report is %(state)s; that step is not open to it.")
            % {"state": S(old).label.lower()},
            field="state",
        )
    where = {"state": old, "body_id": report.body_id}
    if not compare_and_set(report, where, {"state": to, **fields}):
        raise ConflictError(
            _("Someone else acted on this report just now; look again.")
        )
    return old
