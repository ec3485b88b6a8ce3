"""Writes about users and their memberships."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError

from .access import forget_memberships
from .models import (
    DEPARTMENT_ROLES,
    ROLE_AREA_LEVELS,
    UNSCOPED_ROLES,
    DeviceToken,
    Membership,
    User,
)
from .permissions import require_area_admin, require_user_admin
from .selectors import device_is_live, live_devices


def membership_validate(*, membership: Membership) -> None:
    """The unit must fit the role (a grid worker holds grids, a handler a
    department …) and the user must not hold the same role there already."""
    role = membership.role
    if role in DEPARTMENT_ROLES:
        if membership.department_id is None or membership.area_id is not None:
            raise DomainError(
                _("A department handler belongs to a department."), field="department"
            )
    elif role in UNSCOPED_ROLES:
        if membership.department_id is not None or membership.area_id is not None:
            raise DomainError(_("This role is not held in a unit."), field="area")
    else:
        levels = ROLE_AREA_LEVELS.get(role)
        if levels is None:
            raise DomainError(_("Choose a role."), field="role")
        if membership.department_id is not None:
            raise DomainError(
                _("This role is held in an area, not a department."), field="department"
            )
        if membership.area is None or membership.area.level not in levels:
            # The area model's own labels, read through the relation: accounts
            # sits below org and does not import it.
            area_model = Membership._meta.get_field("area").related_model
            labels = dict(area_model._meta.get_field("level").flatchoices)  # type: ignore[union-attr]
            names = ", ".join(str(labels[level]) for level in levels)
            raise DomainError(
                _("%(role)s is held in an area of level: %(levels)s.")
                % {"role": membership.get_role_display(), "levels": names},
                field="area",
            )
    if (
        membership.user_id is not None
        and Membership.objects.filter(
            user_id=membership.user_id,
            role=role,
            area=membership.area,
            department=membership.department,
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise DomainError(
            _("%(user)s already holds this role there.") % {"user": membership.user},
            field="user",
        )


def _require_unit_admin(acting_user: Any, membership: Membership) -> None:
    if acting_user is None or acting_user.is_superuser:
        return
    # Unscoped roles (residents) have no unit: only the system or a superuser
    # grants them, and require_area_admin refuses a missing area.
    area = membership.department.area if membership.department else membership.area
    require_area_admin(acting_user, area)


def membership_save(*, membership: Membership, acting_user: Any) -> Membership:
    """Create or change a membership: the acting user must administer both the
    person and the unit."""
    require_user_admin(acting_user, membership.user)
    _require_unit_admin(acting_user, membership)
    if membership.pk:
        before = Membership.objects.filter(pk=membership.pk).first()
        if before is not None:
            _require_unit_admin(acting_user, before)
    membership_validate(membership=membership)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise ConflictError(
            _("%(user)s already holds this role there.") % {"user": membership.user}
        ) from exc
    forget_memberships(membership.user)
    return membership


def membership_add(
    *,
    user: User,
    role: str,
    acting_user: Any,
    area: Any = None,
    department: Any = None,
) -> Membership:
    return membership_save(
        membership=Membership(user=user, role=role, area=area, department=department),
        acting_user=acting_user,
    )


def membership_delete(*, membership: Membership, acting_user: Any) -> None:
    require_user_admin(acting_user, membership.user)
    _require_unit_admin(acting_user, membership)
    membership.delete()
    forget_memberships(membership.user)


def user_set_language(*, user: User, language: str) -> None:
    if language and language not in dict(settings.LANGUAGES):
        raise DomainError(_("Unknown language."), field="language")
    user.language = language
    user.save(update_fields=["language"])


# --- signed-in devices (API tokens) -------------------------------------------------
TOKEN_TOUCH_SECONDS = 60  # last use is written at most once a minute per device


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def device_token_issue(*, user: User, label: str = "") -> tuple[DeviceToken, str]:
    """A new token for a new sign-in (every sign-in gets its own, never the one
    another device holds); the key is returned once and kept only as a hash.
    The person's dead tokens are cleared on the way."""
    now = clock.now()
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        DeviceToken.objects.filter(user=user).exclude(
            pk__in=live_devices(user).values("pk")
        ).delete()
        device = DeviceToken.objects.create(
            user=user,
            key_hash=_key_hash(key),
            credential=user.get_session_auth_hash(),
            label=label.strip()[:100],
            created_at=now,
            last_used_at=now,
            expires_at=now + timedelta(days=settings.CIVICGRID_TOKEN_MAX_DAYS),
        )
    return device, key


def device_token_authenticate(key: str) -> DeviceToken | None:
    """The live device a key belongs to, its last use noted; None for a key
    that is unknown, expired, idle too long, revoked by a new password or a
    sign-out everywhere, or whose person is deactivated."""
    if not key or len(key) > 100:
        return None
    device = (
        DeviceToken.objects.select_related("user")
        .filter(key_hash=_key_hash(key))
        .first()
    )
    if device is None or not device_is_live(device):
        return None
    now = clock.now()
    if (now - device.last_used_at).total_seconds() > TOKEN_TOUCH_SECONDS:
        DeviceToken.objects.filter(pk=device.pk).update(last_used_at=now)
        device.last_used_at = now
    return device


def device_revoke(*, device: DeviceToken, acting_user: Any) -> None:
    """Sign one device out: its token stops working at once."""
    if device.user_id != getattr(acting_user, "pk", None):
        raise DomainError(_("This is not one of your devices."), field="device")
    DeviceToken.objects.filter(pk=device.pk).delete()


def user_sign_out_everywhere(*, user: User) -> None:
    """End every session and device token of ``user`` (a deactivation, or the
    person's own "sign out everywhere"; a new password does the same through
    the session hash). The caller keeps its own session with
    ``update_session_auth_hash`` if it should."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            credentials_version=F("credentials_version") + 1
        )
        user.refresh_from_db(fields=["credentials_version"])
        DeviceToken.objects.filter(user=user).delete()


def user_password_changed(*, user: User) -> None:
    """The old password's tokens are dead (their credential no longer matches);
    clear their rows so the devices page does not list them."""
    DeviceToken.objects.filter(user=user).exclude(
        credential=user.get_session_auth_hash()
    ).delete()
