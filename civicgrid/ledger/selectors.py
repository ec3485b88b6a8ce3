"""Scoped reads of the ledger: every query a page or the API makes starts here,
so an outsider gets nothing (and a 404 for one row)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.appeals.models import Appeal
from civicgrid.appeals.workflow import OPEN_STATES
from civicgrid.core import clock
from civicgrid.org.models import Area

from . import permissions
from .models import (
    Building,
    Change,
    Component,
    ComponentAppeal,
    Household,
    Opinion,
    Organisation,
    OrganisationMember,
    Pairing,
    Patrol,
    Person,
    PersonTag,
    Place,
    Residence,
    Visit,
)


def grids_for_user(user: Any) -> QuerySet[Area]:
    """The active grids whose ledger the user reads."""
    return Area.objects.filter(
        permissions.visible_q(user, "path"), level=Area.Level.GRID, is_active=True
    ).select_related("parent")


# --- places (地), components (物) and organisations (组织) --------------------------


Bounds = tuple[float, float, float, float]  # west, south, east, north


def buildings_for_user(user: Any) -> QuerySet[Building]:
    return Building.objects.filter(permissions.visible_q(user)).select_related("grid")


def building_get_for_user(user: Any, pk: Any) -> Building:
    return get_object_or_404(buildings_for_user(user), pk=pk)


def places_for_user(user: Any) -> QuerySet[Place]:
    return Place.objects.filter(permissions.visible_q(user)).select_related(
        "grid", "building"
    )


def place_get_for_user(user: Any, pk: Any) -> Place:
    return get_object_or_404(places_for_user(user), pk=pk)


def _open_appeal_q() -> Exists:
    return Exists(
        ComponentAppeal.objects.filter(
            component=OuterRef("pk"), appeal__state__in=OPEN_STATES
        )
    )


def components_for_user(user: Any) -> QuerySet[Component]:
    """The components the user sees — a department only those it owns — each
    with ``shown_state``: damaged while it is damaged or an appeal about it is
    still open."""
    return (
        Component.objects.filter(permissions.component_q(user))
        .select_related("grid", "department")
        .annotate(
            open_appeal=_open_appeal_q(),
            shown_state=Case(
                When(state=Component.State.LOST, then=Value(Component.State.LOST)),
                When(
                    Q(state=Component.State.DAMAGED) | Q(open_appeal=True),
                    then=Value(Component.State.DAMAGED),
                ),
                default=Value(Component.State.GOOD),
            ),
        )
    )


def component_get_for_user(user: Any, pk: Any) -> Component:
    return get_object_or_404(components_for_user(user), pk=pk)


def component_appeals(user: Any, component: Component) -> QuerySet[Any]:
    """The appeals about the component that the user may see (a department
    those dispatched to it, a grid worker those of their grids)."""
    linked = ComponentAppeal.objects.filter(component=component).values("appeal_id")
    return (
        appeal_selectors.appeal_list_for_user(user)
        .filter(pk__in=linked)
        .order_by("-received_at")
    )


def appeal_components(user: Any, appeal: Any) -> QuerySet[Component]:
    """The components an appeal names, of those the user sees."""
    return components_for_user(user).filter(componentappeal__appeal=appeal)


def organisations_for_user(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        permissions.visible_q(user, "area__path")
    ).select_related("area", "parent")


def organisation_get_for_user(user: Any, pk: Any) -> Organisation:
    return get_object_or_404(organisations_for_user(user), pk=pk)


def organisation_members(organisation: Organisation) -> QuerySet[OrganisationMember]:
    return organisation.members.select_related("place").order_by(
        "left_on", "joined_on", "pk"
    )


def organisation_pairings(organisation: Organisation) -> QuerySet[Pairing]:
    return (
        Pairing.objects.filter(
            Q(unit_branch=organisation) | Q(grid_branch=organisation)
        )
        .select_related("unit_branch", "grid_branch__area")
        .order_by("until", "-since")
    )


def changes_of(obj: Any) -> QuerySet[Change]:
    """The history of one ledger row, newest first."""
    return Change.objects.filter(
        model=obj._meta.model_name, object_id=obj.pk
    ).select_related("actor")


def _in_bounds(queryset: QuerySet[Any], bbox: Bounds) -> QuerySet[Any]:
    west, south, east, north = bbox
    return queryset.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)


def buildings_in_bounds(user: Any, bbox: Bounds) -> QuerySet[Any]:
    """Standing buildings in the box, as values for a map layer."""
    return _in_bounds(
        Building.objects.filter(permissions.visible_q(user), is_active=True), bbox
    ).values("pk", "name", "grid_id", "floors", "footprint", "lon", "lat")


def places_in_bounds(user: Any, bbox: Bounds, kind: str | None = None) -> QuerySet[Any]:
    """Open places in the box (of one kind when given), as values."""
    places = Place.objects.filter(permissions.visible_q(user), is_active=True)
    if kind:
        places = places.filter(kind=kind)
    return _in_bounds(places, bbox).values(
        "pk", "name", "kind", "services", "opening_hours", "grid_id", "lon", "lat"
    )


def components_in_bounds(
    user: Any, bbox: Bounds, state: str | None = None
) -> QuerySet[Any]:
    """Components in the box with the state they show (damaged while an appeal
    about them is open), of that shown state when given, as values."""
    components = components_for_user(user)
    if state:
        components = components.filter(**{"shown_state": state})
    return _in_bounds(components, bbox).values(
        "pk", "code", "subclass", "shown_state", "grid_id", "lon", "lat"
    )


# --- people (人) ---------------------------------------------------------------------


def households_for_user(user: Any) -> QuerySet[Household]:
    """The households of the grids whose ledger the user reads."""
    return Household.objects.filter(permissions.visible_q(user)).select_related(
        "building", "grid"
    )


def household_get_for_user(user: Any, pk: Any) -> Household:
    return get_object_or_404(households_for_user(user), pk=pk)


def households_filtered(
    user: Any, grid: Area | None, *, building: Any = None, tag: str = ""
) -> QuerySet[Household]:
    """A grid's households (or all the user reads), with their current members
    counted; filtered by building and by a current tag of a member."""
    households = households_for_user(user)
    if grid is not None:
        households = households.filter(grid=grid)
    if building:
        households = households.filter(building_id=building)
    if tag:
        households = households.filter(
            pk__in=PersonTag.objects.filter(
                tag=tag, until__isnull=True, person__household__isnull=False
            ).values("person__household_id")
        )
    return households.annotate(
        member_count=Count("members", distinct=True),
        last_visit=Max("visits__visited_at"),
    ).order_by("grid__code", "building__name", "unit", "room")


def people_for_user(user: Any) -> QuerySet[Person]:
    """People who live, or lived, in a household the user reads: a person who
    moved away stays readable where they lived."""
    lived = Residence.objects.filter(
        permissions.visible_q(user, "household__grid__path")
    ).values("person_id")
    return Person.objects.filter(pk__in=lived).select_related("household__building")


def person_get_for_user(user: Any, pk: Any) -> Person:
    return get_object_or_404(people_for_user(user), pk=pk)


def person_tag_get_for_user(user: Any, person: Person, pk: Any) -> PersonTag:
    return get_object_or_404(PersonTag.objects.filter(person=person), pk=pk)


def household_members(household: Household) -> dict[str, list[Residence]]:
    """Its members now and those who lived there (each stay, latest first)."""
    stays = (
        Residence.objects.filter(household=household)
        .select_related("person")
        .order_by("-moved_in_on", "-pk")
    )
    current = [s for s in stays if s.moved_out_on is None]
    past = [s for s in stays if s.moved_out_on is not None]
    return {"current": current, "past": past}


def household_visits(household: Household) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(household=household)
        .select_related("visitor", "appeal")
        .prefetch_related("people_met")
        .order_by("-visited_at", "-pk")
    )


def visits_for_user(user: Any) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(permissions.visible_q(user, "household__grid__path"))
        .select_related("household__building", "visitor", "appeal")
        .prefetch_related("people_met")
        .order_by("-visited_at", "-pk")
    )


def visit_get_for_user(user: Any, pk: Any) -> Visit:
    return get_object_or_404(visits_for_user(user), pk=pk)


def person_history(person: Person) -> QuerySet[Change]:
    return Change.objects.filter(model="person", object_id=person.pk).select_related(
        "actor"
    )


def household_history(household: Household) -> QuerySet[Change]:
    """The household's changes, its moves and its visits."""
    visits = Visit.objects.filter(household=household).values("pk")
    return Change.objects.filter(
        Q(model="household", object_id=household.pk)
        | Q(model="visit", object_id__in=visits)
    ).select_related("actor")


