"""Routing (派): the dispatcher accepts, corrects, rejects, merges and dispatches
an appeal to its units, and recalls (撤回) or reassigns (改派) a share that was
not yet signed for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError
from civicgrid.org.models import Area, Department

from .. import listeners, notify, permissions
from ..clocks import appeal_clocks, deadlines, deadlines_from_receipt
from ..models import Appeal, Assignment, Category, ExtensionRequest, Kind
from ..workflow import (
    ACTION_STATES,
    OPEN_SHARE_STATES,
    OPEN_STATES,
    hold,
    move,
    move_assignment,
    move_assignments,
    require_state,
)
from . import timeline
from .timeline import _text


def appeal_accept(*, appeal: Appeal, acting_user: Any, note: str = "") -> Appeal:
    require_state(appeal, "accept")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    with transaction.atomic():
        from_state = move(appeal, Appeal.State.ACCEPTED, accepted_at=clock.now())
        timeline.write(
            appeal,
            "accept",
            actor=acting_user,
            from_state=from_state,
            note=note,
            public=True,
        )
    return appeal


def appeal_categorise(
    *,
    appeal: Appeal,
    acting_user: Any,
    category: Category | None = None,
    kind: str | None = None,
    priority: str | None = None,
    grid: Area | None = None,
) -> Appeal:
    """The dispatcher corrects the category, kind, priority or grid before
    dispatch. A new category brings its current version's clocks, a new priority
    its own (紧急: the urgent ones); the appeal's deadlines are recomputed from
    the moment it was received (``clocks.deadlines_from_receipt`` says why), and
    the event keeps them. Once dispatched, the units' deadlines run: a new
    priority or category is refused, naming the field, rather than leaving the
    shares' deadlines behind what the appeal says."""
    _refuse_after_dispatch(appeal, category=category, priority=priority)
    require_state(appeal, "categorise")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    changes: dict[str, Any] = {}
    if category is not None and category.pk != appeal.category_id:
        if not category.is_active or category.current_version_id is None:
            raise DomainError(_("Choose a category from the list."), field="category")
        changes["category"] = category
        changes["category_version"] = category.current_version
    if kind and kind != appeal.kind:
        if kind not in Kind.values:
            raise DomainError(_("Choose a kind of appeal."), field="kind")
        changes["kind"] = kind
    if priority and priority != appeal.priority:
        if priority not in Appeal.Priority.values:
            raise DomainError(_("Choose a priority."), field="priority")
        changes["priority"] = priority
    if grid is not None and grid.pk != appeal.grid_id:
        if grid.level != Area.Level.GRID or not grid.path.startswith(
            appeal.street.path
        ):
            raise DomainError(_("Choose a grid of this street."), field="grid")
        changes["grid"] = grid
    if not changes:
        return appeal
    data: dict[str, Any] = {name: str(value) for name, value in changes.items()}
    fields = dict(changes)
    due = deadlines_from_receipt(
        appeal,
        version=changes.get("category_version"),
        priority=changes.get("priority", ""),
    )
    if due is not None:
        fields["due_at"] = due["due_at"]
        data["response_due_at"] = due["response_due_at"].isoformat()
        data["due_at"] = due["due_at"].isoformat()
    with transaction.atomic():
        hold(appeal, **fields, updated_at=clock.now())
        timeline.write(appeal, "categorise", actor=acting_user, data=data)
    return appeal


def _refuse_after_dispatch(
    appeal: Appeal, *, category: Category | None, priority: str | None
) -> None:
    """After dispatch the shares' deadlines run from the clocks they were given;
    another priority or category would leave them saying something else."""
    if appeal.state in ACTION_STATES["categorise"] or appeal.dispatched_at is None:
        return
    state = str(Appeal.State(appeal.state).label).lower()
    if priority and priority != appeal.priority:
        raise DomainError(
            _(
                "The priority can be changed only before dispatch: this appeal "
                "is %(state)s and its units' deadlines are running."
            )
            % {"state": state},
            field="priority",
        )
    if category is not None and category.pk != appeal.category_id:
        raise DomainError(
            _(
                "The category can be changed only before dispatch: this appeal "
                "is %(state)s and its units' deadlines are running."
            )
            % {"state": state},
            field="category",
        )


