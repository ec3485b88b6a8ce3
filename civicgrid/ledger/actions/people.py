"""People (人): households, their members, moves, tags, the consent to link
appeals, reveals of a number and visits (入户走访). Every write checks
:mod:`..permissions`, validates with :mod:`..rules` and appends to
:mod:`..history` in its transaction; personal values go there masked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from civicgrid.appeals.actions.intake import AppealInput, appeal_submit
from civicgrid.appeals.models import Appeal, Channel
from civicgrid.core import clock, crypto
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.org.models import Area

from .. import history, permissions, rules
from ..models import (
    Building,
    Change,
    Household,
    Person,
    PersonTag,
    Residence,
    Visit,
)

MAX_TEXT = 2000


class PersonExistsError(DomainError):
    """The ID number belongs to someone already in the ledger: ``person`` is
    that row, so the page can link to it (if the user may read it) or offer to
    move them in."""

    def __init__(self, person: Person) -> None:
        super().__init__(
            _(
                "Somebody with this ID number is already in the ledger; move "
                "them in rather than adding them again."
            ),
            field="id_number",
        )
        self.person = person


# --- households ---------------------------------------------------------------------


def _text(value: str, *, field: str, label: str, limit: int, required: bool = False):
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("%(label)s is required.") % {"label": label}, field=field)
    if len(value) > limit:
        raise DomainError(
            _("%(label)s is too long (at most %(n)d characters).")
            % {"label": label, "n": limit},
            field=field,
        )
    return value


def _address(
    building: Building | None, unit: str, room: str
) -> tuple[Building, str, str]:
    if building is None:
        raise DomainError(_("Choose the building."), field="building")
    unit = _text(unit, field="unit", label=_("The unit"), limit=20)
    room = _text(room, field="room", label=_("The room"), limit=20, required=True)
    return building, unit, room


def _on_or_today(value: dt.date | None, *, field: str, label: str) -> dt.date:
    """A date that has happened, today when not given."""
    on = value or clock.today()
    rules.check_past_date(on, field=field, label=label)
    return on


def household_create(
    *,
    acting_user: Any,
    building: Building | None,
    unit: str = "",
    room: str,
    note: str = "",
) -> Household:
    """A household (户) at building / unit / room; its grid is the building's."""
    building, unit, room = _address(building, unit, room)
    permissions.require(permissions.may_edit(acting_user, building.grid))
    note = _text(note, field="note", label=_("The note"), limit=MAX_TEXT)
    if Household.objects.filter(building=building, unit=unit, room=room).exists():
        raise DomainError(
            _("This building already has a household at this unit and room."),
            field="room",
        )
    try:
        with transaction.atomic():
            household = Household.objects.create(
                building=building, grid=building.grid, unit=unit, room=room, note=note
            )
            history.record(
                obj=household,
                action=Change.Action.CREATE,
                actor=acting_user,
                changes={
                    "building": [None, building.pk],
                    "unit": [None, unit],
                    "room": [None, room],
                },
            )
    except IntegrityError as exc:  # the same address added at the same moment
        raise ConflictError(
            _("This building already has a household at this unit and room.")
        ) from exc
    return household


def household_update(
    *,
    acting_user: Any,
    household: Household,
    building: Building | None,
    unit: str = "",
    room: str,
    note: str = "",
) -> dict[str, list[Any]]:
    """Correct a household's address or note; returns what changed. Moving it
    to another building moves it to that building's grid, which the user must
    keep too."""
    building, unit, room = _address(building, unit, room)
    permissions.require(permissions.may_edit(acting_user, household.grid))
    permissions.require(permissions.may_edit(acting_user, building.grid))
    note = _text(note, field="note", label=_("The note"), limit=MAX_TEXT)
    values = {
        "building": building,
        "grid": building.grid,
        "unit": unit,
        "room": room,
        "note": note,
    }
    changed = history.diff(household, values)
    if not changed:
        return {}
    clash = Household.objects.filter(building=building, unit=unit, room=room).exclude(
        pk=household.pk
    )
    if clash.exists():
        raise DomainError(
            _("This building already has a household at this unit and room."),
            field="room",
        )
    with transaction.atomic():
        for name, value in values.items():
            setattr(household, name, value)
        household.save(update_fields=[*values, "updated_at"])
        history.record(
            obj=household,
            action=Change.Action.UPDATE,
            actor=acting_user,
            changes=changed,
        )
    return changed


# --- people -------------------------------------------------------------------------


@dataclass
class PersonInput:
    """What a form, the API or an import gives for a person."""

    name: str
    id_number: str = ""
    phone: str = ""
    gender: str = ""
    birth_date: dt.date | None = None
    ethnicity: str = ""
    relation: str = ""


