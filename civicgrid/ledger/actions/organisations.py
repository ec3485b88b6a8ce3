"""Organisations (组织): the street's party structure — 街道大工委 → 社区大党委 →
网格大支部, following the area tree — the unit branches paired with grid
branches (党建联建), social organisations and the 居商联盟 whose members are
places that pledged help. Members leave rather than being deleted; every write
is kept in the ledger's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.crypto import mask_name, mask_phone
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.org.models import Area

from .. import history, permissions, rules
from ..models import Change, Organisation, OrganisationMember, Pairing, Place
from .places import _text, _write, check_contact_name

K = Organisation.Kind

# Where each kind of organisation sits, and the kind of its parent.
LEVEL_OF_KIND: dict[str, tuple[str, ...]] = {
    K.STREET_COMMITTEE: (Area.Level.STREET,),
    K.COMMUNITY_COMMITTEE: (Area.Level.COMMUNITY,),
    K.GRID_BRANCH: (Area.Level.GRID,),
    K.UNIT_BRANCH: (Area.Level.STREET, Area.Level.COMMUNITY, Area.Level.GRID),
    K.SOCIAL: (Area.Level.STREET, Area.Level.COMMUNITY, Area.Level.GRID),
    K.ALLIANCE: (Area.Level.STREET, Area.Level.COMMUNITY, Area.Level.GRID),
}
PARENT_OF_KIND: dict[str, str | None] = {
    K.STREET_COMMITTEE: None,
    K.COMMUNITY_COMMITTEE: K.STREET_COMMITTEE,
    K.GRID_BRANCH: K.COMMUNITY_COMMITTEE,
}
ORG_MASKED = {"contact_name": mask_name, "contact_phone": mask_phone}


def _require_keeper(user: Any, area: Area, *, field: str = "area") -> None:
    if not permissions.may_edit(user, area):
        raise PermissionDeniedError(
            _("You do not keep the organisations of %(area)s.") % {"area": area.name},
            field=field,
        )


@dataclass
class OrganisationInput:
    kind: str
    name: str
    area: Area
    parent: Organisation | None = None
    contact_name: str = ""
    contact_phone: str = ""
    lon: float | None = None
    lat: float | None = None
    is_active: bool = True


def check_parent(kind: str, area: Area, parent: Organisation | None) -> None:
    """The party structure follows the area tree: a grid branch belongs to
    its community's committee, a community committee to its street's. The
    parent may be unsaved (an import's row naming another row)."""
    if kind in PARENT_OF_KIND:
        wanted = PARENT_OF_KIND[kind]
        if wanted is None:
            if parent is not None:
                raise DomainError(
                    _("The street working committee is part of no other."),
                    field="parent",
                )
            return
        if parent is None or parent.kind != wanted or parent.area_id != area.parent_id:
            raise DomainError(
                _("A %(kind)s is part of the %(parent)s of %(area)s.")
                % {
                    "kind": K(kind).label.lower(),
                    "parent": K(wanted).label.lower(),
                    "area": area.parent.name if area.parent else "—",
                },
                field="parent",
            )
        return
    if parent is not None and not (area.path + "/").startswith(parent.area.path):
        raise DomainError(
            _("The organisation it is part of must be of %(area)s or above it.")
            % {"area": area.name},
            field="parent",
        )


def check_kind_at(kind: str, area: Area) -> None:
    """A kind of organisation sits at its levels of the area tree (a grid
    branch in a grid, a community committee in a community) — the form's
    rule and the import's."""
    if kind not in K.values:
        raise DomainError(_("Choose a kind of organisation."), field="kind")
    if area.level not in LEVEL_OF_KIND[kind]:
        raise DomainError(
            _("A %(kind)s belongs to a %(levels)s.")
            % {
                "kind": K(kind).label.lower(),
                "levels": " / ".join(
                    str(Area.Level(level).label).lower()
                    for level in LEVEL_OF_KIND[kind]
                ),
            },
            field="area",
        )


def _organisation_values(data: OrganisationInput) -> dict[str, Any]:
    area = data.area
    check_kind_at(data.kind, area)
    check_parent(data.kind, area, data.parent)
    lon, lat = data.lon, data.lat
    if lon in (None, "") and lat in (None, ""):
        lon = lat = None
    else:
        grid = rules.grid_at(lon, lat, field="lon")
        if not (grid.path + "/").startswith(area.path):
            raise DomainError(
                _("The point lies outside %(area)s.") % {"area": area.name}, field="lon"
            )
        lon, lat = float(lon), float(lat)  # type: ignore[arg-type]
    return {
        "kind": data.kind,
        "name": _text(
            data.name, field="name", label=_("The name"), limit=100, required=True
        ),
        "area": area,
        "parent": data.parent,
        "contact_name": check_contact_name(data.contact_name),
        "contact_phone": rules.check_phone(
            data.contact_phone or "", field="contact_phone"
        ),
        "lon": lon,
        "lat": lat,
        "is_active": bool(data.is_active),
    }


def _save(organisation: Organisation, values: dict[str, Any], acting_user: Any) -> dict:
    try:
        with transaction.atomic():
            return _write(
                organisation,
                values,
                acting_user=acting_user,
                masked=ORG_MASKED,
                grid=values["area"],
            )
    except IntegrityError as exc:
        raise DomainError(
            _("%(area)s already has an organisation of this name.")
            % {"area": values["area"].name},
            field="name",
        ) from exc


def organisation_create(*, data: OrganisationInput, acting_user: Any) -> Organisation:
    values = _organisation_values(data)
    _require_keeper(acting_user, values["area"])
    organisation = Organisation()
    with transaction.atomic():
        _save(organisation, values, acting_user)
    return organisation


def organisation_update(
    *, organisation: Organisation, data: OrganisationInput, acting_user: Any
) -> dict[str, list[Any]]:
    _require_keeper(acting_user, organisation.area, field="name")
    values = _organisation_values(data)
    if values["area"].pk != organisation.area_id:
        _require_keeper(acting_user, values["area"])
    ancestor, seen = values["parent"], set()
    while ancestor is not None and ancestor.pk not in seen:
        # Its parent, that one's parent, …: never the organisation itself.
        seen.add(ancestor.pk)
        if ancestor.pk == organisation.pk:
            raise DomainError(
                _("An organisation cannot be part of itself."), field="parent"
            )
        ancestor = ancestor.parent
    with transaction.atomic():
        return _save(organisation, values, acting_user)


# --- members ------------------------------------------------------------------------


@dataclass
class MemberInput:
    name: str = ""
    phone: str = ""
    title: str = ""
    place: Place | None = None
    pledge: str = ""
    joined_on: dt.date | None = None


def member_add(
    *, organisation: Organisation, data: MemberInput, acting_user: Any
) -> OrganisationMember:
    """A member joins: a named contact, or — in the 居商联盟 — a place (a
    merchant, a hotel, a restaurant, a barber) with what it pledged."""
    _require_keeper(acting_user, organisation.area, field="name")
    if not organisation.is_active:
        raise DomainError(_("This organisation is no longer active."), field="name")
    place = data.place
    if organisation.kind == K.ALLIANCE and place is None:
        raise DomainError(
            _("A member of the alliance is a place: choose it."), field="place"
        )
    if place is not None and not (place.grid.path + "/").startswith(
        organisation.area.path
    ):
        raise DomainError(
            _("%(place)s is not in %(area)s.")
            % {"place": place.name, "area": organisation.area.name},
            field="place",
        )
    if place is not None and (
        organisation.members.filter(place=place, left_on__isnull=True).exists()
    ):
        raise DomainError(_("This place is a member already."), field="place")
    name = _text(data.name, field="name", label=_("The name"), limit=50)
    if place is None and not name:
        raise DomainError(_("The name is required."), field="name")
    joined_on = rules.check_past_date(
        data.joined_on or clock.today(), field="joined_on", label=_("The joining date")
    )
    member = OrganisationMember(organisation=organisation)
    with transaction.atomic():
        _write(
            member,
            {
                "name": name,
                "phone": rules.check_phone(data.phone or "", field="phone"),
                "title": _text(
                    data.title, field="title", label=_("The position"), limit=50
                ),
                "place": place,
                "pledge": _text(
                    data.pledge, field="pledge", label=_("The pledge"), limit=200
                ),
                "joined_on": joined_on,
            },
            acting_user=acting_user,
            grid=organisation.area,
        )
    return member


def member_leave(
    *, member: OrganisationMember, left_on: dt.date | None, acting_user: Any
) -> OrganisationMember:
    """A member leaves (kept, with the date); leaving twice is refused."""
    organisation = member.organisation
    _require_keeper(acting_user, organisation.area, field="left_on")
    left_on = rules.check_past_date(
        left_on or clock.today(), field="left_on", label=_("The leaving date")
    )
    if member.joined_on and left_on and left_on < member.joined_on:
        raise DomainError(_("A member cannot leave before joining."), field="left_on")
    with transaction.atomic():
        updated = OrganisationMember.objects.filter(
            pk=member.pk, left_on__isnull=True
        ).update(left_on=left_on)
        if not updated:
            raise ConflictError(_("This member has left already."))
        member.left_on = left_on
        history.record(
            obj=member,
            action=Change.Action.UPDATE,
            actor=acting_user,
            grid=organisation.area,
            changes={"left_on": [None, left_on.isoformat() if left_on else None]},
        )
    return member


# --- 党建联建 (pairings) -----------------------------------------------------------


def pairing_add(
    *,
    unit_branch: Organisation,
    grid_branch: Organisation,
    since: dt.date | None,
    acting_user: Any,
) -> Pairing:
    """Pair a unit's party branch with a grid branch; one current pair per
    couple."""
    if unit_branch.kind != K.UNIT_BRANCH:
        raise DomainError(_("Choose a unit party branch."), field="unit_branch")
    if grid_branch.kind != K.GRID_BRANCH:
        raise DomainError(_("Choose a grid party branch."), field="grid_branch")
    _require_keeper(acting_user, grid_branch.area, field="grid_branch")
    since = (
        rules.check_past_date(
            since or clock.today(), field="since", label=_("The start date")
        )
        or clock.today()
    )
    if Pairing.objects.filter(
        unit_branch=unit_branch, grid_branch=grid_branch, until__isnull=True
    ).exists():
        raise DomainError(
            _("These two branches are paired already."), field="grid_branch"
        )
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(
                unit_branch=unit_branch, grid_branch=grid_branch, since=since
            )
            history.record(
                obj=pairing,
                action=Change.Action.CREATE,
                actor=acting_user,
                grid=grid_branch.area,
                changes={"pair": [unit_branch.name, grid_branch.name]},
            )
    except IntegrityError as exc:
        raise DomainError(
            _("These two branches are paired already."), field="grid_branch"
        ) from exc
    return pairing


def pairing_end(
    *, pairing: Pairing, until: dt.date | None, acting_user: Any
) -> Pairing:
    _require_keeper(acting_user, pairing.grid_branch.area, field="until")
    until = rules.check_past_date(
        until or clock.today(), field="until", label=_("The end date")
    )
    if until and until < pairing.since:
        raise DomainError(_("A pair cannot end before it began."), field="until")
    with transaction.atomic():
        if not Pairing.objects.filter(pk=pairing.pk, until__isnull=True).update(
            until=until
        ):
            raise ConflictError(_("This pair has ended already."))
        pairing.until = until
        history.record(
            obj=pairing,
            action=Change.Action.UPDATE,
            actor=acting_user,
            grid=pairing.grid_branch.area,
            changes={"until": [None, until.isoformat() if until else None]},
        )
    return pairing
