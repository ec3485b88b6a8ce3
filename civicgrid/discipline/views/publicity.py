"""The publicity ledger (宣传台账) of a body's reports office, for its head:
the material printed, what was handed out where, the activities, and the
counters a work report quotes — on screen with the forms that add to it, and
on paper."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core import clock
from civicgrid.core.errors import DomainError

from .. import actions, selectors_publicity
from ..forms_publicity import ActivityForm, DistributionForm, MaterialForm
from ..models import Body, Material
from .common import channel_staff, refuse
from .guide import _kept


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and len(value) == 4 else clock.today().year


def _ledger(
    request: HttpRequest,
    body: Body,
    *,
    template: str = "discipline/publicity/ledger.html",
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    year = _year(request)
    found = selectors_publicity.counters(body, year)
    context: dict[str, Any] = {
        "body": body,
        "year": year,
        "years": selectors_publicity.ledger_years(body),
        "counters": found,
        "summary": selectors_publicity.summary(found),
        "materials": list(selectors_publicity.materials_for(body, year)),
        "distributions": list(selectors_publicity.distributions_for(body, year)),
        "activities": list(selectors_publicity.activities_for(body, year)),
        "by_area": selectors_publicity.by_area(body, year),
        "kinds": Material.Kind.choices,
        "material_form": MaterialForm(),
        "distribution_form": DistributionForm(body=body),
        "activity_form": ActivityForm(body=body),
        "now": clock.now(),
    }
    context.update(bound or {})
    return render(request, template, context, status=status)


@channel_staff
def ledger(request: HttpRequest, body: str) -> HttpResponse:
    return _ledger(request, _kept(request, body))


@channel_staff
def ledger_print(request: HttpRequest, body: str) -> HttpResponse:
    return _ledger(
        request, _kept(request, body), template="discipline/publicity/print.html"
    )


def _done(request: HttpRequest, body: Body, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("discipline:publicity", body=body.code)


@channel_staff
@require_POST
def material_add(request: HttpRequest, body: str) -> HttpResponse:
    target = _kept(request, body)
    form = MaterialForm(request.POST)
    if form.is_valid():
        try:
            added = actions.material_add(
                body=target, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            return _done(
                request,
                target,
                _("“%(name)s” added: %(n)s printed.")
                % {"name": added.name, "n": added.printed},
            )
    return _ledger(request, target, bound={"material_form": form}, status=400)


@channel_staff
@require_POST
def distribution_add(request: HttpRequest, body: str) -> HttpResponse:
    target = _kept(request, body)
    form = DistributionForm(request.POST, body=target)
    if form.is_valid():
        data = form.cleaned_data
        try:
            given = actions.distribution_record(
                material=data["material"],
                area=data["area"],
                quantity=data["quantity"],
                handed_out_on=data["handed_out_on"],
                activity=data["activity"],
                acting_user=request.user,
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            return _done(
                request,
                target,
                _("%(n)s of “%(name)s” handed out in %(area)s.")
                % {
                    "n": given.quantity,
                    "name": given.material.name,
                    "area": given.area.name,
                },
            )
    return _ledger(request, target, bound={"distribution_form": form}, status=400)


@channel_staff
@require_POST
def activity_add(request: HttpRequest, body: str) -> HttpResponse:
    target = _kept(request, body)
    form = ActivityForm(request.POST, body=target)
    if form.is_valid():
        data = form.cleaned_data
        try:
            recorded = actions.activity_record(
                body=target,
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                area=data["area"],
                place=data["place"],
                consultations=data["consultations"],
                materials=form.materials(),
                acting_user=request.user,
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            return _done(
                request, target, _("“%(title)s” recorded.") % {"title": recorded.title}
            )
    return _ledger(request, target, bound={"activity_form": form}, status=400)
