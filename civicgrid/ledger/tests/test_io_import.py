import datetime as dt

import pytest

from civicgrid.core import clock, crypto
from civicgrid.core.errors import PermissionDeniedError
from civicgrid.ledger.actions.io import import_workbook
from civicgrid.ledger.models import (
    Building,
    Change,
    Component,
    Household,
    Organisation,
    Person,
    PersonTag,
    Residence,
)
from civicgrid.ledger.tests.conftest import centre, id_number, make_building

from .io_helpers import person_row, workbook

pytestmark = pytest.mark.django_db


def _import(kind, rows, user, language="zh-hans"):
    return import_workbook(
        kind=kind, upload=workbook(kind, rows, language), acting_user=user
    )


@pytest.fixture
def homes(street):
    return {
        "e1": make_building(street.grids["e1"], "1号楼"),
        "e2": make_building(street.grids["e2"], "2号楼"),
        "w1": make_building(street.grids["w1"], "3号楼"),
    }


def _many(street, homes, count=200):
    grid, building = street.grids["e1"], homes["e1"]
    return [
        person_row(
            grid,
            building,
            room=f"{100 + n // 2}",
            id_number=id_number(dt.date(1960, 1, 1) + dt.timedelta(days=n), n + 1),
            phone=f"139000{n:05d}",
        )
        for n in range(count)
    ]


def test_a_file_of_people_is_written_whole_with_its_households_and_history(
    street, homes, ledger_people
):
    rows = _many(street, homes)
    result = _import("people", rows, ledger_people["gridworker"])
    assert result.ok, result.errors
    assert (result.added, result.updated, result.unchanged) == (200, 0, 0)
    assert Person.objects.count() == 200
    assert Household.objects.count() == 100
    assert Residence.objects.filter(moved_out_on__isnull=True).count() == 200
    assert Change.objects.filter(action="import", model="person").count() == 200
    person = Person.objects.get(id_number_index=crypto.blind_index(rows[0][5]))
    assert person.phone == "13900000000" and person.gender == "male"
    assert person.birth_date == dt.date(1960, 1, 1)
    change = Change.objects.get(model="person", object_id=person.pk)
    assert change.changes["phone"] == [None, "139****0000"]
    assert "13900000000" not in str(change.changes)


def test_one_bad_cell_among_200_rows_writes_nothing_and_is_named(
    street, homes, ledger_people
):
    rows = _many(street, homes)
    good = rows[150][5]
    rows[150][5] = good[:17] + ("0" if good[17] != "0" else "1")
    result = _import("people", rows, ledger_people["gridworker"])
    assert not result.ok
    assert Person.objects.count() == 0 and Household.objects.count() == 0
    assert Change.objects.count() == 0
    (error,) = result.errors
    assert error.row == 152 and error.column == "身份证号"
    assert f"should be {good[17]}" in error.message
    assert (result.added, result.updated, result.unchanged) == (0, 0, 0)


def test_every_bad_cell_is_named(street, homes, ledger_people):
    e1, b = street.grids["e1"], homes["e1"]
    future = (clock.today() + dt.timedelta(days=30)).isoformat()
    twice = id_number(dt.date(1970, 5, 5), 7)
    rows = [
        person_row(e1, b, id_number="54010219500301001"),  # 17 characters
        person_row(e1, b, grid="540103001009009"),
        person_row(e1, b, moved_in_on=future),
        person_row(e1, b, birth_date=future),
        person_row(e1, b, id_number=twice),
        person_row(e1, b, id_number=twice, room="102"),
        person_row(e1, b, phone="12345"),
        person_row(e1, b, tags="独居老人,会飞"),
        person_row(e1, b, building="无名楼"),
        person_row(
            e1, b, birth_date="1950-03-02", id_number=id_number(dt.date(1950, 3, 1), 5)
        ),
        person_row(e1, b, name=""),
    ]
    result = _import("people", rows, ledger_people["gridworker"])
    named = {(e.row, e.column): e.message for e in result.errors}
    assert "17 digits" in named[(2, "身份证号")]
    assert "540103001009009" in named[(3, "网格编码")]
    assert "after today" in named[(4, "入住日期")]
    assert "after today" in named[(5, "出生日期")]
    assert "also on row 6" in named[(7, "身份证号")]
    assert (8, "联系电话") in named
    assert "会飞" in named[(9, "标签")]
    assert "无名楼" in named[(10, "楼栋")]
    assert "1950-03-01" in named[(11, "出生日期")]
    assert "required" in named[(12, "姓名")]
    assert len(result.errors) == 10
    assert Person.objects.count() == 0


