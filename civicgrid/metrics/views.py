"""The leaders' pages of the three rates: the street overview, a unit's own
page, and a grid's page, which shows its open appeals and patrol findings
beside its rates. Each reads a fixed number of queries, whatever the history
holds."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.appeals.labels import unit_name
from civicgrid.appeals.models import Assignment
from civicgrid.core import clock
from civicgrid.core.errors import DomainError
from civicgrid.core.ratelimit import rate_limited
from civicgrid.org import selectors as org_selectors
from civicgrid.org.models import Area, Department
from civicgrid.whistles.selectors import whistle_counters

from . import actions, exports, permissions, selectors
from .forms import (
    EARLIEST,
    ExclusionDecisionForm,
    ExclusionRequestForm,
    PeriodForm,
)
from .models import Fact


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The period's days as [first midnight, the midnight after the last)."""
    tz = timezone.get_current_timezone()
    begin = datetime.combine(start, time.min, tzinfo=tz)
    return begin, datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The street overview for leaders: today's intake and the queues, the
    three rates with their trend, what is asked most and through which
    channels, the grids on a map, the whistles, the units ranked."""
    street, streets = _street(request)
    form = PeriodForm(request.GET or None)
    start, end = form.bounds()
    formula = selectors.current_formula()
    found = selectors.facts(street=street, start=start, end=end)
    summed = selectors.daily(street=street, start=start, end=end)
    (total,) = selectors.figures(summed).values()
    today = timezone.localdate(clock.now())
    begin, finish = _moments(start, end)
    ranking = selectors.ranking(
        street=street, start=start, end=end, by="department", formula=formula
    )
    context = {
        "street": street,
        "streets": streets,
        "form": form,
        "start": start,
        "end": end,
        "formula": formula,
        "total": total,
        "rates": selectors.rates_of(total.reviewed, formula),
        "raw": selectors.rates_of(total.raw, formula),
        "today": Fact.objects.filter(
            street=street, kind=Fact.Kind.INTAKE, day=today
        ).count(),
        "queues": selectors.street_queues(street),
        "trend": selectors.trend(street=street, end=end, formula=formula),
        "categories": selectors.top(found, "category"),
        "channels": selectors.top(found, "channel"),
        "grid_map": selectors.grid_map(street, summed, formula),
        "whistles": whistle_counters(street=street, start=begin, end=finish),
        "ranking": ranking,
        "reads_exclusions": permissions.exclusions_q(request.user) is not None,
    }
    return render(request, "metrics/overview.html", context)


def _unit_figures(
    request: HttpRequest, *, unit: Any, by: str, street: Any, shares: Any
) -> dict[str, Any]:
    """What a unit's page shows of it — a department's, a community's or a
    grid's: its rates for the period asked (this month if none) and their
    trend, its rank among its peers, what waits in its queue."""
    form = PeriodForm(request.GET or None)
    start, end = form.bounds()
    formula = selectors.current_formula()
    scope = {by: unit.pk}
    mine = selectors.daily(street=street, start=start, end=end, **scope)
    (total,) = selectors.figures(mine).values()
    ranking = selectors.ranking(
        street=street, start=start, end=end, by=by, formula=formula
    )
    place = next((row for row in ranking if row["id"] == unit.pk), None)
    return {
        "unit": unit,
        "by": by,
        "form": form,
        "start": start,
        "end": end,
        "formula": formula,
        "rates": selectors.rates_of(total.reviewed, formula),
        "raw": selectors.rates_of(total.raw, formula),
        "total": total,
        "trend": selectors.trend(street=street, end=end, formula=formula, **scope),
        "place": place,
        "ranked": sum(1 for row in ranking if row["ranked"]),
        "reads_exclusions": permissions.exclusions_q(request.user) is not None,
        "shares": shares.filter(state__in=("dispatched", "handling")).aggregate(
            to_sign=Count("pk", filter=Q(state="dispatched")),
            handling=Count("pk", filter=Q(state="handling")),
            overdue=Count("pk", filter=Q(overdue_at__isnull=False)),
        ),
    }


def _unit_page(
    request: HttpRequest, *, unit: Any, by: str, street: Any, shares: Any
) -> HttpResponse:
    return render(
        request,
        "metrics/unit.html",
        _unit_figures(request, unit=unit, by=by, street=street, shares=shares),
    )


@login_required
@require_GET
def department(request: HttpRequest, pk: int) -> HttpResponse:
    """A department's page: for its handlers across every street it serves,
    for a street's leaders on their street."""
    found = get_object_or_404(Department, pk=pk)
    if permissions.handles_for(request.user, found):
        street = None  # its own handlers see its work on every street
        shares = found.assignments.all()
    else:  # a street's overseers see its work on their street
        street, _streets = _street(request)
        shares = found.assignments.filter(appeal__street=street)
    return _unit_page(
        request, unit=found, by="department", street=street, shares=shares
    )


