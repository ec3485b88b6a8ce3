"""Phone and ID numbers typed into free text: what is found, how it is masked,
and what is never a hit (grid codes, tracking codes, dates, amounts)."""

from __future__ import annotations

import pytest

from civicgrid.core.crypto import mask_phone
from civicgrid.core.pii import (
    ID_NUMBER,
    LANDLINE,
    MOBILE,
    find_numbers,
    id_check_digit,
    is_valid_id_number,
    mask_id_number,
    mask_text,
    public_text,
    unmask_text,
)

ID = "540102199001011233"  # synthetic, with its check digit
ID_X = "11010519491231002X"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(m.kind, m.text) for m in find_numbers(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("联系我 13900008000", [(MOBILE, "13900008000")]),
        ("电话139 1234 8000。", [(MOBILE, "139 1234 8000")]),
        ("电话：139-1234-8000", [(MOBILE, "139-1234-8000")]),
        ("+86 13912348000", [(MOBILE, "+86 13912348000")]),
        ("8613912348000", [(MOBILE, "8613912348000")]),
        ("Tel: 19912348000.", [(MOBILE, "19912348000")]),
        ("(0891)6812345", [(LANDLINE, "(0891)6812345")]),
        ("（0891）6812345", [(LANDLINE, "（0891）6812345")]),
        ("座机0891-6812345", [(LANDLINE, "0891-6812345")]),
        ("010 62345678", [(LANDLINE, "010 62345678")]),
        (f"身份证{ID}", [(ID_NUMBER, ID)]),
        (f"身份证 {ID_X.lower()}", [(ID_NUMBER, ID_X.lower())]),
    ],
)
def test_mobiles_landlines_and_id_numbers_are_found(text, found):
    assert kinds(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "网格 540103001001001 的路灯",  # a 15-digit grid code
        "540103001001001001",  # 18 digits, not an ID number (no birth date)
        "查询码 X7K2M9P4QR，另一个 2345678923",  # tracking codes
        "2024-03-15 09:30 到 20240315",  # dates
        "赔偿 12000元，共 1380000 元",  # amounts
        "2026年",  # a year
        "1391234800012",  # a mobile inside a longer run
        "913912348000",  # and preceded by a digit
        "abc13912348000def",  # inside a key or a hash
        "139 1234-8000",  # mixed grouping is not a phone's
        "0891-1234567",  # a landline's local part never starts with 1
    ],
)
def test_codes_dates_amounts_and_longer_runs_are_not_hits(text):
    assert find_numbers(text) == []


def test_an_id_number_needs_its_check_digit_and_a_real_birth_date():
    assert is_valid_id_number(ID) and is_valid_id_number(ID_X)
    assert is_valid_id_number(ID_X.lower())
    wrong = ID[:17] + ("0" if ID[17] != "0" else "1")
    assert not is_valid_id_number(wrong)
    assert find_numbers(f"身份证{wrong}") == []
    # 1990-02-30 does not exist; 2999 is to come; 99 is no province.
    for body in ("54010219900230123", "54010229990101123", "99010219900101123"):
        assert not is_valid_id_number(body + id_check_digit(body))
    assert not is_valid_id_number("5401021990010112")  # too short
    assert not is_valid_id_number("")


def test_a_masked_id_number_cannot_be_put_together_from_the_birth_date():
    # The birth date and the county are known to whoever sees the mask; the
    # sequence is not, so about a hundred numbers fit it, not one.
    masked = mask_id_number(ID)
    known = ID[:14]
    fits = [
        f"{known}{seq:03d}{id_check_digit(f'{known}{seq:03d}')}" for seq in range(1000)
    ]
    assert sum(mask_id_number(n) == masked for n in fits) > 50


def test_an_edited_masked_text_gets_its_numbers_back_where_their_mask_stands():
    original = f"联系我 13912348000，身份证 {ID}"
    edited = mask_text(original).replace("联系我", "找儿子")
    assert unmask_text(edited, original) == f"找儿子 13912348000，身份证 {ID}"
    # A mask the original did not hold stays as typed.
    assert unmask_text("137****4321", original) == "137****4321"
    assert unmask_text("没有星号", original) == "没有星号"


def test_masks_keep_the_ends_only():
    assert mask_id_number(ID_X) == "1101*************X"
    assert mask_phone("13912348000") == "139****8000"
    assert mask_phone("0891-6812345") == "0891-***2345"
    assert mask_phone("01062345678") == "010-****5678"
    assert (
        mask_text(f"联系我 139 1234 8000 或 (0891)6812345，身份证 {ID}")
        == "联系我 139****8000 或 0891-***2345，身份证 5401*************3"
    )
    assert mask_text("没有号码") == "没有号码"
    assert mask_text(mask_text("联系我 13900008000")) == "联系我 139****8000"


def test_the_public_text_shows_nothing_of_a_number_whole_or_masked():
    text = f"联系我 13900008000 或 0891-6812345，身份证 {ID}。网格 540103001001001"
    public = public_text(text)
    assert "8000" not in public and "2345" not in public and "1233" not in public
    assert public.count("[number hidden]") == 3
    assert "540103001001001" in public
    assert public_text(mask_text(text)) == public
    assert public_text("") == ""
