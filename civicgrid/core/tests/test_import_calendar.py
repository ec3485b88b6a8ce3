from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from civicgrid.core.models import CalendarDay

GOOD = "date,kind,name\n2026-10-01,holiday,国庆节\n2026-10-10,workday,国庆节调休上班\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_writes_holidays_and_make_up_days(db, tmp_path):
    out = StringIO()
    call_command("import_calendar", str(write(tmp_path, GOOD)), stdout=out)
    assert "2 created" in out.getvalue()
    assert list(CalendarDay.objects.values_list("date", "kind", "name")) == [
        (date(2026, 10, 1), "holiday", "国庆节"),
        (date(2026, 10, 10), "workday", "国庆节调休上班"),
    ]


def test_import_accepts_chinese_kinds_and_an_excel_bom(db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(
        "\ufeffdate,kind,name\n2026-10-01,休,国庆节\n2026-10-10,班,\n".encode()
    )
    call_command("import_calendar", str(path), stdout=StringIO())
    assert dict(CalendarDay.objects.values_list("date", "kind")) == {
        date(2026, 10, 1): "holiday",
        date(2026, 10, 10): "workday",
    }


def test_a_second_import_updates_in_place(db, tmp_path):
    call_command("import_calendar", str(write(tmp_path, GOOD)), stdout=StringIO())
    out = StringIO()
    changed = "date,kind,name\n2026-10-01,holiday,国庆节\n2026-10-10,holiday,改为休息\n"
    call_command("import_calendar", str(write(tmp_path, changed)), stdout=out)
    assert "0 created, 1 updated, 1 unchanged" in out.getvalue()
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "holiday"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD + "2026-13-01,holiday,x\n", "Line 4"),
        (GOOD + "2026-10-02,vacation,x\n", "Line 4"),
        (GOOD + "2026-10-02\n", "Line 4"),
        (
            GOOD + "2026-10-01,holiday,again\n",
            "Line 4: 2026-10-01 is already given on line 2",
        ),
        ("day,type\n2026-10-01,holiday\n", "Line 1"),
        ("date,kind,name\n", "no calendar days"),
    ],
)
def test_a_bad_line_rejects_the_whole_file(db, tmp_path, text, message):
    CalendarDay.objects.create(date=date(2026, 5, 1), kind="holiday", name="劳动节")
    with pytest.raises(CommandError) as excinfo:
        call_command("import_calendar", str(write(tmp_path, text)), stdout=StringIO())
    assert message in str(excinfo.value)
    assert "nothing written" in str(excinfo.value)
    assert list(CalendarDay.objects.values_list("name", flat=True)) == ["劳动节"]


def test_every_bad_line_is_named(db, tmp_path):
    text = (
        "date,kind,name\n2026-10-01,holiday,ok\n"
        "not-a-date,holiday,x\n2026-10-03,nope,x\n"
    )
    with pytest.raises(CommandError) as excinfo:
        call_command("import_calendar", str(write(tmp_path, text)), stdout=StringIO())
    assert "Line 3" in str(excinfo.value)
    assert "Line 4" in str(excinfo.value)


def test_dry_run_writes_nothing(db, tmp_path):
    out = StringIO()
    call_command("import_calendar", str(write(tmp_path, GOOD)), "--dry-run", stdout=out)
    assert "dry run" in out.getvalue()
    assert not CalendarDay.objects.exists()


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_calendar", str(tmp_path / "missing.csv"))


def test_the_shipped_national_calendar_imports(db):
    from django.conf import settings

    call_command(
        "import_calendar",
        str(Path(settings.BASE_DIR) / "data/calendar/cn-2025-2026.csv"),
        stdout=StringIO(),
    )
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "workday"


def test_admin_import_of_a_bad_file_shows_the_line_and_writes_nothing(admin_client):
    upload = SimpleUploadedFile(
        "c.csv", (GOOD + "2026-10-32,holiday,x\n").encode(), content_type="text/csv"
    )
    response = admin_client.post(
        reverse("admin:core_calendarday_import"), {"file": upload}
    )
    assert response.status_code == 200
    assert "Line 4" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_admin_import_of_a_good_file(admin_client):
    upload = SimpleUploadedFile("c.csv", GOOD.encode(), content_type="text/csv")
    response = admin_client.post(
        reverse("admin:core_calendarday_import"), {"file": upload}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.count() == 2
