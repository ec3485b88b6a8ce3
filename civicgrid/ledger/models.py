"""The grid ledger (一本账): people (人), places (地), things (物), situations
(情) and organisations (组织) in every grid. Events (事) are the appeals and
whistles, read from their apps. Nothing here is deleted: a person who moved
away, a closed shop or a removed component stays, marked as past, and every
change is kept in :class:`Change`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.fields import (
    EncryptedTextField,
    SealedCharField,
    SealedTextField,
    SealedTextsModel,
)
from civicgrid.core.models import TimeStamped

from .catalogue import SUBCLASSES, MajorClass


class Located(TimeStamped):
    """A ledger row that belongs to a grid, found by the grid index from its
    point (or its building's)."""

    grid = models.ForeignKey(
        "org.Area",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "grid"},
    )
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)

    class Meta:
        abstract = True


# --- places (地) -------------------------------------------------------------------


class Building(Located):
    """楼栋: a building with its point and, where drawn, its footprint."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    footprint = models.JSONField(
        _("footprint (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("A GeoJSON Polygon in WGS-84, [longitude, latitude]."),
    )
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    units = models.PositiveSmallIntegerField(_("units"), null=True, blank=True)
    property_manager = models.CharField(
        _("property manager"), max_length=100, blank=True
    )
    is_active = models.BooleanField(_("standing"), default=True)

    class Meta:
        ordering = ["grid__path", "name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "name"], name="building_unique_name_per_grid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Place(Located):
    """A shop or enterprise (小个专), a service station (such as a 龙行侠微e站)
    or a party-building position (党建阵地)."""

    class Kind(models.TextChoices):
        SHOP = "shop", _("Shop or small business")
        ENTERPRISE = "enterprise", _("Enterprise")
        SERVICE_STATION = "station", _("Service station")
        PARTY_POSITION = "party_position", _("Party-building position")

    class Service(models.TextChoices):
        WATER = "water", _("Drinking water")
        REST = "rest", _("Rest")
        CHARGING = "charging", _("Charging")
        MICROWAVE = "microwave", _("Microwave")
        TOILET = "toilet", _("Toilet")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
    )
    licence_number = models.CharField(
        _("business licence number"), max_length=32, blank=True
    )
    trade = models.CharField(_("trade"), max_length=50, blank=True)
    contact_name = EncryptedTextField(_("contact person"), blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    services = models.JSONField(_("services offered"), default=list, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    position_kind = models.CharField(
        _("kind of position"),
        max_length=50,
        blank=True,
        help_text=_(
            "For a party-building position: a party and community service "
            "centre, a red school …"
        ),
    )
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        ordering = ["grid__path", "kind", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["shop", "enterprise", "station", "party_position"]
                ),
                name="place_kind_valid",
            ),
            models.UniqueConstraint(
                fields=["licence_number"],
                condition=~models.Q(licence_number=""),
                name="place_unique_licence_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- people (人) -------------------------------------------------------------------


class Household(SealedTextsModel, TimeStamped):
    """户: a dwelling at building / unit / room; its grid is the building's."""

    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    grid = models.ForeignKey(
        "org.Area",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "grid"},
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    room = models.CharField(_("room"), max_length=20)
    note = SealedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["building__name", "unit", "room"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["building", "unit", "room"],
                name="household_unique_address",
            ),
        ]

    def __str__(self) -> str:
        from django.utils.translation import gettext

        values = {"building": self.building.name, "unit": self.unit, "room": self.room}
        if self.unit:
            return gettext("%(building)s, unit %(unit)s, room %(room)s") % values
        return gettext("%(building)s, room %(room)s") % values


class Person(TimeStamped):
    """A resident. Name, ID number and phone are encrypted; the blind index of
    the ID number finds the same person across imports without decrypting, that
    of the phone finds their appeals (only with their consent noted)."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    name = EncryptedTextField(_("name"))
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_index = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_index = models.CharField(
        max_length=64, blank=True, editable=False, db_index=True
    )
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, blank=True
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("Where the person lives now; empty once they moved away."),
    )
    relation = models.CharField(
        _("relation to the head of household"), max_length=20, blank=True
    )
    appeals_consent_at = models.DateTimeField(
        _("consented to linking their appeals at"), null=True, blank=True
    )
    appeals_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent noted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~models.Q(id_number_index=""),
                name="person_unique_id_number",
            ),
        ]

    def __str__(self) -> str:
        from civicgrid.core.crypto import mask_name

        return mask_name(self.name)


class Residence(models.Model):
    """One stay of a person in a household: moved in, and moved out (or not
    yet). The history of moves; at most one open stay per person."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="residences"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="residences"
    )
    moved_in_on = models.DateField(_("moved in on"))
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    moved_out_to = models.CharField(_("moved to"), max_length=200, blank=True)

    class Meta:
        ordering = ["person", "moved_in_on"]
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(moved_out_on__isnull=True),
                name="residence_one_open_stay_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(moved_out_on__isnull=True)
                | models.Q(moved_out_on__gte=models.F("moved_in_on")),
                name="residence_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.moved_in_on}–{self.moved_out_on or ''}"


