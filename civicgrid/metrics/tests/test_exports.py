"""Excel and CSV of the rate table and of the period's appeals, masked."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_the_rate_table_downloads_as_excel_and_csv(client, staff, bring):
    for _ in range(5):
        bring("closed")
    client.force_login(staff["leader"])
    sheet = client.get("/metrics/export/rates.xlsx?by=department")
    assert sheet.status_code == 200
    assert "rates-department-" in sheet["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.values)
    # Five appeals dispatched (not fifteen: responses, completions and
    # callbacks added).
    assert rows[1][:4] == (1, "城管局", 5, 100.0)
    text = b"".join(client.get("/metrics/export/rates.csv").streaming_content)
    assert text.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert lines[1][1] == "城管局" and len(lines) == 2


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
    assert rows[1][0] == appeal.tracking_code and rows[1][7] == "城管局"


@pytest.mark.parametrize(
    "url", ["/metrics/export/rates.xlsx", "/metrics/export/appeals.csv"]
)
def test_exports_are_for_the_streets_overseers_only(client, staff, url):
    client.force_login(staff["handler_cg"])
    assert client.get(url).status_code == 404
    client.force_login(staff["leader"])
    assert client.get("/metrics/export/secrets.xlsx").status_code == 404
    assert client.get("/metrics/export/rates.pdf").status_code == 404
