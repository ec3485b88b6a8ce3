"""Who may do what to an appeal. Every check answers for one user and one appeal
or assignment; the selectors use the same rules to scope lists."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from civicgrid.accounts import access
from civicgrid.accounts.models import Role, User
from civicgrid.core.errors import PermissionDeniedError
from civicgrid.core.fields import SEALED_SUFFIX, sealed_fields

from .models import Appeal, Assignment, Channel, ExtensionRequest, Verification
from .workflow import ACTION_STATES, OPEN_SHARE_STATES

# Roles that work on the whole street's appeals from the command centre.
STREET_ROLES = (Role.DISPATCHER, Role.OPERATOR, Role.LEADER, Role.ADMIN)


def _holds_over(user: Any, appeal: Appeal, roles: tuple[str, ...]) -> bool:
    return access.holds_role_over(user, appeal.street, roles)


def is_dispatcher_for(user: Any, appeal: Appeal) -> bool:
    return _holds_over(user, appeal, (Role.DISPATCHER,))


def is_operator_for(user: Any, appeal: Appeal) -> bool:
    return _holds_over(user, appeal, (Role.OPERATOR, Role.DISPATCHER))


def is_leader_for(user: Any, appeal: Appeal) -> bool:
    return _holds_over(user, appeal, (Role.LEADER,))


def is_grid_worker_of(user: Any, grid: Any) -> bool:
    """A grid worker of exactly this grid (网格员)."""
    return access.holds_role_on(user, grid, (Role.GRID_WORKER,))


def grid_workers_of(grid: Any) -> QuerySet[User]:
    """The active grid workers of ``grid``: whom a dispatcher may ask to verify
    (nobody for an appeal in no grid)."""
    if grid is None:
        return User.objects.none()
    return access.holders_over(grid, (Role.GRID_WORKER,)).order_by("full_name", "pk")


def needs_callback(appeal: Appeal) -> bool:
    """Whether a resident is waiting to be called back: not for a patrol finding
    (巡查) that names nobody — the grid worker found it, and their verification
    on site closes it (核查结案)."""
    return not (
        appeal.channel == Channel.PATROL
        and not appeal.appellant_phone
        and not appeal.appellant_email
    )


def pending_verification(appeal: Appeal) -> Verification | None:
    """The verification waiting for a grid worker on this appeal, if any."""
    found = (
        Verification.objects.filter(appeal=appeal, state=Verification.State.PENDING)
        .select_related("grid_worker", "requested_by")
        .first()
    )
    if found is not None:
        found.appeal = appeal
    return found


def may_verify(user: Any, verification: Verification | None) -> bool:
    """The grid worker asked, while they still work for the appeal's grid."""
    return (
        verification is not None
        and getattr(user, "pk", None) == verification.grid_worker_id
        and is_grid_worker_of(user, verification.appeal.grid)
    )


def may_transcribe(user: Any, appeal: Appeal) -> bool:
    """听写: whoever takes the street's calls writes down a voice message — its
    operators and dispatchers."""
    return is_operator_for(user, appeal)


