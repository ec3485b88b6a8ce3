"""Scoped reads of appeals. Views fetch appeals only through these, so a user who
may not see an appeal gets a 404."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.core import clock, refcache
from civicgrid.core.errors import DomainError
from civicgrid.core.fields import (
    SEALED_SUFFIX,
    full_data_text,
    full_text,
    sealed_fields,
)
from civicgrid.org.models import Area
from civicgrid.org.selectors import point_location

from . import permissions
from .models import (
    Appeal,
    Assignment,
    Attachment,
    CaseEvent,
    Category,
    Channel,
    ExtensionRequest,
    Kind,
    Submission,
    Verification,
    VoiceMessage,
)
from .workflow import OPEN_STATES

# The texts a timeline event keeps sealed in its data (a reply's outcome reason).
SEALED_DATA_KEYS = ("outcome_reason",)


def appeal_list_for_user(user: Any) -> QuerySet[Appeal]:
    if not user.is_authenticated:
        return Appeal.objects.none()
    queryset = Appeal.objects.select_related("street", "grid", "category")
    if user.is_superuser:
        return queryset
    visible = Appeal.objects.filter(permissions.visible_q(user)).values("pk")
    return queryset.filter(pk__in=visible)


def appeals_followed_by(user: Any) -> QuerySet[Appeal]:
    """What another system may follow in public form (Open311's records and
    updates): the appeals its user may see, and those it filed. What it filed
    it follows as the resident does — never the staff's timeline."""
    if not user.is_authenticated:
        return Appeal.objects.none()
    return Appeal.objects.filter(
        Q(pk__in=appeal_list_for_user(user).values("pk")) | Q(entered_by=user)
    )


def appeal_get_for_user(user: Any, pk: int) -> Appeal:
    return get_object_or_404(appeal_list_for_user(user), pk=pk)


def appeal_by_code_for_user(user: Any, code: str) -> Appeal | None:
    """One of the user's appeals by its tracking code (the main appeal of a
    merge), or None."""
    return appeal_list_for_user(user).filter(tracking_code=code.strip().upper()).first()


def attachment_get_for_user(
    user: Any, pk: int, *, appeal: Appeal | None = None
) -> Attachment:
    """A photo of an appeal the user may see (of ``appeal`` when given)."""
    attachments = Attachment.objects.select_related("appeal")
    if appeal is not None:
        attachments = attachments.filter(appeal=appeal)
    attachment = get_object_or_404(attachments, pk=pk)
    if appeal is None:
        appeal_get_for_user(user, attachment.appeal_id)
    return attachment


def voice_get_for_user(
    user: Any, pk: int, *, appeal: Appeal | None = None
) -> VoiceMessage:
    """A voice message of an appeal the user may see (of ``appeal`` when
    given), as :func:`attachment_get_for_user` finds a photo."""
    voices = VoiceMessage.objects.select_related("appeal")
    if appeal is not None:
        voices = voices.filter(appeal=appeal)
    voice = get_object_or_404(voices, pk=pk)
    if appeal is None:
        appeal_get_for_user(user, voice.appeal_id)
    return voice


def voice_get(appeal: Appeal, pk: Any, *, revision: int | None = None) -> VoiceMessage:
    """A voice message of this appeal, named by its id in a step's input
    (transcribe); refused on the field for any other id. ``revision``: the
    transcription the user read, when their input carries it."""
    voice = appeal.voice_messages.filter(pk=pk if isinstance(pk, int) else -1).first()
    if voice is None:
        raise DomainError(
            _("Choose one of this appeal's voice messages."), field="voice"
        )
    voice.appeal = appeal  # the copy the step checked, not a second one
    if revision is not None:
        voice.revision = revision
    return voice


def pending_extension(appeal: Appeal) -> ExtensionRequest | None:
    """The extension request waiting for the dispatcher's decision, if any."""
    return (
        ExtensionRequest.objects.filter(
            assignment__appeal=appeal, state=ExtensionRequest.State.PENDING
        )
        .select_related("assignment__area", "assignment__department", "requested_by")
        .first()
    )


def extension_request_get(appeal: Appeal, pk: int) -> ExtensionRequest:
    """An extension request of this appeal, to decide on."""
    return get_object_or_404(
        ExtensionRequest.objects.select_related("assignment__appeal"),
        pk=pk,
        assignment__appeal=appeal,
    )


