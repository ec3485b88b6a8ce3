"""The people pages: a grid's households, a household, a person, their forms,
the visit record (入户走访) and "my grids today" — read through
:mod:`..selectors`, written through :mod:`..actions.people`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.api.idempotency import once_per_key
from civicgrid.appeals.forms import attach_domain_error
from civicgrid.core import crypto
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.org.models import Area

from .. import permissions, selectors
from ..actions import people as actions
from ..forms import people as forms
from ..models import Building, Person
from ._common import paged

PAGE_SIZE = 50


def _grid(request: HttpRequest, code: str) -> Area:
    return get_object_or_404(selectors.grids_for_user(request.user), code=code)


def _keep(request: HttpRequest, grid: Area) -> None:
    """Readers (the street's dispatcher and leaders) read; only keepers write."""
    if not permissions.may_edit(request.user, grid):
        raise PermissionDenied


def _editable_buildings(user: Any) -> Any:
    return (
        Building.objects.filter(permissions.editable_q(user), is_active=True)
        .select_related("grid")
        .order_by("grid__code", "name")
    )


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """今日网格: the grids the user keeps, what is waiting in each."""
    if not permissions.sees_ledger(request.user):
        raise Http404
    return render(
        request,
        "ledger/people/today.html",
        {"grids": selectors.grids_today(request.user), "days": selectors.visit_days()},
    )


@login_required
def household_list(request: HttpRequest, code: str) -> HttpResponse:
    grid = _grid(request, code)
    filters = forms.HouseholdFilterForm(request.GET or None, grid=grid)
    building, tag = None, ""
    if filters.is_valid():
        building = filters.cleaned_data["building"]
        tag = filters.cleaned_data["tag"]
    households = selectors.households_filtered(
        request.user, grid, building=building.pk if building else None, tag=tag
    )
    page = paged(request, households, size=PAGE_SIZE)
    return render(
        request,
        "ledger/people/household_list.html",
        {
            "grid": grid,
            "filters": filters,
            "page": page,
            "keeps": permissions.may_edit(request.user, grid),
            "query": request.GET.copy().urlencode() if request.GET else "",
        },
    )


@login_required
def household_new(request: HttpRequest, code: str) -> HttpResponse:
    grid = _grid(request, code)
    _keep(request, grid)
    buildings = _editable_buildings(request.user).filter(grid=grid)
    form = forms.HouseholdForm(
        request.POST if request.method == "POST" else None, buildings=buildings
    )
    if request.method == "POST" and form.is_valid():
        try:
            household = actions.household_create(
                acting_user=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(
                request, _("Household %(address)s added.") % {"address": household}
            )
            return redirect("ledger:household", pk=household.pk)
    return render(
        request, "ledger/people/household_form.html", {"form": form, "grid": grid}
    )


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get_for_user(request.user, pk)
    return render(
        request,
        "ledger/people/household_detail.html",
        {
            "household": household,
            "members": selectors.household_members(household),
            "visits": selectors.household_visits(household)[:20],
            "changes": selectors.household_history(household)[:20],
            "keeps": permissions.may_edit(request.user, household.grid),
        },
    )


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get_for_user(request.user, pk)
    _keep(request, household.grid)
    form = forms.HouseholdForm(
        request.POST if request.method == "POST" else None,
        buildings=_editable_buildings(request.user),
        initial={
            "building": household.building,
            "unit": household.unit,
            "room": household.room,
            "note": household.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.household_update(
                acting_user=request.user, household=household, **form.cleaned_data
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            if changed:
                messages.success(
                    request, _("Household %(address)s saved.") % {"address": household}
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("ledger:household", pk=household.pk)
    return render(
        request,
        "ledger/people/household_form.html",
        {"form": form, "grid": household.grid, "household": household},
    )


@login_required
def person_new(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get_for_user(request.user, pk)
    _keep(request, household.grid)
    form = forms.PersonAddForm(request.POST if request.method == "POST" else None)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            added = actions.person_add(
                acting_user=request.user,
                household=household,
                data=form.person_input(),
                moved_in_on=form.cleaned_data["moved_in_on"],
                move_existing=form.cleaned_data["move_existing"],
            )
        except actions.PersonExistsError as exc:
            attach_domain_error(form, exc)
            existing = exc.person
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            if added.moved:
                messages.success(
                    request,
                    _(
                        "%(name)s was already in the ledger and moved into "
                        "%(address)s; their stay elsewhere ended that day."
                    )
                    % {"name": added.person, "address": household},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s added to %(address)s.")
                    % {"name": added.person, "address": household},
                )
            return redirect("ledger:household", pk=household.pk)
    readable = (
        existing is not None
        and selectors.people_for_user(request.user).filter(pk=existing.pk).exists()
    )
    return render(
        request,
        "ledger/people/person_form.html",
        {
            "form": form,
            "household": household,
            "existing": existing if readable else None,
            # Whole only to who keeps the grid they live in, as on their page.
            "existing_name": (
                existing.name
                if readable and _keeps_person(request.user, existing)
                else str(existing)
            )
            if existing is not None
            else "",
            "exists_elsewhere": existing is not None and not readable,
        },
    )


def _keeps_person(user: Any, person: Person) -> bool:
    """Whether the user keeps the grid the person lives in (or last lived in)."""
    grid = actions.person_grid(person)
    return grid is not None and permissions.may_edit(user, grid)


def _person_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    grid = actions.person_grid(person)
    keeps = _keeps_person(request.user, person)
    # The grid they moved away from keeps their past there, not where they
    # live now (another grid's, or another street's, to read).
    home = (
        person.household
        if person.household is not None
        and permissions.may_read(request.user, person.household.grid)
        else None
    )
    return {
        "person": person,
        "home": home,
        "residences_elsewhere": person.residences.exclude(
            permissions.visible_q(request.user, "household__grid__path")
        ).exists(),
        "grid": grid,
        "keeps": keeps,
        "reveals": grid is not None and permissions.may_reveal(request.user, grid),
        "residences": person.residences.filter(
            permissions.visible_q(request.user, "household__grid__path")
        )
        .select_related("household__building")
        .order_by("-moved_in_on", "-pk"),
        "tags": person.tags.order_by("until", "-since"),
        "appeals": selectors.person_appeals(request.user, person),
        "changes": selectors.person_history(person)[:30],
        "tag_form": forms.TagForm(),
        "move_out_form": forms.MoveOutForm(),
        "move_in_form": forms.MoveInForm(
            households=selectors.households_for_user(request.user)
            .filter(permissions.editable_q(request.user))
            .order_by("grid__code", "building__name", "unit", "room")
        ),
        "consent_form": forms.ConsentForm(
            initial={"consented": bool(person.appeals_consent_at)}
        ),
    }


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(request.user, pk)
    return render(
        request, "ledger/people/person_detail.html", _person_context(request, person)
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(request.user, pk)
    grid = actions.person_grid(person)
    if grid is None:
        raise Http404
    _keep(request, grid)
    initial = {
        "name": person.name,  # the page is its keepers': whole names
        "gender": person.gender,
        "birth_date": person.birth_date,
        "ethnicity": person.ethnicity,
        "relation": person.relation,
    }
    form = forms.PersonForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    form.fields["id_number"].help_text = (
        _("Now %(masked)s; leave empty to keep it.")
        % {"masked": crypto.mask_id_number(person.id_number)}
        if person.id_number
        else ""
    )
    form.fields["phone"].help_text = (
        _("Now %(masked)s; leave empty to keep it.")
        % {"masked": crypto.mask_phone(person.phone)}
        if person.phone
        else ""
    )
    if request.method == "POST" and form.is_valid():
        data = form.person_input()
        # The whole numbers are never sent to the page: empty keeps them.
        data.id_number = data.id_number or person.id_number
        data.phone = data.phone or person.phone
        try:
            changed = actions.person_update(
                acting_user=request.user, person=person, data=data
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            if changed:
                messages.success(request, _("%(name)s saved.") % {"name": person})
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("ledger:person", pk=person.pk)
    return render(
        request,
        "ledger/people/person_form.html",
        {"form": form, "person": person, "household": person.household},
    )


def _person_step(
    request: HttpRequest, pk: int, form_class: Any, step: Any, **form_kwargs: Any
) -> HttpResponse:
    """A small POST step on a person's page: run it, say what it did, or show
    the page again with the refusal on its field."""
    person = selectors.person_get_for_user(request.user, pk)
    grid = actions.person_grid(person)
    if grid is None:
        raise Http404
    _keep(request, grid)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            done = step(person, form.cleaned_data)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("ledger:person", pk=person.pk)
    context = _person_context(request, person)
    context[_FORM_NAMES[form_class]] = form
    return render(request, "ledger/people/person_detail.html", context, status=400)


@login_required
@require_POST
def person_move_out(request: HttpRequest, pk: int) -> HttpResponse:
    def step(person: Person, data: dict[str, Any]) -> str:
        actions.person_move_out(
            acting_user=request.user,
            person=person,
            on=data["moved_out_on"],
            to=data["moved_out_to"],
        )
        return _("%(name)s moved out on %(date)s; they stay in the ledger as past.") % {
            "name": person,
            "date": data["moved_out_on"],
        }

    return _person_step(request, pk, forms.MoveOutForm, step)


@login_required
@require_POST
def person_move_in(request: HttpRequest, pk: int) -> HttpResponse:
    def step(person: Person, data: dict[str, Any]) -> str:
        actions.person_move_in(
            acting_user=request.user,
            person=person,
            household=data["household"],
            on=data["moved_in_on"],
        )
        return _("%(name)s moved into %(address)s on %(date)s.") % {
            "name": person,
            "address": data["household"],
            "date": data["moved_in_on"],
        }

    households = selectors.households_for_user(request.user).filter(
        permissions.editable_q(request.user)
    )
    return _person_step(request, pk, forms.MoveInForm, step, households=households)


@login_required
@require_POST
def person_tag_add(request: HttpRequest, pk: int) -> HttpResponse:
    def step(person: Person, data: dict[str, Any]) -> str:
        mark = actions.tag_add(
            acting_user=request.user,
            person=person,
            tag=data["tag"],
            since=data["since"],
            note=data["note"],
        )
        return _("Tagged %(name)s: %(tag)s since %(date)s.") % {
            "name": person,
            "tag": mark.get_tag_display(),
            "date": mark.since,
        }

    return _person_step(request, pk, forms.TagForm, step)


@login_required
@require_POST
def person_tag_end(request: HttpRequest, pk: int, tag_pk: int) -> HttpResponse:
    def step(person: Person, data: dict[str, Any]) -> str:
        mark = selectors.person_tag_get_for_user(request.user, person, tag_pk)
        mark = actions.tag_end(acting_user=request.user, mark=mark, until=data["until"])
        return _("The tag %(tag)s of %(name)s ended on %(date)s.") % {
            "name": person,
            "tag": mark.get_tag_display(),
            "date": mark.until,
        }

    return _person_step(request, pk, forms.TagEndForm, step)


@login_required
@require_POST
def person_consent(request: HttpRequest, pk: int) -> HttpResponse:
    def step(person: Person, data: dict[str, Any]) -> str:
        consented = data["consented"]
        changed = actions.person_note_consent(
            acting_user=request.user, person=person, consented=consented
        )
        if not changed:
            return _("Nothing changed.")
        if consented:
            return _("Consent noted: %(name)s's appeals are listed on their page.") % {
                "name": person
            }
        return _("Consent withdrawn: %(name)s's appeals are no longer listed.") % {
            "name": person
        }

    return _person_step(request, pk, forms.ConsentForm, step)


@login_required
@require_POST
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole number, once, on this answer (never in a URL or a message),
    for a user who may reveal it and says why."""
    person = selectors.person_get_for_user(request.user, pk)
    grid = actions.person_grid(person)
    if grid is None or not permissions.may_reveal(request.user, grid):
        raise PermissionDenied
    form = forms.RevealForm(request.POST)
    context = _person_context(request, person)
    if form.is_valid():
        try:
            value = actions.person_reveal(
                acting_user=request.user,
                person=person,
                field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            context["revealed"] = {form.cleaned_data["field"]: value}
            context["reveal_note"] = _(
                "Revealed; your reason is recorded in the history."
            )
            return render(request, "ledger/people/person_detail.html", context)
    context["reveal_form"] = form
    return render(request, "ledger/people/person_detail.html", context, status=400)


@login_required
@once_per_key
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    """入户走访 on the phone: who was met, what was seen, what was found. Sent
    again under the same key (from the phone's outbox, after the signal came
    back) it is recorded once."""
    household = selectors.household_get_for_user(request.user, pk)
    _keep(request, household.grid)
    members = Person.objects.filter(household=household).order_by("pk")
    form = forms.VisitForm(
        request.POST if request.method == "POST" else None, members=members
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = actions.visit_record(
                acting_user=request.user,
                household=household,
                people_met=data["people_met"],
                notes=data["notes"],
                findings=data["findings"],
                make_appeal=data["make_appeal"],
                appellant=data["appellant"],
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            if recorded.appeal is not None:
                messages.success(
                    request,
                    _(
                        "Visit to %(address)s recorded; the findings were filed "
                        "as appeal %(code)s."
                    )
                    % {"address": household, "code": recorded.appeal.tracking_code},
                )
            else:
                messages.success(
                    request,
                    _("Visit to %(address)s recorded.") % {"address": household},
                )
            return redirect("ledger:household", pk=household.pk)
    return render(
        request,
        "ledger/people/visit_form.html",
        {"form": form, "household": household},
        status=400 if form.is_bound else 200,
    )


_FORM_NAMES = {
    forms.MoveOutForm: "move_out_form",
    forms.MoveInForm: "move_in_form",
    forms.TagForm: "tag_form",
    forms.TagEndForm: "tag_end_form",
    forms.ConsentForm: "consent_form",
}
