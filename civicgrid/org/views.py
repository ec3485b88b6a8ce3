from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .selectors import (
    ancestor_paths,
    area_map_features,
    areas_for_user,
    department_handlers,
    departments_for_user,
)
from .models import Area


@login_required
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(areas_for_user(request.user), code=code)
    breadcrumbs = list(
        Area.objects.filter(path__in=ancestor_paths(area.path)).order_by("path")
    )
    visible = set(
        areas_for_user(request.user)
        .filter(pk__in=[a.pk for a in breadcrumbs])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "org/area_detail.html",
        {
            "area": area,
            "breadcrumbs": [(a, a.pk in visible) for a in breadcrumbs],
            "children": area.children.order_by("code"),
            "features": area_map_features(area),
        },
    )


@login_required
def department_detail(request: HttpRequest, code: str) -> HttpResponse:
    department = get_object_or_404(
        departments_for_user(request.user).select_related("area"), code=code
    )
    return render(
        request,
        "org/department_detail.html",
        {"department": department, "handlers": department_handlers(department=department)},
    )
