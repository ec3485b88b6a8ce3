"""Workbooks for the import tests: a header row and data rows, in memory."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import translation
from openpyxl import Workbook, load_workbook

from civicgrid.ledger.excel import COLUMNS
from civicgrid.ledger.tests.conftest import id_number


def headers(kind: str, language: str = "zh-hans") -> list[str]:
    with translation.override(language):
        return [str(column.label) for column in COLUMNS[kind]]


def workbook(
    kind: str, rows: Sequence[Sequence[Any]], language: str = "zh-hans"
) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(headers(kind, language))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def person_row(in_grid, in_building, room: str = "101", **cells: Any) -> list[Any]:
    """A row of the people kind, valid unless ``cells`` say otherwise."""
    values = {
        "grid": in_grid.code,
        "building": in_building.name,
        "unit": "1",
        "room": room,
        "name": "卓玛",
        "id_number": id_number(),
        "phone": "",
        "gender": "",
        "birth_date": "",
        "ethnicity": "藏族",
        "relation": "户主",
        "tags": "",
        "moved_in_on": "2015-06-01",
    }
    values.update(cells)
    return [values[column.key] for column in COLUMNS["people"]]


def read(content: bytes) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows
