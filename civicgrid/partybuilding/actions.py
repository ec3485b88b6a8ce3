"""The writes of party building, one function per step: keyword-only with an
explicit ``acting_user``, in a transaction, checking :mod:`.permissions`,
moving by :mod:`.workflow` and writing the wish's :class:`~.models.WishEvent`.

微心愿: gathered by the household's grid worker with the beneficiary's consent →
verified by the community (家庭情况核实; or refused with a reason) → published
on the community's wall → claimed by one registered volunteer or unit (a
second claim loses; an unfulfilled claim expires after
``CIVICGRID_WISH_CLAIM_DAYS`` and the wish returns to the wall) → delivered
(date, photo) → confirmed (by the grid worker on the beneficiary's behalf,
saying so) and credited to the claimer's service ledger. Cancelled with a
reason at any step before the delivery."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError
from civicgrid.core.images import process_image, store_image
from civicgrid.ledger.models import Household, Organisation, Person
from civicgrid.org.models import Area

from . import permissions, workflow
from .models import (
    Registration,
    ServiceEntry,
    UnitRegistration,
    Volunteer,
    Wish,
    WishEvent,
)

W = Wish.State
# What a wish back on the wall no longer has (released or expired).
UNCLAIMED: dict[str, Any] = {
    "claimed_by": None,
    "claimed_by_unit": None,
    "claimed_at": None,
    "claim_expires_at": None,
}
MAX_NEED = 500
MAX_VALUE = Decimal("5000")
UNIT_KINDS = (
    Organisation.Kind.UNIT_BRANCH,
    Organisation.Kind.SOCIAL,
    Organisation.Kind.ALLIANCE,
)


def _text(
    value: Any, *, field: str, label: str, limit: int, required: bool = False
) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(_("%(label)s is required.") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(
            _("%(label)s is longer than %(limit)d characters.")
            % {"label": label, "limit": limit},
            field=field,
        )
    return text


def _community(area: Any, field: str = "community") -> Area:
    if not isinstance(area, Area) or area.level != Area.Level.COMMUNITY:
        raise DomainError(_("Choose a community."), field=field)
    return area


# --- 双报到 ----------------------------------------------------------------------


def unit_register(
    *, organisation: Organisation, community: Area, offers: str, acting_user: Any
) -> UnitRegistration:
    """单位报到: the acting user registers their unit's party organisation to
    a community and is its contact."""
    community = _community(community)
    if organisation.kind not in UNIT_KINDS:
        raise DomainError(
            _(
                "Units register: a joined party branch, a social organisation "
                "or the merchants' alliance."
            ),
            field="organisation",
        )
    offers = _text(
        offers, field="offers", label=_("What it can offer"), limit=1000, required=True
    )
    try:
        with transaction.atomic():
            return UnitRegistration.objects.create(
                organisation=organisation,
                community=community,
                offers=offers,
                contact=acting_user,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("%(unit)s is registered to %(community)s already.")
            % {"unit": organisation.name, "community": community.name},
            field="organisation",
        ) from exc


def volunteer_register(
    *,
    community: Area,
    acting_user: Any,
    unit: UnitRegistration | None = None,
    duty: str = "",
    skills: str = "",
    availability: str = "",
    pledge: str = "",
) -> Volunteer:
    """个人报到: an in-service party member registers as a volunteer to the
    community where they live."""
    community = _community(community)
    if unit is not None and unit.state != Registration.CONFIRMED:
        raise DomainError(_("Choose a unit the community has confirmed."), field="unit")
    values = {
        "duty": _text(duty, field="duty", label=_("The post and duty"), limit=100),
        "skills": _text(skills, field="skills", label=_("The skills"), limit=200),
        "availability": _text(
            availability, field="availability", label=_("When"), limit=100
        ),
        "pledge": _text(pledge, field="pledge", label=_("The pledge"), limit=200),
    }
    try:
        with transaction.atomic():
            return Volunteer.objects.create(
                user=acting_user, community=community, unit=unit, **values
            )
    except IntegrityError as exc:
        raise DomainError(
            _("You are registered to %(community)s already.")
            % {"community": community.name},
            field="community",
        ) from exc


def registration_decide(
    *,
    registration: UnitRegistration | Volunteer,
    confirm: bool,
    reason: str = "",
    acting_user: Any,
) -> None:
    """The community confirms a registration, or refuses it with a reason."""
    permissions.require(
        permissions.may_decide(acting_user, registration.community),
        _("Only the community's staff decide on registrations."),
    )
    reason = _text(reason, field="reason", label=_("The reason"), limit=200)
    if not confirm and not reason:
        raise DomainError(_("Say why it is refused."), field="reason")
    to = Registration.CONFIRMED if confirm else Registration.REFUSED
    with transaction.atomic():
        workflow.registration_move(
            registration,
            to,
            decided_by=acting_user,
            decided_at=clock.now(),
            reason=reason,
        )


def registration_end(
    *, registration: UnitRegistration | Volunteer, reason: str, acting_user: Any
) -> None:
    """A member or unit leaves the community (moved, retired): the registration
    ends, its service ledger stays."""
    mine = (
        registration.user_id == acting_user.pk
        if isinstance(registration, Volunteer)
        else registration.contact_id == acting_user.pk
    )
    permissions.require(
        mine or permissions.may_decide(acting_user, registration.community)
    )
    reason = _text(reason, field="reason", label=_("The reason"), limit=200)
    with transaction.atomic():
        workflow.registration_move(
            registration, Registration.ENDED, decided_at=clock.now(), reason=reason
        )


# --- 微心愿 ------------------------------------------------------------------------


def _event(wish: Wish, action: str, actor: Any, old: str, note: str = "") -> WishEvent:
    return WishEvent.objects.create(
        wish=wish,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_state=old,
        to_state=wish.state,
        note=note,
        created_at=clock.now(),
    )


def _value(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(
            _("Give the value in yuan, e.g. 120."), field="value"
        ) from exc
    if not amount.is_finite() or not Decimal(0) <= amount <= MAX_VALUE:
        raise DomainError(
            _("A micro-wish is worth between 0 and %(max)s yuan.") % {"max": MAX_VALUE},
            field="value",
        )
    return amount.quantize(Decimal("0.01"))


def wish_gather(
    *,
    household: Household,
    need: str,
    value: Any,
    shown_as: str,
    consent: bool,
    acting_user: Any,
    beneficiary: Person | None = None,
) -> Wish:
    """A grid worker writes down a household's wish, with the beneficiary's
    consent; only for a household of a grid they keep."""
    permissions.require(
        permissions.may_gather(acting_user, household),
        _("This household is not in a grid whose ledger you keep."),
    )
    if not consent:
        raise DomainError(
            _("Note the beneficiary's consent before the wish is written down."),
            field="consent",
        )
    if beneficiary is not None and beneficiary.household_id != household.pk:
        raise DomainError(
            _("The beneficiary lives in another household."), field="beneficiary"
        )
    grid = household.grid
    if grid.parent is None or grid.parent.level != Area.Level.COMMUNITY:
        raise DomainError(_("This grid belongs to no community."), field="household")
    now = clock.now()
    with transaction.atomic():
        wish = Wish.objects.create(
            household=household,
            grid=grid,
            community=grid.parent,
            beneficiary=beneficiary,
            shown_as=_text(
                shown_as,
                field="shown_as",
                label=_("How the wall names them"),
                limit=20,
                required=True,
            ),
            need=_text(
                need, field="need", label=_("The wish"), limit=MAX_NEED, required=True
            ),
            value=_value(value),
            consent_at=now,
            gathered_by=acting_user,
        )
        _event(wish, "gather", acting_user, "")
    return wish


def wish_verify(*, wish: Wish, acting_user: Any, note: str = "") -> None:
    """家庭情况核实: the community has checked the household's situation."""
    permissions.require(
        permissions.may_decide(acting_user, wish.community),
        _("Only the community's staff verify wishes."),
    )
    note = _text(note, field="note", label=_("The note"), limit=500)
    with transaction.atomic():
        old = workflow.wish_move(wish, W.VERIFIED)
        _event(wish, "verify", acting_user, old, note)