def _clean_person(data: PersonInput) -> dict[str, Any]:
    """Checked values; the birth date and gender follow the ID number: taken
    from it when not given, refused when they disagree with it."""
    name = _text(data.name, field="name", label=_("The name"), limit=50, required=True)
    name = rules.check_person_name(name)
    number = rules.check_id_number(data.id_number or "")
    phone = rules.check_phone(data.phone or "")
    if data.gender and data.gender not in Person.Gender.values:
        raise DomainError(_("Choose female or male."), field="gender")
    born = rules.check_past_date(
        data.birth_date, field="birth_date", label=_("The date of birth")
    )
    gender = data.gender
    if number:
        from_number = rules.id_number_birth_date(number)
        if born is None:
            born = from_number
        elif born != from_number:
            raise DomainError(
                _(
                    "The date of birth does not agree with the ID number "
                    "(which says %(date)s)."
                )
                % {"date": from_number},
                field="birth_date",
            )
        by_number = Person.Gender.MALE if int(number[16]) % 2 else Person.Gender.FEMALE
        if not gender:
            gender = by_number
        elif gender != by_number:
            raise DomainError(
                _("The gender does not agree with the ID number."), field="gender"
            )
    return {
        "name": name,
        "id_number": number,
        "id_number_index": crypto.blind_index(number) if number else "",
        "phone": phone,
        "phone_index": crypto.blind_index(phone) if phone else "",
        "gender": gender,
        "birth_date": born,
        "ethnicity": _text(
            data.ethnicity, field="ethnicity", label=_("The ethnicity"), limit=20
        ),
        "relation": _text(
            data.relation, field="relation", label=_("The relation"), limit=20
        ),
    }


def _masked(values: dict[str, Any]) -> dict[str, Any]:
    """A person's values for the history: numbers masked, name masked, no
    indexes."""
    shown = {k: v for k, v in values.items() if not k.endswith("_index")}
    for key, mask in (
        ("name", crypto.mask_name),
        ("id_number", crypto.mask_id_number),
        ("phone", crypto.mask_phone),
    ):
        if shown.get(key):
            shown[key] = mask(shown[key])
    return {k: history._plain(v) for k, v in shown.items()}


def _masked_diff(changed: dict[str, list[Any]]) -> dict[str, list[Any]]:
    masks = {
        "name": crypto.mask_name,
        "id_number": crypto.mask_id_number,
        "phone": crypto.mask_phone,
    }
    result = {}
    for key, (old, new) in changed.items():
        if key.endswith("_index"):
            continue
        if key in masks:
            old, new = (masks[key](v) if v else v for v in (old, new))
        result[key] = [old, new]
    return result


def existing_person(id_number: str) -> Person | None:
    """The person already in the ledger with this ID number (blind index)."""
    number = (id_number or "").strip().upper()
    if not number:
        return None
    return Person.objects.filter(id_number_index=crypto.blind_index(number)).first()


@dataclass
class PersonAdded:
    person: Person
    moved: bool  # an existing person was moved in rather than added


def person_add(
    *,
    acting_user: Any,
    household: Household,
    data: PersonInput,
    moved_in_on: dt.date | None = None,
    move_existing: bool = False,
) -> PersonAdded:
    """Add a member to a household, living there from ``moved_in_on``.

    The ID number finds the same person again (its blind index): somebody
    already in the ledger is never added twice. Without ``move_existing`` the
    add is refused (:class:`PersonExistsError`, which names them, so the page
    links to them); with it, they move into this household — their stay
    elsewhere ends that day — which is what a grid worker means who meets a
    newcomer with their ID card in hand. Their other details are left as the
    ledger has them."""
    permissions.require(permissions.may_edit(acting_user, household.grid))
    values = _clean_person(data)
    moved_in_on = _on_or_today(
        moved_in_on, field="moved_in_on", label=_("The move-in date")
    )
    found = existing_person(values["id_number"])
    if found is not None:
        if not move_existing:
            raise PersonExistsError(found)
        person_move_in(
            acting_user=acting_user,
            person=found,
            household=household,
            on=moved_in_on,
            _identified=True,
        )
        return PersonAdded(found, moved=True)
    try:
        with transaction.atomic():
            person = Person.objects.create(household=household, **values)
            Residence.objects.create(
                person=person, household=household, moved_in_on=moved_in_on
            )
            history.record(
                obj=person,
                action=Change.Action.CREATE,
                actor=acting_user,
                grid=household.grid,
                changes={k: [None, v] for k, v in _masked(values).items() if v},
            )
            history.record(
                obj=household,
                action=Change.Action.MOVE_IN,
                actor=acting_user,
                changes={"person": [None, person.pk], "on": [None, str(moved_in_on)]},
            )
    except IntegrityError as exc:  # the same number added at the same moment
        raise ConflictError(
            _("Somebody with this ID number was added at the same moment.")
        ) from exc
    return PersonAdded(person, moved=False)


