"""Vehicle plates as typed in chat."""

import pytest

from xietong.logistics.plate import normalize_plate


@pytest.mark.parametrize(
    ("typed", "plate"),
    [
        ("皖A12345", "皖A12345"),
        ("皖a12345", "皖A12345"),
        ("皖A·12345", "皖A12345"),
        ("皖 A 12345", "皖A12345"),
        ("皖Ａ１２３４５", "皖A12345"),  # full-width
        ("京AD12345", "京AD12345"),  # new energy, small car
        ("粤B12345F", "粤B12345F"),  # new energy, large vehicle
        ("苏E1234挂", "苏E1234挂"),  # trailer
        ("沪C9X8K7", "沪C9X8K7"),
    ],
)
def test_plates_in_one_spelling(typed, plate):
    assert normalize_plate(typed) == plate


@pytest.mark.parametrize(
    "typed",
    [
        "皖A1234",
        "皖A1234567",
        "皖AI2345",
        "皖AO2345",
        "AA12345",
        "哈A12345",
        "皖112345",
        "皖AD1234X5",
        "",
        "皖A12345挂",
    ],
)
def test_bad_plates_are_refused_with_an_example(typed):
    with pytest.raises(ValueError, match=r"车牌 格式不对.*如 皖A12345"):
        normalize_plate(typed)
