"""The rates engine (三率): counts over the facts, for any scope, period and
grouping, and the rates and score a formula makes of them. Every figure comes
raw and reviewed (without what exclusion reviews took out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from civicgrid.appeals.models import Appeal, Channel
from civicgrid.core import clock

from .models import DailyFigure, Exclusion, Fact, Formula, PublishedPeriod

K = Fact.Kind


def period_bounds(kind: str, anchor: date) -> tuple[date, date]:
    """The day, week (Monday on), month, quarter or year holding ``anchor``,
    as first and last day."""
    if kind == "day":
        return anchor, anchor
    if kind == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=6)
    if kind == "month":
        start = anchor.replace(day=1)
    elif kind == "quarter":
        start = anchor.replace(month=(anchor.month - 1) // 3 * 3 + 1, day=1)
    elif kind == "year":
        start = anchor.replace(month=1, day=1)
    else:
        raise ValueError(kind)
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    year, month = divmod(start.month - 1 + months, 12)
    return start, date(start.year + year, month + 1, 1) - timedelta(days=1)


@dataclass
class Counts:
    """What happened in a scope and period; the rates are ratios of these."""

    intake: int = 0
    dispatched: int = 0
    responses: int = 0
    responded_in_time: int = 0
    returns: int = 0
    completions: int = 0
    completed_in_time: int = 0
    callbacks: int = 0
    resolved: int = 0
    satisfied: int = 0
    basic: int = 0
    rehandles: int = 0
    # Closed because the callback never reached the resident (未接通): shown
    # beside the rates, counted in none of them.
    unreachable: int = 0
    # Patrol findings resolved on site with nobody to call back (就地处置,
    # 核查结案): resolved, and judged like a callback, but never rated.
    on_site: int = 0
    response_seconds: float = 0.0
    responses_timed: int = 0
    completion_seconds: float = 0.0
    completions_timed: int = 0

    @staticmethod
    def _ratio(part: float, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def response_rate(self) -> float | None:
        """响应率: shares answered (signed or returned) by their deadline."""
        return self._ratio(self.responded_in_time, self.responses)

    @property
    def judged(self) -> int:
        """The answers someone judged: callbacks, and patrol findings resolved
        on site (the denominator of the resolution and re-handle rates)."""
        return self.callbacks + self.on_site

    @property
    def resolution_rate(self) -> float | None:
        """解决率: callbacks where the resident says it was resolved, and
        patrol findings resolved on site."""
        return self._ratio(self.resolved + self.on_site, self.judged)

    def satisfaction_rate(self, formula: Formula | None = None) -> float | None:
        """满意率: callbacks rated satisfied (and, by the formula, basically).
        Only residents rate: a patrol finding resolved on site is not in it."""
        basic = formula is None or formula.basic_counts_as_satisfied
        return self._ratio(
            self.satisfied + (self.basic if basic else 0), self.callbacks
        )

    @property
    def on_time_rate(self) -> float | None:
        """按时办结率: the lead's replies by the due time."""
        return self._ratio(self.completed_in_time, self.completions)

    @property
    def return_rate(self) -> float | None:
        """回退率: shares returned of those dispatched."""
        return self._ratio(self.returns, self.dispatched)

    @property
    def rehandle_rate(self) -> float | None:
        """重办率: answers sent back to be handled again (by a callback or a
        check on site), of those judged."""
        return self._ratio(self.rehandles, self.judged)

    @property
    def response_hours(self) -> float | None:
        seconds = self._ratio(self.response_seconds, self.responses_timed)
        return None if seconds is None else seconds / 3600

    @property
    def completion_hours(self) -> float | None:
        seconds = self._ratio(self.completion_seconds, self.completions_timed)
        return None if seconds is None else seconds / 3600

    def rates(self, formula: Formula | None = None) -> dict[str, float | None]:
        def inverse(rate: float | None) -> float | None:
            # Returns in a period may outnumber its dispatches: never below 0.
            return None if rate is None else max(0.0, 1 - rate)

        return {
            "response": self.response_rate,
            "resolution": self.resolution_rate,
            "satisfaction": self.satisfaction_rate(formula),
            "on_time": self.on_time_rate,
            "no_return": inverse(self.return_rate),
            "no_rehandle": inverse(self.rehandle_rate),
        }

    def score(self, formula: Formula) -> float | None:
        """The composite score out of 100: the formula's weighted mean of the
        rates there are (a unit with no callbacks yet is scored on the rest).

        None — no score — for a unit with no case counted in any rate but the
        no-return rate: that one stands on the dispatches alone (nothing
        returned of what came), which say nothing of the work until the unit
        has answered, completed or been called back on something."""
        weights = formula.weights
        total = Decimal(0)
        weighed = Decimal(0)
        grounded = False
        for name, rate in self.rates(formula).items():
            if rate is None or not weights[name]:
                continue
            total += weights[name] * Decimal(str(rate))
            weighed += weights[name]
            grounded = grounded or name != "no_return"
        return float(total / weighed * 100) if grounded else None

    def cases(self, formula: Formula | None = None) -> dict[str, dict[str, int]]:
        """Each rate's cases: how many counted for it, of how many (the rate's
        denominator) — "响应率 90% (9/10)"."""
        basic = formula is None or formula.basic_counts_as_satisfied
        satisfied = self.satisfied + (self.basic if basic else 0)
        pairs = {
            "response": (self.responded_in_time, self.responses),
            "resolution": (self.resolved + self.on_site, self.judged),
            "satisfaction": (satisfied, self.callbacks),
            "on_time": (self.completed_in_time, self.completions),
            "return_rate": (self.returns, self.dispatched),
            "rehandle_rate": (self.rehandles, self.judged),
        }
        return {name: {"count": n, "of": of} for name, (n, of) in pairs.items()}