def person_update(
    *, acting_user: Any, person: Person, data: PersonInput
) -> dict[str, list[Any]]:
    """Correct a person's details; returns what changed (masked)."""
    grid = person_grid(person)
    permissions.require(grid is not None and permissions.may_edit(acting_user, grid))
    values = _clean_person(data)
    found = existing_person(values["id_number"])
    if found is not None and found.pk != person.pk:
        raise PersonExistsError(found)
    changed = history.diff(person, values)
    if not changed:
        return {}
    masked = _masked_diff(changed)
    try:
        with transaction.atomic():
            for name, value in values.items():
                setattr(person, name, value)
            person.save(update_fields=[*values, "updated_at"])
            history.record(
                obj=person,
                action=Change.Action.UPDATE,
                actor=acting_user,
                grid=grid,
                changes=masked,
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("Somebody with this ID number was added at the same moment.")
        ) from exc
    return masked


def person_grid(person: Person) -> Area | None:
    """The grid that keeps a person: their household's, or the last one they
    lived in once they moved away."""
    if person.household is not None:
        return person.household.grid
    last = (
        Residence.objects.filter(person=person)
        .select_related("household__grid")
        .order_by("-moved_in_on", "-pk")
        .first()
    )
    return last.household.grid if last else None


# --- moves --------------------------------------------------------------------------


def _open_stay(person: Person) -> Residence | None:
    return Residence.objects.filter(person=person, moved_out_on__isnull=True).first()


def _close_stay(stay: Residence, on: dt.date, to: str, field: str) -> None:
    if on < stay.moved_in_on:
        raise DomainError(
            _("They moved in on %(date)s; the move-out cannot be earlier.")
            % {"date": stay.moved_in_on},
            field=field,
        )
    closed = Residence.objects.filter(pk=stay.pk, moved_out_on__isnull=True).update(
        moved_out_on=on, moved_out_to=to
    )
    if not closed:
        raise ConflictError(_("Somebody else recorded this move at the same moment."))


def person_move_in(
    *,
    acting_user: Any,
    person: Person,
    household: Household,
    on: dt.date | None = None,
    _identified: bool = False,
) -> Residence:
    """Move a person into ``household`` on ``on``: a stay elsewhere ends that
    day. The user keeps the new household's grid; the person is theirs to
    move when they keep them too or named them by their whole ID number
    (:func:`person_add` with ``move_existing``)."""
    permissions.require(permissions.may_edit(acting_user, household.grid))
    grid = person_grid(person) if person.household_id else None
    if not _identified:
        permissions.require(
            grid is not None and permissions.may_edit(acting_user, grid)
        )
    elif not permissions.may_take_in(acting_user, grid, household.grid):
        raise PermissionDeniedError(
            _(
                "This person lives in another street; its grid workers record "
                "the move out first."
            ),
            field="id_number",
        )
    on = _on_or_today(on, field="moved_in_on", label=_("The move-in date"))
    if person.household_id == household.pk:
        raise DomainError(_("They already live in this household."), field="household")
    with transaction.atomic():
        stay = _open_stay(person)
        if stay is not None:
            # The grid they leave learns where to within it; of another grid,
            # only its name (the address there is that grid's to read).
            to = (
                str(household)
                if stay.household.grid_id == household.grid_id
                else (household.grid.name)
            )
            _close_stay(stay, on, to, field="moved_in_on")
            history.record(
                obj=stay.household,
                action=Change.Action.MOVE_OUT,
                actor=acting_user,
                changes={"person": [person.pk, None], "on": [None, str(on)]},
            )
        moved = Person.objects.filter(
            Q(pk=person.pk), Q(household_id=person.household_id)
        ).update(household=household, updated_at=clock.now())
        if not moved:
            raise ConflictError(_("Somebody else moved them at the same moment."))
        person.household = household
        residence = Residence.objects.create(
            person=person, household=household, moved_in_on=on
        )
        history.record(
            obj=household,
            action=Change.Action.MOVE_IN,
            actor=acting_user,
            changes={"person": [None, person.pk], "on": [None, str(on)]},
        )
        history.record(
            obj=person,
            action=Change.Action.MOVE_IN,
            actor=acting_user,
            grid=household.grid,
            changes={"household": [None, household.pk], "on": [None, str(on)]},
        )
    return residence


