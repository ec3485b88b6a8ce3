"""社情民意 pages and a grid's events (事): thin over the selectors, the
steps and the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civicgrid.core.errors import DomainError
from civicgrid.org.models import Area

from .. import permissions, selectors
from ..actions import opinion as actions
from ..forms import opinion as forms
from ..models import Opinion
from ..opinion_steps import STEPS, describe
from ._common import paged

PAGE_SIZE = 30


def ledger_required(view: Any) -> Any:
    """Signed in and holding a ledger role; anyone else gets 404."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.sees_ledger(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def editable_grids(user: Any) -> QuerySet[Area]:
    return Area.objects.filter(
        permissions.editable_q(user, "path"),
        level=Area.Level.GRID,
        is_active=True,
    ).order_by("code")


def counters_sentence(counters: dict[str, int], period: str) -> str:
    """ "本月收集社情民意 N 条，其中预警 M 条，已转诉求 K 条" in the page's words."""
    words = {
        "month": _("This month"),
        "quarter": _("In the last three months"),
        "year": _("In the last twelve months"),
    }
    return _(
        "%(when)s %(total)d public opinion items were gathered, "
        "%(raised)d of them warnings, %(appealed)d turned into appeals."
    ) % {
        "when": words.get(period, _("In all")),
        "total": counters["total"] or 0,
        "raised": counters["raised"] or 0,
        "appealed": counters["appealed"] or 0,
    }


@ledger_required
def opinion_list(request: HttpRequest) -> HttpResponse:
    """社情民意 of an area, as cards on a phone, with the counters."""
    user = request.user
    areas = selectors.areas_for_opinions(user)
    form = forms.OpinionFilterForm(request.GET or None, areas=areas)
    filters = form.cleaned_data if form.is_valid() else {}
    opinions = selectors.opinions_filtered(user, filters)
    period = filters.get("period") or ""
    counters = selectors.opinion_counters(opinions)
    page = paged(request, opinions, size=PAGE_SIZE)
    return render(
        request,
        "ledger/opinion/list.html",
        {
            "form": form,
            "page": page,
            "counters": counters,
            "sentence": counters_sentence(counters, period),
            "may_gather": editable_grids(user).exists(),
        },
    )


@ledger_required
@require_http_methods(["GET", "POST"])
def opinion_new(request: HttpRequest) -> HttpResponse:
    """Gather an item: the grid from the phone's point or chosen."""
    user = request.user
    grids = editable_grids(user)
    if not grids.exists():
        raise Http404
    form = forms.OpinionForm(request.POST or None, grids=grids)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                opinion = actions.opinion_gather(
                    data=actions.OpinionInput(
                        text=data["text"],
                        source=data["source"],
                        risk=data["risk"],
                        topic=data["topic"],
                        grid=data["grid"],
                        lon=data["lon"] if data["lat"] is not None else None,
                        lat=data["lat"] if data["lon"] is not None else None,
                    ),
                    acting_user=user,
                )
            except DomainError as exc:
                forms.attach_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Public opinion item recorded in %(grid)s.")
                    % {"grid": opinion.grid.name},
                )
                return redirect("ledger:opinion", pk=opinion.pk)
        else:
            status = 400
    return render(request, "ledger/opinion/new.html", {"form": form}, status=status)


def _detail_context(
    request: HttpRequest, opinion: Opinion, **bound: Any
) -> dict[str, Any]:
    user = request.user
    return {
        "opinion": opinion,
        "patrols": list(opinion.patrols.select_related("worker")),
        "may_appeal": actions.may_turn_into_appeal(user, opinion),
        "may_close": actions.may_close(user, opinion),
        "appeal_form": bound.get("to_appeal") or forms.ToAppealForm(),
        "close_form": bound.get("close") or forms.CloseForm(),
    }


@ledger_required
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.opinion_get_for_user(request.user, pk)
    return render(
        request, "ledger/opinion/detail.html", _detail_context(request, opinion)
    )


STEP_FORMS: dict[str, type[Any]] = {
    "to_appeal": forms.ToAppealForm,
    "close": forms.CloseForm,
}


@ledger_required
@require_POST
def opinion_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Turn into an appeal, or close with a note."""
    opinion = selectors.opinion_get_for_user(request.user, pk)
    form_class = STEP_FORMS.get(step)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        try:
            result = STEPS[step](request.user, opinion, form.cleaned_data)
        except DomainError as exc:
            forms.attach_domain_error(form, exc)
            status = exc.status
            opinion.refresh_from_db()
        else:
            messages.success(request, describe(step, result))
            return redirect("ledger:opinion", pk=opinion.pk)
    return render(
        request,
        "ledger/opinion/detail.html",
        _detail_context(request, opinion, **{step: form}),
        status=status,
    )


@ledger_required
def grid_events(request: HttpRequest, pk: int) -> HttpResponse:
    """事: the appeals, patrol findings, whistles and 社情民意 in a grid."""
    grid = selectors.grid_get_for_user(request.user, pk)
    return render(
        request,
        "ledger/opinion/events.html",
        {"grid": grid, "events": selectors.grid_events(request.user, grid)},
    )
