"""Tables for download, as Excel (.xlsx) or CSV: the units' rates, and the
appeals received in a period. Names and numbers are masked; descriptions are
left out (they are the residents' own words). A workbook opens readable: a
title row saying whose figures and when, the heading frozen under it,
columns as wide as their content, rates as percentages."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from civicgrid.appeals.models import Appeal, Assignment
from civicgrid.core.crypto import mask_name, mask_phone

Row = Sequence[Any]


@dataclass(frozen=True)
class Column:
    """A column's heading and what it holds: ``text``, ``count``, ``rate`` (a
    fraction, shown as a percentage), ``score`` (out of 100)."""

    title: str
    kind: str = "text"


def rate_rows(rows: list[dict[str, Any]]) -> tuple[list[Column], Iterator[Row]]:
    """The ranking as a table: the appeals dispatched to each unit, each rate
    beside the cases it counts (its denominator), and the appeals closed as
    unreachable (未接通), which no rate counts."""
    head = [
        Column(_("Rank"), "count"),
        Column(_("Unit")),
        Column(_("Appeals dispatched"), "count"),
        Column(_("Composite score"), "score"),
        Column(_("Score before review"), "score"),
        Column(_("Response rate"), "rate"),
        Column(_("Responses counted"), "count"),
        Column(_("Resolution rate"), "rate"),
        Column(_("Satisfaction rate"), "rate"),
        Column(_("Callbacks counted"), "count"),
        Column(_("Closed as unreachable"), "count"),
        Column(_("On-time completion"), "rate"),
        Column(_("Completions counted"), "count"),
        Column(_("Return rate"), "rate"),
        Column(_("Re-handle rate"), "rate"),
        Column(_("List")),
    ]

    def body() -> Iterator[Row]:
        for row in rows:
            r = row["reviewed"]
            yield [
                row["rank"],
                row["name"],
                r["dispatched"],
                r["score"],
                row["raw"]["score"],
                r["response"],
                r["cases"]["response"]["of"],
                r["resolution"],
                r["satisfaction"],
                r["cases"]["resolution"]["of"],
                r["unreachable"],
                r["on_time"],
                r["cases"]["on_time"]["of"],
                r["return_rate"],
                r["rehandle_rate"],
                {"red": _("red list"), "black": _("black list")}.get(row["list"], ""),
            ]

    return head, body()


def appeal_rows(appeals: Iterable[Appeal]) -> tuple[list[Column], Iterator[Row]]:
    head = [
        Column(title)
        for title in (
            _("Tracking code"),
            _("Received"),
            _("Channel"),
            _("Category"),
            _("Kind"),
            _("State"),
            _("Grid"),
            _("Lead unit"),
            _("Due"),
            _("Closed"),
            _("Resolved"),
            _("Satisfaction"),
            _("Resident"),
            _("Phone"),
        )
    ]

    def local(moment: datetime | None) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    def body() -> Iterator[Row]:
        for appeal in appeals:
            leads = [a for a in appeal.assignments.all() if a.role == "lead"]
            lead = str(leads[-1].unit) if leads else ""
            yield [
                appeal.tracking_code,
                local(appeal.received_at),
                appeal.get_channel_display(),
                appeal.category.name if appeal.category else "",
                appeal.get_kind_display(),
                appeal.get_state_display(),
                appeal.grid.name if appeal.grid else "",
                lead,
                local(appeal.due_at),
                local(appeal.closed_at),
                ""
                if appeal.resolved is None
                else (_("yes") if appeal.resolved else _("no")),
                appeal.get_satisfaction_display() if appeal.satisfaction else "",
                "" if appeal.anonymous else mask_name(appeal.appellant_name),
                "" if appeal.anonymous else mask_phone(appeal.appellant_phone),
            ]

    return head, body()


def appeals_for_export(appeals: Any) -> Any:
    from django.db.models import Prefetch

    return appeals.select_related("category", "grid").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("area", "department").order_by(
                "id"
            ),
        )
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


# How Excel shows each kind of column.
NUMBER_FORMATS = {"count": "0", "rate": "0.0%", "score": "0.0"}
WIDEST = 60


def text_width(text: str) -> int:
    """How many columns ``text`` takes: CJK (wide) characters count double."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _shown(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind == "score":
        return f"{value:.1f}"
    return str(value)


def _csv_value(value: Any, kind: str) -> Any:
    """CSV has no formats: rates as percentages, scores to one decimal."""
    if value is None:
        return ""
    if kind == "rate":
        return round(value * 100, 1)
    if kind == "score":
        return round(value, 1)
    return value


def workbook(title: str, head: list[Column], body: Iterable[Row]) -> bytes:
    """The table as an .xlsx: a title row saying what and when, the heading
    row frozen under it, columns as wide as their content, counts, rates and
    scores in their number formats."""
    rows = [list(row) for row in body]  # read once, to size the columns
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Table"))
    for index, column in enumerate(head, start=1):
        widest = max(
            [text_width(column.title)]
            + [text_width(_shown(row[index - 1], column.kind)) for row in rows]
        )
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(widest + 2, WIDEST)
    sheet.freeze_panes = "A3"
    heading = Font(bold=True)
    cell = WriteOnlyCell(sheet, value=title)
    cell.font = Font(bold=True, size=13)
    sheet.append([cell])
    titles = []
    for column in head:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font = heading
        cell.alignment = Alignment(wrap_text=False)
        titles.append(cell)
    sheet.append(titles)
    for row in rows:
        cells = []
        for value, column in zip(row, head, strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            if column.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.kind]
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(
    name: str, fmt: str, title: str, head: list[Column], body: Iterator[Row]
) -> HttpResponse | StreamingHttpResponse:
    """The table as ``name.xlsx`` (see :func:`workbook`) or ``name.csv``
    (UTF-8 with a BOM, so that Excel opens the Chinese right; the heading row
    first, no title); CSV streams, row by row."""
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines() -> Iterator[str]:
            yield "\ufeff" + writer.writerow([column.title for column in head])
            for row in body:
                yield writer.writerow(
                    [
                        _csv_value(value, column.kind)
                        for value, column in zip(row, head, strict=True)
                    ]
                )

        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            lines(), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            workbook(title, head, body),
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _units(by: str) -> str:
    return {
        "department": _("Departments"),
        "community": _("Communities"),
        "grid": _("Grids"),
        "category": _("Categories"),
        "channel": _("Channels"),
    }[by]


def rates_title(street: Any, by: str, start: date, end: date, formula: int) -> str:
    """The rate table's title row: whose rates, of which units, when."""
    return _(
        "%(street)s · the three rates of %(units)s · %(start)s to %(end)s "
        "(formula v%(formula)s)"
    ) % {
        "street": street.name,
        "units": _units(by),
        "start": f"{start:%Y-%m-%d}",
        "end": f"{end:%Y-%m-%d}",
        "formula": formula,
    }


def appeals_title(street: Any, start: date, end: date) -> str:
    """The appeals table's title row."""
    return _("%(street)s · appeals received · %(start)s to %(end)s") % {
        "street": street.name,
        "start": f"{start:%Y-%m-%d}",
        "end": f"{end:%Y-%m-%d}",
    }


def period_name(prefix: str, start: date, end: date) -> str:
    return f"{prefix}-{start:%Y%m%d}-{end:%Y%m%d}"
