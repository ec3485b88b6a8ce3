import datetime as dt

import pytest

from civicgrid.core import clock, crypto
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.ledger.actions import people as actions
from civicgrid.ledger.models import Change, Person, PersonTag, Residence, Visit
from civicgrid.ledger.selectors import people_to_visit

from .conftest import id_number, make_building, make_household, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(street):
    return make_household(make_building(street.grids["e1"], "1号楼"), room="101")


def _add(user, household, **values):
    data = actions.PersonInput(name=values.pop("name", "扎西多吉"), **values)
    return actions.person_add(acting_user=user, household=household, data=data)


def test_a_grid_worker_adds_a_household_with_its_grid_from_the_building(
    street, ledger_people
):
    building = make_building(street.grids["e2"], "3号楼")
    household = actions.household_create(
        acting_user=ledger_people["gridworker"], building=building, unit="2", room="301"
    )
    assert household.grid == street.grids["e2"]
    assert str(household) == "3号楼, unit 2, room 301"
    assert Change.objects.filter(model="household", action="create").exists()


def test_the_same_address_twice_is_refused_naming_the_room(street, ledger_people, home):
    with pytest.raises(DomainError) as refused:
        actions.household_create(
            acting_user=ledger_people["gridworker"],
            building=home.building,
            unit="1",
            room="101",
        )
    assert refused.value.field == "room"


def test_a_person_is_added_encrypted_with_birth_date_and_gender_from_the_id_number(
    ledger_people, home
):
    number = id_number(dt.date(1948, 5, 6), serial=11)
    added = _add(
        ledger_people["gridworker"], home, id_number=number, phone="13900000011"
    )
    person = Person.objects.get(pk=added.person.pk)
    assert person.birth_date == dt.date(1948, 5, 6)
    assert person.gender == Person.Gender.MALE  # the 17th digit, 1, is odd
    assert person.id_number_index == crypto.blind_index(number)
    assert Residence.objects.get(person=person).moved_in_on == clock.today()
    change = Change.objects.get(model="person", object_id=person.pk, action="create")
    assert number not in str(change.changes) and "13900000011" not in str(
        change.changes
    )


def test_a_birth_date_that_disagrees_with_the_id_number_is_refused(ledger_people, home):
    with pytest.raises(DomainError) as refused:
        _add(
            ledger_people["gridworker"],
            home,
            id_number=id_number(dt.date(1948, 5, 6)),
            birth_date=dt.date(1950, 1, 1),
        )
    assert refused.value.field == "birth_date"
    assert not Person.objects.exists()


def test_a_wrong_check_digit_is_refused_naming_the_id_number(ledger_people, home):
    number = id_number()
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(DomainError) as refused:
        _add(ledger_people["gridworker"], home, id_number=wrong)
    assert refused.value.field == "id_number"


def test_a_birth_date_after_today_is_refused(ledger_people, home):
    with pytest.raises(DomainError) as refused:
        _add(
            ledger_people["gridworker"],
            home,
            birth_date=clock.today() + dt.timedelta(days=1),
        )
    assert refused.value.field == "birth_date"


def test_the_same_id_number_again_is_refused_naming_the_existing_person(
    street, ledger_people, home
):
    number = id_number(serial=21)
    first = _add(ledger_people["gridworker"], home, id_number=number).person
    other = make_household(home.building, room="102")
    with pytest.raises(actions.PersonExistsError) as refused:
        _add(ledger_people["gridworker"], other, name="另一个", id_number=number)
    assert refused.value.person == first and refused.value.field == "id_number"
    assert Person.objects.count() == 1


def test_the_same_id_number_with_move_existing_moves_them_from_another_grid(
    street, ledger_people, home
):
    number = id_number(serial=22)
    first = _add(ledger_people["gridworker"], home, id_number=number).person
    west = make_household(make_building(street.grids["w1"], "7号楼"))
    added = actions.person_add(
        acting_user=ledger_people["gridworker_w1"],
        household=west,
        data=actions.PersonInput(name="扎西多吉", id_number=number),
        move_existing=True,
    )
    assert added.moved and added.person.pk == first.pk
    first.refresh_from_db()
    assert first.household == west
    stays = list(Residence.objects.filter(person=first).order_by("pk"))
    assert stays[0].moved_out_on == clock.today() and stays[1].moved_out_on is None


def test_moving_out_twice_is_refused_naming_the_field(ledger_people, home):
    person = _add(ledger_people["gridworker"], home).person
    actions.person_move_out(
        acting_user=ledger_people["gridworker"], person=person, on=clock.today()
    )
    person.refresh_from_db()
    assert person.household is None
    with pytest.raises(DomainError) as refused:
        actions.person_move_out(
            acting_user=ledger_people["gridworker"], person=person, on=clock.today()
        )
    assert refused.value.field == "moved_out_on"
    assert Residence.objects.filter(person=person).count() == 1


def test_a_move_out_before_the_move_in_is_refused(ledger_people, home):
    person = _add(ledger_people["gridworker"], home).person
    with pytest.raises(DomainError) as refused:
        actions.person_move_out(
            acting_user=ledger_people["gridworker"],
            person=person,
            on=clock.today() - dt.timedelta(days=3),
        )
    assert refused.value.field == "moved_out_on"


def test_moving_into_another_household_closes_the_old_stay(ledger_people, home):
    person = _add(ledger_people["gridworker"], home).person
    other = make_household(home.building, room="202")
    actions.person_move_in(
        acting_user=ledger_people["gridworker"], person=person, household=other
    )
    assert [r.household for r in Residence.objects.filter(person=person)] == [
        home,
        other,
    ]
    assert Residence.objects.get(person=person, household=home).moved_out_on


