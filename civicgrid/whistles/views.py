"""The whistle board and pages: dispatchers blow and close, summoned departments
report in and complete their shares. Scoped by the selectors; outsiders get 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.appeals.forms import attach_domain_error
from civicgrid.core import clock
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.org.models import Area
from civicgrid.org.selectors import departments_for_user

from . import actions, forms, permissions, selectors, workflow
from .models import Summons, Whistle
from .photos import check_in_photo_response
from .steps import STEPS, describe


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
            request.user, roles=permissions.OVERSEERS
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
        chosen = data.get("street")
        try:
            whistle = actions.whistle_blow(
                street=permissions.street_to_blow_on(
                    request.user,
                    code=chosen.code if chosen else None,
                    appeal=appeal,
                    streets=streets,
                ),
                whistle_type=data["type"],
                title=data["title"],
                reason=data["reason"],
                departments=list(data["departments"]),
                lead=data["lead"],
                acting_user=request.user,
                appeal=appeal,
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            return redirect("whistles:detail", pk=whistle.pk)
    street = (
        None
        if choose
        else permissions.street_to_blow_on(request.user, appeal=appeal, streets=streets)
    )
    return render(
        request,
        "whistles/blow.html",
        {"form": form, "appeal": appeal, "street": street},
        status=400 if form.errors else 200,
    )


# step → its form and the form's prefix on the page; the step itself is in
# steps.STEPS, shared with the API.
FORMS: dict[str, tuple[type[Form], str | None]] = {
    "check_in": (forms.CheckInForm, None),
    "task": (forms.TaskForm, None),
    "share_done": (forms.ShareDoneForm, None),
    "score": (forms.StreetScoreForm, None),
    "feedback": (forms.FeedbackForm, None),
    "meeting": (forms.MeetingForm, None),
    "progress": (forms.ProgressForm, "progress"),
    "reply": (forms.ConsolidatedReplyForm, "lead"),
    "close": (forms.CloseForm, "close"),
}


def _context(
    request: HttpRequest, whistle: Whistle, failed: tuple[str, Form] | None = None
) -> dict[str, Any]:
    """The page: what the user may do now (permissions.available_actions), each
    step's form, and the form of a step just refused, with its errors, where
    it was filled in."""
    summonses = list(
        whistle.summonses.select_related(
            "department", "checked_in_by", "street_score", "feedback"
        )
    )
    allowed = permissions.available_actions(request.user, whistle, summonses)
    failed_step, failed_form = failed or (None, None)
    failed_share = None
    if failed_form is not None and failed_step in workflow.SHARE_STATES:
        failed_share = failed_form.cleaned_data.get("summons")
        if failed_share not in {s.pk for s in summonses}:
            # A share this page does not show (a forged or mangled post).
            problems = [
                str(e) for errors in failed_form.errors.values() for e in errors
            ]
            messages.error(
                request, " ".join([str(_("Please fill in the form.")), *problems])
            )

    def form(step: str, **initial: Any) -> Any:
        if step == failed_step:
            return failed_form
        form_class, prefix = FORMS[step]
        return form_class(prefix=prefix, initial=initial or None)

    def may(step: str) -> bool:
        return step in allowed.steps or step == failed_step

    def on_shares(step: str) -> list[tuple[Summons, Any]]:
        """(share, its form) for each share the user may take ``step`` on, and
        the one where it was just refused."""
        rows = []
        for summons in summonses:
            if step == failed_step and summons.pk == failed_share:
                rows.append((summons, failed_form))
            elif step in allowed.on_share(summons):
                rows.append((summons, FORMS[step][0]()))
        return rows

    tasks = dict(on_shares("task"))
    return {
        "whistle": whistle,
        "summonses": [(s, tasks.get(s)) for s in summonses],
        "events": whistle.events.select_related("actor", "summons__department"),
        "to_check_in": on_shares("check_in"),
        "to_complete": on_shares("share_done"),
        "to_score": on_shares("score"),
        "to_feedback": on_shares("feedback"),
        "may_close": may("close"),
        "close_form": form("close"),
        "may_progress": may("progress"),
        "progress_form": form("progress"),
        "lead_form": form("reply", reply=whistle.consolidated_reply)
        if may("reply")
        else None,
        "meetings": whistle.meetings.all(),
        "may_record_meeting": may("meeting"),
        "meeting_form": form("meeting"),
        "scores": range(5, 0, -1),
        "may_reveal_texts": permissions.may_reveal_texts(request.user, whistle)
        and selectors.has_sealed_texts(whistle),
        "now": clock.now(),
    }


def _show_in_full(context: dict[str, Any], texts: dict[str, str]) -> None:
    """The page after a recorded reveal: the sealed texts whole, in place (on
    the objects of this one rendering, never saved)."""
    whistle = context["whistle"]
    for name, text in texts.items():
        if ":" not in name:
            setattr(whistle, name, text)

    def unseal(prefix: str, rows: list[Any]) -> list[Any]:
        for row in rows:
            for ref, text in texts.items():
                kind, _sep, rest = ref.partition(":")
                pk, _sep, name = rest.partition(":")
                if kind == prefix and pk == str(row.pk):
                    setattr(row, name, text)
        return rows

    unseal("summons", [s for s, _form in context["summonses"]])
    context["events"] = unseal("event", list(context["events"]))
    context["meetings"] = unseal("meeting", list(context["meetings"]))
    context["texts_in_full"] = True


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    whistle = get_object_or_404(selectors.whistles_for_user(request.user), pk=pk)
    return render(request, "whistles/detail.html", _context(request, whistle))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One address per step; the form parses, the step (shared with the API)
    decides. A refusal is shown on the form, on the field it names."""
    whistle = get_object_or_404(selectors.whistles_for_user(request.user), pk=pk)
    if action == "reveal_texts":
        try:
            texts = actions.whistle_reveal_texts(
                whistle=whistle, acting_user=request.user
            )
        except PermissionDeniedError as exc:
            messages.error(request, exc.message)
            return redirect("whistles:detail", pk=whistle.pk)
        context = _context(request, whistle)
        _show_in_full(context, texts)
        return render(request, "whistles/detail.html", context)
    if action not in FORMS:
        raise Http404
    form_class, prefix = FORMS[action]
    form = form_class(request.POST, request.FILES, prefix=prefix)
    status = 400
    done = ""
    try:
        if form.is_valid():
            result = STEPS[action](request.user, whistle, form.cleaned_data)
            done = describe(action, whistle, result)
    except PermissionDeniedError as exc:
        messages.error(request, exc.message)
        return redirect("whistles:detail", pk=whistle.pk)
    except DomainError as exc:
        whistle.refresh_from_db()
        attach_domain_error(form, exc)
        status = exc.status
    if form.errors:
        return render(
            request,
            "whistles/detail.html",
            _context(request, whistle, failed=(action, form)),
            status=status,
        )
    messages.success(request, done)
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