def test_the_same_file_twice_changes_nothing_and_one_changed_cell_updates_one_row(
    street, homes, ledger_people
):
    worker = ledger_people["gridworker"]
    rows = _many(street, homes, 50)
    rows[0][11] = "独居老人, 党员"
    assert _import("people", rows, worker).added == 50
    changes = Change.objects.count()
    again = _import("people", rows, worker)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 50)
    assert Change.objects.count() == changes
    rows[3][6] = "13912345678"
    once = _import("people", rows, worker)
    assert (once.added, once.updated, once.unchanged) == (0, 1, 49)
    assert Change.objects.count() == changes + 1
    assert (
        Person.objects.filter(phone_index=crypto.blind_index("13912345678")).count()
        == 1
    )
    rows[0][11] = "党员"
    _import("people", rows, worker)
    person = Person.objects.get(id_number_index=crypto.blind_index(rows[0][5]))
    assert set(
        PersonTag.objects.filter(person=person, until__isnull=True).values_list(
            "tag", flat=True
        )
    ) == {"party_member"}
    assert (
        PersonTag.objects.filter(person=person, tag="lives_alone").get().until
        is not None
    )


def test_a_person_moving_house_is_moved_with_their_history(
    street, homes, ledger_people
):
    worker = ledger_people["gridworker"]
    row = person_row(street.grids["e1"], homes["e1"], moved_in_on="2015-06-01")
    _import("people", [row], worker)
    moved = list(row)
    moved[0], moved[1], moved[3], moved[12] = (
        street.grids["e2"].code,
        "2号楼",
        "202",
        "2020-01-01",
    )
    result = _import("people", [moved], worker)
    assert result.updated == 1
    person = Person.objects.get()
    assert person.household is not None
    assert person.household.grid == street.grids["e2"]
    stays = list(
        person.residences.order_by("moved_in_on").values_list(
            "moved_in_on", "moved_out_on"
        )
    )
    assert stays == [
        (dt.date(2015, 6, 1), dt.date(2020, 1, 1)),
        (dt.date(2020, 1, 1), None),
    ]


def test_a_move_out_before_the_move_in_is_refused(street, homes, ledger_people):
    worker = ledger_people["gridworker"]
    row = person_row(street.grids["e1"], homes["e1"], moved_in_on="2015-06-01")
    _import("people", [row], worker)
    moved = list(row)
    moved[3], moved[12] = "909", "2010-01-01"
    result = _import("people", [moved], worker)
    (error,) = result.errors
    assert error.column == "入住日期" and "2015-06-01" in error.message
    assert Household.objects.count() == 1


def test_english_headers_are_read_as_well(street, homes, ledger_people):
    result = _import(
        "people", _many(street, homes, 3), ledger_people["gridworker"], "en"
    )
    assert result.ok and result.added == 3


def test_an_unknown_column_is_named(street, homes, ledger_people):
    upload = workbook("people", [])
    from openpyxl import load_workbook

    book = load_workbook(upload)
    book.active.cell(row=1, column=20, value="备注")
    import io

    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    result = import_workbook(
        kind="people", upload=out, acting_user=ledger_people["gridworker"]
    )
    assert [(e.row, e.column) for e in result.errors] == [(1, "备注")]


def test_a_grid_worker_may_not_import_into_another_grid(street, homes, ledger_people):
    rows = _many(street, homes, 3) + [person_row(street.grids["w1"], homes["w1"])]
    result = _import("people", rows, ledger_people["gridworker"])
    (error,) = result.errors
    assert error.row == 5 and error.column == "网格编码"
    assert street.grids["w1"].code in error.message
    assert Person.objects.count() == 0


def test_the_ledger_admin_imports_into_every_grid_of_the_street(
    street, homes, ledger_people
):
    rows = [
        person_row(street.grids["e1"], homes["e1"]),
        person_row(street.grids["w1"], homes["w1"]),
    ]
    assert _import("people", rows, ledger_people["admin"]).added == 2


@pytest.mark.parametrize("who", ["leader", "dispatcher", "outsider"])
def test_who_keeps_no_ledger_may_not_import(street, homes, ledger_people, who):
    with pytest.raises(PermissionDeniedError):
        _import("people", _many(street, homes, 1), ledger_people[who])


def test_a_person_of_another_grid_of_the_street_moves_into_this_grid(
    street, homes, ledger_people
):
    # As on the pages (test_moves_between_streets.py has the other street).
    row = person_row(street.grids["w1"], homes["w1"])
    _import("people", [row], ledger_people["admin"])
    mine = list(row)
    mine[0], mine[1] = street.grids["e1"].code, "1号楼"
    result = _import("people", [mine], ledger_people["gridworker"])
    assert result.ok, result.errors
    person = Person.objects.select_related("household").get()
    assert person.household is not None
    assert person.household.grid == street.grids["e1"]
    assert (
        Residence.objects.filter(person=person, moved_out_on__isnull=True).count() == 1
    )


