"""Who may do what to a whistle. The answers about roles and areas come from
:mod:`civicgrid.accounts.access`; this module states the whistles' own rules on
top of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.appeals.models import Appeal
from civicgrid.appeals.permissions import may_reveal_contact
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.org.models import Area, Department
from civicgrid.org.selectors import departments_serving, streets_held

from . import workflow
from .models import Summons, Whistle

# Who follows a street's whistles: its command centre, its leaders and its
# administrators (the board, the history, each whistle's page and the counters).
OVERSEERS = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)


def streets_for_dispatcher(
    user: Any, roles: tuple[str, ...] = (Role.DISPATCHER,)
) -> QuerySet[Area]:
    """The streets on which the user may blow the whistle (or, with other
    ``roles``, whose whistles they oversee)."""
    return streets_held(user, roles)


def is_dispatcher_for(user: Any, street: Area) -> bool:
    return access.holds_role_over(user, street, (Role.DISPATCHER,))


def may_blow(user: Any, street: Area) -> bool:
    """The street's dispatchers; and, where the street allows it
    (CIVICGRID_WHISTLE_BLOWERS), its communities' staff and the handlers of the
    departments serving it."""
    if is_dispatcher_for(user, street):
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    allowed = set(settings.CIVICGRID_WHISTLE_BLOWERS)
    if "community_staff" in allowed and access.holds_role_within(
        user, street, (Role.COMMUNITY_STAFF,)
    ):
        return True
    if "department_handler" in allowed:
        return (
            departments_serving(street)
            .filter(pk__in=access.handled_department_ids(user))
            .exists()
        )
    return False


def streets_for_blower(user: Any) -> list[Area]:
    return [
        street
        for street in Area.objects.filter(level=Area.Level.STREET, is_active=True)
        if may_blow(user, street)
    ]


def handles(user: Any, department: Department) -> bool:
    """A handler of the department: reports in and works its share."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return access.handles_department(user, department)


def street_to_blow_on(
    user: Any,
    *,
    code: str | None = None,
    appeal: Any = None,
    streets: list[Area] | None = None,
) -> Area:
    """The street a whistle is blown on, for the page and the API alike: the
    one named by its code, else the appeal's, else the user's only street.
    ``streets`` are :func:`streets_for_blower`'s, when the caller has them."""
    if streets is None:
        streets = streets_for_blower(user)
    refused = _("Only the street's dispatchers blow the whistle.")
    if code is not None:
        street = next((s for s in streets if s.code == code), None)
        if street is not None:
            return street
        if Area.objects.filter(level=Area.Level.STREET, code=code).exists():
            raise PermissionDeniedError(refused)
        raise DomainError(_("No street has this code."), field="street")
    if appeal is not None:
        return appeal.street
    if len(streets) == 1:
        return streets[0]
    if not streets:
        raise PermissionDeniedError(refused)
    raise DomainError(_("Name the street: you serve several."), field="street")


# --- what a user may do now: one answer for the page and the API -------------
# The actions check these rules (who); the workflow says when (the states).


def directs(user: Any, whistle: Whistle) -> bool:
    """The street's dispatchers give out the shares, score the departments and
    close the whistle."""
    return is_dispatcher_for(user, whistle.street)


def works_share(user: Any, summons: Summons) -> bool:
    """The summoned department reports in, completes its share and gives its
    feedback."""
    return handles(user, summons.department)


def my_shares(user: Any, summonses: Iterable[Summons]) -> list[Summons]:
    """The shares of the departments the user handles."""
    return [summons for summons in summonses if works_share(user, summons)]


def may_write_progress(user: Any, whistle: Whistle, mine: list[Summons]) -> bool:
    """The street or a summoned department; ``mine`` is :func:`my_shares`."""
    return bool(mine) or directs(user, whistle)


def leads(user: Any, lead: Summons | None) -> bool:
    """A handler of the lead department: writes the consolidated reply."""
    return lead is not None and works_share(user, lead)


def may_record_meeting(user: Any, whistle: Whistle, lead: Summons | None) -> bool:
    """The street or the lead department."""
    return directs(user, whistle) or leads(user, lead)


@dataclass(frozen=True)
class Available:
    """What a user may do to a whistle now: the steps on the whistle itself,
    and those on each share (by the summons' id)."""

    steps: frozenset[str]
    shares: dict[int, frozenset[str]]

    def on_share(self, summons: Summons) -> frozenset[str]:
        return self.shares.get(summons.pk, frozenset())


def available_actions(
    user: Any, whistle: Whistle, summonses: Iterable[Summons] | None = None
) -> Available:
    """Exactly the steps this user may take on this whistle and its shares in
    their states. ``summonses`` are the whistle's, with their departments and
    scores (read here when not given)."""
    if summonses is None:
        summonses = whistle.summonses.select_related(
            "department", "street_score", "feedback"
        )
    summonses = list(summonses)
    street = directs(user, whistle)
    mine = my_shares(user, summonses)
    lead = next((s for s in summonses if s.is_lead), None)
    who = {
        "progress": may_write_progress(user, whistle, mine),
        "reply": leads(user, lead),
        "meeting": may_record_meeting(user, whistle, lead),
        "close": street,
    }
    steps = frozenset(
        step for step, may in who.items() if may and workflow.allows(step, whistle)
    )
    shares: dict[int, frozenset[str]] = {}
    for summons in summonses:
        ours = summons in mine
        who_on_share = {
            "check_in": ours,
            "share_done": ours,
            "feedback": ours,
            "task": street,
            "score": street,
        }
        shares[summons.pk] = frozenset(
            step
            for step, may in who_on_share.items()
            if may and workflow.allows(step, whistle, summons)
        )
    return Available(steps=steps, shares=shares)


def may_be_whistled(appeal: Appeal, street: Area) -> bool:
    """A whistle on an appeal: an appeal of that street that a unit is
    handling, so that the whistle's closing reply answers it and its callback
    follows."""
    return appeal.state == Appeal.State.HANDLING and appeal.street_id == street.pk


def may_blow_on_appeal(user: Any, appeal: Appeal) -> bool:
    """What an appeal's page offers: blowing the whistle on it now."""
    return (
        appeal.street is not None
        and may_be_whistled(appeal, appeal.street)
        and may_blow(user, appeal.street)
    )


def may_reveal_texts(user: Any, whistle: Whistle) -> bool:
    """Who may read the whistle's texts with their phone and ID numbers whole:
    on an appeal, who may reveal the appeal's contact (its rule); otherwise
    the street's dispatchers."""
    if whistle.appeal is not None:
        return may_reveal_contact(user, whistle.appeal)
    return is_dispatcher_for(user, whistle.street)
