from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from .models import Area
from .selectors import (
    area_chain,
    area_map_features,
    areas_for_user,
    department_handlers,
    departments_for_user,
)


@login_required
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    visible_areas = areas_for_user(request.user)
    area = get_object_or_404(visible_areas, code=code)
    if area.level == Area.Level.GRID:
        # A grid's page shows its appeals, patrol findings and rates, which
        # this app may not read: metrics, above all three, serves it.
        return redirect("metrics:area", code=area.code)
    children = list(area.children.order_by("code"))
    breadcrumbs = list(area_chain(area))
    visible = set(
        visible_areas.filter(pk__in=[a.pk for a in breadcrumbs]).values_list(
            "pk", flat=True
        )
    )
    return render(
        request,
        "org/area_detail.html",
        {
            "area": area,
            "breadcrumbs": [(a, a.pk in visible) for a in breadcrumbs],
            "children": children,
            "features": area_map_features(area, children),
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
        {
            "department": department,
            "handlers": department_handlers(department=department),
        },
    )