def test_buildings_are_found_by_grid_and_name(street, ledger_people):
    e1 = street.grids["e1"]
    lon, lat = centre(e1)
    rows = [
        [e1.code, "", "", "1号楼", "东嘎路1号", 6, 2, "安居物业"],
        ["", lon, lat, "2号楼", "", "", "", ""],
    ]
    admin = ledger_people["admin"]
    first = _import("buildings", rows, admin)
    assert first.added == 2
    assert Building.objects.get(name="2号楼").grid == e1
    assert _import("buildings", rows, admin).unchanged == 2
    rows[0][5] = 7
    assert _import("buildings", rows, admin).updated == 1
    assert Building.objects.get(name="1号楼").floors == 7


def test_a_building_outside_every_grid_and_a_point_in_another_grid_are_named(
    street, ledger_people
):
    e1, e2 = street.grids["e1"], street.grids["e2"]
    lon, lat = centre(e2)
    rows = [
        ["", 95.0, 29.0, "远楼", "", "", "", ""],
        [e1.code, lon, lat, "错楼", "", "", "", ""],
        ["", "", "", "无处楼", "", "", "", ""],
        [e1.code, "", "", "1号楼", "", "六", "", ""],
    ]
    result = _import("buildings", rows, ledger_people["admin"])
    named = {(e.row, e.column): e.message for e in result.errors}
    assert "outside every grid" in named[(2, "经度")]
    assert e2.code in named[(3, "网格编码")]
    assert (4, "网格编码") in named
    assert (5, "层数") in named
    assert Building.objects.count() == 0


def test_components_get_their_kind_from_the_code_and_their_grid_from_the_point(
    street, departments, ledger_people
):
    lon, lat = centre(street.grids["e1"])
    rows = [
        ["0120000001", lon, lat, "chengguan", "损坏"],
        ["0117000001", lon, lat, "", ""],
    ]
    worker = ledger_people["gridworker"]
    assert _import("components", rows, worker).added == 2
    lamp = Component.objects.get(code="0120000001")
    assert (lamp.subclass, lamp.state, lamp.grid) == (
        "0120",
        "damaged",
        street.grids["e1"],
    )
    assert lamp.department == departments["cg"]
    assert _import("components", rows, worker).unchanged == 2


def test_a_component_code_not_in_the_catalogue_and_an_unknown_department_are_named(
    street, departments, ledger_people
):
    lon, lat = centre(street.grids["e1"])
    rows = [
        ["9999000001", lon, lat, "", ""],
        ["0120000002", lon, lat, "nobody", ""],
        ["0120000003", lon, lat, "", "破了"],
        ["0120000003", lon, lat, "", ""],
    ]
    result = _import("components", rows, ledger_people["gridworker"])
    named = {(e.row, e.column): e.message for e in result.errors}
    assert "9999" in named[(2, "部件编码")]
    assert "nobody" in named[(3, "权属部门编码")]
    assert "破了" in named[(4, "状态")]
    assert "also on row 4" not in str(named)
    assert Component.objects.count() == 0


def test_organisations_name_their_parent_in_the_file_in_any_order(
    street, ledger_people
):
    rows = [
        [
            "网格大支部",
            "东嘎一网格党支部",
            street.grids["e1"].code,
            "东嘎社区大党委",
            "卓玛",
            "13900001234",
        ],
        ["社区大党委", "东嘎社区大党委", street.east.code, "东嘎街道大工委", "", ""],
        ["街道大工委", "东嘎街道大工委", street.street.code, "", "", ""],
    ]
    admin = ledger_people["admin"]
    result = _import("organisations", rows, admin)
    assert result.ok, result.errors
    branch = Organisation.objects.get(name="东嘎一网格党支部")
    assert branch.parent is not None and branch.parent.parent is not None
    assert branch.parent.name == "东嘎社区大党委"
    assert branch.parent.parent.name == "东嘎街道大工委"
    assert branch.contact_phone == "13900001234"
    assert _import("organisations", rows, admin).unchanged == 3
    rows[0][4] = "次仁"
    assert _import("organisations", rows, admin).updated == 1


def test_an_organisation_of_an_unknown_parent_is_named(street, ledger_people):
    rows = [["网格大支部", "支部", street.grids["e1"].code, "没有的党委", "", ""]]
    (error,) = _import("organisations", rows, ledger_people["gridworker"]).errors
    assert error.column == "上级组织" and "没有的党委" in error.message


def test_a_department_that_does_not_serve_the_street_is_named(
    street, departments, ledger_people
):
    from civicgrid.org.models import Area, Department
    from conftest import make_area

    elsewhere = make_area("540104", "另一区", Area.Level.DISTRICT, street.city)
    Department.objects.create(code="faraway", name="外区城管", area=elsewhere)
    lon, lat = centre(street.grids["e1"])
    result = _import(
        "components", [["0120000009", lon, lat, "faraway", ""]], ledger_people["admin"]
    )
    (error,) = result.errors
    assert error.column == "权属部门编码" and "does not serve" in error.message
    assert not Component.objects.exists()


