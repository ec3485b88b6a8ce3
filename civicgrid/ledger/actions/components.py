"""Things (物): city components (部件) coded after GB/T 30428.2, owned by a
department that serves the street, in a state — good, damaged or missing
(workflow.py). An appeal can name its component: a problem reported from the
component's page becomes a patrol appeal through the appeals' intake, and a
staff member links an existing appeal by its tracking code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicgrid.appeals import actions as appeal_actions
from civicgrid.appeals import selectors as appeal_selectors
from civicgrid.appeals.models import Appeal, Category, Channel
from civicgrid.core import clock
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.org.models import Area, Department
from civicgrid.org.selectors import departments_serving

from .. import history, permissions, rules, workflow
from ..models import Change, Component, ComponentAppeal
from .places import _require_keeper, _text

# The appeal category a problem with a component of a kind most likely is
# (the demo catalogue's codes); kinds not listed let the user choose.
CATEGORY_FOR_KIND: dict[str, str] = {
    **dict.fromkeys(
        ("0101", "0102", "0103", "0105", "0106", "0107", "0111", "0113"),
        "manhole-cover",
    ),
    "0104": "drain-blocked",
    "0120": "street-lamp",
    "0121": "street-lamp",
    "0122": "street-lamp",
    "0126": "public-toilet",
    "0302": "bin-overflow",
    "0303": "garbage-uncollected",
    "0304": "garbage-uncollected",
    "0202": "bus-stop-route",
    "0604": "rider-charging",
}


def street_of(grid: Area) -> Area:
    """The street a grid lies in (grid → community → street)."""
    community = grid.parent
    if community is None or community.parent_id is None:
        raise DomainError(_("This grid belongs to no street."), field="lon")
    return Area.objects.get(pk=community.parent_id)


@dataclass
class ComponentInput:
    code: str
    lon: float | None
    lat: float | None
    department: Department | None = None
    note: str = ""


def _component_values(data: ComponentInput) -> dict[str, Any]:
    subclass = rules.check_component_code(data.code or "", field="code")
    grid = rules.grid_at(data.lon, data.lat, field="lon")
    department = data.department
    if department is not None and not (
        departments_serving(street_of(grid)).filter(pk=department.pk).exists()
    ):
        raise DomainError(
            _("%(name)s does not serve this street.") % {"name": department.name},
            field="department",
        )
    return {
        "code": data.code.strip(),
        "subclass": subclass,
        "grid": grid,
        "lon": float(data.lon),  # type: ignore[arg-type]
        "lat": float(data.lat),  # type: ignore[arg-type]
        "department": department,
        "note": _text(data.note, field="note", label=_("The note"), limit=200),
    }


def _save(component: Component, values: dict[str, Any], acting_user: Any) -> dict:
    if Component.objects.filter(code=values["code"]).exclude(pk=component.pk).exists():
        raise DomainError(_("Another component has this code."), field="code")
    new = component.pk is None
    changes = {} if new else history.diff(component, values)
    for field, value in values.items():
        setattr(component, field, value)
    try:
        with transaction.atomic():
            component.save()
    except IntegrityError as exc:
        raise DomainError(_("Another component has this code."), field="code") from exc
    if new or changes:
        history.record(
            obj=component,
            action=Change.Action.CREATE if new else Change.Action.UPDATE,
            actor=acting_user,
            changes=changes,
        )
    return changes


def component_create(*, data: ComponentInput, acting_user: Any) -> Component:
    """A new component, in good order, in the grid its point lies in."""
    values = _component_values(data)
    _require_keeper(acting_user, values["grid"])
    component = Component()
    with transaction.atomic():
        _save(component, values, acting_user)
    return component


def component_update(
    *, component: Component, data: ComponentInput, acting_user: Any
) -> dict[str, list[Any]]:
    _require_keeper(acting_user, component.grid, field="code")
    values = _component_values(data)
    if values["grid"].pk != component.grid_id:
        _require_keeper(acting_user, values["grid"])
    with transaction.atomic():
        return _save(component, values, acting_user)


def component_set_state(
    *, component: Component, state: str, note: str, acting_user: Any
) -> str:
    """Mark a component damaged, missing or good again, with a note saying
    what was seen or done; returns the old state. The note goes into the
    history beside the move; the component's own note stays as it was."""
    if not permissions.may_tend_component(acting_user, component):
        raise PermissionDeniedError(_("You may not change this component's state."))
    note = _text(note, field="note", label=_("The note"), limit=200, required=True)
    with transaction.atomic():
        old = workflow.component_move(component, state)
        history.record(
            obj=component,
            action=Change.Action.UPDATE,
            actor=acting_user,
            changes={"state": [old, state]},
            reason=note,
        )
    return old