def may_enter_for(user: Any, street: Any, channel: str) -> bool:
    """Staff entry (hotline, letter, visit, patrol): the street's operators and
    dispatchers; grid workers of the street for what they find on patrol."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return access.holds_role_over(user, street, (Role.OPERATOR, Role.DISPATCHER)) or (
        channel == "patrol"
        and access.holds_role_within(user, street, (Role.GRID_WORKER,))
    )


def default_entry_channel(user: Any) -> str:
    """The channel the staff's entry form starts on: a call for whoever takes
    them (an operator, a dispatcher), a patrol for a grid worker, who takes none."""
    if user.is_superuser or access.held(user, (Role.OPERATOR, Role.DISPATCHER)):
        return Channel.PHONE
    if access.held(user, (Role.GRID_WORKER,)):
        return Channel.PATROL
    return Channel.PHONE


def is_client_system(user: Any) -> bool:
    """Another system acting with its client key (an ``ApiClient``'s user)."""
    if not getattr(user, "is_authenticated", False):
        return False
    from civicgrid.api.models import ApiClient

    return ApiClient.objects.filter(user=user).exists()


def may_reveal_contact(user: Any, appeal: Appeal) -> bool:
    """Only who must call the resident see the whole number: the operators and
    dispatchers who call back, and the handler of a signed share (先联系后办理:
    contact the resident first, then handle it). A unit whose share is only
    dispatched, returned or withdrawn may not."""
    if _holds_over(user, appeal, (Role.OPERATOR, Role.DISPATCHER)):
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(
        assignment.state == Assignment.State.HANDLING and acts_for(user, assignment)
        for assignment in appeal.assignments.all()
    )


def acts_for(user: Any, assignment: Assignment) -> bool:
    """A member of the unit the assignment went to."""
    return access.acts_for_unit(
        user, department_id=assignment.department_id, area_id=assignment.area_id
    )


def unit_q(user: Any, prefix: str = "", *, states: Any = None) -> Q:
    """Assignments (at ``prefix``) that went to one of the user's own units,
    optionally only in ``states``."""
    condition = access.unit_q(user, prefix)
    if states is not None:
        condition &= Q(**{f"{prefix}state__in": list(states)})
    return condition


# A unit that returned its share, or had it withdrawn, no longer follows the appeal.
VISIBLE_SHARE_STATES = (*Assignment.ACTIVE_STATES, Assignment.State.DONE)


def visible_q(user: Any) -> Q:
    """Appeals the user may see: their street's for the command centre, their
    grid's and community's, whatever was dispatched to their units, and a grid
    worker's own patrol findings (巡查), wherever they were found."""
    community = (Role.LEADER, Role.COMMUNITY_STAFF)
    grid_work = access.held(user, (Role.GRID_WORKER,))
    visible = (
        unit_q(user, "assignments__", states=VISIBLE_SHARE_STATES)
        | access.over_q(
            user, STREET_ROLES, "street__path", levels=access.STREET_AND_ABOVE
        )
        | access.over_q(user, community, "grid__path", levels=("community",))
        | access.over_q(
            user, community, "assignments__area__path", levels=("community",)
        )
        | Q(grid_id__in=[m.area_id for m in grid_work])
    )
    if grid_work:
        visible |= Q(channel=Channel.PATROL, entered_by_id=user.pk)
    return visible


# Steps another app offers from an appeal's page (the whistle, from whistles),
# each with who may take it now; registered at start-up, so that appeals
# imports nothing above it.
_offered: dict[str, Callable[[Any, Appeal], bool]] = {}


def offer(name: str, may: Callable[[Any, Appeal], bool]) -> None:
    """Offer step ``name`` on an appeal's page to whoever ``may`` take it."""
    _offered[name] = may


def offered(user: Any, appeal: Appeal) -> set[str]:
    """The other apps' steps this user may take on this appeal now."""
    return {name for name, may in _offered.items() if may(user, appeal)}


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDeniedError(message or _("You may not do this."))


# --- what a user may do now: one answer for the console and the API -------------


# The next step first: a handler on a phone sees "sign for it" on top.
ACTION_ORDER = [
    "sign",
    "accept",
    "transcribe",
    "dispatch",
    "complete_share",
    "close_share",
    "reply",
    "verify",
    "callback",
    "request_verification",
    "decide_extension",
    "progress",
    "request_extension",
    "categorise",
    "urge",
    "reassign",
    "recall",
    "supervise",
    "merge",
    "reject",
    "return",
    "reveal_contact",
]


def is_open_co_share(assignment: Assignment) -> bool:
    """A co-handler's share (协办) not yet completed or closed."""
    return (
        assignment.role == Assignment.Role.CO and assignment.state in OPEN_SHARE_STATES
    )


def is_my_share(user: Any, assignment: Assignment) -> bool:
    """An active share that went to one of the user's units."""
    return assignment.state in Assignment.ACTIVE_STATES and acts_for(user, assignment)


def my_assignments(user: Any, appeal: Appeal) -> list[Assignment]:
    return [
        a
        for a in appeal.assignments.select_related("area", "department")
        if is_my_share(user, a)
    ]


def one_assignment(
    user: Any,
    appeal: Appeal,
    states: Collection[str],
    *,
    lead_only: bool = False,
    role: str | None = None,
) -> Assignment:
    """The user's share to act on (sign, return, progress, reply …): the first
    of their unit's shares in ``states`` (of ``role``; the lead's with
    ``lead_only``)."""
    if lead_only:
        role = Assignment.Role.LEAD
    for assignment in my_assignments(user, appeal):
        if assignment.state in states and (role is None or assignment.role == role):
            return assignment
    raise PermissionDeniedError(_("Your unit has no share of this appeal to act on."))


def available_actions(user: Any, appeal: Appeal) -> set[str]:
    """Exactly the actions this user may take on this appeal in its state."""
    allowed = {name for name, states in ACTION_STATES.items() if appeal.state in states}
    result: set[str] = set()
    shares = list(appeal.assignments.all())
    if is_dispatcher_for(user, appeal):
        result |= {
            "accept",
            "categorise",
            "reject",
            "merge",
            "dispatch",
            "urge",
            "decide_extension",
        }
        # 撤回, 改派: a share its unit has not signed for yet.
        if any(a.state == Assignment.State.DISPATCHED for a in shares):
            result |= {"recall", "reassign"}
    mine = my_assignments(user, appeal)
    if any(a.state == Assignment.State.DISPATCHED for a in mine):
        result |= {"sign", "return"}
    if any(a.state in OPEN_SHARE_STATES for a in mine):
        result |= {"progress", "request_extension"}
    if any(
        a.role == Assignment.Role.CO and a.state == Assignment.State.HANDLING
        for a in mine
    ):
        result.add("complete_share")
    if any(
        a.role == Assignment.Role.LEAD and a.state == Assignment.State.HANDLING
        for a in mine
    ):
        # The lead replies once every co-handler's share is done; until then
        # it may close them with a note.
        if any(is_open_co_share(a) for a in shares):
            result.add("close_share")
        else:
            result.add("reply")
    if is_leader_for(user, appeal) and not appeal.supervised:
        result.add("supervise")
    verification = (
        pending_verification(appeal) if appeal.state == Appeal.State.REPLIED else None
    )
    if is_operator_for(user, appeal) and verification is None:
        result.add("callback")  # the callback waits for the grid worker's check
    if (
        verification is None
        and appeal.state == Appeal.State.REPLIED
        and appeal.grid is not None
        and is_dispatcher_for(user, appeal)
        and grid_workers_of(appeal.grid).exists()
    ):
        result.add("request_verification")
    if may_verify(user, verification):
        result.add("verify")
    if may_transcribe(user, appeal) and appeal.voice_messages.exists():
        result.add("transcribe")
    if may_reveal_contact(user, appeal) and (
        appeal.appellant_phone or appeal.appellant_email or has_sealed_texts(appeal)
    ):
        result.add("reveal_contact")
    result &= allowed
    if (
        "decide_extension" in result
        and not ExtensionRequest.objects.filter(
            assignment__appeal=appeal, state=ExtensionRequest.State.PENDING
        ).exists()
    ):
        result.discard("decide_extension")
    return result


def ordered_actions(user: Any, appeal: Appeal) -> list[str]:
    """:func:`available_actions`, the next step first."""
    return sorted(available_actions(user, appeal), key=ACTION_ORDER.index)


def has_sealed_texts(appeal: Appeal) -> bool:
    """Whether a text of the appeal or its timeline held a phone or ID number
    (shown masked; a reveal shows it whole)."""
    if any(getattr(appeal, name + SEALED_SUFFIX) for name in sealed_fields(Appeal)):
        return True
    return appeal.events.exclude(note_sealed="").exists()
