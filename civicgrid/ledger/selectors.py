"""Scoped reads of the ledger: every query a page or the API makes starts here,
so an outsider gets nothing (and a 404 for one row)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from civicgrid.org.models import Area

from . import permissions


def grids_for_user(user: Any) -> QuerySet[Area]:
    """The active grids whose ledger the user reads."""
    return Area.objects.filter(
        permissions.visible_q(user, "path"), level=Area.Level.GRID, is_active=True
    ).select_related("parent")
