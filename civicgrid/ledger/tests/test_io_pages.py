"""The import and export pages, and the API beside them."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from civicgrid.api.testing import api_client
from civicgrid.ledger import excel
from civicgrid.ledger.models import Building, Component, Organisation, Person
from civicgrid.ledger.tests.conftest import make_building

from .io_helpers import headers, person_row, read, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(street):
    return make_building(street.grids["e1"], "1号楼")


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def _upload(client, kind, content, name="ledger.xlsx"):
    content.name = name
    return client.post(reverse("ledger:import"), {"kind": kind, "file": content})


def test_the_import_page_offers_every_template(client, ledger_people):
    client.force_login(ledger_people["gridworker"])
    page = client.get(reverse("ledger:import"))
    assert page.status_code == 200
    for kind in excel.KINDS:
        assert reverse("ledger:import_template", args=[kind]) in page.content.decode()


def test_an_upload_says_what_it_did(client, street, home, ledger_people):
    client.force_login(ledger_people["gridworker"])
    rows = [person_row(street.grids["e1"], home, room=str(n)) for n in range(3)]
    page = _upload(client, "people", workbook("people", rows))
    assert page.status_code == 200
    assert "3 added" in page.content.decode()
    assert Person.objects.count() == 3


def test_a_refused_upload_lists_every_bad_cell(client, street, home, ledger_people):
    client.force_login(ledger_people["gridworker"])
    rows = [
        person_row(street.grids["e1"], home),
        person_row(street.grids["e1"], home, grid="540103001009009"),
        person_row(street.grids["e1"], home, id_number="540102195003010010"),
    ]
    page = _upload(client, "people", workbook("people", rows))
    assert page.status_code == 400
    text = page.content.decode()
    assert "540103001009009" in text and "should be" in text
    assert text.count('data-label="Row"') == 2
    assert Person.objects.count() == 0


def test_a_file_that_is_no_workbook_is_refused_on_the_form(client, ledger_people):
    client.force_login(ledger_people["gridworker"])
    page = _upload(client, "people", io.BytesIO(b"not a workbook"))
    assert page.status_code == 400
    assert "not an Excel workbook" in page.content.decode()


@pytest.mark.parametrize("kind", excel.KINDS)
def test_a_template_imports_its_own_example_row(
    client, street, home, departments, ledger_people, kind
):
    client.force_login(ledger_people["gridworker"])
    download = client.get(reverse("ledger:import_template", args=[kind]))
    assert download.status_code == 200
    assert download["Content-Type"] == excel.CONTENT_TYPE
    content = download.content
    rows = read(content)
    assert rows[0] == headers(kind, "en")
    page = _upload(client, kind, io.BytesIO(content))
    assert page.status_code == 200, page.content.decode()[-2000:]
    assert "1 added" in page.content.decode()
    counts = {
        "people": Person.objects.count,
        "buildings": Building.objects.count,
        "components": Component.objects.count,
        "organisations": Organisation.objects.count,
    }
    assert counts[kind]() == (2 if kind == "buildings" else 1)


def test_a_template_in_chinese_has_chinese_headers_and_notes(street, ledger_people):
    with translation.override("zh-hans"):
        content = excel.template("people", [])
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet.cell(row=1, column=6).value == "身份证号"
    assert "校验码" in sheet.cell(row=1, column=6).comment.text


@pytest.mark.parametrize("name", ["import", "export"])
def test_an_outsider_gets_404(client, ledger_people, name):
    client.force_login(ledger_people["outsider"])
    assert client.get(reverse(f"ledger:{name}")).status_code == 404
    assert (
        client.get(reverse("ledger:import_template", args=["people"])).status_code
        == 404
    )


def test_a_reader_of_the_ledger_may_not_import(client, ledger_people):
    client.force_login(ledger_people["leader"])
    assert client.get(reverse("ledger:import")).status_code == 403


def test_the_export_page_downloads_a_masked_workbook(
    client, street, home, ledger_people
):
    from civicgrid.ledger.actions.io import import_workbook

    import_workbook(
        kind="people",
        upload=workbook(
            "people", [person_row(street.grids["e1"], home, phone="13900008000")]
        ),
        acting_user=ledger_people["gridworker"],
    )
    client.force_login(ledger_people["community_east"])
    page = client.get(reverse("ledger:export"))
    assert page.status_code == 200 and 'name="reason"' not in page.content.decode()
    download = client.post(reverse("ledger:export"), {"kind": "people"})
    assert download.status_code == 200
    text = str(read(_content(download)))
    assert "139****8000" in text and not re.search(r"1[3-9]\d{9}", text)


def test_the_ledger_admin_is_asked_for_a_reason(client, ledger_people):
    client.force_login(ledger_people["admin"])
    assert 'name="reason"' in client.get(reverse("ledger:export")).content.decode()
    page = client.post(reverse("ledger:export"), {"kind": "people", "unmasked": "on"})
    assert page.status_code == 400


# --- the API -----------------------------------------------------------------------


def _api_upload(user, kind, content):
    return api_client(user).post(
        f"/api/ledger/import/{kind}/", {"file": content}, format="multipart"
    )


def test_the_api_imports_and_counts(street, home, ledger_people):
    rows = [person_row(street.grids["e1"], home, room=str(n)) for n in range(2)]
    upload = workbook("people", rows)
    upload.name = "people.xlsx"
    answer = _api_upload(ledger_people["gridworker"], "people", upload)
    assert answer.status_code == 200
    assert answer.json()["added"] == 2
    upload.seek(0)
    again = _api_upload(ledger_people["gridworker"], "people", upload).json()
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_the_api_names_every_bad_cell(street, home, ledger_people):
    rows = [person_row(street.grids["e1"], home, birth_date="2999-01-01")]
    upload = workbook("people", rows, "en")
    upload.name = "people.xlsx"
    answer = _api_upload(ledger_people["gridworker"], "people", upload)
    assert answer.status_code == 400
    (cell,) = answer.json()["error"]["cells"]
    assert cell["row"] == 2 and cell["column"] == "Date of birth"


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("leader", 403)])
def test_the_api_refuses_who_may_not_import(street, home, ledger_people, who, status):
    upload = workbook("people", [person_row(street.grids["e1"], home)])
    upload.name = "people.xlsx"
    assert _api_upload(ledger_people[who], "people", upload).status_code == status
    template = api_client(ledger_people[who]).get("/api/ledger/import/people/template/")
    assert template.status_code == status


def test_the_api_serves_templates_and_exports(street, home, ledger_people):
    client = api_client(ledger_people["gridworker"])
    template = client.get("/api/ledger/import/buildings/template/")
    assert template.status_code == 200
    assert template["Content-Type"] == excel.CONTENT_TYPE
    export = client.post("/api/ledger/export/buildings/", {}, format="json")
    assert export.status_code == 200
    assert read(_content(export))[1][3] == "1号楼"
    assert (
        api_client(ledger_people["outsider"])
        .post("/api/ledger/export/buildings/", {}, format="json")
        .status_code
        == 404
    )


def test_the_import_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = schema.json()["paths"] if schema["Content-Type"].endswith("json") else None
    text = schema.content.decode()
    assert "/api/ledger/import/{kind}/" in text
    assert "/api/ledger/import/{kind}/template/" in text
    assert "/api/ledger/export/{kind}/" in text
    assert paths is None or "/api/ledger/import/{kind}/" in paths
