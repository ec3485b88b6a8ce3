from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from civicgrid.accounts.selectors import memberships_for


def home(request: HttpRequest) -> HttpResponse:
    """Residents find the two things they come for; signed-in staff see who they
    are, what roles they hold, and where they can go from here."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    memberships = list(memberships_for(request.user))
    staff_roles = {m.role for m in memberships} - {"resident", "volunteer"}
    return render(
        request,
        "core/home.html",
        {
            "memberships": memberships,
            "console": request.user.is_superuser or bool(staff_roles),
        },
    )


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