@dataclass
class Figures:
    raw: Counts
    reviewed: Counts


def _add(counts: Counts, row: dict[str, Any]) -> None:
    """One group of facts (a kind's count and sums) into the counts."""
    kind, n, ok = row["kind"], row["sum_n"], row["sum_ok"] or 0
    seconds, timed = row["sum_seconds"] or 0.0, row["sum_timed"] or 0
    if kind == K.INTAKE:
        counts.intake += n
    elif kind == K.DISPATCH:
        counts.dispatched += n
    elif kind == K.RESPONSE:
        counts.responses += n
        counts.responded_in_time += ok
        counts.response_seconds += seconds
        counts.responses_timed += timed
    elif kind == K.RETURN:
        counts.returns += n
    elif kind == K.COMPLETION:
        counts.completions += n
        counts.completed_in_time += ok
        counts.completion_seconds += seconds
        counts.completions_timed += timed
    elif kind == K.CALLBACK:
        counts.callbacks += n
        counts.resolved += ok
        counts.satisfied += row["sum_satisfied"] or 0
        counts.basic += row["sum_basic"] or 0
    elif kind == K.REHANDLE:
        counts.rehandles += n
    elif kind == K.UNREACHABLE:
        counts.unreachable += n
    elif kind == K.ON_SITE:
        counts.on_site += n


# Per kind (and excluded or not): how many, how many in time or resolved, how
# many satisfied or basically, and the time they took — from the facts, or
# from their daily sums.
FACT_SUMS: dict[str, Any] = {
    "sum_n": Count("pk"),
    "sum_ok": Count("pk", filter=Q(ok=True)),
    "sum_satisfied": Count("pk", filter=Q(satisfaction=Appeal.Satisfaction.SATISFIED)),
    "sum_basic": Count("pk", filter=Q(satisfaction=Appeal.Satisfaction.BASIC)),
    "sum_seconds": Sum("seconds"),
    "sum_timed": Count("seconds"),
}
DAILY_SUMS: dict[str, Any] = {
    "sum_" + name: Sum(name)
    for name in ("n", "ok", "satisfied", "basic", "seconds", "timed")
}

GROUPS: dict[str, Any] = {
    "department": "department_id",
    "community": "community_id",
    "grid": "grid_id",
    "category": "category_id",
    "channel": "channel",
    "month": TruncMonth("day"),
    "week": TruncWeek("day"),
    "day": "day",
}


