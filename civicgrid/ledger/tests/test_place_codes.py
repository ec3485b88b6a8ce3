"""Place codes (扫码报事): a signed QR code per grid, building or component that
opens the report form with the place filled in — printed by the staff who see
the place, scanned by anyone, refused when forged or when the place is gone."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from civicgrid.appeals import places
from civicgrid.appeals.jobs import register_submissions
from civicgrid.appeals.models import Appeal, CaseEvent, Submission
from civicgrid.appeals.tests.conftest import catalogue as catalogue  # noqa: F401
from civicgrid.ledger.tests.conftest import make_building, make_component


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def path_of(kind: str, pk: int) -> str:
    """The path of the link the place's QR code carries."""
    link = places.link(kind, pk)
    assert link.startswith("http://127.0.0.1:8000/report/at/")
    return urlsplit(link).path


def report(client: Client, path: str, catalogue, **extra) -> Appeal:
    page = client.get(path)
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        "idempotency_key": form.initial["idempotency_key"],
        "description": "这里的路灯不亮了",
        "category": str(form.initial.get("category") or catalogue["lamp"].pk),
        "kind": "",
        "latitude": str(form.initial.get("latitude", "")),
        "longitude": str(form.initial.get("longitude", "")),
        "address": "",
        "anonymous": "on",
        "consent": "on",
        **extra,
    }
    response = client.post(path, data)
    assert response.status_code == 302, (
        response.status_code,
        response.context and response.context["form"].errors,
    )
    assert Submission.objects.count() == 1
    assert register_submissions() == 1
    return Appeal.objects.get()


def test_a_grids_code_opens_the_form_at_the_grid_and_the_appeal_keeps_it(
    client, street, catalogue
):
    grid = street.grids["e1"]
    path = path_of("grid", grid.pk)
    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert "东嘎一网格" in html and 'id="scanned-place"' in html
    # The pin starts inside the grid (the middle of its square).
    form = page.context["form"]
    assert form.initial["latitude"] == pytest.approx(29.605)
    assert form.initial["longitude"] == pytest.approx(91.005)
    # A chat app's card for the shared link names the place, nobody's report.
    assert 'property="og:title"' in html and "og:image" in html
    assert f'content="http://127.0.0.1:8000{path}"' in html

    appeal = report(client, path, catalogue)
    assert appeal.street == street.street
    assert appeal.address == "东嘎一网格"
    submitted = CaseEvent.objects.get(appeal=appeal, action="submit")
    assert submitted.data["place"] == f"grid:{grid.pk}"
    assert submitted.data["place_name"] == "东嘎一网格"


def test_an_address_the_resident_gives_is_kept_over_the_places_name(
    client, street, catalogue
):
    path = path_of("grid", street.grids["e1"].pk)
    appeal = report(client, path, catalogue, address="幸福路12号门口")
    assert appeal.address == "幸福路12号门口"


def test_a_components_code_chooses_its_category_and_pins_the_component(
    client, street, catalogue
):
    lamp = make_component(street.grids["e2"], "0120", lon=91.0142, lat=29.6031)
    path = path_of("component", lamp.pk)
    form = client.get(path).context["form"]
    assert form.initial["category"] == catalogue["lamp"].pk
    assert (form.initial["latitude"], form.initial["longitude"]) == (29.6031, 91.0142)
    appeal = report(client, path, catalogue)
    assert appeal.category == catalogue["lamp"]
    assert appeal.address == str(lamp)


def test_a_buildings_code_pins_the_building(client, street, catalogue):
    building = make_building(
        street.grids["w1"], "幸福小区3号楼", lon=91.003, lat=29.612
    )
    form = client.get(path_of("building", building.pk)).context["form"]
    assert (form.initial["latitude"], form.initial["longitude"]) == (29.612, 91.003)


@pytest.mark.parametrize("change", ["forged", "other kind", "garbled", "empty"])
def test_a_forged_or_altered_code_opens_a_page_that_says_so(client, street, change):
    grid = street.grids["e1"]
    token = places.token("grid", grid.pk)
    value, signature = token.rsplit(":", 1)
    altered = {
        "forged": f"{value}:{signature[:-2]}xx",
        # Signed for a grid, passed off as a building's code of the same id.
        "other kind": places.token("building", grid.pk),
        "garbled": "not-a-code",
        "empty": "%20",
    }[change]
    response = client.get(f"/report/at/{altered}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'id="place-unknown"' in html and reverse("appeals:report") in html
    assert client.post(f"/report/at/{altered}/", {}).status_code == 404
    assert Submission.objects.count() == 0


def test_a_place_no_longer_in_use_has_no_code(client, street):
    grid = street.grids["e2"]
    building = make_building(street.grids["e1"])
    grid_path = path_of("grid", grid.pk)
    building_path = path_of("building", building.pk)
    grid.is_active = False
    grid.save(update_fields=["is_active"])
    building.is_active = False
    building.save(update_fields=["is_active"])
    assert client.get(grid_path).status_code == 404
    assert client.get(building_path).status_code == 404


def test_staff_who_see_the_place_print_its_card_and_download_its_image(
    street, ledger_people
):
    grid = street.grids["e1"]
    worker = signed_in(ledger_people["gridworker"])
    card = worker.get(reverse("appeals:place_code", args=["grid", grid.pk]))
    assert card.status_code == 200
    html = card.content.decode()
    assert places.link("grid", grid.pk) in html
    assert "data:image/svg+xml" in html and 'id="place-card"' in html
    # What residents read on the wall is in Chinese and in Tibetan.
    assert 'lang="zh-hans"' in html and 'lang="bo"' in html

    png = worker.get(reverse("appeals:place_code_file", args=["grid", grid.pk, "png"]))
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    assert png["Content-Disposition"] == (
        f'attachment; filename="report-code-grid-{grid.pk}.png"'
    )
    svg = worker.get(reverse("appeals:place_code_file", args=["grid", grid.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    gif = worker.get(f"/report/codes/grid/{grid.pk}/code.gif")
    assert gif.status_code == 404


def test_no_one_else_prints_a_places_code(street, ledger_people):
    building = make_building(street.grids["e1"])
    lamp = make_component(street.grids["e1"], "0120")
    w1_worker = signed_in(ledger_people["gridworker_w1"])
    outsider = signed_in(ledger_people["outsider"])
    for kind, pk in (
        ("grid", street.grids["e1"].pk),
        ("building", building.pk),
        ("component", lamp.pk),
        ("nothing", building.pk),
    ):
        for client in (w1_worker, outsider):
            card = client.get(reverse("appeals:place_code", args=[kind, pk]))
            assert card.status_code == 404, (kind, client)
            image = client.get(
                reverse("appeals:place_code_file", args=[kind, pk, "png"])
            )
            assert image.status_code == 404, (kind, client)
    anonymous = Client().get(reverse("appeals:place_code", args=["grid", 1]))
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]


def test_the_ledger_pages_link_to_the_codes(street, ledger_people):
    building = make_building(street.grids["e1"])
    lamp = make_component(street.grids["e1"], "0120")
    worker = signed_in(ledger_people["gridworker"])
    for page, kind, pk in (
        (reverse("ledger:index"), "grid", street.grids["e1"].pk),
        (reverse("ledger:building", args=[building.pk]), "building", building.pk),
        (reverse("ledger:component", args=[lamp.pk]), "component", lamp.pk),
    ):
        html = worker.get(page).content.decode()
        assert reverse("appeals:place_code", args=[kind, pk]) in html, page
        assert (
            worker.get(reverse("appeals:place_code", args=[kind, pk])).status_code
            == 200
        )