def share_get(appeal: Appeal, pk: Any) -> Assignment:
    """A share (assignment) of this appeal, named by its id in a step's input
    (recall, reassign, close); refused on the field for any other id."""
    share = (
        appeal.assignments.select_related("area", "department")
        .filter(pk=pk if isinstance(pk, int) else -1)
        .first()
    )
    if share is None:
        raise DomainError(_("Choose one of this appeal's shares."), field="assignment")
    share.appeal = appeal  # the copy the step checked, not a second one
    return share


def appeal_get_by_code(code: str) -> Appeal:
    """For residents, who hold the tracking code instead of an account."""
    return get_object_or_404(
        Appeal.objects.select_related("street", "grid", "category", "merged_into"),
        tracking_code=code.strip().upper(),
    )


def received_by_codes(
    codes: list[str],
    *,
    appeals: QuerySet[Appeal] | None = None,
    pending: QuerySet[Submission] | None = None,
) -> dict[str, Appeal | Submission]:
    """By tracking code: the appeal, or — in the moment between intake and the
    worker registering it — the submission that holds the code. Submissions
    are read first and never deleted, so a registration committed in between
    cannot make a code vanish."""
    wanted = {code.strip().upper() for code in codes}
    submissions = pending if pending is not None else Submission.objects.all()
    found: dict[str, Appeal | Submission] = {
        s.tracking_code: s
        for s in submissions.filter(
            tracking_code__in=wanted, state=Submission.State.PENDING
        )
    }
    if rest := wanted - found.keys():
        if appeals is None:
            appeals = Appeal.objects.select_related(
                "street", "grid", "category", "merged_into"
            )
        found.update(
            {a.tracking_code: a for a in appeals.filter(tracking_code__in=rest)}
        )
    return found


def received_by_code(code: str) -> Appeal | Submission:
    """:func:`received_by_codes` for one code, for the tracking page."""
    brief = Submission.objects.only(
        "tracking_code", "state", "received_at", "appeal_id", "attempts"
    )
    found = received_by_codes([code], pending=brief).get(code.strip().upper())
    if found is None:
        raise Http404
    return found


def code_exists(code: str) -> bool:
    return (
        Appeal.objects.filter(tracking_code=code).exists()
        or Submission.objects.filter(tracking_code=code).exists()
    )


def assignment_get_for_user(user: Any, pk: int) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related(
            "appeal", "appeal__street", "area", "department"
        ),
        pk=pk,
    )
    appeal_get_for_user(user, assignment.appeal_id)
    return assignment


def public_timeline(appeal: Appeal) -> QuerySet[CaseEvent]:
    # The share's unit: who acted, as the resident reads it (labels.actor_label).
    return (
        appeal.events.filter(public=True)
        .select_related("assignment__area", "assignment__department")
        .prefetch_related("attachments", "voice_messages")
    )


# Kinds that are never in the public record, whatever the settings say: a
# complaint (投诉) or a report (举报) names who is complained of, and its
# reporter may be found from where it is.
NEVER_PUBLIC_KINDS = frozenset({Kind.COMPLAINT, Kind.REPORT})


def public_record_kinds() -> frozenset[str]:
    """The kinds of appeal other systems may list without a key (the public
    record): CIVICGRID_PUBLIC_RECORD_KINDS, less those never public; none
    while CIVICGRID_PUBLIC_RECORD is off."""
    if not settings.CIVICGRID_PUBLIC_RECORD:
        return frozenset()
    kinds = {k.strip() for k in settings.CIVICGRID_PUBLIC_RECORD_KINDS if k.strip()}
    return frozenset(kinds & set(Kind.values)) - NEVER_PUBLIC_KINDS


def appeals_in_public_record(street: Area | None = None) -> QuerySet[Appeal]:
    """Registered appeals anyone may list (what the tracking page shows of
    them, without the resident's words or contact): of a public kind, in a
    category not held back by CIVICGRID_PUBLIC_RECORD_EXCLUDED_CATEGORIES (a
    leaf's code or its group's), of ``street`` when given."""
    kinds = public_record_kinds()
    if not kinds:
        return Appeal.objects.none()
    held_back = [c for c in settings.CIVICGRID_PUBLIC_RECORD_EXCLUDED_CATEGORIES if c]
    appeals = (
        Appeal.objects.filter(kind__in=kinds, category__isnull=False)
        .exclude(category__code__in=held_back)
        .exclude(category__parent__code__in=held_back)
    )
    return appeals.filter(street=street) if street is not None else appeals


