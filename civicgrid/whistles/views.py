"""The whistle board and pages: dispatchers blow and close, summoned departments
report in and complete their shares. Scoped by the selectors; outsiders get 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicgrid.accounts.models import Role
from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.core import clock
from civicgrid.core.errors import DomainError
from civicgrid.org.models import Area
from civicgrid.org.selectors import departments_for_user

from . import actions, forms, permissions, selectors
from .models import Summons, Whistle
from .photos import check_in_photo_response


@login_required
def board(request: HttpRequest) -> HttpResponse:
    whistles = selectors.whistles_for_user(request.user).prefetch_related(
        "summonses__department"
    )
    now = clock.now()
    year_start = timezone.localtime(now).replace(
        month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    counters = [
        (street, selectors.whistle_counters(street=street, start=year_start, end=now))
        for street in permissions.streets_for_dispatcher(
            request.user, roles=(Role.DISPATCHER, Role.LEADER)
        )
    ]
    return render(
        request,
        "whistles/board.html",
        {
            "counters": counters,
            "open": whistles.filter(state=Whistle.State.OPEN).order_by("blown_at"),
            "closed": whistles.filter(state=Whistle.State.CLOSED).order_by(
                "-closed_at"
            )[:10],
            "now": clock.now(),
            "may_blow": bool(permissions.streets_for_blower(request.user)),
        },
    )


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """Every whistle the user may see, filtered and paged."""
    form = forms.HistoryFilterForm(
        request.GET or None,
        departments=departments_for_user(request.user).order_by("name"),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(
        selectors.whistles_filtered(request.user, filters).prefetch_related(
            "summonses__department"
        ),
        20,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "whistles/history.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=200 if not form.errors else 400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def blow(request: HttpRequest) -> HttpResponse:
    streets = permissions.streets_for_blower(request.user)
    if not streets:
        raise Http404
    appeal = None
    if request.GET.get("appeal", "").isdigit():
        appeal = appeal_selectors.appeal_get_for_user(
            request.user, int(request.GET["appeal"])
        )
    street: Area = appeal.street if appeal else streets[0]
    choose = appeal is None and len(streets) > 1
    form = forms.BlowForm(
        request.POST or None,
        departments=departments_for_user(request.user).filter(is_active=True),
        streets=Area.objects.filter(pk__in=[s.pk for s in streets]) if choose else None,
        # The matter is named after the appeal's category, not the resident's
        # words: departments see the title, and it may outlive the appeal.
        initial={"title": appeal.category.name if appeal and appeal.category else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        street = data.get("street") or street
        try:
            whistle = actions.whistle_blow(
                street=street,
                whistle_type=data["type"],
                title=data["title"],
                reason=data["reason"],
                departments=list(data["departments"]),
                lead=data["lead"],
                acting_user=request.user,
                appeal=appeal,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("whistles:detail", pk=whistle.pk)
    return render(
        request,
        "whistles/blow.html",
        {"form": form, "appeal": appeal, "street": None if choose else street},
        status=400 if form.errors else 200,
    )


def _context(request: HttpRequest, whistle: Whistle, **extra: Any) -> dict[str, Any]:
    mine = selectors.my_summonses(request.user, whistle)
    dispatcher_any = permissions.is_dispatcher_for(request.user, whistle.street)
    dispatcher = dispatcher_any
    return {
        "whistle": whistle,
        "summonses": whistle.summonses.select_related("department", "checked_in_by"),
        "events": whistle.events.select_related("actor", "summons__department"),
        "mine": mine,
        "to_check_in": [s for s in mine if s.checked_in_at is None],
        "to_complete": [
            s for s in mine if s.checked_in_at and s.state == Summons.State.OPEN
        ],
        "dispatcher": dispatcher and whistle.state == Whistle.State.OPEN,
        "close_form": extra.pop("close_form", forms.CloseForm(prefix="close")),
        "progress_form": forms.ProgressForm(prefix="progress"),
        "may_progress": whistle.state == Whistle.State.OPEN
        and (dispatcher or bool(mine)),
        "lead_form": forms.ConsolidatedReplyForm(
            prefix="lead", initial={"reply": whistle.consolidated_reply}
        )
        if whistle.state == Whistle.State.OPEN and any(s.is_lead for s in mine)
        else None,
        "meetings": whistle.meetings.all(),
        "meeting_form": forms.MeetingForm(),
        "may_record_meeting": whistle.state == Whistle.State.OPEN
        and (dispatcher or any(s.is_lead for s in mine)),
        "to_score": [
            s
            for s in whistle.summonses.select_related("department")
            if dispatcher_any
            and s.state == Summons.State.DONE
            and not hasattr(s, "street_score")
        ],
        "to_feedback": [
            s
            for s in mine
            if s.state == Summons.State.DONE and not hasattr(s, "feedback")
        ],
        "scores": range(5, 0, -1),
        "now": clock.now(),
        **extra,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    whistle = get_object_or_404(selectors.whistles_for_user(request.user), pk=pk)
    return render(request, "whistles/detail.html", _context(request, whistle))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    whistle = get_object_or_404(selectors.whistles_for_user(request.user), pk=pk)
    user = request.user
    try:
        if action == "close":
            form = forms.CloseForm(request.POST, prefix="close")
            if not form.is_valid():
                return render(
                    request,
                    "whistles/detail.html",
                    _context(request, whistle, close_form=form),
                    status=400,
                )
            actions.whistle_close(
                whistle=whistle, acting_user=user, reply=form.cleaned_data["reply"]
            )
        else:
            if action in ("progress", "reply"):
                text_form: Any = (
                    forms.ProgressForm(request.POST, prefix="progress")
                    if action == "progress"
                    else forms.ConsolidatedReplyForm(request.POST, prefix="lead")
                )
                if not text_form.is_valid():
                    messages.error(request, _("Please fill in the form."))
                    return redirect("whistles:detail", pk=whistle.pk)
                if action == "progress":
                    actions.whistle_progress(
                        whistle=whistle,
                        acting_user=user,
                        note=text_form.cleaned_data["note"],
                    )
                else:
                    actions.whistle_consolidated_reply(
                        whistle=whistle,
                        acting_user=user,
                        reply=text_form.cleaned_data["reply"],
                    )
                messages.success(request, _("Done."))
                return redirect("whistles:detail", pk=whistle.pk)
            if action == "meeting":
                meeting_form = forms.MeetingForm(request.POST)
                if not meeting_form.is_valid():
                    messages.error(request, _("Please fill in the form."))
                    return redirect("whistles:detail", pk=whistle.pk)
                actions.meeting_record(
                    whistle=whistle, acting_user=user, **meeting_form.cleaned_data
                )
                messages.success(request, _("Done."))
                return redirect("whistles:detail", pk=whistle.pk)
            form_class = {
                "check_in": forms.CheckInForm,
                "share_done": forms.ShareDoneForm,
                "task": forms.TaskForm,
                "score": forms.StreetScoreForm,
                "feedback": forms.FeedbackForm,
            }.get(action)
            if form_class is None:
                raise Http404
            action_form: Any = form_class(request.POST, request.FILES)
            form = action_form
            if not form.is_valid():
                problems = [e for errors in form.errors.values() for e in errors]
                messages.error(
                    request, " ".join([str(_("Please fill in the form.")), *problems])
                )
                return redirect("whistles:detail", pk=whistle.pk)
            summons = get_object_or_404(
                whistle.summonses, pk=form.cleaned_data["summons"]
            )
            if action == "check_in":
                actions.summons_check_in(
                    summons=summons,
                    acting_user=user,
                    attendees=form.cleaned_data["attendees"],
                    latitude=form.cleaned_data["latitude"],
                    longitude=form.cleaned_data["longitude"],
                    photo=form.cleaned_data["photo"],
                )
            elif action == "score":
                actions.street_score(
                    summons=summons,
                    acting_user=user,
                    report_in=form.cleaned_data["report_in"],
                    handling=form.cleaned_data["handling"],
                    comment=form.cleaned_data["comment"],
                )
            elif action == "feedback":
                actions.department_feedback(
                    summons=summons,
                    acting_user=user,
                    justified=form.cleaned_data["justified"],
                    well_run=form.cleaned_data["well_run"],
                    comment=form.cleaned_data["comment"],
                )
            elif action == "share_done":
                actions.summons_complete(
                    summons=summons, acting_user=user, note=form.cleaned_data["note"]
                )
            else:
                days = form.cleaned_data["days"]
                actions.summons_set_task(
                    summons=summons,
                    acting_user=user,
                    task=form.cleaned_data["task"],
                    days=float(days) if days else None,
                )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("whistles:detail", pk=whistle.pk)
    messages.success(request, _("Done."))
    return redirect("whistles:detail", pk=whistle.pk)


@login_required
@require_GET
def check_in_photo(request: HttpRequest, pk: int, summons: int, variant: str) -> Any:
    """The photo a department took when it reported in, for those who may see
    the whistle."""
    if variant not in ("thumb", "full"):
        raise Http404
    whistle = get_object_or_404(selectors.whistles_for_user(request.user), pk=pk)
    return check_in_photo_response(whistle, summons, thumb=variant == "thumb")
