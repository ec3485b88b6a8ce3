from __future__ import annotations

from civicgrid.core.crypto import blind_index, mask_name, mask_phone


def test_masks():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("6812345") == "*******"
    assert mask_name("次仁旺堆") == "次***"
    assert mask_name("张") == "张*"


def test_blind_index_matches_equal_values_only():
    assert blind_index("13812341234") == blind_index(" 13812341234 ")
    assert blind_index("13812341234") != blind_index("13812341235")