def test_an_import_moves_a_component_by_the_transition_table_only(
    street, departments, ledger_people
):
    lon, lat = centre(street.grids["e1"])
    admin = ledger_people["admin"]
    assert _import("components", [["0120000010", lon, lat, "", "丢失"]], admin).ok
    result = _import("components", [["0120000010", lon, lat, "", "损坏"]], admin)
    (error,) = result.errors
    assert error.column == "状态" and "cannot become" in error.message
    assert Component.objects.get(code="0120000010").state == "lost"
    # An empty state keeps the component's; a move the table has is written.
    assert _import("components", [["0120000010", lon, lat, "", ""]], admin).unchanged
    assert _import("components", [["0120000010", lon, lat, "", "完好"]], admin).updated
    assert Component.objects.get(code="0120000010").state == "good"


def test_the_party_structure_of_the_pages_holds_in_an_import(street, ledger_people):
    admin = ledger_people["admin"]
    rows = [
        # A grid branch in a community, and one whose parent is not its
        # community's committee.
        ["网格大支部", "错位支部", street.east.code, "", "", ""],
        ["街道大工委", "东嘎街道大工委", street.street.code, "", "", ""],
        ["网格大支部", "一网格支部", street.grids["e1"].code, "东嘎街道大工委", "", ""],
    ]
    named = {
        (e.row, e.column): e.message
        for e in _import("organisations", rows, admin).errors
    }
    assert "belongs to a grid" in named[(2, "区域编码")]
    assert "community party committee" in named[(4, "上级组织")]
    assert not Organisation.objects.exists()


def test_organisations_part_of_each_other_are_refused(street, ledger_people):
    admin = ledger_people["admin"]
    code = street.east.code
    rows = [
        ["社会组织", "甲协会", code, "乙协会", "", ""],
        ["社会组织", "乙协会", code, "甲协会", "", ""],
    ]
    errors = _import("organisations", rows, admin).errors
    assert {(e.row, e.column) for e in errors} == {(2, "上级组织"), (3, "上级组织")}
    assert all("part of itself" in e.message for e in errors)
    assert not Organisation.objects.exists()
    # Through the ledger: 乙 is part of 甲 already; the file makes 甲 part of 乙.
    assert _import("organisations", [rows[0][:3] + ["", "", ""], rows[1]], admin).ok
    (error,) = _import("organisations", [rows[0]], admin).errors
    assert "part of itself" in error.message
    assert Organisation.objects.get(name="甲协会").parent is None


def test_a_masked_contact_from_an_export_is_refused_not_written(street, ledger_people):
    admin = ledger_people["admin"]
    row = ["社会组织", "丙协会", street.east.code, "", "次仁多吉", "13900007000"]
    assert _import("organisations", [row], admin).ok
    masked = [*row[:4], "次***", ""]
    (error,) = _import("organisations", [masked], admin).errors
    assert error.column == "联系人" and "masked" in error.message
    assert Organisation.objects.get(name="丙协会").contact_name == "次仁多吉"


def test_superscript_digits_are_no_whole_number(street, ledger_people):
    lon, lat = centre(street.grids["e1"])
    rows = [[street.grids["e1"].code, lon, lat, "5号楼", "", "6²", "", ""]]
    (error,) = _import("buildings", rows, ledger_people["admin"]).errors
    assert error.column == "层数" and "whole number" in error.message


def test_a_file_larger_than_the_cap_is_refused_before_it_is_read(ledger_people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicgrid.core.errors import DomainError
    from civicgrid.ledger import excel

    upload = SimpleUploadedFile("big.xlsx", b"PK")
    upload.size = excel.MAX_UPLOAD_BYTES + 1
    with pytest.raises(DomainError) as refused:
        import_workbook(
            kind="buildings", upload=upload, acting_user=ledger_people["admin"]
        )
    assert refused.value.field == "file"


def test_the_import_keeps_the_pages_limits(street, homes, ledger_people):
    lon, lat = centre(street.grids["e1"])
    code = street.grids["e1"].code
    rows = [
        [code, lon, lat, "6号楼", "", 201, "", ""],
        [code, lon, lat, "7号楼", "", "", 100, ""],
    ]
    result = _import("buildings", rows, ledger_people["admin"])
    named = {(e.row, e.column): e.message for e in result.errors}
    assert "between 1 and 200" in named[(2, "层数")]
    assert "between 1 and 99" in named[(3, "单元数")]
    person = person_row(street.grids["e1"], homes["e1"], room="301", name="卓" * 51)
    (error,) = _import("people", [person], ledger_people["admin"]).errors
    assert error.column == "姓名" and "50" in error.message