def person_appeals(user: Any, person: Person) -> QuerySet[Appeal] | None:
    """With the person's consent noted, their appeals found by their phone's
    blind index, of those the user may see; None without consent."""
    if not person.appeals_consent_at or not person.phone_index:
        return None
    return (
        appeal_selectors.appeal_list_for_user(user)
        .filter(appellant_phone_index=person.phone_index)
        .order_by("-received_at", "-pk")
    )


VISIT_TAGS = (PersonTag.Tag.LIVES_ALONE, PersonTag.Tag.ADVANCED_AGE)


def people_to_visit(grid: Area, *, days: int | None = None) -> QuerySet[Person]:
    """People of ``grid`` carrying a tag that asks for visits (独居老人, 高龄)
    whose household nobody visited for ``days`` days
    (CIVICGRID_LEDGER_VISIT_DAYS): never visited first, then the oldest visit."""
    days = days if days is not None else visit_days()
    since = clock.now() - dt.timedelta(days=days)
    return (
        Person.objects.filter(
            household__grid=grid,
            pk__in=PersonTag.objects.filter(
                tag__in=VISIT_TAGS, until__isnull=True
            ).values("person_id"),
        )
        .annotate(last_visit=Max("household__visits__visited_at"))
        .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=since))
        .select_related("household__building")
        .order_by(F("last_visit").asc(nulls_first=True), "pk")
    )