def default_category(component: Component) -> Category | None:
    """The category a problem with this kind of component most likely is."""
    code = CATEGORY_FOR_KIND.get(component.subclass)
    if not code:
        return None
    return appeal_selectors.leaf_categories().filter(code=code).first()


def _link(component: Component, appeal: Appeal, acting_user: Any) -> ComponentAppeal:
    link, created = ComponentAppeal.objects.get_or_create(
        component=component,
        appeal=appeal,
        defaults={"linked_by": acting_user, "linked_at": clock.now()},
    )
    if not created:
        raise DomainError(
            _("Appeal %(code)s is already linked to this component.")
            % {"code": appeal.tracking_code},
            field="appeal",
        )
    history.record(
        obj=component,
        action=Change.Action.UPDATE,
        actor=acting_user,
        changes={"appeals": [None, appeal.tracking_code]},
    )
    return link


def component_report_problem(
    *,
    component: Component,
    description: str,
    category: Category | None,
    acting_user: Any,
    photos: Any = (),
    mark_damaged: bool = False,
) -> Appeal:
    """上报: a problem with the component becomes a patrol appeal at its place
    (through the appeals' intake, as a patrol finding) and is linked to it;
    ``mark_damaged`` also marks the component damaged."""
    _require_keeper(acting_user, component.grid, field="description")
    category = category or default_category(component)
    if category is None:
        raise DomainError(_("Choose the category of the problem."), field="category")
    with transaction.atomic():
        appeal, _created = appeal_actions.appeal_submit(
            data=appeal_actions.AppealInput(
                description=description,
                street=street_of(component.grid),
                channel=Channel.PATROL,
                category=category,
                latitude=component.lat,
                longitude=component.lon,
                address=str(component),
            ),
            acting_user=acting_user,
            photos=photos,
        )
        _link(component, appeal, acting_user)
        if mark_damaged and component.state == Component.State.GOOD:
            component_set_state(
                component=component,
                state=Component.State.DAMAGED,
                note=_("Reported in appeal %(code)s.") % {"code": appeal.tracking_code},
                acting_user=acting_user,
            )
    return appeal


def component_link_appeal(
    *, component: Component, tracking_code: str, acting_user: Any
) -> Appeal:
    """Link an appeal the user can see, named by its tracking code, to the
    component."""
    _require_keeper(acting_user, component.grid, field="appeal")
    code = (tracking_code or "").strip().upper()
    if not code:
        raise DomainError(_("Give the appeal's tracking code."), field="appeal")
    appeal = appeal_selectors.appeal_by_code_for_user(acting_user, code)
    if appeal is None:
        raise DomainError(
            _("You have no appeal with the tracking code %(code)s.") % {"code": code},
            field="appeal",
        )
    with transaction.atomic():
        _link(component, appeal, acting_user)
    return appeal


def appeal_name_component(*, appeal: Appeal, code: str, acting_user: Any) -> Component:
    """The appeal's side of the same link: a keeper names the component an
    appeal they can see is about by the component's code (from its plate or
    the map)."""
    wanted = (code or "").strip().upper()
    if not wanted:
        raise DomainError(_("Give the component's code."), field="component")
    component = (
        Component.objects.filter(permissions.component_q(acting_user), code=wanted)
        .select_related("grid")
        .first()
    )
    if component is None:
        raise DomainError(
            _("There is no component %(code)s in the ledger you keep.")
            % {"code": wanted},
            field="component",
        )
    _require_keeper(acting_user, component.grid, field="component")
    with transaction.atomic():
        _link(component, appeal, acting_user)
    return component
