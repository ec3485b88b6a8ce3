"""Import and export with Excel (导入导出): an upload of one kind (households
and people, buildings, components, organisations) is checked cell by cell with
the ledger's rules and written whole in one transaction, or refused with every
bad cell named; nothing is written from a refused file. The natural keys decide
what a row is — the ID number's blind index for a person, (building, unit,
room) for a household, (grid, name) for a building, the code for a component,
(area, name) for an organisation — so importing the same file again changes
nothing, and a changed cell updates its row. Every row written gets one
:class:`~civicgrid.ledger.models.Change` (action ``import``).

The file is read once, in batches: each batch is checked (its lookups one query
per batch) and, while no cell has failed, written with ``bulk_create`` and
``bulk_update``; the first bad cell stops the writing, the rest of the file is
still checked so that every bad cell is named, and the transaction is rolled
back. Encryption (Fernet) is the costly part of a person: a new person's name,
ID number and phone are encrypted once each; an existing person's name is
decrypted to compare, the phone compared by its blind index, and only changed
fields are written."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from civicgrid.accounts import access
from civicgrid.core import clock, crypto
from civicgrid.core.crypto import mask_name, mask_phone
from civicgrid.core.db import insert_rows
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.org.models import Area, Department
from civicgrid.org.selectors import departments_serving

from .. import excel, permissions, rules, workflow
from ..excel import CellError, Row
from ..models import (
    Building,
    Change,
    Component,
    Household,
    Organisation,
    Person,
    PersonTag,
    Residence,
)
from . import organisations as org_actions
from . import places as place_actions
from .components import street_of

BATCH = 1000
MAX_ERRORS = 5000


@dataclass
class ImportResult:
    """What an import did (``added``, ``updated``, ``unchanged`` rows) or, when
    ``errors`` is not empty, why nothing was written."""

    kind: str
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def describe(self) -> str:
        if self.errors:
            return _("Nothing was imported: %(count)s cells need correcting.") % {
                "count": len(self.errors)
            }
        return _(
            "Imported %(rows)s rows: %(added)s added, %(updated)s updated, "
            "%(unchanged)s unchanged."
        ) % {
            "rows": self.rows,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


class _Bad(Exception):
    """A cell failed; its error is already noted."""


def importable_areas(user: Any) -> list[Area]:
    """The active areas whose ledger the user keeps (a grid's keepers their
    grids, community staff their community, the street's ledger admin the
    street), without their boundaries."""
    return list(
        Area.objects.filter(permissions.editable_q(user, "path"), is_active=True)
        .defer("boundary")
        .order_by("path")
    )


def require_importer(user: Any) -> list[Area]:
    """The areas the user may import into; a reader of the ledger is refused
    (403) and anyone else gets nothing (the views answer 404)."""
    areas = importable_areas(user)
    if not areas:
        permissions.require(
            False, _("You may read this ledger but not import into it.")
        )
    return areas


class _Importer:
    kind = ""

    def __init__(self, user: Any, sheet: excel.Sheet) -> None:
        self.user = user
        self.sheet = sheet
        self.result = ImportResult(self.kind, errors=list(sheet.errors))
        self.now = clock.now()
        self.today = clock.today()
        self.areas = {a.code: a for a in importable_areas(user)}
        self.grids = {c: a for c, a in self.areas.items() if a.level == Area.Level.GRID}
        self._known_codes: dict[str, bool] = {}
        self.changes: list[tuple[Any, ...]] = []
        self.actor_id = getattr(user, "pk", None)
        self.stamp = connection.ops.adapt_datetimefield_value(self.now)
        self.day = connection.ops.adapt_datefield_value(self.today)

    # -- errors and cells --

    def fail(self, row: Row, key: str, message: str) -> None:
        if len(self.result.errors) >= MAX_ERRORS:
            self.result.truncated = True
            return
        self.result.errors.append(
            CellError(row.number, self.sheet.header(key), str(message))
        )

    def take(self, row: Row, key: str, parse: Callable[[Any], Any]) -> Any:
        """The cell ``key`` of ``row`` through ``parse``; a DomainError is
        noted on the cell and raises :class:`_Bad`."""
        try:
            return parse(row.cells.get(key))
        except DomainError as exc:
            self.fail(row, key, exc.message)
            raise _Bad from exc

    def required(self, row: Row, key: str, max_length: int) -> str:
        value = self.take(row, key, excel.text)
        if not value:
            self.fail(row, key, _("This cell is required."))
            raise _Bad
        return self._length(row, key, value, max_length)

    def optional(self, row: Row, key: str, max_length: int) -> str:
        return self._length(row, key, self.take(row, key, excel.text), max_length)

    def _length(self, row: Row, key: str, value: str, max_length: int) -> str:
        if len(value) > max_length:
            self.fail(
                row,
                key,
                _("At most %(count)s characters.") % {"count": max_length},
            )
            raise _Bad
        return value

    def area(self, row: Row, key: str, code: str, *, grid: bool = True) -> Area:
        """The grid (or area) of ``code`` whose ledger the user keeps; an
        unknown code and a code of another's grid are named errors."""
        found = (self.grids if grid else self.areas).get(code)
        if found is not None:
            return found
        if code not in self._known_codes:
            areas = Area.objects.filter(code=code)
            if grid:
                areas = areas.filter(level=Area.Level.GRID)
            self._known_codes[code] = areas.exists()
        if self._known_codes[code]:
            self.fail(
                row,
                key,
                _("You do not keep the ledger of %(code)s.") % {"code": code},
            )
        elif grid:
            self.fail(row, key, _("No grid has the code %(code)s.") % {"code": code})
        else:
            self.fail(row, key, _("No area has the code %(code)s.") % {"code": code})
        raise _Bad

    def change(
        self, obj: Any, grid_id: int | None, changes: dict[str, Any], model: str = ""
    ) -> None:
        self.changes.append(
            (
                grid_id,
                model or obj._meta.model_name,
                obj.pk,
                Change.Action.IMPORT,
                self.actor_id,
                json.dumps(changes),
                "",
                "",
                self.stamp,
            )
        )

    def flush_changes(self) -> None:
        _insert(Change, CHANGE_COLUMNS, self.changes)
        self.changes = []

    # -- the run --

    def run(self) -> None:
        if self.result.errors:
            return  # the header is wrong: the rows cannot be read
        batch: list[Row] = []
        for row in self.sheet.rows():
            self.result.rows += 1
            batch.append(row)
            if len(batch) >= BATCH:
                self._batch(batch)
                batch = []
                if self.result.truncated:
                    return
        if batch:
            self._batch(batch)
        self.finish()

    def _batch(self, rows: list[Row]) -> None:
        items = self.check(rows)
        if not self.result.errors:
            self.write(items)
            self.flush_changes()

    def check(self, rows: list[Row]) -> Any:
        raise NotImplementedError

    def write(self, items: Any) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """After the last batch (a kind whose rows refer to each other)."""

    def count(self, changed: dict[str, Any] | bool) -> None:
        if changed:
            self.result.updated += 1
        else:
            self.result.unchanged += 1