@login_required
@require_GET
def area(request: HttpRequest, code: str) -> HttpResponse:
    """A community's rates page (its own shares and its grids'), or a grid's
    page (:func:`grid`)."""
    found = get_object_or_404(
        Area.objects.select_related("parent__parent"),
        code=code,
        level__in=(Area.Level.COMMUNITY, Area.Level.GRID),
    )
    if found.level == Area.Level.GRID:
        return grid(request, found)
    if not permissions.may_see_area(request.user, found):
        raise Http404
    return _unit_page(
        request,
        unit=found,
        by="community",
        street=found.parent,
        shares=Assignment.objects.filter(Q(area=found) | Q(area__parent=found)),
    )


# How many of a grid's open appeals its map shows, nearest their deadline first.
GRID_MAP_LIMIT = 200
GRID_FINDINGS = 10


def grid(request: HttpRequest, found: Area) -> HttpResponse:
    """A grid's page, the one its grid workers open on their phones: its open
    appeals on the map (coloured overdue, due soon or neither) and listed, its
    recent patrol findings (网格巡查) and its rates. Whoever may see the grid
    sees the page (404 otherwise); of the appeals, only those they may see;
    the rates, those who read the grid's figures."""
    visible = org_selectors.areas_for_user(request.user)
    if not visible.filter(pk=found.pk).exists():
        raise Http404
    chain = list(org_selectors.area_chain(found))
    shown = set(
        visible.filter(pk__in=[a.pk for a in chain]).values_list("pk", flat=True)
    )
    # Annotated with ``overdue`` and ``due_soon``.
    found_open: list[Any] = list(
        appeal_selectors.grid_open_appeals(request.user, found)[: GRID_MAP_LIMIT + 1]
    )
    open_appeals = found_open[:GRID_MAP_LIMIT]
    markers = _markers(open_appeals)
    context: dict[str, Any] = {
        "area": found,
        "breadcrumbs": [(a, a.pk in shown) for a in chain],
        "features": org_selectors.area_map_features(found, []),
        "open_appeals": open_appeals,
        "more_open": len(found_open) > GRID_MAP_LIMIT,
        "overdue_count": sum(1 for a in open_appeals if a.overdue),
        "due_soon_count": sum(1 for a in open_appeals if a.due_soon),
        "markers": markers,
        "unplaced": len(open_appeals) - len(markers),
        "findings": appeal_selectors.grid_patrol_findings(
            request.user, found
        ).select_related("category", "entered_by")[:GRID_FINDINGS],
        "reads_rates": permissions.may_see_area(request.user, found),
    }
    if context["reads_rates"]:
        context |= _unit_figures(
            request,
            unit=found,
            by="grid",
            street=found.parent.parent,  # type: ignore[union-attr]
            shares=Assignment.objects.filter(area=found),
        )
    return render(request, "metrics/grid.html", context)


URGENCY = {
    "overdue": gettext_lazy("overdue"),
    "due_soon": gettext_lazy("due soon"),
    "open": gettext_lazy("in time"),
}


def _markers(appeals: list[Any]) -> list[dict[str, Any]]:
    """The map's pins: where, how urgent, and what the popup says — the code,
    category, state and deadline, never the resident's name or words."""
    pins = []
    for appeal in appeals:
        if appeal.latitude is None or appeal.longitude is None:
            continue
        level = (
            "overdue" if appeal.overdue else "due_soon" if appeal.due_soon else "open"
        )
        due = ""
        if appeal.due_at:
            when = timezone.localtime(appeal.due_at).strftime("%m-%d %H:%M")
            due = _("Due %(when)s") % {"when": when}
        pins.append(
            {
                "lat": float(appeal.latitude),
                "lon": float(appeal.longitude),
                "code": appeal.tracking_code,
                "url": reverse("appeals:detail", args=[appeal.pk]),
                "category": appeal.category.name if appeal.category else "",
                "state": appeal.get_state_display(),
                "level": level,
                "urgency": str(URGENCY[level]),
                "due": due,
            }
        )
    return pins