def wish_refuse(*, wish: Wish, reason: str, acting_user: Any) -> None:
    permissions.require(
        permissions.may_decide(acting_user, wish.community),
        _("Only the community's staff verify wishes."),
    )
    reason = _text(
        reason, field="reason", label=_("The reason"), limit=200, required=True
    )
    with transaction.atomic():
        old = workflow.wish_move(wish, W.REFUSED, reason=reason)
        _event(wish, "refuse", acting_user, old, reason)


def wish_publish(*, wish: Wish, acting_user: Any) -> None:
    """Put a verified wish on the community's wall."""
    permissions.require(
        permissions.may_decide(acting_user, wish.community),
        _("Only the community's staff publish wishes."),
    )
    with transaction.atomic():
        old = workflow.wish_move(wish, W.PUBLISHED)
        _event(wish, "publish", acting_user, old)


def claim_days() -> int:
    return int(getattr(settings, "CIVICGRID_WISH_CLAIM_DAYS", 14))


def wish_claim(
    *, wish: Wish, acting_user: Any, unit: UnitRegistration | None = None
) -> None:
    """One registered volunteer of the wish's community — or the contact of a
    unit registered there, for the unit — claims a wish on the wall. A second
    claim at the same time loses (compare-and-set) and is told so."""
    if wish.state == W.CLAIMED:
        raise ConflictError(_("Someone else claimed this wish a moment before you."))
    volunteer = None
    if unit is not None:
        permissions.require(
            unit in permissions.units_of(acting_user, wish.community),
            _("Only the contact of a unit registered to this community claims for it."),
        )
    else:
        volunteer = permissions.volunteer_of(acting_user, wish.community)
        permissions.require(
            volunteer is not None,
            _("Register to this community as a volunteer to claim its wishes."),
        )
    now = clock.now()
    try:
        with transaction.atomic():
            old = workflow.wish_move(
                wish,
                W.CLAIMED,
                claimed_by=volunteer,
                claimed_by_unit=unit,
                claimed_at=now,
                claim_expires_at=now + dt.timedelta(days=claim_days()),
            )
            _event(wish, "claim", acting_user, old)
    except ConflictError as exc:
        raise ConflictError(
            _("Someone else claimed this wish a moment before you.")
        ) from exc