# The public events whose note the resident reads; the others' notes (an accept
# or dispatch note) are the staff's words to each other.
PUBLIC_NOTE_ACTIONS = frozenset(
    {
        "reply",
        "reject",
        "callback",
        "add_information",
        "progress",
        "rehandle",
        "dispose_on_site",
    }
)
# Of those, the resident's own words (a re-handle carries the callback's
# comment): shown on their tracking page, never passed on to other systems.
RESIDENT_NOTE_ACTIONS = frozenset({"callback", "add_information", "rehandle"})


def latest_reply(timeline: list[CaseEvent]) -> CaseEvent | None:
    """The last reply in a timeline already read (after a re-handle, the new one)."""
    return next((e for e in reversed(timeline) if e.action == "reply"), None)


def staff_timeline(appeal: Appeal) -> QuerySet[CaseEvent]:
    return appeal.events.select_related(
        "actor", "assignment__area", "assignment__department"
    ).prefetch_related("attachments", "voice_messages")


def category_for_intake(pk: int) -> Category | None:
    """An active leaf with its current version and its questions, as intake
    checks a submission against it (cached briefly: it is read on every one)."""

    def load() -> Category | None:
        return next(
            iter(
                Category.objects.select_related("current_version", "parent")
                .prefetch_related("questions")
                .filter(pk=pk, is_active=True, current_version__isnull=False)
                .order_by()  # one row by primary key: no ORDER BY to compile
            ),
            None,
        )

    return refcache.cached(("category", pk), load)


def street_for_intake(code: str) -> Area | None:
    """An active street by its code, or with no code the only active street if
    there is just one (cached briefly, like the catalogue)."""

    def load() -> Area | None:
        streets = Area.objects.filter(level=Area.Level.STREET, is_active=True)
        if code:
            return streets.filter(code=code).first()
        only = list(streets[:2])
        return only[0] if len(only) == 1 else None

    return refcache.cached(("street", code), load)


def default_street(code: str | None = None) -> Area | None:
    """The street an intake serves: the one named, the configured default, or
    the only active one."""
    return street_for_intake(code or settings.CIVICGRID_DEFAULT_STREET)


def public_streets() -> list[Area]:
    """The active streets a resident may report to, by code: the choice that
    /report/ and the digest offer when no street is named or configured."""
    return list(
        Area.objects.filter(level=Area.Level.STREET, is_active=True).order_by("code")
    )


def street_for_point(latitude: float | None, longitude: float | None) -> Area | None:
    """The active street whose grids hold the pin, or None."""
    if latitude is None or longitude is None:
        return None
    found = point_location(longitude, latitude)
    street = found["street"] if found else None
    return street if street is not None and street.is_active else None


def leaf_categories() -> QuerySet[Category]:
    return (
        Category.objects.filter(is_active=True, current_version__isnull=False)
        .select_related("parent", "current_version")
        .order_by("parent__sort_order", "parent__code", "sort_order", "code")
    )


def nearby_open_appeals(
    *,
    latitude: float,
    longitude: float,
    category: Category | None,
    radius_m: float = 200,
    exclude: Appeal | None = None,
    limit: int = 5,
) -> list[Appeal]:
    """Open appeals of the same category within ``radius_m`` metres: someone may
    have reported this already."""
    # One degree of latitude is 111 km; of longitude, 111 km × cos(latitude).
    import math

    dlat = radius_m / 111_000
    dlon = radius_m / (111_000 * max(0.01, math.cos(math.radians(latitude))))
    queryset = Appeal.objects.exclude(
        # Reports and complaints are about someone: never offered to strangers.
        kind__in=[Kind.REPORT, Kind.COMPLAINT]
    ).filter(
        state__in=OPEN_STATES,
        latitude__range=(latitude - dlat, latitude + dlat),
        longitude__range=(longitude - dlon, longitude + dlon),
    )
    if category is not None:
        queryset = queryset.filter(category=category)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    found = []
    for appeal in queryset.select_related("category").order_by("-received_at")[
        : limit * 4
    ]:
        dy = (float(appeal.latitude or 0) - latitude) * 111_000
        dx = (
            (float(appeal.longitude or 0) - longitude)
            * 111_000
            * math.cos(math.radians(latitude))
        )
        appeal.distance_m = math.hypot(dx, dy)  # type: ignore[attr-defined]
        if appeal.distance_m <= radius_m:  # type: ignore[attr-defined]
            found.append(appeal)
    return found[:limit]