class PersonTag(models.Model):
    """A dated mark on a person: 独居老人, 高龄, 残疾 …; ``until`` ends it."""

    class Tag(models.TextChoices):
        LIVES_ALONE = "lives_alone", _("Elderly living alone")
        ADVANCED_AGE = "advanced_age", _("Advanced age")
        DISABILITY = "disability", _("Disability")
        SUBSISTENCE = "subsistence", _("Subsistence allowance or extreme poverty")
        VETERAN = "veteran", _("Veteran")
        FLOATING = "floating", _("Floating population")
        NEW_EMPLOYMENT = "new_employment", _("New employment (riders, couriers)")
        PARTY_MEMBER = "party_member", _("Party member")
        ATTENTION = "attention", _("Special attention")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="tags")
    tag = models.CharField(_("tag"), max_length=20, choices=Tag.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["person", "tag", "since"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "tag"],
                condition=models.Q(until__isnull=True),
                name="persontag_one_current_per_tag",
            ),
        ]

    def __str__(self) -> str:
        return self.get_tag_display()


class Visit(SealedTextsModel):
    """入户走访: a grid worker's visit to a household, with notes and findings."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="visits"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    visited_at = models.DateTimeField(_("visited at"))
    people_met = models.ManyToManyField(
        Person, verbose_name=_("people met"), blank=True, related_name="visits"
    )
    notes = SealedTextField(_("notes"), blank=True)
    findings = SealedTextField(_("findings"), blank=True)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal made of the findings"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-visited_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["household", "visited_at"])]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_at:%Y-%m-%d}"


# --- things (物) -------------------------------------------------------------------


class Component(SealedTextsModel, Located):
    """A city component (部件), coded after GB/T 30428.2, owned by a department."""

    class State(models.TextChoices):
        GOOD = "good", _("In good order")
        DAMAGED = "damaged", _("Damaged")
        LOST = "lost", _("Missing")

    code = models.CharField(_("code"), max_length=20, unique=True)
    subclass = models.CharField(_("kind"), max_length=4, choices=SUBCLASSES)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("owned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=8, choices=State.choices, default=State.GOOD
    )
    note = SealedCharField(_("note"), max_length=200, blank=True)
    appeals = models.ManyToManyField(
        "appeals.Appeal",
        verbose_name=_("appeals"),
        blank=True,
        related_name="+",
        through="ComponentAppeal",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("component")
        verbose_name_plural = _("components")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["good", "damaged", "lost"]),
                name="component_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["grid", "state"])]

    def __str__(self) -> str:
        return f"{self.get_subclass_display()} {self.code}"

    @property
    def major_class(self) -> str:
        return str(MajorClass(self.subclass[:2]).label)


class ComponentAppeal(models.Model):
    """An appeal that names a component (from the map or by its code)."""

    component = models.ForeignKey(Component, on_delete=models.PROTECT)
    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.PROTECT, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("linked at"))

    class Meta:
        verbose_name = _("appeal about a component")
        verbose_name_plural = _("appeals about components")
        constraints = [
            models.UniqueConstraint(
                fields=["component", "appeal"], name="componentappeal_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component_id} → {self.appeal_id}"


# --- situations (情): 社情民意 -----------------------------------------------------


class Opinion(SealedTextsModel, TimeStamped):
    """社情民意: something heard on a visit, a patrol, a meeting, a survey or
    online, with its risk. It becomes an appeal, a problem-list item, or is
    closed with a note (workflow.py)."""

    class Source(models.TextChoices):
        VISIT = "visit", _("Household visit")
        PATROL = "patrol", _("Patrol")
        MEETING = "meeting", _("Meeting")
        SURVEY = "survey", _("Survey")
        ONLINE = "online", _("Online")

    class Risk(models.TextChoices):
        GENERAL = "general", _("General")
        ATTENTION = "attention", _("Attention")
        WARNING = "warning", _("Warning")
        URGENT = "urgent", _("Urgent")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        APPEAL = "appeal", _("Turned into an appeal")
        PROBLEM = "problem", _("On the problem list")
        CLOSED = "closed", _("Closed")

    grid = models.ForeignKey(
        "org.Area",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "grid"},
    )
    text = SealedTextField(_("what was heard"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    topic = models.CharField(_("topic"), max_length=50, blank=True)
    risk = models.CharField(
        _("risk"), max_length=16, choices=Risk.choices, default=Risk.GENERAL
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.OPEN
    )
    gathered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gathered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    gathered_at = models.DateTimeField(_("gathered at"))
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appeal = models.OneToOneField(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_note = SealedTextField(_("closing note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-gathered_at"]
        verbose_name = _("public opinion item")
        verbose_name_plural = _("public opinion")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "appeal", "problem", "closed"]),
                name="opinion_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    risk__in=["general", "attention", "warning", "urgent"]
                ),
                name="opinion_risk_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="appeal") | models.Q(appeal__isnull=False),
                name="opinion_appeal_state_has_appeal",
            ),
        ]
        indexes = [models.Index(fields=["grid", "state", "risk"])]


class Patrol(SealedTextsModel):
    """A grid worker's patrol: started, findings on the way, ended; the route
    is the phone's points."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        "org.Area",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "grid"},
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    route = models.JSONField(
        _("route"), default=list, blank=True, help_text=_("[[lon, lat, time], …]")
    )
    summary = SealedTextField(_("summary"), blank=True)
    appeals = models.ManyToManyField(
        "appeals.Appeal", blank=True, related_name="+", verbose_name=_("findings")
    )
    opinions = models.ManyToManyField(
        Opinion, blank=True, related_name="patrols", verbose_name=_("opinion items")
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                condition=models.Q(ended_at__isnull=True),
                name="patrol_one_open_per_worker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid_id} {self.started_at:%Y-%m-%d %H:%M}"


# --- organisations (组织) ----------------------------------------------------------


class Organisation(TimeStamped):
    """The street's party structure — 街道大工委 → 社区大党委 → 网格大支部 — and
    the units joined to it: 联建 party branches, social organisations, the 居商联盟."""

    class Kind(models.TextChoices):
        STREET_COMMITTEE = "street_committee", _("Street working committee")
        COMMUNITY_COMMITTEE = "community_committee", _("Community party committee")
        GRID_BRANCH = "grid_branch", _("Grid party branch")
        UNIT_BRANCH = "unit_branch", _("Unit party branch")
        SOCIAL = "social", _("Social organisation")
        ALLIANCE = "alliance", _("Residents and merchants alliance")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The street, community or grid it belongs to."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    contact_name = EncryptedTextField(_("contact person"), blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["area__path", "kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"], name="organisation_unique_name_per_area"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationMember(models.Model):
    """A member of an organisation: a person of the ledger, a shop of the
    居商联盟 with what it pledged, or a named contact."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="members"
    )
    name = EncryptedTextField(_("name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    title = models.CharField(_("position"), max_length=50, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pledge = models.CharField(_("what they pledged"), max_length=200, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.title or str(self.pk)


class Pairing(models.Model):
    """党建联建: a unit's party branch paired with a grid branch."""

    unit_branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pairings_as_unit"
    )
    grid_branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pairings_as_grid"
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("joint-building pair")
        verbose_name_plural = _("joint-building pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["unit_branch", "grid_branch"],
                condition=models.Q(until__isnull=True),
                name="pairing_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_branch_id} ↔ {self.grid_branch_id}"


# --- history ---------------------------------------------------------------------


class Change(SealedTextsModel):
    """Who changed what in the ledger, when — and who revealed which number,
    why. Append-only; personal values are kept masked here."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        MOVE_IN = "move_in", _("Moved in")
        MOVE_OUT = "move_out", _("Moved out")
        IMPORT = "import", _("Imported")
        REVEAL = "reveal", _("Revealed")
        DECIDE = "decide", _("Decided")

    grid = models.ForeignKey(
        "org.Area", on_delete=models.PROTECT, null=True, related_name="+"
    )
    model = models.CharField(_("record"), max_length=40)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    changes = models.JSONField(_("what changed"), default=dict, blank=True)
    reason = SealedCharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ledger change")
        verbose_name_plural = _("ledger changes")
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} {self.action}"
