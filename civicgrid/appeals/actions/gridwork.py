"""Grid work (网格): what a grid worker does beyond handling the shares
dispatched to their grid — a problem found on patrol and dealt with on the
spot (就地处置), and the check on site a dispatcher asks of them before an
appeal closes (核查, the 数字城管 "核查结案" step)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicgrid.accounts.access import ancestor_paths
from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError
from civicgrid.core.fields import sealed_values
from civicgrid.core.images import MAX_PHOTOS_PER_APPEAL, ProcessedImage
from civicgrid.core.pii import mask_text
from civicgrid.org.models import Area
from civicgrid.org.selectors import grids_and_streets_for_points

from .. import listeners, notify, permissions
from ..clocks import appeal_clocks, deadlines
from ..models import (
    Appeal,
    Assignment,
    Category,
    Channel,
    ReplyOutcome,
    Verification,
)
from ..workflow import hold, move, move_assignments, require_state
from . import timeline
from .callback import rehandle
from .intake import AppealInput, appeal_submit
from .timeline import _save_photos, _text

MAX_NOTE = 500


def _photos(photos: Sequence[ProcessedImage], *, field: str, missing: str) -> None:
    if not photos:
        raise DomainError(missing, field=field)
    if len(photos) > MAX_PHOTOS_PER_APPEAL:
        raise DomainError(
            _("At most %(n)d photos.") % {"n": MAX_PHOTOS_PER_APPEAL}, field=field
        )


def _street_of(grid: Area) -> Area:
    street = Area.objects.filter(
        level=Area.Level.STREET, is_active=True, path__in=ancestor_paths(grid.path)
    ).first()
    if street is None:
        raise DomainError(_("This grid belongs to no active street."), field="grid")
    return street


def appeal_dispose_on_site(
    *,
    acting_user: Any,
    grid: Area | None,
    description: str,
    note: str,
    before_photos: Sequence[ProcessedImage],
    after_photos: Sequence[ProcessedImage],
    kind: str = "",
    category: Category | None = None,
    answers: dict[str, Any] | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    idempotency_key: str | None = None,
) -> tuple[Appeal, bool]:
    """就地处置: a grid worker found a problem on patrol in one of their grids
    and dealt with it there. It becomes a patrol appeal of that grid, received
    and closed in this one step: the grid's share is dispatched, signed and
    completed at this moment, so the three rates count it for the grid
    (received, answered and completed in time, resolved on site). No resident
    is called back: it stays out of the satisfaction rate. The photos before
    (on the "submit" event) and after (on the "dispose_on_site" event) are
    both required. Returns the appeal and whether it was made now (False for
    a retry with the same idempotency key)."""
    if grid is None or not permissions.is_grid_worker_of(acting_user, grid):
        raise DomainError(_("Choose one of your grids."), field="grid")
    if latitude is not None and longitude is not None:
        (found,) = grids_and_streets_for_points([(longitude, latitude)])
        if found is None or found[0] != grid.pk:
            raise DomainError(
                _(
                    "The pin is outside %(grid)s: place it where you found the "
                    "problem, in that grid."
                )
                % {"grid": grid.name},
                field="location",
            )
    note = _text(note, field="note", label=_("What you did"), limit=MAX_NOTE)
    _photos(
        before_photos,
        field="before_photos",
        missing=_("Add a photo taken before you dealt with it."),
    )
    _photos(
        after_photos,
        field="after_photos",
        missing=_("Add a photo taken after you dealt with it."),
    )
    data = AppealInput(
        description=description,
        street=_street_of(grid),
        channel=Channel.PATROL,
        kind=kind,
        category=category,
        answers=answers or {},
        latitude=latitude,
        longitude=longitude,
        address=address,
    )
    with transaction.atomic():
        appeal, created = appeal_submit(
            data=data,
            acting_user=acting_user,
            photos=before_photos,
            idempotency_key=idempotency_key,
        )
        if created:
            _close_on_site(appeal, grid, acting_user, note, after_photos)
    return appeal, created


def _close_on_site(
    appeal: Appeal,
    grid: Area,
    acting_user: Any,
    note: str,
    after_photos: Sequence[ProcessedImage],
) -> None:
    now = clock.now()
    # Dealt with at once: the category's clocks if it has one, the moment if not.
    of_appeal = appeal_clocks(appeal)
    clocks = (
        deadlines(of_appeal, now)
        if of_appeal is not None
        else {"response_due_at": now, "due_at": now, "warn_at": now}
    )
    if appeal.grid_id != grid.pk:  # an address without a pin: the worker's grid
        hold(appeal, grid=grid)
    share = Assignment.objects.create(
        appeal=appeal,
        role=Assignment.Role.LEAD,
        area=grid,
        state=Assignment.State.DONE,
        dispatched_at=now,
        dispatched_by=acting_user,
        signed_at=now,
        signed_by=acting_user,
        replied_at=now,
        **clocks,
    )
    listeners.shares_dispatched(appeal, [share])
    from_state = move(
        appeal,
        Appeal.State.CLOSED,
        accepted_at=now,
        dispatched_at=now,
        replied_at=now,
        closed_at=now,
        due_at=clocks["due_at"],
        reply_outcome=ReplyOutcome.RESOLVED,
        close_reason=Appeal.CloseReason.ON_SITE,
    )
    event = timeline.write(
        appeal,
        "dispose_on_site",
        actor=acting_user,
        assignment=share,
        from_state=from_state,
        note=note,
        public=True,
        data={"unit": grid.name, "outcome": ReplyOutcome.RESOLVED},
    )
    _save_photos(
        appeal, after_photos, event=event, uploaded_by=acting_user, public=True
    )
    notify.resident(appeal, "appeal.closed")  # no resident: the webhooks


def verification_request(
    *, appeal: Appeal, acting_user: Any, grid_worker: Any, note: str = ""
) -> Verification:
    """请网格员核查: the dispatcher asks one of the grid workers of the appeal's
    grid to check the reply on site. The operator's callback waits for it."""
    require_state(appeal, "request_verification")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    if appeal.grid is None:
        raise DomainError(
            _("The appeal is in no grid: no grid worker can verify it."),
            field="grid_worker",
        )
    if (
        grid_worker is None
        or not getattr(grid_worker, "is_active", False)
        or not permissions.is_grid_worker_of(grid_worker, appeal.grid)
    ):
        raise DomainError(
            _("Choose a grid worker of %(grid)s.") % {"grid": appeal.grid.name},
            field="grid_worker",
        )
    note = _text(note, field="note", label=_("The note"), required=False, limit=1000)
    with transaction.atomic():
        hold(appeal)
        try:
            with transaction.atomic():
                verification = Verification.objects.create(
                    appeal=appeal,
                    grid_worker=grid_worker,
                    requested_by=acting_user,
                    requested_at=clock.now(),
                    note=note,
                )
        except IntegrityError as exc:
            raise DomainError(
                _("A grid worker is verifying this appeal already."),
                field="grid_worker",
            ) from exc
        timeline.write(
            appeal,
            "request_verification",
            actor=acting_user,
            note=note,
            data={
                "grid_worker": grid_worker.get_full_name(),
                "verification": verification.pk,
            },
        )
        notify.person(grid_worker, appeal, "appeal.verification_requested", note=note)
    return verification