CHANGE_COLUMNS = (
    "grid",
    "model",
    "object_id",
    "action",
    "actor",
    "changes",
    "reason",
    "reason_sealed",  # an import gives no reason: nothing to seal
    "created_at",
)


def _insert(model: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (values ready for the database) past the ORM's work per
    object (COPY on PostgreSQL): for the rows whose keys nobody needs back —
    history, stays, tags — which are most of an import's rows."""
    insert_rows(
        model._meta.db_table,
        [model._meta.get_field(c).column for c in columns],
        rows,
        batch=BATCH,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _diff(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [_plain(getattr(obj, key)), _plain(new)]
        for key, new in values.items()
        if getattr(obj, key) != new
    }


def _bulk_update(model: Any, objs: list[Any], fields_of: list[set[str]]) -> None:
    """Update each object's changed fields only, grouped by which fields
    changed (an encrypted field is encrypted only where it changed)."""
    groups: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    for obj, fields in zip(objs, fields_of, strict=True):
        groups[tuple(sorted(fields | {"updated_at"}))].append(obj)
    for names, group in groups.items():
        model.objects.bulk_update(group, list(names), batch_size=BATCH)


# --- households and people ---------------------------------------------------------


@dataclass
class _PersonRow:
    row: Row
    grid: Area
    building_id: int
    unit: str
    room: str
    index: str
    values: dict[str, Any]  # the person's own fields
    tags: list[str]
    moved_in_on: dt.date | None


class _People(_Importer):
    kind = "people"

    def __init__(self, user: Any, sheet: excel.Sheet) -> None:
        super().__init__(user, sheet)
        self.buildings: dict[int, dict[str, int]] = {}
        self.seen: dict[int, int] = {}  # a short form of the blind index → row

    def _building(self, row: Row, grid: Area) -> int:
        name = self.required(row, "building", 100)
        names = self.buildings.get(grid.pk)
        if names is None:
            names = self.buildings[grid.pk] = dict(
                Building.objects.filter(grid=grid).values_list("name", "pk")
            )
        if name not in names:
            self.fail(
                row,
                "building",
                _(
                    "Grid %(code)s has no building named %(name)s; import the "
                    "buildings first."
                )
                % {"code": grid.code, "name": name},
            )
            raise _Bad
        return names[name]

    def _parse(self, row: Row) -> _PersonRow | None:
        bad = False
        values: dict[str, Any] = {}

        def step(fn: Callable[[], Any]) -> Any:
            nonlocal bad
            try:
                return fn()
            except _Bad:
                bad = True
                return None

        grid = step(lambda: self.area(row, "grid", self.required(row, "grid", 15)))
        building_id = step(lambda: self._building(row, grid)) if grid else None
        unit = step(lambda: self.optional(row, "unit", 20))
        room = step(lambda: self.required(row, "room", 20))
        values["name"] = step(
            lambda: self.take(
                row,
                "name",
                lambda _cell: rules.check_person_name(self.required(row, "name", 50)),
            )
        )
        number = step(
            lambda: self.take(
                row,
                "id_number",
                lambda v: rules.check_id_number(excel.text(v), field="id_number"),
            )
        )
        if number == "":
            self.fail(row, "id_number", _("This cell is required."))
            bad = True
        values["phone"] = step(
            lambda: self.take(row, "phone", lambda v: rules.check_phone(excel.text(v)))
        )
        gender = step(
            lambda: self.take(row, "gender", lambda v: excel.choice(v, excel.GENDERS))
        )
        birth = step(
            lambda: self.take(
                row,
                "birth_date",
                lambda v: rules.check_past_date(
                    excel.date(v), field="birth_date", label=_("The date of birth")
                ),
            )
        )
        values["ethnicity"] = step(lambda: self.optional(row, "ethnicity", 20))
        values["relation"] = step(lambda: self.optional(row, "relation", 20))
        tags = step(
            lambda: self.take(row, "tags", lambda v: excel.choice_list(v, excel.TAGS))
        )
        moved_in = step(
            lambda: self.take(
                row,
                "moved_in_on",
                lambda v: rules.check_past_date(
                    excel.date(v), field="moved_in_on", label=_("The date moved in")
                ),
            )
        )
        if number:
            born = rules.id_number_birth_date(number)
            if birth and birth != born:
                self.fail(
                    row,
                    "birth_date",
                    _("The ID number says the person was born on %(date)s.")
                    % {"date": born.isoformat() if born else ""},
                )
                bad = True
            values["birth_date"] = birth or born
            said = "male" if int(number[16]) % 2 else "female"
            if gender and gender != said:
                self.fail(
                    row,
                    "gender",
                    _("The ID number says %(gender)s.")
                    % {"gender": excel.label_of(Person.Gender, said)},
                )
                bad = True
            values["gender"] = gender or said
            index = crypto.blind_index(number)
            short = int(index[:16], 16)
            if short in self.seen:
                self.fail(
                    row,
                    "id_number",
                    _("This person is also on row %(row)s.")
                    % {"row": self.seen[short]},
                )
                bad = True
            else:
                self.seen[short] = row.number
            values["id_number"] = number
        if bad:
            return None
        assert building_id is not None  # noqa: S101 — not bad, so found
        return _PersonRow(
            row, grid, building_id, unit, room, index, values, tags, moved_in
        )

    def check(self, rows: list[Row]) -> Any:
        parsed = [p for p in map(self._parse, rows) if p is not None]
        if not parsed:
            return None
        people = {
            p.id_number_index: p
            for p in Person.objects.filter(
                id_number_index__in=[p.index for p in parsed]
            )
            .only(
                "id",
                "name",
                "phone_index",
                "gender",
                "birth_date",
                "ethnicity",
                "relation",
                "household_id",
                "id_number_index",
            )
            .annotate(home_grid=F("household__grid_id"))
            .annotate(home_grid_code=F("household__grid__code"))
        }
        ids = [p.pk for p in people.values()]
        stays = {
            person: (pk, household, moved_in)
            for pk, person, household, moved_in in Residence.objects.filter(
                person_id__in=ids, moved_out_on__isnull=True
            ).values_list("pk", "person_id", "household_id", "moved_in_on")
        }
        last_out = dict(
            Residence.objects.filter(person_id__in=ids)
            .values("person_id")
            .annotate(last=Max("moved_out_on"))
            .values_list("person_id", "last")
        )
        tags: dict[int, dict[str, int]] = defaultdict(dict)
        for owner, tag, pk in PersonTag.objects.filter(
            person_id__in=ids, until__isnull=True
        ).values_list("person_id", "tag", "pk"):
            tags[owner][tag] = pk
        households = {
            (b, u, r): pk
            for b, u, r, pk in Household.objects.filter(
                building_id__in={p.building_id for p in parsed}
            ).values_list("building_id", "unit", "room", "pk")
        }
        keeps = {g.pk for g in self.grids.values()}
        plans = []
        for p in parsed:
            person = people.get(p.index)
            if (
                person is not None
                and person.household_id
                and person.home_grid not in keeps
                and not permissions.same_street(person.home_grid_code, p.grid.code)
            ):
                # permissions.may_take_in, for the rows read as values here
                self.fail(
                    p.row,
                    "id_number",
                    _(
                        "This person lives in another street; its grid workers "
                        "record the move out first."
                    ),
                )
                continue
            household = households.get((p.building_id, p.unit, p.room))
            stay = stays.get(person.pk) if person else None
            moving = person is None or stay is None or stay[1] != household
            if person is not None and moving:
                since = p.moved_in_on or self.today
                if stay is not None and since < stay[2]:
                    self.fail(
                        p.row,
                        "moved_in_on",
                        _(
                            "The person moved into their present home on %(date)s; "
                            "they cannot move out of it before that."
                        )
                        % {"date": stay[2].isoformat()},
                    )
                    continue
                left = last_out.get(person.pk)
                if stay is None and left and since < left:
                    self.fail(
                        p.row,
                        "moved_in_on",
                        _("The person moved out of their last home on %(date)s.")
                        % {"date": left.isoformat()},
                    )
                    continue
            plans.append(
                (p, person, household, stay, tags.get(person.pk, {}) if person else {})
            )
        return plans

    def write(self, plans: Any) -> None:
        if not plans:
            return
        grid_of_building = {}
        new_households: dict[tuple[int, str, str], Household] = {}
        for p, _person, household, _stay, _tags in plans:
            key = (p.building_id, p.unit, p.room)
            grid_of_building[p.building_id] = p.grid.pk
            if household is None and key not in new_households:
                new_households[key] = Household(
                    building_id=p.building_id, grid=p.grid, unit=p.unit, room=p.room
                )
        Household.objects.bulk_create(new_households.values(), batch_size=BATCH)
        for h in new_households.values():
            self.change(
                h,
                h.grid_id,
                {"unit": [None, h.unit], "room": [None, h.room]},
            )

        new_people: list[tuple[_PersonRow, Person, int]] = []
        updates: list[Person] = []
        update_fields: list[set[str]] = []
        closing: list[Residence] = []
        correcting: list[Residence] = []
        opening: list[tuple[Any, int, dt.date]] = []
        new_tags: list[tuple[Any, str]] = []
        ended_tags: list[int] = []
        for p, person, household, stay, current in plans:
            home = household or new_households[(p.building_id, p.unit, p.room)].pk
            if person is None:
                values = p.values
                obj = Person(
                    name=values["name"],
                    id_number=values["id_number"],
                    id_number_index=p.index,
                    phone=values["phone"],
                    phone_index=crypto.blind_index(values["phone"])
                    if values["phone"]
                    else "",
                    gender=values["gender"],
                    birth_date=values["birth_date"],
                    ethnicity=values["ethnicity"],
                    relation=values["relation"],
                    household_id=home,
                )
                new_people.append((p, obj, home))
                continue
            changed = self._person_diff(person, p.values)
            fields = {k for k in changed if k != "id_number"}
            if "phone" in fields:
                fields.add("phone_index")
            since = p.moved_in_on or self.today
            if stay is None or stay[1] != home:
                if stay is not None:
                    closing.append(Residence(pk=stay[0], moved_out_on=since))
                opening.append((person, home, since))
                changed["household"] = [person.household_id, home]
                person.household_id = home
                fields.add("household")
            elif p.moved_in_on and p.moved_in_on != stay[2]:
                correcting.append(Residence(pk=stay[0], moved_in_on=p.moved_in_on))
                changed["moved_in_on"] = [
                    stay[2].isoformat(),
                    p.moved_in_on.isoformat(),
                ]
            wanted = set(p.tags)
            if wanted != set(current):
                changed["tags"] = [sorted(current), sorted(wanted)]
                ended_tags.extend(
                    pk for tag, pk in current.items() if tag not in wanted
                )
                new_tags.extend((person, tag) for tag in wanted - set(current))
            if fields:
                person.updated_at = self.now
                updates.append(person)
                update_fields.append(fields)
            if changed:
                self.change(person, p.grid.pk, changed)
            self.count(changed)

        Person.objects.bulk_create(
            [obj for _p, obj, _h in new_people], batch_size=BATCH
        )
        for p, obj, home in new_people:
            opening.append((obj, home, p.moved_in_on or self.today))
            new_tags.extend((obj, tag) for tag in p.tags)
            v = p.values
            self.change(
                obj,
                p.grid.pk,
                {
                    "name": [None, mask_name(v["name"])],
                    "id_number": [None, crypto.mask_id_number(v["id_number"])],
                    "phone": [None, mask_phone(v["phone"])],
                    "household": [None, home],
                    "tags": [[], p.tags],
                },
            )
            self.result.added += 1
        if updates:
            _bulk_update(Person, updates, update_fields)
        if closing:
            Residence.objects.bulk_update(closing, ["moved_out_on"], batch_size=BATCH)
        if correcting:
            Residence.objects.bulk_update(correcting, ["moved_in_on"], batch_size=BATCH)
        adapt = connection.ops.adapt_datefield_value
        _insert(
            Residence,
            ("person", "household", "moved_in_on", "moved_out_on", "moved_out_to"),
            [
                (person.pk, home, adapt(since), None, "")
                for person, home, since in opening
            ],
        )
        if ended_tags:
            PersonTag.objects.filter(pk__in=ended_tags).update(until=self.today)
        _insert(
            PersonTag,
            ("person", "tag", "since", "until", "note"),
            [(o.pk, tag, self.day, None, "") for o, tag in new_tags],
        )

    def _person_diff(self, person: Person, values: dict[str, Any]) -> dict[str, Any]:
        """What changed, masked; the changed values set on ``person``."""
        changed: dict[str, Any] = {}
        if person.name != values["name"]:
            changed["name"] = [mask_name(person.name), mask_name(values["name"])]
            person.name = values["name"]
        phone = values["phone"]
        phone_index = crypto.blind_index(phone) if phone else ""
        if person.phone_index != phone_index:
            changed["phone"] = ["*", mask_phone(phone)]
            person.phone = phone
            person.phone_index = phone_index
        for key in ("gender", "birth_date", "ethnicity", "relation"):
            if getattr(person, key) != values[key]:
                changed[key] = [_plain(getattr(person, key)), _plain(values[key])]
                setattr(person, key, values[key])
        return changed


# --- buildings ---------------------------------------------------------------------


class _Buildings(_Importer):
    kind = "buildings"
    FIELDS = ("name", "address", "floors", "units", "property_manager", "lon", "lat")

    def __init__(self, user: Any, sheet: excel.Sheet) -> None:
        super().__init__(user, sheet)
        self.existing: dict[int, dict[str, Building]] = {}
        self.seen: dict[tuple[int, str], int] = {}

    def _grid(self, row: Row, lon: float | None, lat: float | None) -> Area:
        code = self.optional(row, "grid", 15)
        if lon is None and lat is None:
            if not code:
                self.fail(
                    row, "grid", _("Give the grid code or the longitude and latitude.")
                )
                raise _Bad
            return self.area(row, "grid", code)
        try:
            found = rules.grid_at(lon, lat)
        except DomainError as exc:
            self.fail(row, "lon", exc.message)
            raise _Bad from exc
        if code and code != found.code:
            self.fail(
                row,
                "grid",
                _("The point lies in grid %(found)s, not %(code)s.")
                % {"found": found.code, "code": code},
            )
            raise _Bad
        return self.area(row, "grid", found.code)

    def _parse(self, row: Row) -> tuple[Row, Area, dict[str, Any]] | None:
        try:
            lon = self.take(row, "lon", excel.number)
            lat = self.take(row, "lat", excel.number)
            values = {
                "name": self.required(row, "name", 100),
                "address": self.optional(row, "address", 200),
                # The page's limits: 1–200 floors, 1–99 units.
                "floors": self.take(
                    row,
                    "floors",
                    lambda v: place_actions.check_count(
                        excel.whole_number(v), field="floors", label=_("Floors")
                    ),
                ),
                "units": self.take(
                    row,
                    "units",
                    lambda v: place_actions.check_count(
                        excel.whole_number(v), field="units", label=_("Units")
                    ),
                ),
                "property_manager": self.optional(row, "property_manager", 100),
                "lon": lon,
                "lat": lat,
            }
            grid = self._grid(row, lon, lat)
        except _Bad:
            return None
        key = (grid.pk, values["name"])
        if key in self.seen:
            self.fail(
                row,
                "name",
                _("This building is also on row %(row)s.") % {"row": self.seen[key]},
            )
            return None
        self.seen[key] = row.number
        return row, grid, values

    def check(self, rows: list[Row]) -> Any:
        parsed = [p for p in map(self._parse, rows) if p is not None]
        for _row, grid, _values in parsed:
            if grid.pk not in self.existing:
                self.existing[grid.pk] = {
                    b.name: b for b in Building.objects.filter(grid=grid)
                }
        return parsed

    def write(self, parsed: Any) -> None:
        new: list[Building] = []
        updates: list[Building] = []
        fields_of: list[set[str]] = []
        for _row, grid, values in parsed:
            building = self.existing[grid.pk].get(values["name"])
            if building is None:
                building = Building(grid=grid, **values)
                new.append(building)
                self.existing[grid.pk][values["name"]] = building
                continue
            changed = _diff(building, values)
            if changed:
                for key in changed:
                    setattr(building, key, values[key])
                building.updated_at = self.now
                updates.append(building)
                fields_of.append(set(changed))
                self.change(building, grid.pk, changed)
            self.count(changed)
        Building.objects.bulk_create(new, batch_size=BATCH)
        for building in new:
            self.change(
                building,
                building.grid_id,
                {k: [None, _plain(getattr(building, k))] for k in self.FIELDS},
            )
        self.result.added += len(new)
        if updates:
            _bulk_update(Building, updates, fields_of)


# --- components --------------------------------------------------------------------


class _Components(_Importer):
    kind = "components"

    def __init__(self, user: Any, sheet: excel.Sheet) -> None:
        super().__init__(user, sheet)
        self.departments = dict(
            Department.objects.filter(is_active=True).values_list("code", "pk")
        )
        self.serving: dict[int, set[int]] = {}
        self.seen: dict[str, int] = {}

    def _serves(self, department_id: int, grid: Area) -> bool:
        """Whether the department serves the grid's street (as the form asks)."""
        if grid.pk not in self.serving:
            self.serving[grid.pk] = set(
                departments_serving(street_of(grid)).values_list("pk", flat=True)
            )
        return department_id in self.serving[grid.pk]

    def _parse(self, row: Row) -> tuple[Row, Area, dict[str, Any]] | None:
        try:
            code = self.required(row, "code", 20)
            subclass = self.take(
                row, "code", lambda _v: rules.check_component_code(code)
            )
            lon = self.take(row, "lon", excel.number)
            lat = self.take(row, "lat", excel.number)
            try:
                grid = rules.grid_at(lon, lat)
            except DomainError as exc:
                self.fail(row, "lon", exc.message)
                raise _Bad from exc
            grid = self.area(row, "lon", grid.code)
            department = self.optional(row, "department", 40)
            if department and department not in self.departments:
                self.fail(
                    row,
                    "department",
                    _("No department has the code %(code)s.") % {"code": department},
                )
                raise _Bad
            if department and not self._serves(self.departments[department], grid):
                self.fail(
                    row,
                    "department",
                    _("%(name)s does not serve this street.") % {"name": department},
                )
                raise _Bad
            state = self.take(row, "state", lambda v: excel.choice(v, excel.STATES))
        except _Bad:
            return None
        if code in self.seen:
            self.fail(
                row,
                "code",
                _("This component is also on row %(row)s.") % {"row": self.seen[code]},
            )
            return None
        self.seen[code] = row.number
        return (
            row,
            grid,
            {
                "code": code,
                "subclass": subclass,
                "grid_id": grid.pk,
                "lon": lon,
                "lat": lat,
                "department_id": self.departments.get(department),
                "state": state,
            },
        )

    def check(self, rows: list[Row]) -> Any:
        parsed = [p for p in map(self._parse, rows) if p is not None]
        existing = {
            c.code: c
            for c in Component.objects.filter(
                code__in=[v["code"] for _r, _g, v in parsed]
            )
        }
        keeps = {g.pk for g in self.grids.values()}
        plans = []
        for row, grid, values in parsed:
            component = existing.get(values["code"])
            if component is not None and component.grid_id not in keeps:
                self.fail(
                    row,
                    "code",
                    _("This component is in a grid whose ledger you do not keep."),
                )
                continue
            if component is None:
                values["state"] = values["state"] or Component.State.GOOD
            elif not values["state"]:
                values["state"] = component.state  # an empty cell keeps it
            elif values["state"] != component.state:
                try:
                    workflow.check_component_move(component.state, values["state"])
                except DomainError as exc:
                    self.fail(row, "state", exc.message)
                    continue
            plans.append((row, grid, values, component))
        return plans

    def write(self, plans: Any) -> None:
        new: list[Component] = []
        updates: list[Component] = []
        fields_of: list[set[str]] = []
        for _row, grid, values, component in plans:
            if component is None:
                new.append(Component(**values))
                continue
            changed = _diff(component, values)
            if changed:
                for key in changed:
                    setattr(component, key, values[key])
                component.updated_at = self.now
                updates.append(component)
                fields_of.append(set(changed))
                self.change(component, grid.pk, changed)
            self.count(changed)
        Component.objects.bulk_create(new, batch_size=BATCH)
        for component in new:
            self.change(
                component,
                component.grid_id,
                {
                    k: [None, getattr(component, k)]
                    for k in ("code", "lon", "lat", "department_id", "state")
                },
            )
        self.result.added += len(new)
        if updates:
            _bulk_update(Component, updates, fields_of)


# --- organisations -----------------------------------------------------------------


class _Organisations(_Importer):
    """Organisations refer to each other by name ("part of"), in the file or
    the ledger, so they are checked and written after the last row (a street
    has hundreds, not thousands)."""

    kind = "organisations"

    def __init__(self, user: Any, sheet: excel.Sheet) -> None:
        super().__init__(user, sheet)
        self.rows: list[tuple[Row, Area, dict[str, Any], str]] = []
        self.seen: dict[tuple[int, str], int] = {}

    def check(self, rows: list[Row]) -> Any:
        for row in rows:
            try:
                values = {
                    "kind": self.take(
                        row, "kind", lambda v: excel.choice(v, excel.ORGANISATION_KINDS)
                    ),
                    "name": self.required(row, "name", 100),
                    "contact_name": self.take(
                        row,
                        "contact_name",
                        lambda v: place_actions.check_contact_name(excel.text(v)),
                    ),
                    "contact_phone": self.take(
                        row,
                        "contact_phone",
                        lambda v: rules.check_phone(
                            excel.text(v), field="contact_phone"
                        ),
                    ),
                }
                if not values["kind"]:
                    self.fail(row, "kind", _("This cell is required."))
                    raise _Bad
                area = self.area(
                    row, "area", self.required(row, "area", 15), grid=False
                )
                try:
                    org_actions.check_kind_at(values["kind"], area)
                except DomainError as exc:
                    self.fail(row, "area", exc.message)
                    raise _Bad from exc
                parent = self.optional(row, "parent", 100)
            except _Bad:
                continue
            key = (area.pk, values["name"])
            if key in self.seen:
                self.fail(
                    row,
                    "name",
                    _("This organisation is also on row %(row)s.")
                    % {"row": self.seen[key]},
                )
                continue
            self.seen[key] = row.number
            self.rows.append((row, area, values, parent))
        return None

    def write(self, items: Any) -> None:
        """Written in :meth:`finish`, once every row is known."""

    def _check_structure(
        self,
        parents: list[Any],
        existing: dict[tuple[int, str], Organisation],
        above: set[str],
    ) -> None:
        """The pages' rules on every row's parent (the party structure
        follows the area tree), and no organisation part of itself through
        the file and the ledger together."""
        failed = {error.row for error in self.result.errors}
        # Each row as an organisation: the ledger's where it has it, else unsaved.
        orgs = [
            existing.get((area.pk, values["name"]))
            or Organisation(area=area, kind=values["kind"], name=values["name"])
            for _row, area, values, _p in self.rows
        ]
        found = [
            None if ref is None else ref[1] if ref[0] == "db" else orgs[ref[1]]
            for ref in parents
        ]
        for (row, area, values, _p), org, parent in zip(
            self.rows, orgs, found, strict=True
        ):
            if row.number in failed:
                continue  # its parent was not found: named already
            if (
                org.pk is not None
                and org.kind == values["kind"]
                and org.parent_id == (parent.pk if parent is not None else None)
            ):
                continue  # as the ledger has it: an unchanged row writes nothing
            try:
                org_actions.check_parent(values["kind"], area, parent)
            except DomainError as exc:
                self.fail(row, "parent", exc.message)
        # Each organisation's parent by (area, name): the ledger's, and where
        # the file says otherwise the file's.
        up: dict[tuple[int, str], tuple[int, str] | None] = {}
        for org in Organisation.objects.filter(area__path__in=above).select_related(
            "parent"
        ):
            parent_org = org.parent
            up[(org.area_id, org.name)] = (
                (parent_org.area_id, parent_org.name) if parent_org else None
            )
        for (_row, area, values, _p), parent in zip(self.rows, found, strict=True):
            up[(area.pk, values["name"])] = (
                (parent.area_id, parent.name) if parent is not None else None
            )
        for row, area, values, _p in self.rows:
            start = (area.pk, values["name"])
            seen, node = {start}, up.get(start)
            while node is not None and node not in seen:
                seen.add(node)
                node = up.get(node)
            if node == start:
                self.fail(row, "parent", _("An organisation cannot be part of itself."))

    def finish(self) -> None:
        if not self.rows:  # bad rows of the check are named; these are checked too
            return
        existing = {
            (o.area_id, o.name): o
            for o in Organisation.objects.filter(
                area_id__in={area.pk for _r, area, _v, _p in self.rows}
            )
        }
        # Every organisation a row may name as its parent: those of the file,
        # and those of the ledger in the areas at and above the rows' areas.
        above: set[str] = set()
        for _r, area, _v, _p in self.rows:
            above.update(_ancestor_paths(area.path))
        candidates: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        for org in Organisation.objects.filter(area__path__in=above).select_related(
            "area"
        ):
            candidates[org.name].append((org.area.path, ("db", org)))
        for index, (_r, area, values, _p) in enumerate(self.rows):
            candidates[values["name"]].append((area.path, ("file", index)))
        parents: list[Any] = []
        for row, area, _values, parent in self.rows:
            if not parent:
                parents.append(None)
                continue
            fits = [
                (len(path), ref)
                for path, ref in candidates.get(parent, [])
                if area.path.startswith(path)
                and not (ref[0] == "file" and self.rows[ref[1]][0] is row)
            ]
            if not fits:
                self.fail(
                    row,
                    "parent",
                    _("No organisation named %(name)s at or above %(area)s.")
                    % {"name": parent, "area": area.name},
                )
                parents.append(None)
                continue
            parents.append(max(fits, key=lambda fit: fit[0])[1])
        self._check_structure(parents, existing, above)
        if self.result.errors:
            return
        objs: list[Organisation] = []
        before: list[dict[str, Any] | None] = []
        for _row, area, values, _parent in self.rows:
            found = existing.get((area.pk, values["name"]))
            if found is None:
                org = Organisation.objects.create(area=area, **values)
                before.append(None)
            else:
                org = found
                before.append(
                    {
                        "name": org.name,
                        "kind": org.kind,
                        "contact_name": org.contact_name,
                        "contact_phone": org.contact_phone,
                        "parent_id": org.parent_id,
                    }
                )
            objs.append(org)
        for org, old, (_row, area, values, _p), parent in zip(
            objs, before, self.rows, parents, strict=True
        ):
            parent_id = None
            if parent is not None:
                parent_id = parent[1].pk if parent[0] == "db" else objs[parent[1]].pk
            new = {**values, "parent_id": parent_id}
            if old is None:
                if parent_id:
                    Organisation.objects.filter(pk=org.pk).update(parent_id=parent_id)
                self.change(org, _grid_id(area), _masked_org(dict.fromkeys(new), new))
                self.result.added += 1
                continue
            changed = {k for k in new if old[k] != new[k]}
            if changed:
                for key in changed:
                    setattr(org, key, new[key])
                org.save(update_fields=[*changed, "updated_at"])
                self.change(
                    org,
                    _grid_id(area),
                    _masked_org(
                        {k: old[k] for k in changed}, {k: new[k] for k in changed}
                    ),
                )
            self.count(bool(changed))
        self.flush_changes()


def _ancestor_paths(path: str) -> list[str]:
    return list(access.ancestor_paths(path))


def _grid_id(area: Area) -> int:
    return area.pk


def _masked_org(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    masks = {"contact_name": mask_name, "contact_phone": mask_phone}
    return {
        key: [
            masks[key](old[key]) if key in masks and old[key] else old[key],
            masks[key](new[key]) if key in masks and new[key] else new[key],
        ]
        for key in new
    }


IMPORTERS: dict[str, type[_Importer]] = {
    "people": _People,
    "buildings": _Buildings,
    "components": _Components,
    "organisations": _Organisations,
}


def import_workbook(
    *, kind: str, upload: IO[bytes] | str, acting_user: Any
) -> ImportResult:
    """Import the first sheet of ``upload`` as ``kind``: every cell checked
    with the ledger's rules, then the file written whole or, if any cell is
    bad, nothing written and every bad cell named (row, column, why)."""
    if kind not in IMPORTERS:
        raise DomainError(_("Choose what the file holds."), field="kind")
    require_importer(acting_user)
    sheet = excel.open_sheet(kind, upload)
    importer = IMPORTERS[kind](acting_user, sheet)
    try:
        with transaction.atomic():
            importer.run()
            if importer.result.errors:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        raise ConflictError(
            _("The ledger was changed at the same time; import the file again.")
        ) from exc
    finally:
        sheet.close()
    result = importer.result
    if result.errors:
        result.added = result.updated = result.unchanged = 0
    return result


# --- templates ---------------------------------------------------------------------


def example_row(kind: str, user: Any) -> list[Any]:
    """The template's example row, valid for ``user`` where it can be: in the
    first grid they keep (or read), its first building."""
    areas = importable_areas(user) or []
    grid = next((a for a in areas if a.level == Area.Level.GRID), None)
    if grid is None:
        from ..selectors import grids_for_user

        grid = grids_for_user(user).first()
    code = grid.code if grid else "540122001001001"
    lon, lat = _inside(grid)
    if kind == "people":
        building = (
            Building.objects.filter(grid=grid)
            .order_by("name")
            .values_list("name", flat=True)
            .first()
            if grid
            else None
        )
        first = "54012219491001002"
        return [
            code,
            building or pgettext("ledger example", "Building 1"),
            "1",
            "101",
            "卓玛",
            first + rules.id_number_check_digit(first),
            "13900001234",
            excel.label_of(Person.Gender, "female"),
            "1949-10-01",
            pgettext("ledger example", "Tibetan"),
            pgettext("ledger example", "Head of household"),
            excel.label_of(PersonTag.Tag, "lives_alone"),
            "2015-06-01",
        ]
    if kind == "buildings":
        return [code, lon, lat, pgettext("ledger example", "Building 1"), "", 6, 2, ""]
    if kind == "components":
        departments = (
            departments_serving(street_of(grid))
            if grid and grid.parent_id
            else Department.objects.filter(is_active=True)
        )
        department = departments.order_by("code").values_list("code", flat=True).first()
        return [
            "0120999999",
            lon,
            lat,
            department or "",
            excel.label_of(Component.State, "good"),
        ]
    committee = None
    if grid is not None and grid.parent_id is not None:
        committee = (
            Organisation.objects.filter(
                kind=Organisation.Kind.COMMUNITY_COMMITTEE, area_id=grid.parent_id
            )
            .values_list("name", flat=True)
            .first()
        )
    if grid is None or committee is None:  # no party structure: a social one
        return [
            excel.label_of(Organisation.Kind, "social"),
            _("Volunteers of grid %(name)s") % {"name": grid.name if grid else code},
            code,
            "",
            "卓玛",
            "13900001234",
        ]
    return [
        excel.label_of(Organisation.Kind, "grid_branch"),
        _("Party branch of grid %(name)s") % {"name": grid.name},
        code,
        committee,
        "卓玛",
        "13900001234",
    ]


def _inside(grid: Area | None) -> tuple[float | None, float | None]:
    if grid is None:
        return None, None
    boundary = (
        Area.objects.filter(pk=grid.pk).values_list("boundary", flat=True).first()
    )
    if not boundary:
        return None, None
    from civicgrid.org.geometry import parse_boundary

    point = parse_boundary(boundary, label=grid.name).representative_point()
    return round(point.x, 6), round(point.y, 6)


def template_workbook(*, kind: str, acting_user: Any) -> bytes:
    if kind not in IMPORTERS:
        raise DomainError(_("Choose what the file holds."), field="kind")
    return excel.template(kind, example_row(kind, acting_user))


# --- export ------------------------------------------------------------------------


@dataclass
class Export:
    file: IO[bytes]
    rows: int
    unmasked: bool
    kind: str

    @property
    def filename(self) -> str:
        return f"ledger-{self.kind}-{clock.today():%Y%m%d}.xlsx"


def may_export(user: Any) -> bool:
    """The ledger's readers, and departments (their components)."""
    return permissions.sees_ledger(user) or bool(access.handled_department_ids(user))


def unmasked_grid_ids(user: Any) -> list[int]:
    """The grids whose ledger the user may export unmasked: those of the
    streets whose ledger admin they are."""
    from ..selectors import grids_for_user

    return [g.pk for g in grids_for_user(user) if permissions.is_ledger_admin(user, g)]


def export_workbook(
    *, kind: str, acting_user: Any, unmasked: bool = False, reason: str = ""
) -> Export:
    """The rows of ``kind`` the user may see, in the template's columns;
    names and numbers masked unless the street's ledger admin asks for them
    whole with a reason — then every person (or contact) exported is
    recorded as revealed (``Change`` action ``reveal``)."""
    if kind not in IMPORTERS:
        raise DomainError(_("Choose what to export."), field="kind")
    if not may_export(acting_user):
        raise PermissionDeniedError(_("You may not do this."))
    grids: list[int] | None = None
    if unmasked:
        grids = unmasked_grid_ids(acting_user)
        permissions.require(
            bool(grids), _("Only the street's ledger admin exports unmasked.")
        )
        reason = reason.strip()
        if not reason:
            raise DomainError(
                _("Say why the names and numbers are needed whole."), field="reason"
            )
    counter = [0]
    with transaction.atomic():
        rows = EXPORTS[kind](acting_user, grids, reason, counter)
        out = excel.write_rows(kind, rows)
    return Export(out, counter[0], unmasked, kind)


class _Reveals:
    """The reveal records of an unmasked export, written as the rows go."""

    def __init__(self, user: Any, reason: str) -> None:
        self.user, self.reason, self.now = user, reason, clock.now()
        self.pending: list[Change] = []

    def add(self, model: str, pk: int, grid_id: int | None, fields: list[str]) -> None:
        self.pending.append(
            Change(
                grid_id=grid_id,
                model=model,
                object_id=pk,
                action=Change.Action.REVEAL,
                actor=self.user,
                changes={"fields": fields, "export": True},
                reason=self.reason[:200],
                created_at=self.now,
            )
        )
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        Change.objects.bulk_create(self.pending)
        self.pending = []


def _people_rows(
    user: Any, grids: list[int] | None, reason: str, counter: list[int]
) -> Iterator[list[Any]]:
    people = Person.objects.filter(household__isnull=False)
    if grids is not None:
        people = people.filter(household__grid_id__in=grids)
    else:
        people = people.filter(permissions.visible_q(user, "household__grid__path"))
    people = (
        people.select_related("household__building", "household__grid")
        .prefetch_related(
            Prefetch(
                "residences",
                queryset=Residence.objects.filter(moved_out_on__isnull=True),
                to_attr="open_stays",
            ),
            Prefetch(
                "tags",
                queryset=PersonTag.objects.filter(until__isnull=True),
                to_attr="current_tags",
            ),
        )
        .order_by("household__grid__code", "household__building__name", "pk")
    )
    reveals = _Reveals(user, reason) if grids is not None else None
    whole = grids is not None
    for person in people.iterator(chunk_size=BATCH):
        household = person.household
        assert household is not None  # noqa: S101 — filtered above
        stays = person.open_stays
        counter[0] += 1
        if reveals is not None:
            reveals.add(
                "person", person.pk, household.grid_id, ["name", "id_number", "phone"]
            )
        yield [
            household.grid.code,
            household.building.name,
            household.unit,
            household.room,
            person.name if whole else mask_name(person.name),
            person.id_number if whole else crypto.mask_id_number(person.id_number),
            person.phone if whole else mask_phone(person.phone),
            excel.label_of(Person.Gender, person.gender),
            person.birth_date,
            person.ethnicity,
            person.relation,
            ",".join(excel.label_of(PersonTag.Tag, t.tag) for t in person.current_tags),
            stays[0].moved_in_on if stays else None,
        ]
    if reveals is not None:
        reveals.flush()


def _building_rows(
    user: Any, grids: list[int] | None, reason: str, counter: list[int]
) -> Iterator[list[Any]]:
    buildings = Building.objects.filter(permissions.visible_q(user)).select_related(
        "grid"
    )
    for b in buildings.order_by("grid__code", "name").iterator(chunk_size=BATCH):
        counter[0] += 1
        yield [
            b.grid.code,
            b.lon,
            b.lat,
            b.name,
            b.address,
            b.floors,
            b.units,
            b.property_manager,
        ]


def _component_rows(
    user: Any, grids: list[int] | None, reason: str, counter: list[int]
) -> Iterator[list[Any]]:
    components = Component.objects.filter(permissions.component_q(user)).select_related(
        "department"
    )
    for c in components.order_by("code").iterator(chunk_size=BATCH):
        counter[0] += 1
        yield [
            c.code,
            c.lon,
            c.lat,
            c.department.code if c.department else "",
            excel.label_of(Component.State, c.state),
        ]


def _organisation_rows(
    user: Any, grids: list[int] | None, reason: str, counter: list[int]
) -> Iterator[list[Any]]:
    organisations = Organisation.objects.select_related("area", "parent")
    if grids is not None:
        streets = Area.objects.filter(pk__in=grids).values_list(
            "parent__parent_id", flat=True
        )
        paths = list(
            Area.objects.filter(pk__in=set(streets)).values_list("path", flat=True)
        )
        from django.db.models import Q

        scope = Q(pk__in=[])
        for path in paths:
            scope |= Q(area__path__startswith=path)
        organisations = organisations.filter(scope)
    else:
        organisations = organisations.filter(permissions.visible_q(user, "area__path"))
    reveals = _Reveals(user, reason) if grids is not None else None
    whole = grids is not None
    for o in organisations.order_by("area__path", "name").iterator(chunk_size=BATCH):
        counter[0] += 1
        if reveals is not None and (o.contact_name or o.contact_phone):
            reveals.add(
                "organisation", o.pk, o.area_id, ["contact_name", "contact_phone"]
            )
        yield [
            excel.label_of(Organisation.Kind, o.kind),
            o.name,
            o.area.code,
            o.parent.name if o.parent else "",
            o.contact_name if whole else mask_name(o.contact_name),
            o.contact_phone if whole else mask_phone(o.contact_phone),
        ]
    if reveals is not None:
        reveals.flush()


EXPORTS: dict[
    str, Callable[[Any, list[int] | None, str, list[int]], Iterable[list[Any]]]
] = {
    "people": _people_rows,
    "buildings": _building_rows,
    "components": _component_rows,
    "organisations": _organisation_rows,
}