def _claimer(wish: Wish, user: Any) -> bool:
    if wish.claimed_by is not None:
        return wish.claimed_by.user_id == user.pk
    return (
        wish.claimed_by_unit is not None and wish.claimed_by_unit.contact_id == user.pk
    )


def wish_release(*, wish: Wish, acting_user: Any, reason: str = "") -> None:
    """The claimer cannot fulfil it after all: the wish returns to the wall."""
    permissions.require(_claimer(wish, acting_user), _("You did not claim this wish."))
    reason = _text(reason, field="reason", label=_("The reason"), limit=200)
    with transaction.atomic():
        old = workflow.wish_move(
            wish,
            W.PUBLISHED,
            **UNCLAIMED,
        )
        _event(wish, "release", acting_user, old, reason)


def expire_claims(*, now: dt.datetime | None = None) -> int:
    """Claims past their days return their wishes to the wall (the worker's
    job); returns how many."""
    now = now or clock.now()
    expired = 0
    for wish in Wish.objects.filter(state=W.CLAIMED, claim_expires_at__lte=now):
        try:
            with transaction.atomic():
                old = workflow.wish_move(
                    wish,
                    W.PUBLISHED,
                    **UNCLAIMED,
                )
                _event(
                    wish,
                    "expire",
                    None,
                    old,
                    _("Not delivered within %(days)d days: back on the wall.")
                    % {"days": claim_days()},
                )
        except (DomainError, ConflictError):
            continue  # delivered or released meanwhile
        expired += 1
    return expired