def appeal_verify(
    *,
    appeal: Appeal,
    acting_user: Any,
    passed: bool,
    note: str = "",
    photos: Sequence[ProcessedImage] = (),
) -> Verification:
    """核查: the grid worker asked records what they found on site. Passed, a
    patrol finding that names no resident closes (核查结案: nobody to call
    back); a resident's appeal keeps the check on its timeline and goes on to
    the callback. Not passed (the reason required), the lead unit handles it
    again (重办) with fresh clocks. The dispatcher who asked is told."""
    require_state(appeal, "verify")
    verification = permissions.pending_verification(appeal)
    if verification is None:
        raise DomainError(
            _("No verification is waiting on this appeal."), field="state"
        )
    permissions.require(
        permissions.may_verify(acting_user, verification),
        _("Only the grid worker asked may verify this appeal."),
    )
    note = _text(
        note,
        field="note",
        label=_("The reason it does not pass") if not passed else _("The note"),
        required=not passed,
        limit=1000,
    )
    if len(photos) > MAX_PHOTOS_PER_APPEAL:
        raise DomainError(
            _("At most %(n)d photos.") % {"n": MAX_PHOTOS_PER_APPEAL}, field="photos"
        )
    closes = passed and not permissions.needs_callback(appeal)
    now = clock.now()
    state = Verification.State.PASSED if passed else Verification.State.FAILED
    with transaction.atomic():
        if not Verification.objects.filter(
            pk=verification.pk, state=Verification.State.PENDING
        ).update(
            **sealed_values(
                Verification,
                {
                    "state": state,
                    "decided_at": now,
                    "result_note": note,
                    "updated_at": now,
                },
            )
        ):
            raise ConflictError(_("This verification was recorded already."))
        verification.state, verification.decided_at = state, now
        verification.result_note = mask_text(note)
        lead = None
        if closes:
            from_state = move(
                appeal,
                Appeal.State.CLOSED,
                closed_at=now,
                close_reason=Appeal.CloseReason.VERIFIED,
            )
            move_assignments(appeal.assignments.all(), Assignment.State.DONE)
        elif passed:
            hold(appeal)
            from_state = appeal.state
        else:
            from_state, lead = rehandle(appeal, now)
        event = timeline.write(
            appeal,
            "verify",
            actor=acting_user,
            from_state=from_state,
            note=note,
            public=closes,
            data={"passed": passed, "verification": verification.pk},
        )
        _save_photos(
            appeal, photos, event=event, uploaded_by=acting_user, public=closes
        )
        if lead is not None:
            timeline.write(
                appeal, "rehandle", public=True, data={"after": "verification"}
            )
            notify.unit(lead, "appeal.verification_failed", reason=note)
        notify.person(
            verification.requested_by,
            appeal,
            "appeal.verification_done",
            passed=passed,
            closed=closes,
            note=note,
        )
        if closes:
            notify.resident(appeal, "appeal.closed")  # no resident: the webhooks
    return verification