def person_move_out(
    *, acting_user: Any, person: Person, on: dt.date | None, to: str = ""
) -> Residence:
    """The person moved away on ``on`` (to ``to``, where known). They stay in
    the ledger, shown as past; moving out twice is refused."""
    grid = person_grid(person)
    permissions.require(grid is not None and permissions.may_edit(acting_user, grid))
    if on is None:
        raise DomainError(_("Give the date they moved out."), field="moved_out_on")
    rules.check_past_date(on, field="moved_out_on", label=_("The move-out date"))
    to = _text(to, field="moved_out_to", label=_("Where they moved"), limit=200)
    with transaction.atomic():
        stay = _open_stay(person)
        if stay is None:
            last = person.residences.order_by("-moved_in_on", "-pk").first()
            raise DomainError(
                _("They already moved out (on %(date)s).")
                % {"date": last.moved_out_on if last else "—"},
                field="moved_out_on",
            )
        _close_stay(stay, on, to, field="moved_out_on")
        Person.objects.filter(pk=person.pk).update(
            household=None, updated_at=clock.now()
        )
        person.household = None
        history.record(
            obj=stay.household,
            action=Change.Action.MOVE_OUT,
            actor=acting_user,
            changes={"person": [person.pk, None], "on": [None, str(on)]},
        )
        history.record(
            obj=person,
            action=Change.Action.MOVE_OUT,
            actor=acting_user,
            grid=stay.household.grid,
            changes={"household": [stay.household_id, None], "on": [None, str(on)]},
        )
    stay.refresh_from_db()
    return stay


# --- tags ---------------------------------------------------------------------------


def tag_add(
    *,
    acting_user: Any,
    person: Person,
    tag: str,
    since: dt.date | None = None,
    note: str = "",
) -> PersonTag:
    """Mark a person (独居老人, 高龄 …) from ``since``; one current tag of a kind."""
    grid = person_grid(person)
    permissions.require(grid is not None and permissions.may_edit(acting_user, grid))
    if tag not in PersonTag.Tag.values:
        raise DomainError(_("Choose a tag from the list."), field="tag")
    since = _on_or_today(since, field="since", label=_("The start date"))
    note = _text(note, field="note", label=_("The note"), limit=200)
    if PersonTag.objects.filter(person=person, tag=tag, until__isnull=True).exists():
        raise DomainError(_("They already carry this tag."), field="tag")
    try:
        with transaction.atomic():
            mark = PersonTag.objects.create(
                person=person, tag=tag, since=since, note=note
            )
            history.record(
                obj=person,
                action=Change.Action.UPDATE,
                actor=acting_user,
                grid=grid,
                changes={"tag": [None, tag], "since": [None, str(since)]},
            )
    except IntegrityError as exc:
        raise ConflictError(_("They already carry this tag.")) from exc
    return mark


def tag_end(
    *, acting_user: Any, mark: PersonTag, until: dt.date | None = None
) -> PersonTag:
    """End a tag on ``until``; it stays in the person's history."""
    grid = person_grid(mark.person)
    permissions.require(grid is not None and permissions.may_edit(acting_user, grid))
    until = _on_or_today(until, field="until", label=_("The end date"))
    if until < mark.since:
        raise DomainError(
            _("The tag began on %(date)s; it cannot end earlier.")
            % {"date": mark.since},
            field="until",
        )
    with transaction.atomic():
        ended = PersonTag.objects.filter(pk=mark.pk, until__isnull=True).update(
            until=until
        )
        if not ended:
            raise ConflictError(_("This tag has already ended."))
        mark.until = until
        history.record(
            obj=mark.person,
            action=Change.Action.UPDATE,
            actor=acting_user,
            grid=grid,
            changes={"tag": [mark.tag, None], "until": [None, str(until)]},
        )
    return mark


# --- consent and reveals ------------------------------------------------------------


def person_note_consent(*, acting_user: Any, person: Person, consented: bool) -> bool:
    """Note (or withdraw) the person's consent to list their appeals on their
    page, found by their phone's blind index. Returns whether it changed."""
    grid = person_grid(person)
    permissions.require(grid is not None and permissions.may_edit(acting_user, grid))
    if consented == bool(person.appeals_consent_at):
        return False
    now = clock.now() if consented else None
    with transaction.atomic():
        person.appeals_consent_at = now
        person.appeals_consent_by = acting_user if consented else None
        person.save(
            update_fields=["appeals_consent_at", "appeals_consent_by", "updated_at"]
        )
        history.record(
            obj=person,
            action=Change.Action.UPDATE,
            actor=acting_user,
            grid=grid,
            changes={"appeals_consent": [not consented, consented]},
        )
    return True


