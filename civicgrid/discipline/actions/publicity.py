"""The publicity ledger (宣传台账) of a body's reports office: the material it
had printed, what was handed out in which township or village, and the
activities held — door-to-door, a square event, a meeting — with the number
of people who came to ask. Only the head of the office keeps it.

Handing out is a conditional update of the material's running total
(``handed_out + n <= printed``), so two distributions at the same moment
cannot together hand out more than was printed; the database checks the
same bound."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.org.models import Area

from .. import audit, permissions
from ..models import Activity, Body, Distribution, Material
from ..selectors_publicity import PUBLICITY_LEVELS

__all__ = [
    "MAX_QUANTITY",
    "activity_record",
    "area_allowed",
    "distribution_record",
    "material_add",
]

MAX_QUANTITY = 10_000_000


def _require_head(user: Any, body: Body) -> None:
    if not permissions.may_keep_docket(user, body):
        raise PermissionDeniedError(
            _("Only the head of the reports office keeps the publicity ledger.")
        )


def _count(value: Any, field: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("Enter a whole number."), field=field)
    if not minimum <= value <= MAX_QUANTITY:
        raise DomainError(
            _("Enter a number from %(low)s to %(high)s.")
            % {"low": minimum, "high": MAX_QUANTITY},
            field=field,
        )
    return value


def _text(value: Any, field: str, *, required: bool = True, limit: int = 100) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    if len(text) > limit:
        raise DomainError(_("At most %(n)s characters.") % {"n": limit}, field=field)
    return text


def _past(value: Any, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise DomainError(_("Enter a date."), field=field)
    if value > clock.today():
        raise DomainError(_("The date cannot be in the future."), field=field)
    return value


def area_allowed(body: Body, area: Area | None) -> bool:
    """A township (street) or a community or village in the body's area."""
    return (
        area is not None
        and area.level in PUBLICITY_LEVELS
        and area.path.startswith(body.area.path)
    )


def _check_area(body: Body, area: Area | None) -> Area:
    if area is None or not area_allowed(body, area):
        raise DomainError(
            _("Choose a township or village in the area of %(body)s.")
            % {"body": body.name},
            field="area",
        )
    return area


def material_add(
    *, body: Body, kind: str, name: str, year: Any, printed: Any, acting_user: Any
) -> Material:
    """Material printed for publicity: 印制台历1000份."""
    _require_head(acting_user, body)
    if kind not in Material.Kind.values:
        raise DomainError(_("Choose what the material is."), field="kind")
    name = _text(name, "name")
    this_year = clock.today().year
    if isinstance(year, bool) or not isinstance(year, int):
        raise DomainError(_("Enter a year."), field="year")
    if not 2000 <= year <= this_year + 1:
        raise DomainError(
            _("Enter a year from 2000 to %(last)s.") % {"last": this_year + 1},
            field="year",
        )
    printed = _count(printed, "printed", minimum=1)
    with transaction.atomic():
        material = Material.objects.create(
            body=body, kind=kind, name=name, year=year, printed=printed
        )
        audit.record(
            "publicity.material_added",
            actor=acting_user,
            body=body.pk,
            material=material.pk,
            kind=kind,
        )
    return material


def _hand_out(
    *,
    material: Material,
    area: Area,
    quantity: Any,
    handed_out_on: dt.date,
    activity: Activity | None,
    acting_user: Any,
) -> Distribution:
    quantity = _count(quantity, "quantity", minimum=1)
    taken = Material.objects.filter(
        pk=material.pk, handed_out__lte=F("printed") - quantity
    ).update(handed_out=F("handed_out") + quantity)
    if not taken:
        left = Material.objects.filter(pk=material.pk).values_list(
            "printed", "handed_out"
        )[0]
        raise DomainError(
            _("Only %(left)s of “%(name)s” are left to hand out (%(printed)s printed).")
            % {"left": left[0] - left[1], "name": material.name, "printed": left[0]},
            field="quantity",
        )
    distribution = Distribution.objects.create(
        material=material,
        area=area,
        quantity=quantity,
        handed_out_on=handed_out_on,
        activity=activity,
        recorded_by=acting_user,
        recorded_at=clock.now(),
    )
    audit.record(
        "publicity.handed_out",
        actor=acting_user,
        body=material.body_id,
        material=material.pk,
        area=area.pk,
        distribution=distribution.pk,
        activity=activity.pk if activity is not None else None,
    )
    material.refresh_from_db(fields=["handed_out"])
    return distribution


def distribution_record(
    *,
    material: Material,
    area: Area | None,
    quantity: Any,
    handed_out_on: Any,
    activity: Activity | None = None,
    acting_user: Any,
) -> Distribution:
    """Material handed out in a township or village: never more than is
    left of what was printed."""
    body = material.body
    _require_head(acting_user, body)
    area = _check_area(body, area)
    handed_out_on = _past(handed_out_on, "handed_out_on")
    if activity is not None and activity.body_id != body.pk:
        raise DomainError(_("Choose an activity of this body."), field="activity")
    with transaction.atomic():
        return _hand_out(
            material=material,
            area=area,
            quantity=quantity,
            handed_out_on=handed_out_on,
            activity=activity,
            acting_user=acting_user,
        )


def activity_record(
    *,
    body: Body,
    kind: str,
    title: str,
    held_on: Any,
    area: Area | None,
    place: str = "",
    consultations: Any = 0,
    materials: Iterable[tuple[Material, Any]] = (),
    acting_user: Any,
) -> Activity:
    """A publicity activity, with the material handed out at it — all of it
    or, when any material falls short, none."""
    _require_head(acting_user, body)
    if kind not in Activity.Kind.values:
        raise DomainError(_("Choose what kind of activity it was."), field="kind")
    title = _text(title, "title")
    place = _text(place, "place", required=False)
    held_on = _past(held_on, "held_on")
    area = _check_area(body, area)
    consultations = _count(consultations, "consultations", minimum=0)
    given = list(materials)
    for material, _quantity in given:
        if material.body_id != body.pk:
            raise DomainError(_("Choose material of this body."), field="material")
    with transaction.atomic():
        activity = Activity.objects.create(
            body=body,
            kind=kind,
            title=title,
            held_on=held_on,
            area=area,
            place=place,
            consultations=consultations,
            recorded_by=acting_user,
        )
        audit.record(
            "publicity.activity_recorded",
            actor=acting_user,
            body=body.pk,
            activity=activity.pk,
            area=area.pk,
            kind=kind,
        )
        for material, quantity in given:
            _hand_out(
                material=material,
                area=area,
                quantity=quantity,
                handed_out_on=held_on,
                activity=activity,
                acting_user=acting_user,
            )
    return activity
