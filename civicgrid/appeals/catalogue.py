"""Writes to the category catalogue (派单目录). A leaf's clocks and routing live in
immutable versions: changing them makes a new version, so appeals already received
keep the clocks they came in with."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.core.errors import DomainError
from civicgrid.org.models import Department

from .models import Category, CategoryVersion, Kind, UnitType

VERSIONED_FIELDS = (
    "kind",
    "default_unit_type",
    "default_department",
    "response_hours",
    "handling_days",
    "urgent_response_hours",
    "urgent_handling_days",
    "public_notice",
    "public_notice_bo",
    "public_notice_en",
)


def category_terms_validate(
    *,
    kind: str,
    default_unit_type: str,
    default_department: Department | None,
    response_hours: Decimal | float | str,
    handling_days: Decimal | float | str,
    urgent_response_hours: Decimal | float | str | None = None,
    urgent_handling_days: Decimal | float | str | None = None,
    public_notice: str = "",
    public_notice_bo: str = "",
    public_notice_en: str = "",
) -> dict[str, Any]:
    """The terms as they will be stored, or a DomainError naming the field.
    The urgent clocks (紧急) may be left empty for the settings' defaults; given,
    they are no longer than the normal ones."""
    if kind not in Kind.values:
        raise DomainError(_("Choose a kind."), field="kind")
    if default_unit_type not in UnitType.values:
        raise DomainError(
            _("Choose the default handling unit."), field="default_unit_type"
        )
    if (default_unit_type == UnitType.DEPARTMENT) != (default_department is not None):
        raise DomainError(
            _("Name a department exactly when the default unit is a department."),
            field="default_department",
        )
    try:
        hours = Decimal(str(response_hours))
        days = Decimal(str(handling_days))
    except ArithmeticError as exc:
        raise DomainError(
            _("The clocks must be numbers."), field="response_hours"
        ) from exc
    if not (Decimal("0.25") <= hours <= Decimal("240")):
        raise DomainError(
            _("The response clock is between 0.25 and 240 working hours."),
            field="response_hours",
        )
    if not (Decimal("0.25") <= days <= Decimal("90")):
        raise DomainError(
            _("The handling clock is between 0.25 and 90 working days."),
            field="handling_days",
        )
    urgent_hours = _optional_clock(urgent_response_hours, "urgent_response_hours")
    if urgent_hours is not None and not (Decimal("0.25") <= urgent_hours <= hours):
        raise DomainError(
            _(
                "The urgent response clock is between 0.25 working hours and "
                "the normal response clock (%(hours)s)."
            )
            % {"hours": f"{hours.normalize():f}"},
            field="urgent_response_hours",
        )
    urgent_days = _optional_clock(urgent_handling_days, "urgent_handling_days")
    if urgent_days is not None and not (Decimal("0.25") <= urgent_days <= days):
        raise DomainError(
            _(
                "The urgent handling clock is between 0.25 working days and "
                "the normal handling clock (%(days)s)."
            )
            % {"days": f"{days.normalize():f}"},
            field="urgent_handling_days",
        )
    return {
        "kind": kind,
        "default_unit_type": default_unit_type,
        "default_department": default_department,
        "response_hours": hours,
        "handling_days": days,
        "urgent_response_hours": urgent_hours,
        "urgent_handling_days": urgent_days,
        "public_notice": public_notice.strip(),
        "public_notice_bo": public_notice_bo.strip(),
        "public_notice_en": public_notice_en.strip(),
    }


def _optional_clock(value: Decimal | float | str | None, field: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        clock = Decimal(str(value).strip())
    except ArithmeticError as exc:
        raise DomainError(_("The clocks must be numbers."), field=field) from exc
    if not clock.is_finite():
        raise DomainError(_("The clocks must be numbers."), field=field)
    return clock


def category_set_terms(
    *,
    category: Category,
    acting_user: Any,
    kind: str,
    default_unit_type: str,
    default_department: Department | None,
    response_hours: Decimal | float | str,
    handling_days: Decimal | float | str,
    urgent_response_hours: Decimal | float | str | None = None,
    urgent_handling_days: Decimal | float | str | None = None,
    public_notice: str = "",
    public_notice_bo: str = "",
    public_notice_en: str = "",
) -> CategoryVersion:
    """Give a leaf category its terms; a new version only when something changed."""
    terms = category_terms_validate(
        kind=kind,
        default_unit_type=default_unit_type,
        default_department=default_department,
        response_hours=response_hours,
        handling_days=handling_days,
        urgent_response_hours=urgent_response_hours,
        urgent_handling_days=urgent_handling_days,
        public_notice=public_notice,
        public_notice_bo=public_notice_bo,
        public_notice_en=public_notice_en,
    )
    with transaction.atomic():
        locked = Category.objects.select_for_update().get(pk=category.pk)
        current = locked.current_version
        if current is not None and all(
            getattr(current, name) == value for name, value in terms.items()
        ):
            return current
        number = (current.number if current else 0) + 1
        version = CategoryVersion.objects.create(
            category=locked,
            number=number,
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
            **terms,
        )
        Category.objects.filter(pk=category.pk).update(current_version=version)
        category.current_version = version
    return version