REVEALABLE = ("id_number", "phone")


def person_reveal(*, acting_user: Any, person: Person, field: str, reason: str) -> str:
    """The whole ID number or phone, for a user who may reveal it and gives a
    reason; the reveal is recorded (Change action=reveal, with the reason)."""
    if field not in REVEALABLE:
        raise DomainError(_("Only an ID number or a phone is revealed."), field="field")
    grid = person_grid(person)
    permissions.require(
        grid is not None and permissions.may_reveal(acting_user, grid),
        _("You may not reveal this number."),
    )
    reason = _text(reason, field="reason", label=_("The reason"), limit=200)
    if not reason:
        raise DomainError(_("Say why you need the whole number."), field="reason")
    value = getattr(person, field)
    if not value:
        raise DomainError(_("There is no number to reveal."), field="field")
    history.record(
        obj=person,
        action=Change.Action.REVEAL,
        actor=acting_user,
        grid=grid,
        changes={"field": field},
        reason=reason,
    )
    return str(value)


# --- visits (入户走访) --------------------------------------------------------------


@dataclass
class VisitRecorded:
    visit: Visit
    appeal: Appeal | None


def _street_of(grid: Area) -> Area:
    from civicgrid.accounts.access import ancestor_paths

    street = Area.objects.filter(
        level=Area.Level.STREET, path__in=ancestor_paths(grid.path)
    ).first()
    if street is None:
        raise DomainError(_("This grid belongs to no street."), field="household")
    return street


def visit_record(
    *,
    acting_user: Any,
    household: Household,
    people_met: Iterable[Person] = (),
    notes: str = "",
    findings: str = "",
    visited_at: dt.datetime | None = None,
    make_appeal: bool = False,
    appellant: Person | None = None,
) -> VisitRecorded:
    """Record a visit (入户走访) to a household. The findings are noted, or —
    ``make_appeal`` — filed as an appeal of the household's grid through the
    appeals' intake, as a grid worker files a patrol finding (with a member as
    the appellant when one is named, so it is listed on their page with
    their consent)."""
    permissions.require(permissions.may_edit(acting_user, household.grid))
    notes = _text(notes, field="notes", label=_("The notes"), limit=MAX_TEXT)
    findings = _text(
        findings, field="findings", label=_("The findings"), limit=MAX_TEXT
    )
    visited_at = visited_at or clock.now()
    if visited_at > clock.now() + dt.timedelta(minutes=5):
        raise DomainError(_("The visit cannot be in the future."), field="visited_at")
    met = list(people_met)
    members = set(
        Residence.objects.filter(household=household).values_list(
            "person_id", flat=True
        )
    )
    if any(person.pk not in members for person in met):
        raise DomainError(
            _("Choose the people met among the household's members."),
            field="people_met",
        )
    if appellant is not None and appellant.pk not in members:
        raise DomainError(
            _("Choose the appellant among the household's members."),
            field="appellant",
        )
    if not (notes or findings):
        raise DomainError(_("Write what you saw or found."), field="notes")
    if make_appeal and not findings:
        raise DomainError(
            _("Write the findings that should become an appeal."), field="findings"
        )
    with transaction.atomic():
        appeal = None
        if make_appeal:
            building = household.building
            data = AppealInput(
                description=findings,
                street=_street_of(household.grid),
                channel=Channel.PATROL,
                latitude=building.lat,
                longitude=building.lon,
                address=str(household),
                name=appellant.name if appellant else "",
                phone=appellant.phone if appellant else "",
            )
            try:
                appeal, _created = appeal_submit(data=data, acting_user=acting_user)
            except DomainError as exc:
                if exc.field == "channel":
                    raise DomainError(
                        _(
                            "Only the grid's own grid worker files a finding as "
                            "an appeal; note it instead."
                        ),
                        field="make_appeal",
                    ) from exc
                raise
        visit = Visit.objects.create(
            household=household,
            visitor=acting_user,
            visited_at=visited_at,
            notes=notes,
            findings=findings,
            appeal=appeal,
        )
        if met:
            visit.people_met.set(met)
        history.record(
            obj=visit,
            action=Change.Action.CREATE,
            actor=acting_user,
            grid=household.grid,
            changes={
                "household": [None, household.pk],
                "people_met": [None, len(met)],
                "appeal": [None, appeal.pk if appeal else None],
            },
        )
    return VisitRecorded(visit, appeal)
