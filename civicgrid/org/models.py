from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.localized import localized
from civicgrid.core.models import TimeStamped


class Area(TimeStamped):
    """A node of the area tree: city (市) → district (区) → street (街道) →
    community (社区/村) → grid (网格).

    ``code`` follows GB/T 30428.1: a 6-digit division code for a city or district,
    then 3 digits each for the street, the community and the grid, so a grid code
    has 15 digits and starts with the codes of all its parents. ``path`` is the
    chain of codes from the root, for subtree queries.
    """

    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        STREET = "street", _("Street")
        COMMUNITY = "community", _("Community")
        GRID = "grid", _("Grid")

    class CommunityKind(models.TextChoices):
        COMMUNITY = "community", _("Urban community")
        VILLAGE = "village", _("Village")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    code = models.CharField(_("code"), max_length=15, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=200, unique=True, editable=False)
    community_kind = models.CharField(
        _("community kind"), max_length=16, choices=CommunityKind.choices, blank=True
    )
    boundary = models.JSONField(
        _("boundary (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_(
            "A GeoJSON Polygon or MultiPolygon in WGS-84, [longitude, latitude]."
        ),
    )
    # Cached from the boundary for a cheap first filter and for maps.
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    level__in=["city", "district", "street", "community", "grid"]
                ),
                name="area_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(level="grid", boundary__isnull=False)
                | ~models.Q(level="grid"),
                name="area_grid_has_boundary",
            ),
            models.CheckConstraint(
                condition=models.Q(level="community") | models.Q(community_kind=""),
                name="area_community_kind_only_for_communities",
            ),
        ]
        indexes = [models.Index(fields=["level", "is_active"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def ancestor_codes(self) -> list[str]:
        return [code for code in self.path.split("/") if code][:-1]


class GeometryVersion(models.Model):
    """A single row whose counter moves whenever a grid boundary changes, so every
    process knows when to rebuild its in-memory grid index. Writers of grid
    boundaries lock this row, which also serialises the overlap check."""

    id = models.PositiveSmallIntegerField(_("row"), primary_key=True, default=1)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("geometry version")
        verbose_name_plural = _("geometry version")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1), name="geometryversion_singleton"
            )
        ]

    def __str__(self) -> str:
        return str(self.version)


class Department(TimeStamped):
    """A functional department (职能部门) that handles appeals outside the area tree:
    城管, 住建, 市场监管, 派出所, 供水, 供电 … It is anchored at the area whose streets
    it serves (usually the district)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_bo = models.CharField(_("name in Tibetan"), max_length=100, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("serves area"),
        on_delete=models.PROTECT,
        related_name="departments",
        help_text=_("The district or street whose appeals this department handles."),
    )
    phone = models.CharField(_("duty phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["area__path", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"], name="department_unique_name_per_area"
            )
        ]

    def __str__(self) -> str:
        return localized(self, "name")