def appeal_reject(
    *, appeal: Appeal, acting_user: Any, reason: str, redirect_to: str = ""
) -> Appeal:
    """Out of scope (不予受理): the resident is told why and where to go instead."""
    require_state(appeal, "reject")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    reason = _text(reason, field="reason", label=_("The reason"), limit=1000)
    redirect_to = _text(
        redirect_to,
        field="redirect_to",
        label=_("Where to go"),
        required=False,
        limit=200,
    )
    with transaction.atomic():
        now = clock.now()
        from_state = move(
            appeal,
            Appeal.State.REJECTED,
            reject_reason=reason,
            redirect_to=redirect_to,
            closed_at=now,
        )
        timeline.write(
            appeal,
            "reject",
            actor=acting_user,
            from_state=from_state,
            note=reason,
            public=True,
            data={"redirect_to": redirect_to},
        )
        notify.resident(appeal, "appeal.rejected")
    return appeal


def appeal_merge(
    *, appeal: Appeal, into: Appeal, acting_user: Any, note: str = ""
) -> Appeal:
    """A duplicate joins the main appeal; its resident follows the main one."""
    require_state(appeal, "merge")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    if into.pk == appeal.pk:
        raise DomainError(_("An appeal cannot be merged into itself."), field="into")
    if not into.is_open or into.state == Appeal.State.MERGED:
        raise DomainError(_("Merge into an appeal that is still open."), field="into")
    if into.street_id != appeal.street_id:
        raise DomainError(_("Merge into an appeal of the same street."), field="into")
    with transaction.atomic():
        # The main appeal must stay open while this one joins it.
        try:
            hold(into, states=OPEN_STATES)
        except ConflictError:
            raise ConflictError(
                _("Appeal %(code)s closed just now; merge into an open one.")
                % {"code": into.tracking_code}
            ) from None
        now = clock.now()
        from_state = move(appeal, Appeal.State.MERGED, merged_into=into, closed_at=now)
        timeline.write(
            appeal,
            "merge",
            actor=acting_user,
            from_state=from_state,
            note=note,
            public=True,
            data={"into": into.tracking_code},
        )
        timeline.write(
            into,
            "merged_in",
            actor=acting_user,
            note=note,
            data={"from": appeal.tracking_code},
        )
        notify.resident(appeal, "appeal.merged")
    return appeal


@dataclass(frozen=True)
class Unit:
    """A handling unit: a grid or community (an Area) or a department."""

    area: Area | None = None
    department: Department | None = None

    def __str__(self) -> str:
        return str(self.department or self.area)

    @property
    def key(self) -> str:
        if self.department is not None:
            return f"department:{self.department.pk}"
        if self.area is None:
            return "none"
        return f"{self.area.level}:{self.area.pk}"


def _check_unit(appeal: Appeal, unit: Unit, *, field: str = "lead") -> None:
    if (unit.area is None) == (unit.department is None):
        raise DomainError(_("Choose a grid, a community or a department."), field=field)
    if unit.department is not None:
        department = unit.department
        serves = department.area.path
        if not department.is_active or not (
            appeal.street.path.startswith(serves)
            or serves.startswith(appeal.street.path)
        ):
            raise DomainError(
                _("%(unit)s does not handle this street's appeals.")
                % {"unit": department},
                field=field,
            )
    elif (area := unit.area) is not None and (
        area.level not in (Area.Level.GRID, Area.Level.COMMUNITY)
        or not area.is_active
        or not area.path.startswith(appeal.street.path)
    ):
        raise DomainError(
            _("%(unit)s is not a grid or community of this street.") % {"unit": area},
            field=field,
        )


