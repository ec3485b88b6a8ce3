"""Use cases of the three rates: exclusion reviews (核减), formula versions and
publishing a period."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts import access
from civicgrid.appeals import permissions as appeal_permissions
from civicgrid.appeals.models import Assignment
from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.notifications.actions import notify_staff
from civicgrid.org.models import Area

from . import permissions, selectors
from .facts import roll_up
from .models import Exclusion, Fact, Formula, PublishedPeriod


def exclusion_request(
    *, assignment: Assignment, acting_user: Any, reason: str
) -> Exclusion:
    """A unit asks that the appeal not count against it, saying why."""
    if not appeal_permissions.acts_for(acting_user, assignment):
        raise PermissionDeniedError(_("Only the unit the appeal went to may ask."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the appeal should not count."), field="reason")
    if len(reason) > 2000:
        raise DomainError(
            _("The reason is longer than 2000 characters."), field="reason"
        )
    try:
        with transaction.atomic():
            exclusion = Exclusion.objects.create(
                assignment=assignment,
                reason=reason,
                requested_by=acting_user,
                requested_at=clock.now(),
            )
            _tell_deciders(exclusion)
            return exclusion
    except IntegrityError:
        raise ConflictError(
            _("This share has an exclusion request pending or granted already.")
        ) from None


def _context(exclusion: Exclusion) -> dict[str, Any]:
    """What a message about a request says: the code and the unit (the
    reasons stay on the review page)."""
    return {
        "tracking_code": exclusion.assignment.appeal.tracking_code,
        "unit": str(exclusion.assignment.unit),
    }


def _tell_deciders(exclusion: Exclusion) -> None:
    """The street's deciders hear of a new request (待审批: 核减)."""
    appeal = exclusion.assignment.appeal
    for user in access.holders_over(appeal.street, permissions.DECIDERS):
        notify_staff(
            user,
            event="metrics.exclusion_requested",
            context=_context(exclusion),
            subject_ref=f"appeal:{appeal.pk}",
        )


def exclusion_decide(
    *, exclusion: Exclusion, acting_user: Any, approve: bool, note: str = ""
) -> Exclusion:
    """The street's dispatcher approves or refuses; approved, the unit's facts
    for the appeal leave the reviewed figures at once."""
    appeal = exclusion.assignment.appeal
    if not appeal_permissions.is_dispatcher_for(acting_user, appeal):
        raise PermissionDeniedError(_("Only the street's dispatchers decide."))
    note = (note or "").strip()
    if not approve and not note:
        raise DomainError(_("Say why the request is refused."), field="note")
    state = Exclusion.State.APPROVED if approve else Exclusion.State.REFUSED
    with transaction.atomic():
        # The share's row, as every step on it and the sweep write it: no new
        # fact of the share is written between this and the commit.
        Assignment.objects.select_for_update().filter(
            pk=exclusion.assignment_id
        ).first()
        moved = Exclusion.objects.filter(
            pk=exclusion.pk, state=Exclusion.State.PENDING
        ).update(
            state=state,
            decided_by=acting_user,
            decided_at=clock.now(),
            decision_note=note,
        )
        if moved != 1:
            raise ConflictError(_("This request was decided already."))
        if approve:
            moved_facts = list(
                Fact.objects.select_for_update().filter(
                    assignment=exclusion.assignment, excluded=False
                )
            )
            roll_up(moved_facts, -1)
            Fact.objects.filter(pk__in=[f.pk for f in moved_facts]).update(
                excluded=True
            )
            for fact in moved_facts:
                fact.excluded = True
            roll_up(moved_facts)
        # Whoever asked hears the answer.
        notify_staff(
            exclusion.requested_by,
            event="metrics.exclusion_decided",
            context={**_context(exclusion), "approved": approve},
            subject_ref=f"appeal:{appeal.pk}",
        )
    exclusion.refresh_from_db()
    return exclusion


FORMULA_FIELDS = (
    "w_response",
    "w_resolution",
    "w_satisfaction",
    "w_on_time",
    "w_no_return",
    "w_no_rehandle",
    "basic_counts_as_satisfied",
    "red_at_least",
    "black_below",
    "min_cases",
    "note",
)


def formula_check(**terms: Any) -> None:
    """Refuse terms no formula can have, naming the field."""
    unknown = set(terms) - set(FORMULA_FIELDS)
    if unknown:
        raise DomainError(_("Unknown terms: %(names)s") % {"names": ", ".join(unknown)})
    weights = [terms.get(name, 0) or 0 for name in FORMULA_FIELDS[:6]]
    if any(w < 0 for w in weights) or not any(weights):
        raise DomainError(
            _("Weights are zero or more, and at least one is more."), field="w_response"
        )
    if terms.get("black_below", 0) > terms.get("red_at_least", 100):
        raise DomainError(
            _("The black list must begin below the red list."), field="black_below"
        )


def formula_create(*, acting_user: Any, **terms: Any) -> Formula:
    """A new version of the formula; the versions before it stay as they are."""
    formula_check(**terms)
    with transaction.atomic():
        last = Formula.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0
        return Formula.objects.create(number=last + 1, created_by=acting_user, **terms)


def period_publish(
    *, street: Area, start: date, end: date, acting_user: Any
) -> PublishedPeriod:
    """Freeze a period's figures by unit, scored by the formula in force; they
    never change after, whatever formula comes later."""
    if not permissions.may_publish(acting_user, street):
        raise PermissionDeniedError(
            _("Only the street's leaders and dispatchers publish.")
        )
    if end < start:
        raise DomainError(_("The period ends before it begins."), field="end")
    if end >= timezone.localdate(clock.now()):
        raise DomainError(
            _("Only a period that is over can be published."), field="end"
        )
    formula = selectors.current_formula()
    figures = selectors.snapshot(street=street, start=start, end=end, formula=formula)
    try:
        with transaction.atomic():
            return PublishedPeriod.objects.create(
                street=street,
                start=start,
                end=end,
                formula=formula,
                figures=figures,
                published_at=clock.now(),
                published_by=acting_user,
            )
    except IntegrityError:
        raise ConflictError(_("This period was published already.")) from None
