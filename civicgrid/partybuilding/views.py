"""The party-building pages: the member's wall, claims and service ledger on
a phone, the grid worker's gathering, the community's checks. Thin over the
selectors, the shared steps and the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.appeals.forms import attach_domain_error
from civicgrid.core import clock
from civicgrid.core.errors import DomainError
from civicgrid.ledger import selectors as ledger_selectors
from civicgrid.ledger.models import Person
from civicgrid.org.models import Area

from . import actions, forms, permissions, selectors
from .models import Registration, UnitRegistration, Volunteer, Wish
from .steps import STEPS, available, describe

STEP_FORMS: dict[str, type[forms.forms.Form]] = {
    "verify": forms.NoteForm,
    "refuse": forms.ReasonForm,
    "publish": forms.NoteForm,
    "claim": forms.ClaimForm,
    "release": forms.ReasonForm,
    "fulfil": forms.FulfilForm,
    "confirm": forms.NoteForm,
    "cancel": forms.ReasonForm,
}


def counters(user: Any) -> dict[str, Any]:
    """The page's figures ("认领13户老年人微心愿") for the communities the user's
    pages are about."""
    communities = Area.objects.filter(
        permissions.counted_communities_q(user), level=Area.Level.COMMUNITY
    ).values("pk")
    wishes = Wish.objects.filter(community__in=communities)
    confirmed = {"community__in": communities, "state": Registration.CONFIRMED}
    return {
        "delivered": selectors.delivered_households(communities),
        "on_wall": wishes.filter(state=Wish.State.PUBLISHED).count(),
        "units": UnitRegistration.objects.filter(**confirmed).count(),
        "members": Volunteer.objects.filter(**confirmed).count(),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """党建引领: where a member, a unit's contact and the staff each go."""
    user: Any = request.user
    staff = selectors.staff_wishes(user)
    mine = Volunteer.objects.filter(user=user).select_related("community", "unit")
    return render(
        request,
        "partybuilding/index.html",
        {
            "counters": counters(user),
            "volunteering": list(mine.order_by("-created_at")),
            "units": list(
                UnitRegistration.objects.filter(contact=user).select_related(
                    "organisation", "community"
                )
            ),
            "walls": permissions.wall_communities(user),
            "to_verify": staff.filter(state=Wish.State.GATHERED).count(),
            "to_publish": staff.filter(state=Wish.State.VERIFIED).count(),
            "to_confirm": staff.filter(state=Wish.State.FULFILLED).count(),
            "is_staff": permissions.is_staff(user),
            "pending": len(_pending(user)),
        },
    )


def _pending(user: Any) -> list[Any]:
    return [
        *selectors.volunteers_for_user(user).filter(
            permissions.registration_staff_q(user), state=Registration.PENDING
        ),
        *selectors.units_for_user(user).filter(
            permissions.registration_staff_q(user), state=Registration.PENDING
        ),
    ]


@login_required
def wall(request: HttpRequest) -> HttpResponse:
    """心愿墙 on a phone: the wishes waiting for someone, oldest first."""
    user: Any = request.user
    wishes = list(selectors.wall(user))
    if not wishes and not permissions.wall_communities(user):
        messages.info(request, _("Register to your community to see its wish wall."))
        return redirect("partybuilding:register")
    units = UnitRegistration.objects.filter(
        contact=user, state=Registration.CONFIRMED
    ).select_related("organisation")
    today = clock.today()
    claimable = set(permissions.wall_communities(user))  # once, not per card
    cards = [
        {
            "wish": wish,
            "days": (today - wish.created_at.date()).days,
            "steps": ["claim"] if wish.community_id in claimable else [],
        }
        for wish in wishes
    ]
    return render(
        request,
        "partybuilding/wall.html",
        {"cards": cards, "units": list(units), "counters": counters(user)},
    )