def appeal_dispatch(
    *,
    appeal: Appeal,
    acting_user: Any,
    lead: Unit,
    co_handlers: Sequence[Unit] = (),
    note: str = "",
) -> Appeal:
    """Send the appeal to one lead unit (主办) and any co-handlers (协办); each gets
    the appeal's clocks (its category version's, for its priority) from now, in
    working time: a unit answers for the time it has held the appeal."""
    require_state(appeal, "dispatch")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    clocks_of_appeal = appeal_clocks(appeal)
    if clocks_of_appeal is None:
        raise DomainError(
            _("Choose a category before dispatching: it sets the deadlines."),
            field="category",
        )
    _check_unit(appeal, lead)
    keys = {lead.key}
    for unit in co_handlers:
        _check_unit(appeal, unit, field="co_handlers")
        if unit.key in keys:
            raise DomainError(
                _("Each unit can be named only once."), field="co_handlers"
            )
        keys.add(unit.key)
    now = clock.now()
    clocks = deadlines(clocks_of_appeal, now)
    with transaction.atomic():
        from_state = move(
            appeal,
            Appeal.State.DISPATCHED,
            dispatched_at=appeal.dispatched_at or now,
            due_at=clocks["due_at"],
        )
        assignments = [
            Assignment.objects.create(
                appeal=appeal,
                role=role,
                area=unit.area,
                department=unit.department,
                dispatched_at=now,
                dispatched_by=acting_user,
                **clocks,
            )
            for role, unit in [(Assignment.Role.LEAD, lead)]
            + [(Assignment.Role.CO, u) for u in co_handlers]
        ]
        timeline.write(
            appeal,
            "dispatch",
            actor=acting_user,
            from_state=from_state,
            note=note,
            public=True,
            data={
                "lead": str(lead),
                "co_handlers": [str(u) for u in co_handlers],
                "due_at": clocks["due_at"].isoformat(),
            },
        )
        listeners.shares_dispatched(appeal, assignments)
        for assignment in assignments:
            _tell_dispatched(assignment, lead)
    return appeal


def _tell_dispatched(assignment: Assignment, lead: Any) -> None:
    """The unit hears of its new share; a co-handler (协办) hears that it is one,
    and which unit leads."""
    if assignment.role == Assignment.Role.LEAD:
        notify.unit(assignment, "appeal.dispatched")
    else:
        notify.unit(assignment, "appeal.co_dispatched", lead=str(lead))


def unit_of(assignment: Assignment) -> Unit:
    return Unit(area=assignment.area, department=assignment.department)


def _recallable(assignment: Assignment, acting_user: Any, action: str) -> Appeal:
    """The dispatchers (who may dispatch) take back a share its unit has not
    signed for yet; a signed share is the unit's to finish or hand back."""
    appeal = assignment.appeal
    require_state(appeal, action)
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    if assignment.state != Assignment.State.DISPATCHED:
        raise DomainError(
            _(
                "Only a share not yet signed for can be recalled; %(unit)s's is "
                "%(state)s."
            )
            % {
                "unit": assignment.unit,
                "state": str(Assignment.State(assignment.state).label).lower(),
            },
            field="assignment",
        )
    return appeal


def _take_back(assignment: Assignment, reason: str, now: Any) -> None:
    """The share becomes recalled (compare-and-set: a sign that came first wins)
    and the time it asked for is moot."""
    move_assignment(
        assignment, Assignment.State.RECALLED, recalled_at=now, recall_reason=reason
    )


def refuse_moot_extensions(appeal: Appeal, note: str) -> None:
    """Time asked for a share that is gone is not time anyone can use."""
    ExtensionRequest.objects.filter(
        assignment__appeal=appeal,
        assignment__state__in=[
            Assignment.State.RETURNED,
            Assignment.State.WITHDRAWN,
            Assignment.State.RECALLED,
        ],
        state=ExtensionRequest.State.PENDING,
    ).update(
        state=ExtensionRequest.State.REFUSED,
        decided_at=clock.now(),
        decision_note=note,
    )