def facts(
    *,
    street: Any,
    start: date,
    end: date,
    department: int | None = None,
    community: int | None = None,
    grid: int | None = None,
    category: int | None = None,
    channel: str | None = None,
    kinds: tuple[str, ...] | None = None,
) -> QuerySet[Fact]:
    """The facts in [start, end] (local days) of a street (or, None, every
    street), narrowed to a unit (a department's, a community's — its own and
    its grids' —, a grid's), a category, a channel or some kinds."""
    return _narrow(
        Fact.objects.all(),
        street=street,
        start=start,
        end=end,
        kinds=kinds,
        department_id=department,
        community_id=community,
        grid_id=grid,
        category_id=category,
        channel=channel,
    )


def _narrow(
    found: QuerySet[Any],
    *,
    street: Any,
    start: date,
    end: date,
    kinds: tuple[str, ...] | None,
    **equal: Any,
) -> QuerySet[Any]:
    found = found.filter(day__gte=start, day__lte=end)
    if street is not None:
        found = found.filter(street_id=street.pk)
    if kinds is not None:
        found = found.filter(kind__in=kinds)
    return found.filter(**{name: v for name, v in equal.items() if v is not None})


def figures(
    found: QuerySet[Fact] | QuerySet[DailyFigure], *, by: str | None = None
) -> dict[Any, Figures]:
    """Counts of ``found`` — facts, or their daily sums — in one query: in all
    (key None) or grouped ``by`` one of :data:`GROUPS` (the daily sums know
    no category or channel)."""
    daily = found.model is DailyFigure
    excluded = "is_excluded" if daily else "excluded"
    columns: list[Any] = ["kind", excluded]
    annotations: dict[str, Any] = {}
    if by is not None:
        key = GROUPS[by]
        annotations["key"] = F(key) if isinstance(key, str) else key
        columns.append("key")
    rows = (
        found.annotate(**annotations)
        .values(*columns)
        .annotate(**(DAILY_SUMS if daily else FACT_SUMS))
        .order_by()
    )
    result: dict[Any, Figures] = {}
    if by is None:
        result[None] = Figures(Counts(), Counts())
    for row in rows:
        key = row.get("key")
        if daily and by in UNIT_GROUPS and key == 0:
            key = None  # 0 stands for none in the daily sums
        found_figures = result.setdefault(key, Figures(Counts(), Counts()))
        _add(found_figures.raw, row)
        if not row[excluded]:
            _add(found_figures.reviewed, row)
    return result


def daily(
    *,
    street: Any,
    start: date,
    end: date,
    department: int | None = None,
    community: int | None = None,
    grid: int | None = None,
    kinds: tuple[str, ...] | None = None,
) -> QuerySet[DailyFigure]:
    """:func:`facts`, summed by day: what the dashboards read."""
    return _narrow(
        DailyFigure.objects.all(),
        street=street,
        start=start,
        end=end,
        kinds=kinds,
        department_id=department,
        community_id=community,
        grid_id=grid,
    )


def current_formula() -> Formula:
    """The formula in force: the latest version (a first one is made with the
    usual weights if there is none)."""
    formula = Formula.objects.order_by("-number").first()
    if formula is None:
        formula, _created = Formula.objects.get_or_create(
            number=1, defaults=DEFAULT_FORMULA
        )
    return formula


DEFAULT_FORMULA: dict[str, Any] = {
    "w_response": Decimal("0.20"),
    "w_resolution": Decimal("0.30"),
    "w_satisfaction": Decimal("0.30"),
    "w_on_time": Decimal("0.10"),
    "w_no_return": Decimal("0.05"),
    "w_no_rehandle": Decimal("0.05"),
    "red_at_least": Decimal("90"),
    "black_below": Decimal("70"),
    "note": "The usual weights: resolution and satisfaction first.",
}


UNIT_GROUPS = ("department", "community", "grid")


