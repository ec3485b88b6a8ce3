from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from civicgrid.accounts.selectors import memberships_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Who you are, what roles you hold, and where you can go from here."""
    memberships = list(memberships_for(request.user))
    return render(request, "core/home.html", {"memberships": memberships})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
