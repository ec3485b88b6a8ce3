"""Pages of city components (部件): a list per grid (filtered by class and
state), a component's page with its appeals and history, adding and changing
it, marking it damaged, missing or good again, reporting a problem with it
(a patrol appeal linked to it) and linking an existing appeal by its code.
A department sees only the components it owns."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civicgrid.accounts import access
from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.core.errors import DomainError
from civicgrid.core.images import process_images
from civicgrid.org.models import Area, Department
from civicgrid.org.selectors import departments_serving

from .. import permissions, selectors, workflow
from ..actions import components as actions
from ..forms import places as forms
from ..models import Component
from ._common import attach, history_rows, paged

PAGE_SIZE = 50


def _may_report(user: Any, component: Any) -> bool:
    """Report a problem: keep the grid and enter patrol appeals on its street
    (its grid workers)."""
    return permissions.may_edit(user, component.grid) and (
        appeal_selectors.streets_for_staff_entry(user)
        .filter(pk=actions.street_of(component.grid).pk)
        .exists()
    )


def _sees_components(user: Any) -> bool:
    return permissions.sees_ledger(user) or bool(access.handled_department_ids(user))


@login_required
def component_list(request: HttpRequest) -> HttpResponse:
    if not _sees_components(request.user):
        raise Http404
    grids = selectors.grids_for_user(request.user)
    form = forms.ComponentFilterForm(request.GET or None, grids=grids)
    filters = form.cleaned_data if form.is_valid() else {}
    components = selectors.components_for_user(request.user)
    if grid := filters.get("grid"):
        components = components.filter(grid=grid)
    if major := filters.get("major"):
        components = components.filter(subclass__startswith=major)
    if state := filters.get("state"):
        components = components.filter(**{"shown_state": state})
    return render(
        request,
        "ledger/components/list.html",
        {
            "form": form,
            "components": paged(request, components, size=PAGE_SIZE),
            "may_add": grids.filter(
                permissions.editable_q(request.user, "path")
            ).exists(),
        },
    )


@login_required
def component_detail(
    request: HttpRequest,
    pk: int,
    *,
    state_form: Any = None,
    link_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    component = selectors.component_get_for_user(request.user, pk)
    may_edit = permissions.may_edit(request.user, component.grid)
    may_tend = permissions.may_tend_component(request.user, component)
    moves = sorted(workflow.COMPONENT_TRANSITIONS[component.state])
    if may_tend and state_form is None:
        state_form = forms.ComponentStateForm(initial={"state": moves[0]})
    if state_form is not None:
        state_form.fields["state"].choices = [
            (s, label) for s, label in state_form.fields["state"].choices if s in moves
        ]
    return render(
        request,
        "ledger/components/detail.html",
        {
            "component": component,
            "appeals": selectors.component_appeals(request.user, component),
            "changes": history_rows(selectors.changes_of(component)[:50], Component),
            "may_edit": may_edit,
            "may_report": _may_report(request.user, component),
            "state_form": state_form if may_tend else None,
            "link_form": (link_form or forms.LinkAppealForm()) if may_edit else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def component_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    component = selectors.component_get_for_user(request.user, pk) if pk else None
    if component is not None and not permissions.may_edit(request.user, component.grid):
        raise Http404
    if component is None and not permissions.sees_ledger(request.user):
        raise Http404
    departments = Department.objects.none()
    for street in Area.objects.filter(
        pk__in=selectors.grids_for_user(request.user).values("parent__parent_id")
    ):
        departments = departments | departments_serving(street)
    initial = (
        {
            "code": component.code,
            "lon": component.lon,
            "lat": component.lat,
            "department": component.department,
            "note": component.note,
        }
        if component
        else {"code": request.GET.get("kind", "")}
    )
    form = forms.ComponentForm(
        request.POST or None,
        initial=initial,
        departments=departments.distinct().order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        data = actions.ComponentInput(
            code=form.cleaned_data["code"],
            lon=form.cleaned_data["lon"],
            lat=form.cleaned_data["lat"],
            department=form.cleaned_data.get("department"),
            note=form.cleaned_data.get("note", ""),
        )
        try:
            if component is None:
                component = actions.component_create(
                    data=data, acting_user=request.user
                )
                messages.success(
                    request,
                    _("Component %(code)s added to %(grid)s.")
                    % {"code": component.code, "grid": component.grid.name},
                )
            else:
                changes = actions.component_update(
                    component=component, data=data, acting_user=request.user
                )
                messages.success(
                    request,
                    _("Component %(code)s saved.") % {"code": component.code}
                    if changes
                    else _("Nothing was changed."),
                )
            return redirect("ledger:component", component.pk)
        except DomainError as exc:
            attach(form, exc)
    return render(
        request,
        "ledger/places/edit.html",
        {
            "form": form,
            "object": component,
            "title": _("Change the component") if component else _("Add a component"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def component_state(request: HttpRequest, pk: int) -> HttpResponse:
    component = selectors.component_get_for_user(request.user, pk)
    if not permissions.may_tend_component(request.user, component):
        raise Http404
    form = forms.ComponentStateForm(request.POST)
    if form.is_valid():
        try:
            actions.component_set_state(
                component=component,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(
                request,
                _("Component %(code)s is now: %(state)s.")
                % {"code": component.code, "state": component.get_state_display()},
            )
            return redirect("ledger:component", component.pk)
    return component_detail(request, pk, state_form=form, status=400)


@login_required
@require_POST
def component_link(request: HttpRequest, pk: int) -> HttpResponse:
    component = selectors.component_get_for_user(request.user, pk)
    if not permissions.may_edit(request.user, component.grid):
        raise Http404
    form = forms.LinkAppealForm(request.POST)
    if form.is_valid():
        try:
            appeal = actions.component_link_appeal(
                component=component,
                tracking_code=form.cleaned_data["appeal"],
                acting_user=request.user,
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(
                request,
                _("Appeal %(code)s is linked to component %(component)s.")
                % {"code": appeal.tracking_code, "component": component.code},
            )
            return redirect("ledger:component", component.pk)
    return component_detail(request, pk, link_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def component_report(request: HttpRequest, pk: int) -> HttpResponse:
    """上报: report a problem with the component — a patrol appeal at its place,
    linked to it; the category defaults to the one its kind most likely needs."""
    component = selectors.component_get_for_user(request.user, pk)
    if not _may_report(request.user, component):
        raise Http404
    default = actions.default_category(component)
    form = forms.ReportProblemForm(
        request.POST or None,
        initial={"category": default},
        categories=appeal_selectors.leaf_categories(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            appeal = actions.component_report_problem(
                component=component,
                description=form.cleaned_data["description"],
                category=form.cleaned_data.get("category"),
                mark_damaged=form.cleaned_data.get("mark_damaged", False),
                photos=process_images(request.FILES.getlist("photos")),
                acting_user=request.user,
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(
                request,
                _("Appeal %(code)s filed about component %(component)s.")
                % {"code": appeal.tracking_code, "component": component.code},
            )
            return redirect("ledger:component", component.pk)
    return render(
        request,
        "ledger/components/report.html",
        {"form": form, "component": component, "default": default},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def appeal_component(request: HttpRequest, appeal_pk: int) -> HttpResponse:
    """From an appeal's page: name the component it is about by its code."""
    appeal = appeal_selectors.appeal_get_for_user(request.user, appeal_pk)
    form = forms.NameComponentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the component's code."))
        return redirect("appeals:detail", appeal.pk)
    try:
        component = actions.appeal_name_component(
            appeal=appeal, code=form.cleaned_data["component"], acting_user=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Appeal %(code)s is linked to component %(component)s.")
            % {"code": appeal.tracking_code, "component": component.code},
        )
    return redirect("appeals:detail", appeal.pk)
