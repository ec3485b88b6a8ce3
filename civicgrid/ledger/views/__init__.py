from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import permissions, selectors
from ..actions.io import importable_areas


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The ledger's front page: the grids the user keeps or reads."""
    if not permissions.sees_ledger(request.user):
        raise Http404
    return render(
        request,
        "ledger/index.html",
        {
            "grids": selectors.grids_for_user(request.user),
            "may_import": bool(importable_areas(request.user)),
            "may_edit_map": selectors.map_edit_grids(request.user).exists(),
        },
    )