def visit_days() -> int:
    return int(getattr(settings, "CIVICGRID_LEDGER_VISIT_DAYS", 30))


def grids_today(user: Any, *, limit: int = 5) -> list[dict[str, Any]]:
    """ "My grids today" (今日网格): per grid the user keeps, its households and
    people, the people to visit, its open appeals and its damaged components."""
    grids = list(
        grids_for_user(user)
        .filter(permissions.editable_q(user, "path"))
        .order_by("code")
    )
    ids = [grid.pk for grid in grids]
    households = dict(
        Household.objects.filter(grid__in=ids)
        .values("grid")
        .annotate(n=Count("pk"))
        .values_list("grid", "n")
    )
    people = dict(
        Person.objects.filter(household__grid__in=ids)
        .values("household__grid")
        .annotate(n=Count("pk"))
        .values_list("household__grid", "n")
    )
    damaged = dict(
        Component.objects.filter(grid__in=ids, state=Component.State.DAMAGED)
        .values("grid")
        .annotate(n=Count("pk"))
        .values_list("grid", "n")
    )
    result = []
    for grid in grids:
        to_visit = people_to_visit(grid)
        appeals = appeal_selectors.grid_open_appeals(user, grid)
        result.append(
            {
                "grid": grid,
                "households": households.get(grid.pk, 0),
                "people": people.get(grid.pk, 0),
                "to_visit": list(to_visit[:limit]),
                "to_visit_count": to_visit.count(),
                "appeals": list(appeals[:limit]),
                "appeal_count": appeals.count(),
                "damaged": damaged.get(grid.pk, 0),
            }
        )
    return result


# --- situations (情): 社情民意, events (事) and the patrol log ----------------------

OPINION_PERIODS = {"month": 1, "quarter": 3, "year": 12}


def grid_get_for_user(user: Any, pk: Any) -> Area:
    return get_object_or_404(grids_for_user(user), pk=pk)


def areas_for_opinions(user: Any) -> QuerySet[Area]:
    """The streets, communities and grids whose 社情民意 the user reads."""
    return Area.objects.filter(
        permissions.visible_q(user, "path"),
        level__in=[Area.Level.STREET, Area.Level.COMMUNITY, Area.Level.GRID],
        is_active=True,
    ).order_by("path")


def opinions_for_user(user: Any) -> QuerySet[Opinion]:
    return Opinion.objects.filter(permissions.visible_q(user)).select_related(
        "grid", "gathered_by", "appeal"
    )


def opinion_get_for_user(user: Any, pk: Any) -> Opinion:
    return get_object_or_404(opinions_for_user(user), pk=pk)


def period_start(period: str) -> datetime | None:
    """The first moment of this month, of the last three or twelve months."""
    months = OPINION_PERIODS.get(period)
    if months is None:
        return None
    today = timezone.localdate(clock.now())
    month = today.month - (months - 1)
    year = today.year
    while month < 1:
        month += 12
        year -= 1
    start = datetime(year, month, 1)  # noqa: DTZ001 - made aware just below
    return timezone.make_aware(start)