@login_required
@require_POST
def exclusion_request(request: HttpRequest, share: int) -> HttpResponse:
    """The unit asks, from the appeal's page, that it not count (核减)."""
    assignment = appeal_selectors.assignment_get_for_user(request.user, share)
    form = ExclusionRequestForm(request.POST)
    back = redirect("appeals:detail", pk=assignment.appeal_id)
    if not form.is_valid():
        messages.error(request, _("Say why the appeal should not count."))
        return back
    try:
        actions.exclusion_request(
            assignment=assignment,
            acting_user=request.user,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Exclusion requested for %(unit)s on appeal %(code)s; the "
                "street's dispatchers decide."
            )
            % {
                "unit": unit_name(assignment),
                "code": assignment.appeal.tracking_code,
            },
        )
    return back


@login_required
@require_http_methods(["GET", "POST"])
def exclusions(request: HttpRequest) -> HttpResponse:
    """Exclusion reviews (核减): the street's dispatchers decide the units'
    requests, oldest first; its leaders read the requests and decisions; a
    unit reads its own. Anyone else gets 404."""
    scope = permissions.exclusions_q(request.user)
    if scope is None:
        raise Http404
    deciding = permissions.streets_deciding(request.user)
    pending = selectors.exclusions_pending(scope)
    form = ExclusionDecisionForm()
    failed: int | None = None
    if request.method == "POST":
        if not deciding:
            raise PermissionDenied(_("Only the street's dispatchers decide."))
        exclusion = get_object_or_404(
            pending.filter(assignment__appeal__street__in=deciding),
            pk=request.POST.get("exclusion", 0),
        )
        form = ExclusionDecisionForm(request.POST)
        if form.is_valid():
            try:
                actions.exclusion_decide(
                    exclusion=exclusion,
                    acting_user=request.user,
                    approve=form.cleaned_data["approve"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                form.add_error(
                    exc.field if exc.field in form.fields else None, exc.message
                )
            else:
                said = (
                    _(
                        "Exclusion approved: appeal %(code)s no longer counts "
                        "against %(unit)s in the reviewed rates."
                    )
                    if form.cleaned_data["approve"]
                    else _(
                        "Exclusion refused: appeal %(code)s still counts against "
                        "%(unit)s."
                    )
                )
                share = exclusion.assignment
                messages.success(
                    request,
                    said
                    % {"code": share.appeal.tracking_code, "unit": unit_name(share)},
                )
                return redirect("metrics:exclusions")
        failed = exclusion.pk
    deciding_ids = {street.pk for street in deciding}
    return render(
        request,
        "metrics/exclusions.html",
        {
            "pending": [
                (asked, asked.assignment.appeal.street_id in deciding_ids)
                for asked in pending
            ],
            "deciding": bool(deciding),
            "form": form,
            "blank_form": ExclusionDecisionForm(),
            "failed": failed,
            "decided": selectors.exclusions_decided(scope)[:20],
        },
        status=400 if failed else 200,
    )


RANKED_BY = {"department", "community", "grid", "category", "channel"}


def _street(request: HttpRequest) -> tuple[Any, list[Any]]:
    """The street asked for among those the user oversees (404 for none)."""
    streets = list(permissions.streets_overseen(request.user))
    if not streets:
        raise Http404
    code = request.GET.get("street") or request.POST.get("street")
    return next((s for s in streets if s.code == code), streets[0]), streets


@login_required
@require_http_methods(["GET", "POST"])
def rankings(request: HttpRequest) -> HttpResponse:
    """Units ranked for a period, with the red and black lists (红黑榜): a page
    to print, and to publish once the period is over."""
    street, streets = _street(request)
    by = request.GET.get("by", "department")
    if by not in RANKED_BY:
        raise Http404
    form = PeriodForm(request.GET or None)
    start, end = form.bounds()
    if request.method == "POST":
        try:
            published = actions.period_publish(
                street=street, start=start, end=end, acting_user=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("The rankings of %(start)s to %(end)s are published.")
                % {"start": start.isoformat(), "end": end.isoformat()},
            )
            return redirect("metrics:published", pk=published.pk)
    formula = selectors.current_formula()
    rows = selectors.ranking(
        street=street, start=start, end=end, by=by, formula=formula
    )
    return render(
        request,
        "metrics/rankings.html",
        {
            "street": street,
            "streets": streets,
            "form": form,
            "start": start,
            "end": end,
            "by": by,
            "formula": formula,
            "rows": rows,
            "red": [r for r in rows if r["list"] == "red"],
            "black": [r for r in rows if r["list"] == "black"],
            "published": selectors.published_periods(street)[:12],
        },
    )


@login_required
@require_GET
def published(request: HttpRequest, pk: int) -> HttpResponse:
    """A published period as it was published, with its formula."""
    streets = list(permissions.streets_overseen(request.user))
    period = get_object_or_404(
        selectors.published_periods_for(streets).select_related("formula"), pk=pk
    )
    by = request.GET.get("by", "department")
    if by not in RANKED_BY:
        raise Http404
    rows = period.figures.get(by, [])
    return render(
        request,
        "metrics/rankings.html",
        {
            "street": period.street,
            "start": period.start,
            "end": period.end,
            "by": by,
            "formula": period.formula,
            "rows": rows,
            "red": [r for r in rows if r["list"] == "red"],
            "black": [r for r in rows if r["list"] == "black"],
            "period": period,
            # Published before the rates kept their cases: shown as it was.
            "legacy": period.figures.get("version", 1) < 2,
            # Published before the closes as unreachable were counted.
            "before_unreachable": period.figures.get("version", 1) < 3,
        },
    )


@rate_limited("digest", per_minute=60, methods=("GET",))
@require_GET
def digest(request: HttpRequest) -> HttpResponse:
    """The street's month for anyone: what was received and resolved, the three
    rates, the whistles, the themes asked most — counts only, no person."""
    named = request.GET.get("street", "")
    street = appeal_selectors.default_street(named)
    if street is None:
        streets = [] if named else appeal_selectors.public_streets()
        if not streets:
            raise Http404
        # Several streets and none named or configured: the resident chooses.
        return render(request, "metrics/digest_streets.html", {"streets": streets})
    today = timezone.localdate(clock.now())
    last_month = selectors.period_bounds(
        "month", today.replace(day=1) - timedelta(days=1)
    )
    year, _dash, month = request.GET.get("month", "").partition("-")
    try:
        chosen = date(int(year), int(month), 1)
    except ValueError:
        chosen = last_month[0]
    if not EARLIEST <= chosen <= today:
        chosen = last_month[0]
    start, end = selectors.period_bounds("month", chosen)
    formula = selectors.current_formula()
    (total,) = selectors.figures(
        selectors.daily(street=street, start=start, end=end)
    ).values()
    begin, finish = _moments(start, end)
    return render(
        request,
        "metrics/digest.html",
        {
            "street": street,
            "start": start,
            "end": end,
            "counts": total.reviewed,
            "rates": selectors.rates_of(total.reviewed, formula),
            "themes": selectors.top(
                selectors.facts(street=street, start=start, end=end), "category", 5
            ),
            "whistles": whistle_counters(street=street, start=begin, end=finish),
            "months": selectors.recent_months(today, 12),
        },
    )


@login_required
@require_GET
def export(
    request: HttpRequest, table: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """The rate table (``?by=department|community|grid``) or the appeals
    received, for the dashboard's street and period, as .xlsx or .csv."""
    if fmt not in ("xlsx", "csv") or table not in ("rates", "appeals"):
        raise Http404
    street, _streets = _street(request)
    form = PeriodForm(request.GET or None)
    start, end = form.bounds()
    if table == "rates":
        by = request.GET.get("by", "department")
        if by not in RANKED_BY:
            raise Http404
        formula = selectors.current_formula()
        rows = selectors.ranking(
            street=street, start=start, end=end, by=by, formula=formula
        )
        head, body = exports.rate_rows(rows)
        name = exports.period_name(f"rates-{by}", start, end)
        title = exports.rates_title(street, by, start, end, formula.number)
    else:
        begin, finish = _moments(start, end)
        appeals = (
            appeal_selectors.appeal_list_for_user(request.user)
            .filter(street=street, received_at__gte=begin, received_at__lt=finish)
            .order_by("received_at", "pk")
        )
        head, body = exports.appeal_rows(
            exports.appeals_for_export(appeals).iterator(chunk_size=2000)
        )
        name = exports.period_name("appeals", start, end)
        title = exports.appeals_title(street, start, end)
    return exports.download(name, fmt, title, head, body)
