from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from civicgrid.core.fields import EncryptedTextField
from civicgrid.core.models import TimeStamped


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships.

    Chinese names are not split into first and last: ``full_name`` holds the name
    as written. The phone number is encrypted at rest.
    """

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    created_by = models.ForeignKey(
        "self",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: follow the browser's language."),
    )

    # Moved on to sign the person out of every browser and device at once
    # (a deactivation, "sign out everywhere"); part of the session hash.
    credentials_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def _get_session_auth_hash(self, secret: Any = None) -> str:
        """Django's session hash (of the password hash), with the credentials'
        version: a new password or a new version ends every session and every
        device token (``DeviceToken.credential``). Version 0 keeps the hash
        Django gave before, so no session ends on upgrading."""
        password = self.password
        if self.credentials_version:
            password = f"{password}:{self.credentials_version}"
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            password,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    def __str__(self) -> str:
        return (
            f"{self.full_name} ({self.username})" if self.full_name else self.username
        )


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    OPERATOR = "operator", _("Operator")
    GRID_WORKER = "grid_worker", _("Grid worker")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    DISPATCHER = "dispatcher", _("Dispatcher")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    LEADER = "leader", _("Leader")
    VOLUNTEER = "volunteer", _("Volunteer")
    DISCIPLINE_OFFICER = "discipline_officer", _("Discipline officer")
    ADMIN = "admin", _("Administrator")


# Which level of area each area-scoped role is held on.
ROLE_AREA_LEVELS: dict[str, tuple[str, ...]] = {
    Role.OPERATOR: ("street", "district", "city"),
    Role.GRID_WORKER: ("grid",),
    Role.COMMUNITY_STAFF: ("community",),
    Role.DISPATCHER: ("street",),
    Role.LEADER: ("city", "district", "street", "community"),
    Role.VOLUNTEER: ("street", "community"),
    Role.DISCIPLINE_OFFICER: ("street", "district"),
    Role.ADMIN: ("city", "district", "street"),
}
DEPARTMENT_ROLES = (Role.DEPARTMENT_HANDLER,)
UNSCOPED_ROLES = (Role.RESIDENT,)


class Membership(TimeStamped):
    """A user holds a role in one unit: grid worker of a grid, handler in a
    department, dispatcher of a street, leader of a district … A user may hold
    many memberships (a grid worker of grids X and Y is two rows)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )

    class Meta:
        ordering = ["user_id", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]),
                name="membership_role_valid",
            ),
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    models.Q(
                        role__in=[r.value for r in DEPARTMENT_ROLES],
                        department__isnull=False,
                        area__isnull=True,
                    )
                    | models.Q(
                        role__in=[r.value for r in UNSCOPED_ROLES],
                        department__isnull=True,
                        area__isnull=True,
                    )
                    | models.Q(
                        role__in=list(ROLE_AREA_LEVELS),
                        department__isnull=True,
                        area__isnull=False,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "area"],
                condition=models.Q(area__isnull=False),
                name="membership_unique_area_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "department"],
                condition=models.Q(department__isnull=False),
                name="membership_unique_department_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(area__isnull=True, department__isnull=True),
                name="membership_unique_unscoped_role",
            ),
        ]

    def __str__(self) -> str:
        unit = self.department or self.area
        return (
            f"{self.get_role_display()} · {unit}" if unit else self.get_role_display()
        )

    @property
    def unit(self) -> object | None:
        return self.department or self.area


class DeviceToken(models.Model):
    """A device signed in to the API (登录设备): the phone or system that was
    given a token at ``POST /api/auth/token/``. Only the SHA-256 of the key is
    kept. A token ends when it has been idle or alive too long
    (``CIVICGRID_TOKEN_IDLE_DAYS``, ``CIVICGRID_TOKEN_MAX_DAYS``), when its
    person changes password or is signed out everywhere (``credential`` no
    longer matches), is deactivated, or revokes it."""

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="device_tokens",
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The user's session hash when the token was issued (see User).
    credential = models.CharField(max_length=64, editable=False)
    label = models.CharField(_("device"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("signed in at"))
    last_used_at = models.DateTimeField(_("last used"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("signed-in device")
        verbose_name_plural = _("signed-in devices")
        ordering = ["-last_used_at", "-pk"]

    def __str__(self) -> str:
        return self.label or str(_("Unnamed device"))