# What a resident about to report is told of each appeal nearby: how far, in
# these bands (metres), never where exactly or when.
NEARBY_BANDS = (50, 100, 200)


def nearby_for_resident(
    *, latitude: float, longitude: float, category: Category | None
) -> list[tuple[str, int, int]]:
    """(category name, distance band in metres, appeal pk) of the open appeals
    near the pin: enough to follow one instead of reporting it again."""
    found = []
    for appeal in nearby_open_appeals(
        latitude=latitude,
        longitude=longitude,
        category=category,
        radius_m=NEARBY_BANDS[-1],
        limit=3,
    ):
        distance = appeal.distance_m  # type: ignore[attr-defined]
        band = next(b for b in NEARBY_BANDS if distance <= b)
        name = appeal.category.name if appeal.category else ""
        found.append((name, band, appeal.pk))
    return sorted(found, key=lambda row: row[1])


# --- queues of the staff console --------------------------------------------------

QUEUES = (
    "new",
    "to_dispatch",
    "to_sign",
    "handling",
    "due_soon",
    "overdue",
    "returned",
    "awaiting_callback",
    "pending_extension",
    "pending_exclusion",
    "to_verify",
    "my_grids",
    "all",
)
# Queues only some people have: a grid worker's grids (本网格), and the checks
# on site (待核查) — a grid worker's own, or their street's for a dispatcher.
GRID_QUEUES = ("to_verify", "my_grids")


def queues_for(user: Any) -> list[str]:
    """The console's queues this user is shown."""
    grid_worker = bool(access.held(user, (Role.GRID_WORKER,)))
    shown = set(QUEUES) - set(GRID_QUEUES)
    if grid_worker:
        shown |= set(GRID_QUEUES)
    if user.is_superuser or access.held(user, (Role.DISPATCHER,)):
        shown.add("to_verify")
    if not decides_approvals(user):
        shown -= set(APPROVAL_QUEUES)
    return [name for name in QUEUES if name in shown]


# Queues of requests waiting for a decision (待审批): shown to those who decide.
APPROVAL_QUEUES = ("pending_extension", "pending_exclusion")

# The appeals in a queue another app keeps, for one user: the exclusion
# requests (核减) are the rates' own (metrics), registered at start-up so that
# appeals imports nothing above it.
_queue_scopes: dict[str, Callable[[Any], Q]] = {}


def offer_queue(name: str, scope: Callable[[Any], Q]) -> None:
    """Fill queue ``name`` with the appeals ``scope(user)`` selects."""
    if name not in QUEUES:
        raise ValueError(f"not a queue: {name}")
    _queue_scopes[name] = scope


def decides_approvals(user: Any) -> bool:
    """Whoever decides extension and exclusion requests: a street's
    dispatchers (and superusers)."""
    return bool(user.is_superuser or access.held(user, (Role.DISPATCHER,)))


