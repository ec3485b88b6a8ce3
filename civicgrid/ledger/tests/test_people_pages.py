"""The people pages write through the actions and say what they did."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from civicgrid.core import clock
from civicgrid.core.fields import full_text
from civicgrid.ledger.models import Household, Person, PersonTag, Residence

from .conftest import id_number, make_building, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(client, ledger_people):
    client.force_login(ledger_people["gridworker"])
    return client


@pytest.fixture
def household(street):
    return make_household(make_building(street.grids["e1"], "2号楼"), room="301")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_household_is_added_on_its_grids_page(worker, street):
    building = make_building(street.grids["e1"], "8号楼")
    response = worker.post(
        reverse("ledger:household_new", args=[street.grids["e1"].code]),
        {"building": building.pk, "unit": "2", "room": "602"},
        follow=True,
    )
    household = Household.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "ledger:household", args=[household.pk]
    )
    assert _messages(response) == ["Household 8号楼, unit 2, room 602 added."]


def test_a_known_id_number_links_to_the_person_and_the_box_moves_them_in(
    worker, household
):
    number = id_number(serial=401)
    url = reverse("ledger:person_new", args=[household.pk])
    worker.post(url, {"name": "央金", "id_number": number})
    other = make_household(household.building, room="302")
    url = reverse("ledger:person_new", args=[other.pk])
    refused = worker.post(url, {"name": "央金", "id_number": number})
    person = Person.objects.get()
    assert refused.status_code == 200
    assert refused.context["existing"] == person
    assert reverse("ledger:person", args=[person.pk]) in refused.content.decode()
    assert "already in the ledger" in refused.content.decode()
    moved = worker.post(
        url, {"name": "央金", "id_number": number, "move_existing": "on"}, follow=True
    )
    person.refresh_from_db()
    assert person.household == other
    assert "moved into" in _messages(moved)[-1]
    assert Person.objects.count() == 1


def test_moving_out_twice_on_the_page_names_the_date(worker, household):
    worker.post(reverse("ledger:person_new", args=[household.pk]), {"name": "多吉"})
    person = Person.objects.get()
    url = reverse("ledger:person_move_out", args=[person.pk])
    today = clock.today().isoformat()
    done = worker.post(
        url, {"moved_out_on": today, "moved_out_to": "林芝"}, follow=True
    )
    assert "they stay in the ledger as past" in _messages(done)[-1]
    again = worker.post(url, {"moved_out_on": today})
    assert again.status_code == 400
    assert (
        "already moved out" in again.context["move_out_form"].errors["moved_out_on"][0]
    )
    page = worker.get(reverse("ledger:household", args=[household.pk]))
    assert [s.person for s in page.context["members"]["past"]] == [person]
    assert Residence.objects.filter(person=person).count() == 1


def test_a_tag_is_added_and_ended_on_the_page(worker, household):
    worker.post(reverse("ledger:person_new", args=[household.pk]), {"name": "拉姆"})
    person = Person.objects.get()
    added = worker.post(
        reverse("ledger:person_tag_add", args=[person.pk]),
        {"tag": "party_member"},
        follow=True,
    )
    assert "Tagged" in _messages(added)[-1]
    mark = PersonTag.objects.get()
    ended = worker.post(
        reverse("ledger:person_tag_end", args=[person.pk, mark.pk]), {}, follow=True
    )
    assert "ended" in _messages(ended)[-1]
    assert PersonTag.objects.get().until == clock.today()


def test_consent_is_noted_with_who_and_when(worker, household, ledger_people):
    worker.post(reverse("ledger:person_new", args=[household.pk]), {"name": "拉姆"})
    person = Person.objects.get()
    done = worker.post(
        reverse("ledger:person_consent", args=[person.pk]),
        {"consented": "on"},
        follow=True,
    )
    assert "Consent noted" in _messages(done)[-1]
    person.refresh_from_db()
    assert person.appeals_consent_by == ledger_people["gridworker"]
    assert person.appeals_consent_at is not None


def test_editing_a_person_keeps_the_numbers_when_left_empty(worker, household):
    number = id_number(serial=402)
    worker.post(
        reverse("ledger:person_new", args=[household.pk]),
        {"name": "拉姆", "id_number": number, "phone": "13900000402"},
    )
    person = Person.objects.get()
    page = worker.get(reverse("ledger:person_edit", args=[person.pk]))
    assert number not in page.content.decode()
    saved = worker.post(
        reverse("ledger:person_edit", args=[person.pk]),
        {"name": "拉姆卓玛", "ethnicity": "藏族"},
        follow=True,
    )
    assert _messages(saved) == ["拉*** saved."]
    person.refresh_from_db()
    assert person.id_number == number and person.phone == "13900000402"
    assert person.name == "拉姆卓玛"


def test_a_visit_without_anything_written_is_refused_on_the_notes(worker, household):
    response = worker.post(reverse("ledger:visit_new", args=[household.pk]), {})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "notes": ["Write what you saw or found."]
    }


def test_the_edit_form_holds_the_whole_name_so_saving_it_unchanged_keeps_it(
    worker, household
):
    worker.post(
        reverse("ledger:person_new", args=[household.pk]),
        {"name": "拉巴次仁", "id_number": id_number(serial=403)},
    )
    person = Person.objects.get()
    form = worker.get(reverse("ledger:person_edit", args=[person.pk])).context["form"]
    initial = {name: form[name].value() for name in form.fields}
    assert initial["name"] == "拉巴次仁"
    data = {k: v for k, v in initial.items() if v is not None}
    data["ethnicity"] = "藏族"  # only the ethnicity is corrected
    worker.post(reverse("ledger:person_edit", args=[person.pk]), data)
    person.refresh_from_db()
    assert person.name == "拉巴次仁" and person.ethnicity == "藏族"


def test_a_masked_name_typed_back_is_refused_on_the_name(worker, household):
    worker.post(
        reverse("ledger:person_new", args=[household.pk]),
        {"name": "拉巴次仁", "id_number": id_number(serial=404)},
    )
    person = Person.objects.get()
    response = worker.post(
        reverse("ledger:person_edit", args=[person.pk]), {"name": "拉***"}
    )
    assert response.context["form"].errors == {
        "name": ["This is a masked name (with *): type the whole name."]
    }
    person.refresh_from_db()
    assert person.name == "拉巴次仁"


def test_a_household_note_edited_as_read_keeps_the_number_it_shows_masked(
    worker, household
):
    household.note = "儿子电话 13900008000"
    household.save()
    household.refresh_from_db()
    assert household.note == "儿子电话 139****8000"
    worker.post(
        reverse("ledger:household_edit", args=[household.pk]),
        {
            "building": household.building.pk,
            "unit": household.unit,
            "room": household.room,
            "note": household.note + "，周末在家",
        },
    )
    household.refresh_from_db()
    assert household.note == "儿子电话 139****8000，周末在家"
    assert full_text(household, "note") == "儿子电话 13900008000，周末在家"


def test_an_id_number_already_in_a_grid_one_only_reads_shows_the_name_masked(
    client, street, household
):
    from civicgrid.accounts.actions import membership_add
    from civicgrid.accounts.models import Role
    from conftest import make_user

    from .conftest import make_person

    west = make_household(make_building(street.grids["w1"], "9号楼"), room="101")
    number = id_number(serial=405)
    elsewhere = make_person(west, "次仁旺姆", number=number)
    Residence.objects.create(
        person=elsewhere, household=west, moved_in_on=dt.date(2001, 1, 1)
    )
    # Keeps e1, reads the whole street (w1 too).
    user = make_user("keeper_and_reader")
    membership_add(
        user=user, role=Role.GRID_WORKER, area=street.grids["e1"], acting_user=None
    )
    membership_add(
        user=user, role=Role.DISPATCHER, area=street.street, acting_user=None
    )
    client.force_login(user)
    page = client.post(
        reverse("ledger:person_new", args=[household.pk]),
        {"name": "次仁", "id_number": number},
    ).content.decode()
    assert reverse("ledger:person", args=[elsewhere.pk]) in page
    assert "次仁旺姆" not in page and "次***" in page