@login_required
def my_claims(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    cards = [
        {"wish": wish, "steps": available(user, wish)}
        for wish in selectors.my_claims(user)
    ]
    return render(
        request,
        "partybuilding/claims.html",
        {
            "cards": cards,
            "fulfil_form": forms.FulfilForm(initial={"on": clock.today()}),
        },
    )


@login_required
def my_ledger(request: HttpRequest) -> HttpResponse:
    """我的报到联系证: the member's registrations and service ledger, printable."""
    user: Any = request.user
    volunteering = list(
        Volunteer.objects.filter(user=user)
        .select_related("community", "unit__organisation")
        .order_by("-created_at")
    )
    return render(
        request,
        "partybuilding/my_ledger.html",
        {
            "volunteering": volunteering,
            "entries": [(v, list(selectors.service_ledger(v))) for v in volunteering],
        },
    )


@login_required
def volunteer(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's 报到联系证, for them, their unit's contact and the staff."""
    member = selectors.volunteer_get_for_user(request.user, pk)
    may_record = (
        permissions.may_decide(request.user, member.community)
        and member.state == Registration.CONFIRMED
    )
    form = forms.ServiceForm(
        request.POST if request.method == "POST" and may_record else None,
        initial={"served_on": clock.today()},
    )
    if request.method == "POST":
        if not may_record:
            raise Http404
        if form.is_valid():
            try:
                entry = actions.service_record(
                    volunteer=member, acting_user=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Recorded in %(who)s's service ledger: %(what)s.")
                    % {"who": member, "what": entry.title},
                )
                return redirect("partybuilding:volunteer", member.pk)
    return render(
        request,
        "partybuilding/volunteer.html",
        {
            "member": member,
            "entries": list(selectors.service_ledger(member)),
            "service_form": form if may_record else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def wish_list(request: HttpRequest) -> HttpResponse:
    """The staff's wishes, newest first, by state."""
    form = forms.StateFilterForm(request.GET or None)
    state = form.cleaned_data.get("state", "") if form.is_valid() else ""
    if not permissions.is_staff(request.user):
        raise Http404
    wishes = selectors.staff_wishes(request.user, state)
    return render(
        request,
        "partybuilding/wish_list.html",
        {"wishes": wishes[:200], "form": form, "counters": counters(request.user)},
    )


@login_required
def wish_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wish = selectors.wish_get_for_user(request.user, pk)
    return _detail(request, wish)


def _detail(
    request: HttpRequest,
    wish: Wish,
    form: Any = None,
    step: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    staff = Wish.objects.filter(permissions.wish_staff_q(user), pk=wish.pk).exists()
    steps = available(user, wish)
    step_forms = {
        name: (
            form if name == step and form is not None else _step_form(name, user, wish)
        )
        for name in steps
    }
    return render(
        request,
        "partybuilding/wish_detail.html",
        {
            "wish": wish,
            "staff": staff,
            "events": wish.events.select_related("actor") if staff else [],
            "step_forms": step_forms,
        },
        status=status,
    )


def _step_form(
    name: str, user: Any, wish: Wish, data: Any = None, files: Any = None
) -> Any:
    form_class = STEP_FORMS[name]
    if form_class is forms.ClaimForm:
        return forms.ClaimForm(
            data,
            units=UnitRegistration.objects.filter(
                contact=user, state=Registration.CONFIRMED, community=wish.community
            ),
        )
    if form_class is forms.FulfilForm:
        return forms.FulfilForm(data, files, initial={"on": clock.today()})
    return form_class(data)


@login_required
@require_POST
def wish_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    wish = selectors.wish_get_for_user(request.user, pk)
    form = _step_form(step, request.user, wish, request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            STEPS[step](request.user, wish, data)
        except DomainError as exc:
            attach_domain_error(form, exc)
            if step not in available(request.user, wish):
                # No form of this step is on the page any more (someone else
                # claimed it first): say so at the top.
                messages.error(request, exc.message)
        else:
            messages.success(request, describe(step, wish))
            back = request.POST.get("back")
            if back == "wall":
                return redirect("partybuilding:wall")
            if back == "claims":
                return redirect("partybuilding:claims")
            return redirect("partybuilding:wish", wish.pk)
    return _detail(request, wish, form, step, status=400)


@login_required
def wish_new(request: HttpRequest, household_pk: int) -> HttpResponse:
    """A grid worker writes down a household's wish (on a visit, on a phone)."""
    household = ledger_selectors.household_get_for_user(request.user, household_pk)
    if not permissions.may_gather(request.user, household):
        raise Http404
    members = Person.objects.filter(household=household).order_by("pk")
    form = forms.GatherForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wish = actions.wish_gather(
                household=household,
                beneficiary=data["beneficiary"],
                need=data["need"],
                value=data["value"],
                shown_as=data["shown_as"],
                consent=data["consent"],
                acting_user=request.user,
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("The wish of %(who)s is written down; the community checks it next.")
                % {"who": wish.shown_as},
            )
            return redirect("partybuilding:wish", wish.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "partybuilding/wish_form.html",
        {"form": form, "household": household},
        status=status,
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """个人报到: an in-service party member registers to the community where
    they live."""
    form = forms.VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = actions.volunteer_register(acting_user=request.user, **data)
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Registered to %(community)s; the community confirms it.")
                % {"community": member.community.name},
            )
            return redirect("partybuilding:index")
    status = 400 if request.method == "POST" else 200
    return render(request, "partybuilding/register.html", {"form": form}, status=status)


@login_required
def register_unit(request: HttpRequest) -> HttpResponse:
    """单位报到: a unit's party organisation registers to a community."""
    form = forms.UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = actions.unit_register(acting_user=request.user, **data)
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(unit)s is registered to %(community)s; the community confirms it.")
                % {"unit": unit.organisation.name, "community": unit.community.name},
            )
            return redirect("partybuilding:index")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "partybuilding/register_unit.html", {"form": form}, status=status
    )


@login_required
def registrations(request: HttpRequest) -> HttpResponse:
    """The community's registrations: who waits for a decision, who serves."""
    user = request.user
    scope = permissions.registration_staff_q(user)
    members = selectors.volunteers_for_user(user).filter(scope)
    units = selectors.units_for_user(user).filter(scope)
    if not permissions.is_staff(user):
        raise Http404
    return render(
        request,
        "partybuilding/registrations.html",
        {
            "members": members.order_by("state", "community__code", "pk")[:300],
            "units": units.order_by("state", "community__code", "pk"),
            "reason_form": forms.ReasonForm(),
        },
    )


@login_required
@require_POST
def registration_decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = request.user
    scope = permissions.registration_staff_q(user)
    if kind == "member":
        registration: Any = selectors.volunteers_for_user(user).filter(scope)
    elif kind == "unit":
        registration = selectors.units_for_user(user).filter(scope)
    else:
        raise Http404
    registration = registration.filter(pk=pk).first()
    if registration is None:
        raise Http404
    confirm = request.POST.get("decision") == "confirm"
    try:
        actions.registration_decide(
            registration=registration,
            confirm=confirm,
            reason=request.POST.get("reason", ""),
            acting_user=user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            (_("%(who)s is confirmed.") if confirm else _("%(who)s is refused."))
            % {"who": registration},
        )
    return redirect("partybuilding:registrations")