def _names(by: str, keys: list[Any]) -> dict[Any, str]:
    from civicgrid.appeals.models import Category
    from civicgrid.org.models import Area, Department

    if by == "department":
        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "category":
        return dict(Category.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "channel":
        return {k: str(Channel(k).label) for k in keys if k in Channel.values}
    return dict(Area.objects.filter(pk__in=keys).values_list("pk", "name"))


def rates_of(counts: Counts, formula: Formula) -> dict[str, Any]:
    """The rates, times and score of some counts, as pages and snapshots show them."""
    return {
        **counts.rates(formula),
        "return_rate": counts.return_rate,
        "rehandle_rate": counts.rehandle_rate,
        "response_hours": counts.response_hours,
        "completion_hours": counts.completion_hours,
        "score": counts.score(formula),
        # The appeals dispatched to the unit in the period (as lead or
        # co-handler; to a street's units, each unit's share once): what the
        # formula's ``min_cases`` is counted on.
        "dispatched": counts.dispatched,
        "cases": counts.cases(formula),
        # Closed as unreachable: counted apart, in no rate.
        "unreachable": counts.unreachable,
    }


def ranking(
    *, street: Any, start: date, end: date, by: str, formula: Formula
) -> list[dict[str, Any]]:
    """Units ranked by their reviewed score, best first, with the raw figures
    beside. A unit is ranked when it has a score and at least the formula's
    ``min_cases`` appeals were dispatched to it in the period (reviewed):
    the one count that says how much work it was given, each appeal once,
    whatever became of it; the others are listed unranked, and a unit with
    no score last. ``list`` says red (红榜), black (黑榜) or neither: only a
    ranked unit is on one."""
    # Units from the daily sums; categories and channels from the facts.
    source: QuerySet[Any] = (
        daily(street=street, start=start, end=end)
        if by in UNIT_GROUPS
        else facts(street=street, start=start, end=end)
    )
    grouped = figures(source, by=by)
    grouped.pop(None, None)  # facts of no unit (an appeal's intake)
    names = _names(by, list(grouped))
    rows = []
    for key, found in grouped.items():
        reviewed = rates_of(found.reviewed, formula)
        rows.append(
            {
                "id": key,
                "name": names.get(key, "?"),
                "reviewed": reviewed,
                "raw": rates_of(found.raw, formula),
                "ranked": reviewed["dispatched"] >= formula.min_cases
                and reviewed["score"] is not None,
            }
        )
    rows.sort(
        key=lambda r: (
            not r["ranked"],
            r["reviewed"]["score"] is None,
            -(r["reviewed"]["score"] or 0),
            r["name"],
        )
    )
    for place, row in enumerate(rows, start=1):
        score = row["reviewed"]["score"]
        row["rank"] = place if row["ranked"] else None
        row["list"] = ""
        if row["ranked"]:
            if score >= float(formula.red_at_least):
                row["list"] = "red"
            elif score < float(formula.black_below):
                row["list"] = "black"
    return rows


SNAPSHOT_VERSION = 3


def snapshot(
    *, street: Any, start: date, end: date, formula: Formula
) -> dict[str, Any]:
    """A period's figures as published: the street's, and each unit's ranked."""
    (total,) = figures(daily(street=street, start=start, end=end)).values()
    return {
        # 3: and the closes as unreachable (未接通); 2: each rate with its
        # cases and the appeals dispatched; 1 (no version): one "cases" sum of
        # responses, completions and callbacks.
        "version": SNAPSHOT_VERSION,
        "formula": formula.number,
        "street": {
            "reviewed": rates_of(total.reviewed, formula),
            "raw": rates_of(total.raw, formula),
            "intake": total.raw.intake,
        },
        **{
            by: ranking(street=street, start=start, end=end, by=by, formula=formula)
            for by in (*UNIT_GROUPS, "category", "channel")
        },
    }


# --- dashboards --------------------------------------------------------------------

TREND_KINDS = (K.RESPONSE, K.CALLBACK, K.ON_SITE, K.COMPLETION)


def months_back(end: date, months: int) -> date:
    """The first day of the month ``months - 1`` months before ``end``'s."""
    year, month = divmod(end.year * 12 + end.month - 1 - (months - 1), 12)
    return date(year, month + 1, 1)


def trend(
    *, street: Any, end: date, formula: Formula, **unit: int
) -> list[dict[str, Any]]:
    """The twelve months to ``end``'s, month by month: the three rates and
    on-time completion (reviewed), of a street or a unit."""
    found = daily(
        street=street, start=months_back(end, 12), end=end, kinds=TREND_KINDS, **unit
    )
    rows = figures(found, by="month")
    return [
        {
            "month": key.strftime("%Y-%m"),
            "response": counts.reviewed.response_rate,
            "resolution": counts.reviewed.resolution_rate,
            "satisfaction": counts.reviewed.satisfaction_rate(formula),
            "on_time": counts.reviewed.on_time_rate,
        }
        for key, counts in sorted(rows.items(), key=lambda item: item[0])
    ]


def top(found: QuerySet[Fact], by: str, limit: int = 10) -> list[tuple[str, int]]:
    """What was received most, by category or channel."""
    intake = found.filter(kind=K.INTAKE)
    counted = intake.values(GROUPS[by]).annotate(n=Count("pk")).order_by("-n")[:limit]
    keys = [row[GROUPS[by]] for row in counted]
    if by == "category":
        from civicgrid.appeals.models import Category

        names = dict(Category.objects.filter(pk__in=keys).values_list("pk", "name"))
    else:
        names = {k: str(Channel(k).label) for k in keys if k in Channel.values}
    return [(names.get(row[GROUPS[by]], "—"), row["n"]) for row in counted]


def grid_map(
    street: Any, found: QuerySet[DailyFigure], formula: Formula
) -> dict[str, Any]:
    """The street's grids as GeoJSON, each with its appeals received and its
    score in the period, for a map coloured by either."""
    from civicgrid.org.models import Area

    by_grid = figures(found, by="grid")
    grids = Area.objects.filter(
        level=Area.Level.GRID, is_active=True, path__startswith=street.path
    ).only("pk", "code", "name", "boundary")
    features = []
    for grid in grids:
        if not grid.boundary:
            continue
        counts = by_grid.get(grid.pk)
        features.append(
            {
                "type": "Feature",
                "geometry": grid.boundary,
                "properties": {
                    "name": grid.name,
                    "code": grid.code,
                    "intake": counts.raw.intake if counts else 0,
                    "score": counts.reviewed.score(formula) if counts else None,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def exclusions_pending(scope: Q) -> QuerySet[Exclusion]:
    """Requests waiting for a decision, oldest first, among those ``scope``
    (see :func:`permissions.exclusions_q`) lets the reader see."""
    return (
        Exclusion.objects.filter(scope, state=Exclusion.State.PENDING)
        .select_related(
            "assignment__appeal",
            "assignment__department",
            "assignment__area",
            "requested_by",
        )
        .order_by("requested_at", "pk")
    )


def exclusions_decided(scope: Q) -> QuerySet[Exclusion]:
    """Requests decided, latest first, among those ``scope`` lets the reader see."""
    return (
        Exclusion.objects.filter(scope)
        .exclude(state=Exclusion.State.PENDING)
        .select_related(
            "assignment__appeal",
            "assignment__department",
            "assignment__area",
            "requested_by",
            "decided_by",
        )
        .order_by("-decided_at", "-pk")
    )


def published_periods(street: Any) -> QuerySet[PublishedPeriod]:
    return (
        PublishedPeriod.objects.filter(street=street)
        .select_related("formula")
        .order_by("-end", "-start")
    )


def published_periods_for(streets: list[Any]) -> QuerySet[PublishedPeriod]:
    return PublishedPeriod.objects.filter(street__in=streets)


def recent_months(today: date, count: int) -> list[date]:
    """The first days of the last ``count`` months, this one first."""
    return [months_back(today, n) for n in range(1, count + 1)]


def street_queues(street: Any) -> dict[str, int]:
    """The console's open, due-soon and overdue counts for a whole street, as
    its overseers see them, read straight from the shares' deadlines."""
    from civicgrid.appeals.models import Assignment
    from civicgrid.appeals.selectors import due_soon_q, overdue_q
    from civicgrid.appeals.workflow import OPEN_STATES

    now = clock.now()
    shares = Assignment.objects.filter(
        state__in=Assignment.ACTIVE_STATES,
        appeal__street=street,
        appeal__state__in=[Appeal.State.DISPATCHED, Appeal.State.HANDLING],
    )
    return {
        "open": Appeal.objects.filter(street=street, state__in=OPEN_STATES).count(),
        "due_soon": shares.filter(due_soon_q(now)).values("appeal").distinct().count(),
        "overdue": shares.filter(overdue_q(now)).values("appeal").distinct().count(),
    }