def wish_fulfil(
    *,
    wish: Wish,
    acting_user: Any,
    on: dt.date | None = None,
    photo: IO[bytes] | bytes | None = None,
    note: str = "",
) -> None:
    """The claimer delivered: the date and a photo of the delivery."""
    permissions.require(_claimer(wish, acting_user), _("You did not claim this wish."))
    on = on or clock.today()
    if on > clock.today():
        raise DomainError(_("The delivery date is in the future."), field="on")
    if wish.claimed_at and on < timezone.localdate(wish.claimed_at):
        raise DomainError(_("The delivery date is before the claim."), field="on")
    if photo is None:
        raise DomainError(_("Add a photo of the delivery."), field="photo")
    processed = process_image(photo, field="photo")
    note = _text(note, field="note", label=_("The note"), limit=500)
    with transaction.atomic():
        stored = store_image(processed, default_storage, f"wishes/{wish.pk}/delivery")
        old = workflow.wish_move(wish, W.FULFILLED, fulfilled_on=on, photo=stored)
        _event(wish, "fulfil", acting_user, old, note)


def wish_confirm(*, wish: Wish, acting_user: Any, note: str = "") -> ServiceEntry:
    """The beneficiary's word, given by who keeps the household's grid on their
    behalf (saying so): the wish is confirmed and credited to the claimer's
    service ledger."""
    permissions.require(
        permissions.may_confirm_for(acting_user, wish),
        _("Only who keeps this household's grid confirms for the beneficiary."),
    )
    note = _text(note, field="note", label=_("The note"), limit=500)
    with transaction.atomic():
        old = workflow.wish_move(
            wish, W.CONFIRMED, confirmed_at=clock.now(), confirmed_for_beneficiary=True
        )
        _event(
            wish,
            "confirm",
            acting_user,
            old,
            note or _("Confirmed on the beneficiary's behalf."),
        )
        return ServiceEntry.objects.create(
            volunteer=wish.claimed_by,
            unit=wish.claimed_by_unit,
            kind=ServiceEntry.Kind.WISH,
            wish=wish,
            title=_("Micro-wish for %(who)s") % {"who": wish.shown_as},
            served_on=wish.fulfilled_on or clock.today(),
            recorded_by=acting_user,
            created_at=clock.now(),
        )


def wish_cancel(*, wish: Wish, reason: str, acting_user: Any) -> None:
    """Cancel before the delivery (the household moved away, the need was met
    otherwise), with a reason."""
    permissions.require(
        permissions.may_decide(acting_user, wish.community)
        or permissions.may_gather(acting_user, wish.household),
        _("Only the community or the grid's worker cancels a wish."),
    )
    reason = _text(
        reason, field="reason", label=_("The reason"), limit=200, required=True
    )
    with transaction.atomic():
        old = workflow.wish_move(wish, W.CANCELLED, reason=reason)
        _event(wish, "cancel", acting_user, old, reason)


def service_record(
    *,
    title: str,
    hours: Any,
    served_on: dt.date,
    acting_user: Any,
    volunteer: Volunteer | None = None,
    unit: UnitRegistration | None = None,
) -> ServiceEntry:
    """The community writes an activity into a member's (or a unit's) service
    ledger: what, how many hours, when."""
    owner = volunteer or unit
    if owner is None or (volunteer is not None and unit is not None):
        raise DomainError(_("Record it for one member or one unit."), field="volunteer")
    permissions.require(
        permissions.may_decide(acting_user, owner.community),
        _("Only the community's staff record services."),
    )
    if owner.state != Registration.CONFIRMED:
        raise DomainError(
            _("Only a confirmed registration has a service ledger."), field="volunteer"
        )
    title = _text(
        title, field="title", label=_("What was done"), limit=200, required=True
    )
    try:
        amount = Decimal(str(hours or 0))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("Give the hours as a number."), field="hours") from exc
    if not amount.is_finite() or not Decimal(0) <= amount <= Decimal(24):
        raise DomainError(_("Between 0 and 24 hours a day."), field="hours")
    if served_on > clock.today():
        raise DomainError(_("The date is in the future."), field="served_on")
    return ServiceEntry.objects.create(
        volunteer=volunteer,
        unit=unit,
        kind=ServiceEntry.Kind.ACTIVITY,
        title=title,
        hours=amount.quantize(Decimal("0.1")),
        served_on=served_on,
        recorded_by=acting_user,
        created_at=clock.now(),
    )