def opinions_filtered(user: Any, filters: dict[str, Any]) -> QuerySet[Opinion]:
    """The user's items in an area (a street, community or grid), by risk,
    state, source, topic and period."""
    opinions = opinions_for_user(user)
    area = filters.get("area")
    if area is not None:
        opinions = opinions.filter(grid__path__startswith=area.path)
    for name in ("risk", "state", "source"):
        if filters.get(name):
            opinions = opinions.filter(**{name: filters[name]})
    if filters.get("topic"):
        opinions = opinions.filter(topic__icontains=filters["topic"])
    start = period_start(filters.get("period") or "")
    if start is not None:
        opinions = opinions.filter(gathered_at__gte=start)
    return opinions


def opinion_counters(opinions: QuerySet[Opinion]) -> dict[str, int]:
    """How many items, how many of them warnings (预警 or 紧急), how many
    turned into appeals — one query."""
    return opinions.order_by().aggregate(
        total=Count("pk"),
        raised=Count("pk", filter=Q(risk__in=["warning", "urgent"])),
        appealed=Count("pk", filter=Q(state="appeal")),
        open=Count("pk", filter=Q(state="open")),
    )


def patrols_for_user(user: Any) -> QuerySet[Patrol]:
    """Patrols in the grids whose ledger the user reads, and their own."""
    if not getattr(user, "is_authenticated", False):
        return Patrol.objects.none()
    return Patrol.objects.filter(
        permissions.visible_q(user) | Q(worker=user)
    ).select_related("grid", "worker")


def patrol_get_for_user(user: Any, pk: Any) -> Patrol:
    return get_object_or_404(patrols_for_user(user), pk=pk)


def open_patrol_of(user: Any) -> Patrol | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Patrol.objects.filter(worker=user, ended_at__isnull=True)
        .select_related("grid")
        .first()
    )


@dataclass
class GridEvents:
    """事: what happens in a grid — appeals, patrol findings, whistles, and
    the 社情民意 heard there — as the viewer may see it."""

    open_appeals: int
    appeals: list[Any]
    findings_count: int
    findings: list[Any]
    whistles_count: int
    whistles: list[Any]
    opinions_count: int
    opinions: list[Opinion]


def grid_events(user: Any, grid: Area, latest: int = 8) -> GridEvents:
    from civicgrid.appeals import selectors as appeal_selectors
    from civicgrid.whistles import selectors as whistle_selectors

    appeals = appeal_selectors.grid_open_appeals(user, grid)
    findings = appeal_selectors.grid_patrol_findings(user, grid)
    whistles = (
        whistle_selectors.whistles_for_user(user)
        .filter(appeal__grid=grid)
        .order_by("-blown_at", "-pk")
    )
    opinions = opinions_for_user(user).filter(grid=grid)
    return GridEvents(
        open_appeals=appeals.count(),
        appeals=list(appeals.select_related("category")[:latest]),
        findings_count=findings.count(),
        findings=list(findings.select_related("category")[:latest]),
        whistles_count=whistles.count(),
        whistles=list(whistles[:latest]),
        opinions_count=opinions.count(),
        opinions=list(opinions[:latest]),
    )


# --- the map editor -----------------------------------------------------------------

MAP_EDIT_BUILDINGS = 2000  # a street's buildings, drawn at once


def map_edit_grids(user: Any, street: Area | None = None) -> QuerySet[Area]:
    """The active grids whose boundary the user may draw (of one street)."""
    grids = Area.objects.filter(
        permissions.map_editable_q(user, "path"),
        level=Area.Level.GRID,
        is_active=True,
    )
    if street is not None:
        grids = grids.filter(path__startswith=street.path)
    return grids.order_by("code")


def map_edit_streets(user: Any) -> list[Area]:
    """The streets that hold a grid the user may draw, in code order."""
    codes = {code[:9] for code in map_edit_grids(user).values_list("code", flat=True)}
    return list(
        Area.objects.filter(level=Area.Level.STREET, code__in=codes).order_by("code")
    )


def map_edit_grid_get(user: Any, code: str) -> Area:
    return get_object_or_404(map_edit_grids(user), code=code)


def map_edit_buildings(user: Any, street: Area | None = None) -> QuerySet[Building]:
    buildings = Building.objects.filter(
        permissions.map_editable_q(user), is_active=True
    ).select_related("grid")
    if street is not None:
        buildings = buildings.filter(grid__path__startswith=street.path)
    return buildings.order_by("grid__code", "name")


def map_edit_building_get(user: Any, pk: Any) -> Building:
    return get_object_or_404(map_edit_buildings(user), pk=pk)
