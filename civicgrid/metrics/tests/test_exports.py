"""Excel and CSV of the rate table and of the period's appeals, masked."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from civicgrid.core import clock

pytestmark = pytest.mark.django_db


def test_the_rate_table_downloads_as_excel_and_csv(client, staff, bring):
    for _ in range(5):
        bring("closed")
    client.force_login(staff["leader"])
    sheet = client.get("/metrics/export/rates.xlsx?by=department")
    assert sheet.status_code == 200
    assert "rates-department-" in sheet["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.values)
    # A title row, the heading, then the units: five appeals dispatched, the
    # response rate 5 of 5.
    assert rows[2][:7] == (1, "城管局", 5, 100.0, 100.0, 1.0, 5)
    text = b"".join(client.get("/metrics/export/rates.csv").streaming_content)
    assert text.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert lines[0][2] == "Appeals dispatched"
    assert lines[1][1:7] == ["城管局", "5", "100.0", "100.0", "100.0", "5"]
    assert len(lines) == 2


def test_the_rate_workbook_is_titled_frozen_sized_and_formatted(
    client, staff, street, bring
):
    for _ in range(5):
        bring("closed")
    client.force_login(staff["leader"])
    day = timezone.localdate(clock.now())
    sheet = client.get(
        f"/metrics/export/rates.xlsx?by=department&period=custom&start={day}&end={day}"
    )
    book = load_workbook(io.BytesIO(sheet.content))
    table = book.active
    title = table["A1"].value
    assert "东嘎街道" in title and "Departments" in title
    assert f"{day:%Y-%m-%d} to {day:%Y-%m-%d}" in title
    assert table["A1"].font.bold
    assert table.freeze_panes == "A3"
    head = [cell.value for cell in table[2]]
    assert head[2] == "Appeals dispatched" and table["A2"].font.bold
    unit, dispatched, score, response = (table[f"{c}3"] for c in "BCDF")
    assert unit.value == "城管局"
    assert dispatched.number_format == "0" and dispatched.value == 5
    assert score.number_format == "0.0"
    assert response.number_format == "0.0%" and response.value == 1.0
    widths = {c: table.column_dimensions[c].width for c in "ABCF"}
    # From the content, a CJK character counting double: "Unit" is four
    # columns wide, "城管局" six; the headings set the others.
    assert widths["B"] == len("城管局") * 2 + 2
    assert widths["C"] == len("Appeals dispatched") + 2
    assert widths["A"] == len("Rank") + 2
    assert widths["F"] == len("Response rate") + 2


def test_the_appeals_workbook_has_its_title_and_sized_columns(client, staff, bring):
    appeal = bring("closed")
    client.force_login(staff["leader"])
    sheet = client.get("/metrics/export/appeals.xlsx")
    table = load_workbook(io.BytesIO(sheet.content)).active
    assert "东嘎街道" in table["A1"].value and "appeals" in table["A1"].value
    assert table.freeze_panes == "A3"
    assert table["A3"].value == appeal.tracking_code
    # The heading is wider than the ten-character code under it.
    assert table.column_dimensions["A"].width == len("Tracking code") + 2
    received = table.column_dimensions["B"].width
    assert received == len("2026-01-01 00:00") + 2


def test_the_appeals_download_masks_the_resident(client, staff, bring):
    appeal = bring("closed")
    client.force_login(staff["leader"])
    text = b"".join(client.get("/metrics/export/appeals.csv").streaming_content)
    body = text.decode("utf-8-sig")
    assert appeal.tracking_code in body
    assert appeal.appellant_phone not in body and appeal.appellant_name not in body
    assert appeal.description not in body
    assert "138****5678" in body
    sheet = client.get("/metrics/export/appeals.xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.values)
    assert rows[2][0] == appeal.tracking_code and rows[2][7] == "城管局"


@pytest.mark.parametrize(
    "url", ["/metrics/export/rates.xlsx", "/metrics/export/appeals.csv"]
)
def test_exports_are_for_the_streets_overseers_only(client, staff, url):
    client.force_login(staff["handler_cg"])
    assert client.get(url).status_code == 404
    client.force_login(staff["leader"])
    assert client.get("/metrics/export/secrets.xlsx").status_code == 404
    assert client.get("/metrics/export/rates.pdf").status_code == 404
