"""The My Number check digit the card driver relies on (common.mynumber; docs/card.md)."""

from __future__ import annotations

import pytest

from common.mynumber import check_digit, is_valid_my_number


def test_spec_example_is_valid() -> None:
    assert is_valid_my_number("123456789018")
    assert check_digit("12345678901") == 8


@pytest.mark.parametrize("last", [d for d in "0123456789" if d != "8"])
def test_any_other_last_digit_is_invalid(last: str) -> None:
    assert not is_valid_my_number("12345678901" + last)


def test_remainder_0_or_1_gives_0() -> None:
    # 00000000000: sum 0 -> r 0 -> 0. 10000000000: 6 -> 11 - 6 = 5. 00000000006: 12 -> r 1 -> 0.
    assert check_digit("00000000000") == 0
    assert check_digit("10000000000") == 5
    assert check_digit("00000000006") == 0


@pytest.mark.parametrize(
    "number",
    [
        "12345678901",
        "1234567890180",
        "１２３４５６７８９０１８",
        "12345678901a",
        "",
        "1234 5678 9018",
    ],
)
def test_not_twelve_half_width_digits_is_invalid(number: str) -> None:
    assert not is_valid_my_number(number)


def test_check_digit_needs_eleven_digits() -> None:
    with pytest.raises(ValueError, match="11 half-width digits"):
        check_digit("1234")
