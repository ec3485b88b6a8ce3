import datetime as dt

import pytest

from civicgrid.core import clock
from civicgrid.core.errors import DomainError
from civicgrid.ledger import rules


def test_a_valid_id_number_passes_and_is_upper_cased():
    assert rules.check_id_number(" 11010519491231002x ") == "11010519491231002X"


def test_an_id_number_with_a_wrong_check_digit_names_the_right_one():
    with pytest.raises(DomainError) as caught:
        rules.check_id_number("110105194912310021", field="people.id_number")
    assert caught.value.field == "people.id_number"
    assert "X" in caught.value.message


@pytest.mark.parametrize("value", ["1101051949123100", "11010519491231002A"])
def test_an_id_number_of_the_wrong_shape_is_refused(value):
    with pytest.raises(DomainError):
        rules.check_id_number(value)


def test_an_id_number_born_after_today_is_refused():
    first = "54010220991231001"
    number = first + rules.id_number_check_digit(first)
    with pytest.raises(DomainError):
        rules.check_id_number(number)


def test_phones_are_normalised_and_bad_ones_refused():
    assert rules.check_phone("+86 139 0000 8000") == "13900008000"
    assert rules.check_phone("(0891)6812345") == "08916812345"
    with pytest.raises(DomainError) as caught:
        rules.check_phone("12345")
    assert caught.value.field == "phone"


def test_a_date_after_today_is_refused():
    with pytest.raises(DomainError) as caught:
        rules.check_past_date(
            clock.today() + dt.timedelta(days=2), field="birth_date", label="x"
        )
    assert caught.value.field == "birth_date"


def test_a_component_code_must_start_with_a_catalogue_subclass():
    assert rules.check_component_code("0120000123") == "0120"
    with pytest.raises(DomainError):
        rules.check_component_code("9999000123")
    with pytest.raises(DomainError):
        rules.check_component_code("01-20")


@pytest.mark.django_db
def test_a_point_outside_every_grid_is_refused():
    with pytest.raises(DomainError) as caught:
        rules.grid_at(0.0, 0.0, field="building.location")
    assert caught.value.field == "building.location"