def queue(user: Any, name: str) -> QuerySet[Appeal]:
    """One queue of the console, already scoped to the user."""
    appeals = appeal_list_for_user(user)
    now = clock.now()
    mine = permissions.unit_q(user, "assignments__") if not user.is_superuser else Q()
    active = Q(assignments__state__in=Assignment.ACTIVE_STATES)
    if name == "new":
        return appeals.filter(state=Appeal.State.RECEIVED)
    if name == "to_dispatch":
        return appeals.filter(state=Appeal.State.ACCEPTED)
    if name == "returned":
        return appeals.filter(state=Appeal.State.ACCEPTED, return_count__gt=0)
    if name == "to_sign":
        return appeals.filter(
            Q(assignments__state=Assignment.State.DISPATCHED) & mine
        ).distinct()
    if name == "handling":
        return appeals.filter(
            Q(assignments__state=Assignment.State.HANDLING) & mine
        ).distinct()
    if name == "due_soon":
        return appeals.filter(
            active,
            due_soon_q(now, "assignments__"),
            state__in=[Appeal.State.DISPATCHED, Appeal.State.HANDLING],
        ).distinct()
    if name == "overdue":
        return appeals.filter(
            active,
            overdue_q(now, "assignments__"),
            state__in=[Appeal.State.DISPATCHED, Appeal.State.HANDLING],
        ).distinct()
    if name == "awaiting_callback":
        return appeals.filter(state=Appeal.State.REPLIED)
    if name == "pending_extension":
        # Those the user decides: on the streets where they dispatch.
        deciding = (
            Q()
            if user.is_superuser
            else access.over_q(user, (Role.DISPATCHER,), "street__path")
        )
        return appeals.filter(
            deciding,
            pk__in=ExtensionRequest.objects.filter(
                state=ExtensionRequest.State.PENDING
            ).values("assignment__appeal_id"),
        )
    if name in _queue_scopes:
        return appeals.filter(_queue_scopes[name](user))
    if name in APPROVAL_QUEUES:
        return appeals.none()
    if name == "to_verify":
        waiting = Verification.objects.filter(
            state=Verification.State.PENDING, appeal__state=Appeal.State.REPLIED
        )
        if not user.is_superuser:
            waiting = waiting.filter(
                Q(grid_worker=user)
                | access.over_q(user, (Role.DISPATCHER,), "appeal__street__path")
            )
        return appeals.filter(pk__in=waiting.values("appeal_id"))
    if name == "my_grids":
        grids = [m.area_id for m in access.held(user, (Role.GRID_WORKER,))]
        return appeals.filter(grid_id__in=grids)
    return appeals


# --- a grid's page ---------------------------------------------------------------


def open_appeals_marked(user: Any) -> QuerySet[Appeal]:
    """The open appeals the user may see, each marked as the console's queues
    mark it: ``overdue`` (超期) or ``due_soon`` (临期) when a share still
    running is, while the appeal is being handled."""
    now = clock.now()
    running = Assignment.objects.filter(
        appeal=OuterRef("pk"),
        state__in=Assignment.ACTIVE_STATES,
        appeal__state__in=[Appeal.State.DISPATCHED, Appeal.State.HANDLING],
    )
    return (
        appeal_list_for_user(user)
        .filter(state__in=OPEN_STATES)
        .annotate(
            overdue=Exists(running.filter(overdue_q(now))),
            due_soon=Exists(running.filter(due_soon_q(now))),
        )
    )


def grid_open_appeals(user: Any, grid: Area) -> QuerySet[Appeal]:
    """:func:`open_appeals_marked` found in ``grid``, those nearest their
    deadline first."""
    return (
        open_appeals_marked(user)
        .filter(grid=grid)
        .order_by(F("due_at").asc(nulls_last=True), "-received_at", "-pk")
    )


def grid_patrol_findings(user: Any, grid: Area) -> QuerySet[Appeal]:
    """What grid workers found on patrol (网格巡查) in ``grid``, the latest
    first, of what the user may see."""
    return (
        appeal_list_for_user(user)
        .filter(grid=grid, channel=Channel.PATROL)
        .order_by("-received_at", "-pk")
    )


def unanswered_callbacks(*, older_than: timedelta) -> QuerySet[Appeal]:
    """Replied appeals nobody answered for: not those a grid worker is still
    verifying on site (核查), which wait for the check."""
    return Appeal.objects.filter(
        state=Appeal.State.REPLIED, replied_at__lte=clock.now() - older_than
    ).exclude(verifications__state=Verification.State.PENDING)


def grids_of_grid_worker(user: Any) -> QuerySet[Area]:
    """The active grids the user works as grid worker (网格员): where they may
    record a problem dealt with on the spot (就地处置)."""
    return Area.objects.filter(
        level=Area.Level.GRID,
        is_active=True,
        pk__in=[m.area_id for m in access.held(user, (Role.GRID_WORKER,))],
    ).order_by("code")


