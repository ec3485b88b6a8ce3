"""Pages of organisations (组织): the tree of a street's party structure and
the units joined to it, an organisation's page (members masked, 联建 pairs),
adding and changing it, members joining and leaving, pairs made and ended."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civicgrid.core.errors import DomainError
from civicgrid.org.models import Area

from .. import permissions, selectors
from ..actions import organisations as actions
from ..forms import organisations as forms
from ..models import Organisation, Place
from ._common import attach, history_rows

K = Organisation.Kind


def _tree(organisations: list[Organisation]) -> list[tuple[int, Organisation]]:
    """(depth, organisation) in the order of the tree: each under its parent."""
    present = {o.pk for o in organisations}
    children: dict[int | None, list[Organisation]] = defaultdict(list)
    for o in organisations:
        children[o.parent_id if o.parent_id in present else None].append(o)
    rows: list[tuple[int, Organisation]] = []

    def walk(parent: int | None, depth: int) -> None:
        for o in children[parent]:
            rows.append((depth, o))
            walk(o.pk, depth + 1)

    walk(None, 0)
    return rows


@login_required
def organisation_tree(request: HttpRequest) -> HttpResponse:
    if not permissions.sees_ledger(request.user):
        raise Http404
    organisations = list(
        selectors.organisations_for_user(request.user).order_by(
            "area__path", "kind", "name"
        )
    )
    return render(
        request,
        "ledger/organisations/tree.html",
        {
            "rows": _tree(organisations),
            "may_add": Area.objects.filter(
                permissions.editable_q(request.user, "path")
            ).exists(),
        },
    )


@login_required
def organisation_detail(
    request: HttpRequest,
    pk: int,
    *,
    member_form: Any = None,
    pairing_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(request.user, pk)
    may_edit = permissions.may_edit(request.user, organisation.area)
    pairable = None
    if may_edit and organisation.kind in (K.UNIT_BRANCH, K.GRID_BRANCH):
        pairable = selectors.organisations_for_user(request.user).filter(
            kind=K.GRID_BRANCH if organisation.kind == K.UNIT_BRANCH else K.UNIT_BRANCH,
            is_active=True,
        )
    return render(
        request,
        "ledger/organisations/detail.html",
        {
            "organisation": organisation,
            "children": organisation.children.select_related("area").order_by("name"),
            "members": selectors.organisation_members(organisation),
            "pairings": selectors.organisation_pairings(organisation),
            "changes": history_rows(
                selectors.changes_of(organisation)[:30], Organisation
            ),
            "may_edit": may_edit,
            "member_form": (member_form or _member_form(request, organisation))
            if may_edit and organisation.is_active
            else None,
            "pairing_form": (pairing_form or forms.PairingForm(others=pairable))
            if pairable is not None
            else None,
        },
        status=status,
    )


def _member_form(
    request: HttpRequest, organisation: Organisation, data: Any = None
) -> Any:
    places = Place.objects.filter(
        permissions.visible_q(request.user),
        grid__path__startswith=organisation.area.path,
        is_active=True,
    ).order_by("name")
    form = forms.MemberForm(data, places=places)
    if organisation.kind != K.ALLIANCE:
        del form.fields["place"], form.fields["pledge"]
    return form


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(request.user, pk) if pk else None
    if organisation is not None and not permissions.may_edit(
        request.user, organisation.area
    ):
        raise Http404
    areas = Area.objects.filter(
        permissions.editable_q(request.user, "path"),
        level__in=[Area.Level.STREET, Area.Level.COMMUNITY, Area.Level.GRID],
        is_active=True,
    )
    if organisation is None and not areas.exists():
        raise Http404
    parents = Organisation.objects.filter(
        permissions.visible_q(request.user, "area__path") | _ancestors_q(request.user),
        is_active=True,
    ).select_related("area")
    initial = forms.OrganisationForm.initial_of(organisation) if organisation else None
    form = forms.OrganisationForm(
        request.POST or None, initial=initial, areas=areas, parents=parents.distinct()
    )
    if organisation is not None:
        form.fields["contact_name"].help_text = _("Leave empty to keep it.")
        form.fields["contact_phone"].help_text = _("Leave empty to keep it.")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = actions.OrganisationInput(
            kind=d["kind"],
            name=d["name"],
            area=d["area"],
            parent=d.get("parent"),
            contact_name=d.get("contact_name")
            or (organisation.contact_name if organisation else ""),
            contact_phone=d.get("contact_phone")
            or (organisation.contact_phone if organisation else ""),
            is_active=d.get("is_active", False),
        )
        try:
            if organisation is None:
                organisation = actions.organisation_create(
                    data=data, acting_user=request.user
                )
                messages.success(
                    request, _("%(name)s added.") % {"name": organisation.name}
                )
            else:
                changes = actions.organisation_update(
                    organisation=organisation, data=data, acting_user=request.user
                )
                messages.success(
                    request,
                    _("%(name)s saved.") % {"name": organisation.name}
                    if changes
                    else _("Nothing was changed."),
                )
            return redirect("ledger:organisation", organisation.pk)
        except DomainError as exc:
            attach(form, exc)
    return render(
        request,
        "ledger/places/edit.html",
        {
            "form": form,
            "object": organisation,
            "title": _("Change the organisation")
            if organisation
            else _("Add an organisation"),
        },
        status=400 if form.errors else 200,
    )


def _ancestors_q(user: Any) -> Any:
    """Organisations of the areas above those the user keeps: a grid worker's
    grid branch is part of its community's committee."""
    from django.db.models import Q

    from civicgrid.accounts.access import ancestor_paths

    paths: set[str] = set()
    for area in Area.objects.filter(permissions.editable_q(user, "path")).only("path"):
        paths.update(ancestor_paths(area.path))
    return Q(area__path__in=paths)


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(request.user, pk)
    if not permissions.may_edit(request.user, organisation.area):
        raise Http404
    form = _member_form(request, organisation, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            member = actions.member_add(
                organisation=organisation,
                data=actions.MemberInput(
                    name=d.get("name", ""),
                    phone=d.get("phone", ""),
                    title=d.get("title", ""),
                    place=d.get("place"),
                    pledge=d.get("pledge", ""),
                    joined_on=d.get("joined_on"),
                ),
                acting_user=request.user,
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(
                request,
                _("A member joined %(name)s%(place)s.")
                % {
                    "name": organisation.name,
                    "place": f": {member.place.name}" if member.place else "",
                },
            )
            return redirect("ledger:organisation", organisation.pk)
    return organisation_detail(request, pk, member_form=form, status=400)


@login_required
@require_POST
def member_leave(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(request.user, pk)
    if not permissions.may_edit(request.user, organisation.area):
        raise Http404
    row = get_object_or_404(organisation.members.all(), pk=member)
    form = forms.DateForm(request.POST)
    try:
        actions.member_leave(
            member=row,
            left_on=form.cleaned_data.get("on") if form.is_valid() else None,
            acting_user=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The member has left; they stay in the record."))
    return redirect("ledger:organisation", organisation.pk)


@login_required
@require_POST
def pairing_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(request.user, pk)
    if organisation.kind not in (K.UNIT_BRANCH, K.GRID_BRANCH) or not (
        permissions.may_edit(request.user, organisation.area)
    ):
        raise Http404
    others = selectors.organisations_for_user(request.user).filter(
        kind=K.GRID_BRANCH if organisation.kind == K.UNIT_BRANCH else K.UNIT_BRANCH
    )
    form = forms.PairingForm(request.POST, others=others)
    if form.is_valid():
        other = form.cleaned_data["other"]
        unit, grid = (
            (organisation, other)
            if organisation.kind == K.UNIT_BRANCH
            else (other, organisation)
        )
        try:
            actions.pairing_add(
                unit_branch=unit,
                grid_branch=grid,
                since=form.cleaned_data.get("since"),
                acting_user=request.user,
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(
                request,
                _("%(unit)s and %(grid)s are paired.")
                % {"unit": unit.name, "grid": grid.name},
            )
            return redirect("ledger:organisation", organisation.pk)
    return organisation_detail(request, pk, pairing_form=form, status=400)


@login_required
@require_POST
def pairing_end(request: HttpRequest, pk: int, pairing: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(request.user, pk)
    row = get_object_or_404(selectors.organisation_pairings(organisation), pk=pairing)
    if not permissions.may_edit(request.user, row.grid_branch.area):
        raise Http404
    form = forms.DateForm(request.POST)
    try:
        actions.pairing_end(
            pairing=row,
            until=form.cleaned_data.get("on") if form.is_valid() else None,
            acting_user=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The pair has ended."))
    return redirect("ledger:organisation", organisation.pk)