def assignment_recall(
    *, assignment: Assignment, acting_user: Any, reason: str
) -> Assignment:
    """撤回: the street takes back a share before its unit signed for it, saying
    why. A recalled lead sends the appeal back to be dispatched again, its
    co-handlers with it; a recalled co-handler leaves the rest as it is. It is
    the street's step, not the unit's return: nothing counts against the unit
    (its facts for the share leave the rates), and the unit is told."""
    appeal = _recallable(assignment, acting_user, "recall")
    reason = _text(reason, field="reason", label=_("The reason"), limit=1000)
    now = clock.now()
    with transaction.atomic():
        _take_back(assignment, reason, now)
        from_state = appeal.state
        going: list[Assignment] = []
        if assignment.role == Assignment.Role.LEAD:
            going = list(
                appeal.assignments.filter(state__in=OPEN_SHARE_STATES).select_related(
                    "area", "department", "appeal"
                )
            )
            move_assignments(appeal.assignments.all(), Assignment.State.WITHDRAWN)
            move(appeal, Appeal.State.ACCEPTED)
        else:
            # The lead may sign meanwhile: a co-handler's recall does not mind.
            hold(appeal, states=ACTION_STATES["recall"])
        refuse_moot_extensions(appeal, _("The share was recalled."))
        timeline.write(
            appeal,
            "recall",
            actor=acting_user,
            assignment=assignment,
            from_state=from_state,
            note=reason,
            data={"unit": str(assignment.unit), "role": assignment.role},
        )
        for share in [assignment, *going]:
            notify.unit(share, "appeal.recalled")
    return assignment


def assignment_reassign(
    *, assignment: Assignment, acting_user: Any, to: Unit, reason: str
) -> Assignment:
    """改派: recall a share not yet signed for and dispatch it to another unit
    in one step, saying why. The new share has the same role and fresh clocks
    from now; a new lead's due time is the appeal's. The other shares stay as
    they are. Returns the new share."""
    appeal = _recallable(assignment, acting_user, "reassign")
    _check_unit(appeal, to, field="to")
    if to.key == unit_of(assignment).key:
        raise DomainError(
            _("Choose another unit: the share is with %(unit)s already.")
            % {"unit": to},
            field="to",
        )
    others = appeal.assignments.filter(state__in=Assignment.ACTIVE_STATES).exclude(
        pk=assignment.pk
    )
    if any(unit_of(share).key == to.key for share in others):
        raise DomainError(
            _("%(unit)s has a share of this appeal already.") % {"unit": to},
            field="to",
        )
    reason = _text(reason, field="reason", label=_("The reason"), limit=1000)
    of_appeal = appeal_clocks(appeal)
    if of_appeal is None:  # dispatched appeals have one; a guard, not a rule
        raise DomainError(_("The appeal has no category."), field="category")
    now = clock.now()
    clocks = deadlines(of_appeal, now)
    lead = assignment.role == Assignment.Role.LEAD
    with transaction.atomic():
        _take_back(assignment, reason, now)
        if lead:
            hold(appeal, due_at=clocks["due_at"])
        else:
            hold(appeal, states=ACTION_STATES["reassign"])
        new = Assignment.objects.create(
            appeal=appeal,
            role=assignment.role,
            area=to.area,
            department=to.department,
            dispatched_at=now,
            dispatched_by=acting_user,
            **clocks,
        )
        refuse_moot_extensions(appeal, _("The share was recalled."))
        timeline.write(
            appeal,
            "recall",
            actor=acting_user,
            assignment=assignment,
            note=reason,
            data={
                "unit": str(assignment.unit),
                "role": assignment.role,
                "to": str(to),
            },
        )
        timeline.write(
            appeal,
            "reassign",
            actor=acting_user,
            assignment=new,
            note=reason,
            # The resident sees who handles it now; the reason stays the staff's.
            public=lead,
            data={
                "from": str(assignment.unit),
                "to": str(to),
                "role": new.role,
                "due_at": clocks["due_at"].isoformat(),
            },
        )
        listeners.shares_dispatched(appeal, [new])
        notify.unit(assignment, "appeal.recalled")
        current_lead = (
            to
            if lead
            else unit_of(
                appeal.assignments.select_related("area", "department").get(
                    role=Assignment.Role.LEAD, state__in=Assignment.ACTIVE_STATES
                )
            )
        )
        _tell_dispatched(new, current_lead)
    return new
