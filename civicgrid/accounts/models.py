from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

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