def test_a_stale_move_loses_to_the_one_that_won(ledger_people, home):
    person = _add(ledger_people["gridworker"], home).person
    stale = Person.objects.get(pk=person.pk)
    actions.person_move_out(
        acting_user=ledger_people["gridworker"], person=person, on=clock.today()
    )
    other = make_household(home.building, room="303")
    with pytest.raises(ConflictError):
        actions.person_move_in(
            acting_user=ledger_people["gridworker"], person=stale, household=other
        )


def test_a_tag_is_added_and_ended_and_its_history_kept(ledger_people, home):
    person = _add(ledger_people["gridworker"], home).person
    mark = actions.tag_add(
        acting_user=ledger_people["gridworker"],
        person=person,
        tag=PersonTag.Tag.LIVES_ALONE,
        since=clock.today() - dt.timedelta(days=10),
    )
    with pytest.raises(DomainError) as twice:
        actions.tag_add(
            acting_user=ledger_people["gridworker"],
            person=person,
            tag=PersonTag.Tag.LIVES_ALONE,
        )
    assert twice.value.field == "tag"
    actions.tag_end(acting_user=ledger_people["gridworker"], mark=mark)
    with pytest.raises(ConflictError):
        actions.tag_end(acting_user=ledger_people["gridworker"], mark=mark)
    assert PersonTag.objects.get(pk=mark.pk).until == clock.today()
    actions.tag_add(
        acting_user=ledger_people["gridworker"],
        person=person,
        tag=PersonTag.Tag.LIVES_ALONE,
    )
    assert PersonTag.objects.filter(person=person).count() == 2


@pytest.mark.parametrize("who", ["leader", "dispatcher", "gridworker_w1"])
def test_who_only_reads_or_keeps_another_grid_may_not_write(who, ledger_people, home):
    with pytest.raises(PermissionDeniedError):
        _add(ledger_people[who], home)


def test_a_reveal_needs_a_reason_and_is_recorded(ledger_people, home):
    number = id_number(serial=31)
    person = _add(ledger_people["community_east"], home, id_number=number).person
    with pytest.raises(DomainError) as refused:
        actions.person_reveal(
            acting_user=ledger_people["community_east"],
            person=person,
            field="id_number",
            reason=" ",
        )
    assert refused.value.field == "reason"
    value = actions.person_reveal(
        acting_user=ledger_people["community_east"],
        person=person,
        field="id_number",
        reason="办理低保",
    )
    assert value == number
    change = Change.objects.get(action="reveal")
    assert change.reason == "办理低保" and change.changes == {"field": "id_number"}


@pytest.mark.parametrize("who", ["leader", "dispatcher"])
def test_readers_may_not_reveal(who, ledger_people, home):
    person = _add(ledger_people["gridworker"], home, phone="13900000031").person
    with pytest.raises(PermissionDeniedError):
        actions.person_reveal(
            acting_user=ledger_people[who], person=person, field="phone", reason="x"
        )


def test_a_visit_is_recorded_with_the_people_met(ledger_people, home):
    person = _add(ledger_people["gridworker"], home).person
    recorded = actions.visit_record(
        acting_user=ledger_people["gridworker"],
        household=home,
        people_met=[person],
        notes="身体好",
    )
    assert list(recorded.visit.people_met.all()) == [person]
    assert recorded.appeal is None


def test_a_visit_without_notes_or_findings_is_refused(ledger_people, home):
    with pytest.raises(DomainError) as refused:
        actions.visit_record(acting_user=ledger_people["gridworker"], household=home)
    assert refused.value.field == "notes"
    assert not Visit.objects.exists()


def test_a_finding_becomes_a_patrol_appeal_of_the_grid_on_behalf_of_a_member(
    street, ledger_people, home
):
    person = _add(ledger_people["gridworker"], home, phone="13900000041").person
    recorded = actions.visit_record(
        acting_user=ledger_people["gridworker"],
        household=home,
        findings="楼道灯坏了",
        make_appeal=True,
        appellant=person,
    )
    appeal = recorded.appeal
    assert appeal is not None and appeal.channel == "patrol"
    assert appeal.grid == street.grids["e1"]
    assert appeal.appellant_phone_index == person.phone_index
    assert recorded.visit.appeal == appeal


def test_community_staff_note_a_finding_but_cannot_file_it(ledger_people, home):
    with pytest.raises(DomainError) as refused:
        actions.visit_record(
            acting_user=ledger_people["community_east"],
            household=home,
            findings="楼道灯坏了",
            make_appeal=True,
        )
    assert refused.value.field == "make_appeal"
    assert not Visit.objects.exists()


def test_people_to_visit_are_those_tagged_and_not_visited_for_30_days_oldest_first(
    street, ledger_people, home
):
    gw = ledger_people["gridworker"]
    never = make_person(home, "次仁")
    other = make_household(home.building, room="102")
    long_ago = make_person(other, "白玛")
    recent_home = make_household(home.building, room="103")
    recent = make_person(recent_home, "拉姆")
    untagged = make_person(make_household(home.building, room="104"), "多吉")
    for person in (never, long_ago, recent):
        PersonTag.objects.create(
            person=person, tag=PersonTag.Tag.LIVES_ALONE, since=dt.date(2020, 1, 1)
        )
    Visit.objects.create(
        household=other, visitor=gw, visited_at=clock.now() - dt.timedelta(days=40)
    )
    Visit.objects.create(
        household=recent_home, visitor=gw, visited_at=clock.now() - dt.timedelta(days=3)
    )
    assert list(people_to_visit(street.grids["e1"])) == [never, long_ago]
    assert untagged not in people_to_visit(street.grids["e1"])
