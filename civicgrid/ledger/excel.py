"""The ledger's Excel workbooks (导入导出): the columns of each kind — households
and people, buildings, components, organisations —, the template a street
downloads (headers in the active language, a format note on each header, one
example row), reading an upload row by row (openpyxl ``read_only``, so memory
stays flat) and writing an export (``write_only``, the same columns).

The importer accepts each header in Chinese and in English, and each choice
(a gender, a tag, a state, a kind) by its Chinese or English label or its code.
What the rows mean, and who may write them, is :mod:`.actions.io`'s."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from civicgrid.core.errors import DomainError

from .models import Component, Organisation, Person, PersonTag

KINDS = ("people", "buildings", "components", "organisations")
KIND_LABELS: dict[str, Promise] = {
    "people": pgettext_lazy("ledger kind", "Households and people"),
    "buildings": pgettext_lazy("ledger kind", "Buildings"),
    "components": pgettext_lazy("ledger kind", "Components"),
    "organisations": pgettext_lazy("ledger kind", "Organisations"),
}
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Column:
    """One column of a kind: its key, its header (translated), what it holds
    (the note on the template's header) and whether Excel should keep it as
    text (long numbers such as ID numbers and codes)."""

    key: str
    label: Promise
    hint: Promise
    required: bool = False
    text: bool = False
    width: int = 14


_DATE_HINT = gettext_lazy("A date, YYYY-MM-DD; not after today.")

COLUMNS: dict[str, list[Column]] = {
    "people": [
        Column(
            "grid",
            pgettext_lazy("ledger column", "Grid code"),
            gettext_lazy("The grid's 15-digit code."),
            required=True,
            text=True,
            width=18,
        ),
        Column(
            "building",
            pgettext_lazy("ledger column", "Building"),
            gettext_lazy("The building's name as in the ledger of the grid."),
            required=True,
        ),
        Column(
            "unit",
            pgettext_lazy("ledger column", "Unit"),
            gettext_lazy("The unit; may be empty."),
        ),
        Column(
            "room",
            pgettext_lazy("ledger column", "Room"),
            gettext_lazy("The room."),
            required=True,
        ),
        Column(
            "name",
            pgettext_lazy("ledger column", "Name"),
            gettext_lazy("Full name."),
            required=True,
        ),
        Column(
            "id_number",
            pgettext_lazy("ledger column", "ID number"),
            gettext_lazy(
                "18 characters: 17 digits and the check digit (a digit or X). "
                "The same number is the same person on every import."
            ),
            required=True,
            text=True,
            width=22,
        ),
        Column(
            "phone",
            pgettext_lazy("ledger column", "Phone"),
            gettext_lazy("An 11-digit mobile number or a landline with its area code."),
            text=True,
            width=16,
        ),
        Column(
            "gender",
            pgettext_lazy("ledger column", "Gender"),
            gettext_lazy("Female or male; empty: from the ID number."),
        ),
        Column(
            "birth_date",
            pgettext_lazy("ledger column", "Date of birth"),
            gettext_lazy("YYYY-MM-DD; empty: from the ID number."),
        ),
        Column(
            "ethnicity",
            pgettext_lazy("ledger column", "Ethnicity"),
            gettext_lazy("For example: Tibetan, Han."),
        ),
        Column(
            "relation",
            pgettext_lazy("ledger column", "Relation to the head of household"),
            gettext_lazy("For example: head of household, spouse, child."),
        ),
        Column(
            "tags",
            pgettext_lazy("ledger column", "Tags"),
            gettext_lazy(
                "Separate with commas. The tags the person has now: a tag left "
                "out ends today."
            ),
            width=24,
        ),
        Column(
            "moved_in_on", pgettext_lazy("ledger column", "Moved in on"), _DATE_HINT
        ),
    ],
    "buildings": [
        Column(
            "grid",
            pgettext_lazy("ledger column", "Grid code"),
            gettext_lazy(
                "The grid's 15-digit code, or leave it empty and give the point."
            ),
            text=True,
            width=18,
        ),
        Column(
            "lon",
            pgettext_lazy("ledger column", "Longitude"),
            gettext_lazy("WGS-84, for example 91.0412."),
        ),
        Column(
            "lat",
            pgettext_lazy("ledger column", "Latitude"),
            gettext_lazy("WGS-84, for example 29.6453."),
        ),
        Column(
            "name",
            pgettext_lazy("ledger column", "Building name"),
            gettext_lazy("Unique in the grid: the same name is the same building."),
            required=True,
        ),
        Column(
            "address",
            pgettext_lazy("ledger column", "Address"),
            gettext_lazy("Street and number."),
        ),
        Column(
            "floors",
            pgettext_lazy("ledger column", "Floors"),
            gettext_lazy("A whole number."),
        ),
        Column(
            "units",
            pgettext_lazy("ledger column", "Units"),
            gettext_lazy("A whole number."),
        ),
        Column(
            "property_manager",
            pgettext_lazy("ledger column", "Property manager"),
            gettext_lazy("The property management company."),
        ),
    ],
    "components": [
        Column(
            "code",
            pgettext_lazy("ledger column", "Component code"),
            gettext_lazy(
                "The kind's 4 digits after GB/T 30428.2, then a serial: the code "
                "says what the thing is."
            ),
            required=True,
            text=True,
            width=18,
        ),
        Column(
            "lon",
            pgettext_lazy("ledger column", "Longitude"),
            gettext_lazy("WGS-84, for example 91.0412."),
            required=True,
        ),
        Column(
            "lat",
            pgettext_lazy("ledger column", "Latitude"),
            gettext_lazy("WGS-84, for example 29.6453."),
            required=True,
        ),
        Column(
            "department",
            pgettext_lazy("ledger column", "Owner department code"),
            gettext_lazy("The code of the department that owns it; may be empty."),
            width=18,
        ),
        Column(
            "state",
            pgettext_lazy("ledger column", "Component state"),
            gettext_lazy("In good order, damaged or missing."),
        ),
    ],
    "organisations": [
        Column(
            "kind",
            pgettext_lazy("ledger column", "Organisation kind"),
            gettext_lazy("For example: grid party branch, social organisation."),
            required=True,
            width=20,
        ),
        Column(
            "name",
            pgettext_lazy("ledger column", "Organisation name"),
            gettext_lazy("Unique in its area: the same name is the same organisation."),
            required=True,
            width=24,
        ),
        Column(
            "area",
            pgettext_lazy("ledger column", "Area code"),
            gettext_lazy("The code of the street, community or grid it belongs to."),
            required=True,
            text=True,
            width=18,
        ),
        Column(
            "parent",
            pgettext_lazy("ledger column", "Part of"),
            gettext_lazy(
                "The name of the organisation above it (in this file or the "
                "ledger); may be empty."
            ),
            width=24,
        ),
        Column(
            "contact_name",
            pgettext_lazy("ledger column", "Contact person"),
            gettext_lazy("Full name."),
        ),
        Column(
            "contact_phone",
            pgettext_lazy("ledger column", "Contact phone"),
            gettext_lazy("An 11-digit mobile number or a landline with its area code."),
            text=True,
            width=16,
        ),
    ],
}


def _normal(text: Any) -> str:
    """A header or a label as compared: no spaces, no marks of a required
    column, case-folded."""
    return re.sub(r"[\s*＊:：]", "", str(text)).casefold()


def in_languages(label: Promise | str) -> set[str]:
    """``label`` in each language the importer reads, normalised."""
    found = {_normal(str(label))}
    for language in LANGUAGES:
        with translation.override(language):
            found.add(_normal(str(label)))
    return found


def choices_map(choices: type[models.TextChoices]) -> dict[str, str]:
    """Every way a file may name a choice (its code, its label in Chinese or
    English) → its code."""
    names: dict[str, str] = {}
    for value, label in zip(choices.values, choices.labels, strict=True):
        names[_normal(value)] = value
        for text in in_languages(label):
            names[text] = value
    return names


# Shorter ways a street writes a choice.
GENDERS = {**choices_map(Person.Gender), "女": "female", "男": "male"}
TAGS = choices_map(PersonTag.Tag)
STATES = {
    **choices_map(Component.State),
    "完好": "good",
    "损坏": "damaged",
    "丢失": "lost",
}
ORGANISATION_KINDS = choices_map(Organisation.Kind)


# --- reading ---------------------------------------------------------------------


@dataclass
class CellError:
    """A bad cell: the file's row number, the column's header as the file
    wrote it, and why."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Row:
    """One data row: its number in the sheet and its cells by column key."""

    number: int
    cells: dict[str, Any]


@dataclass
class Sheet:
    """An upload's first sheet, opened for reading: the header found, then
    :meth:`rows` streams the data rows."""

    kind: str
    headers: dict[str, str]  # column key → the header as written in the file
    positions: dict[str, int]
    _rows: Iterator[tuple[Any, ...]]
    _book: Any
    header_row: int = 1
    errors: list[CellError] = field(default_factory=list)

    def header(self, key: str) -> str:
        if key in self.headers:
            return self.headers[key]
        column = next(c for c in COLUMNS[self.kind] if c.key == key)
        return str(column.label)

    def rows(self) -> Iterator[Row]:
        number = self.header_row
        positions = self.positions.items()
        for values in self._rows:
            number += 1
            if not values or all(v is None or str(v).strip() == "" for v in values):
                continue
            size = len(values)
            yield Row(
                number,
                {key: values[i] if i < size else None for key, i in positions},
            )

    def close(self) -> None:
        self._book.close()


MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def open_sheet(kind: str, upload: IO[bytes] | str) -> Sheet:
    """Open ``upload`` (a file or a path) and find its header row (the first
    row with a cell in it). Unknown headers and missing required columns are
    errors on row 1; a file that is no workbook, or one larger than
    :data:`MAX_UPLOAD_BYTES` (the page and the API alike), is a
    :class:`DomainError`."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise DomainError(_("The file is larger than 50 MB."), field="file")
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise DomainError(
            _("This is not an Excel workbook (.xlsx)."), field="file"
        ) from exc
    except Exception as exc:  # zipfile.BadZipFile and the like: a broken file
        raise DomainError(
            _("This is not an Excel workbook (.xlsx)."), field="file"
        ) from exc
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        book.close()
        raise DomainError(_("The workbook has no sheet."), field="file")
    rows = sheet.iter_rows(values_only=True)
    header_row = 0
    head: tuple[Any, ...] = ()
    for values in rows:
        header_row += 1
        if values and any(v is not None and str(v).strip() for v in values):
            head = values
            break
    known: dict[str, str] = {}
    for column in COLUMNS[kind]:
        for text in in_languages(column.label):
            known[text] = column.key
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    errors: list[CellError] = []
    for index, value in enumerate(head):
        if value is None or not str(value).strip():
            continue
        key = known.get(_normal(value))
        if key is None:
            errors.append(
                CellError(
                    header_row,
                    str(value).strip(),
                    _("This column is not one of this kind's columns."),
                )
            )
        elif key in positions:
            errors.append(
                CellError(header_row, str(value).strip(), _("This column is twice."))
            )
        else:
            headers[key] = str(value).strip()
            positions[key] = index
    errors.extend(
        CellError(max(header_row, 1), str(column.label), _("This column is missing."))
        for column in COLUMNS[kind]
        if column.required and column.key not in positions
    )
    return Sheet(kind, headers, positions, rows, book, max(header_row, 1), errors)


# --- cell values ------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def text(value: Any) -> str:
    """A cell as text: a number typed into a text column loses nothing it
    still has (an integer stays whole), surrounding spaces go."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    written = text(value)
    if not written:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(written, fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise DomainError(_("Write the date as YYYY-MM-DD."))


def whole_number(value: Any) -> int | None:
    written = text(value)
    if not written:
        return None
    # ASCII digits only: ``isdigit`` also takes "²", which ``int`` refuses.
    if not re.fullmatch(r"[0-9]+", written) or int(written) > 32767:
        raise DomainError(_("Write a whole number."))
    return int(written)


def number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    written = text(value)
    if not written:
        return None
    try:
        return float(written)
    except ValueError as exc:
        raise DomainError(_("Write a number.")) from exc


def choice(value: Any, names: dict[str, str]) -> str:
    written = text(value)
    if not written:
        return ""
    found = names.get(_normal(written))
    if found is None:
        raise DomainError(
            _("%(value)s is not one of the choices.") % {"value": written}
        )
    return found


def choice_list(value: Any, names: dict[str, str]) -> list[str]:
    """A comma list of choices (commas of either width, or 、)."""
    written = text(value)
    found: list[str] = []
    for part in re.split(r"[,，、;；]", written):
        if not part.strip():
            continue
        code = names.get(_normal(part))
        if code is None:
            raise DomainError(
                _("%(value)s is not one of the choices.") % {"value": part.strip()}
            )
        if code not in found:
            found.append(code)
    return found


def label_of(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value else ""


# --- writing ----------------------------------------------------------------------


def template(kind: str, example: Sequence[Any]) -> bytes:
    """The template of ``kind``: headers in the active language, each with its
    format as a note, the text columns kept as text, and ``example`` as the
    one example row."""
    import io

    book = Workbook()
    sheet = book.active
    sheet.title = str(KIND_LABELS[kind])[:31]
    bold = Font(bold=True)
    for index, column in enumerate(COLUMNS[kind], start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.label))
        cell.font = bold
        note = str(column.hint)
        if column.required:
            note = pgettext("ledger column", "Required.") + " " + note
        cell.comment = Comment(note, "CivicGrid", width=260, height=110)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        for row in range(2, 502):  # room to fill in, as text where it must be
            if column.text:
                sheet.cell(row=row, column=index).number_format = "@"
        value = example[index - 1] if index - 1 < len(example) else None
        sheet.cell(row=2, column=index, value=value)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _as_text(sheet: Any, value: Any) -> Any:
    """A text that begins with "=" written as text, never as a formula: a name
    or address typed as =HYPERLINK(…) must not run in the spreadsheet of the
    admin who opens an unmasked export (formula injection)."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_rows(kind: str, rows: Iterable[Sequence[Any]]) -> IO[bytes]:
    """An export of ``kind``: the template's header, then ``rows``, written
    as they come (``write_only``) into a temporary file, returned rewound."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(KIND_LABELS[kind])[:31])
    columns = COLUMNS[kind]
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:  # values as they are: text stays text in the file
        sheet.append([_as_text(sheet, value) for value in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 — handed to the response
    book.save(out)
    out.seek(0)
    return out