def streets_for_staff_entry(user: Any) -> QuerySet[Area]:
    """Streets whose appeals the user may enter: a district's operator enters for
    its streets, a street's operator or dispatcher for it, a grid worker for the
    street above their grid."""
    streets = Area.objects.filter(level=Area.Level.STREET, is_active=True)
    if user.is_superuser:
        return streets
    return streets.filter(
        access.reaching_q(
            user, (Role.OPERATOR, Role.DISPATCHER, Role.GRID_WORKER), "path"
        )
    )


# --- the console's list, narrowed and ordered -------------------------------------

# The orders a client may ask for; each breaks ties by id in the same direction.
ORDERINGS = (
    "received_at",
    "-received_at",
    "due_at",
    "-due_at",
    "updated_at",
    "-updated_at",
)


def queue_ordering(name: str, ordering: str | None = None) -> tuple[str, str]:
    """``ordering`` (one of :data:`ORDERINGS`), or the queue's own: deadlines
    first where deadlines are the point of the queue, else the newest first."""
    if not ordering:
        ordering = "due_at" if name in ("due_soon", "overdue") else "-received_at"
    return ordering, "-id" if ordering.startswith("-") else "id"


def appeals_filtered(
    appeals: QuerySet[Appeal], filters: Mapping[str, Any]
) -> QuerySet[Appeal]:
    """``appeals`` narrowed by the console's filters: q (a tracking code or words
    of the description or address), state, category, channel, grid, department
    and the days received between. Empty filters are ignored."""
    if q := (filters.get("q") or "").strip():
        appeals = appeals.filter(
            Q(tracking_code__iexact=q.upper())
            | Q(description__icontains=q)
            | Q(address__icontains=q)
        )
    for name in ("state", "category", "channel", "grid"):
        if filters.get(name):
            appeals = appeals.filter(**{name: filters[name]})
    if filters.get("department"):
        appeals = appeals.filter(
            pk__in=Assignment.objects.filter(department=filters["department"]).values(
                "appeal_id"
            )
        )
    if filters.get("received_from"):
        appeals = appeals.filter(received_at__date__gte=filters["received_from"])
    if filters.get("received_to"):
        appeals = appeals.filter(received_at__date__lte=filters["received_to"])
    return appeals


# --- deadlines: due soon (临期) and overdue (超期) --------------------------------
# ``share`` is the path from the model queried to the share: "" on Assignment,
# "assignments__" on Appeal. Which shares count (those still running, those not
# yet marked) is each reader's own.


def due_soon_q(now: datetime, share: str = "") -> Q:
    """A share past its warn time and not yet due: due soon (临期)."""
    return Q(**{f"{share}warn_at__lte": now, f"{share}due_at__gt": now})


def overdue_q(now: datetime, share: str = "") -> Q:
    """A share past its due time: overdue (超期)."""
    return Q(**{f"{share}due_at__lte": now})


def sealed_texts(appeal: Appeal) -> dict[str, str]:
    """The appeal's texts that held a phone or ID number, in full, by where
    they are: ``description``, ``event:<id>`` (its note),
    ``event:<id>:outcome_reason``, ``assignment:<id>:return_reason`` …
    Only for a recorded reveal (:func:`~civicgrid.appeals.actions.
    appeal_reveal_contact`)."""
    texts: dict[str, str] = {}
    for name in sealed_fields(Appeal):
        if getattr(appeal, name + SEALED_SUFFIX):
            texts[name] = full_text(appeal, name)
    for event in appeal.events.all():
        if getattr(event, "note" + SEALED_SUFFIX):
            texts[f"event:{event.pk}"] = full_text(event, "note")
        for key in SEALED_DATA_KEYS:
            if event.data.get(key + SEALED_SUFFIX):
                texts[f"event:{event.pk}:{key}"] = full_data_text(event.data, key)
    related: list[tuple[str, Any]] = [
        ("assignment", appeal.assignments.all()),
        (
            "extension",
            ExtensionRequest.objects.filter(assignment__appeal=appeal).order_by("pk"),
        ),
        ("verification", appeal.verifications.all()),
        ("voice", appeal.voice_messages.all()),
    ]
    for prefix, rows in related:
        for row in rows:
            for name in sealed_fields(type(row)):
                if getattr(row, name + SEALED_SUFFIX):
                    texts[f"{prefix}:{row.pk}:{name}"] = full_text(row, name)
    return texts
