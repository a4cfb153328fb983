"""The one rule for the 12-digit number, as every layer applies it."""

from __future__ import annotations

import pytest

from common.mynumber import (
    check_digit,
    contains_my_number,
    find_my_number,
    is_valid_my_number,
    looks_like_card_qr,
    mask_my_number,
)


def test_check_digit_of_the_spec_example() -> None:
    assert check_digit("12345678901") == 8
    assert is_valid_my_number("123456789018")
    assert not is_valid_my_number("123456789017")


@pytest.mark.parametrize("bad", ["1234567890", "１２３４５６７８９０１", "1234567890a"])
def test_check_digit_refuses_anything_but_eleven_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_digit(bad)


@pytest.mark.parametrize("text", [
    "123456789018", "1234 5678 9018", "1234-5678-9018", "１２３４５６７８９０１８", "番号は123456789018です",
    "1234ー5678ー9018",  # ー: the kiosk's kana keyboard has it
    "１２３４ー５６７８ー９０１８", "1234ｰ5678ｰ9018", "1234−5678−9018", "1234‐5678‐9018",
    "1234–5678–9018", "1234—5678—9018", "1234―5678―9018", "1234－5678－9018",
    "1234.5678.9018", "1234．5678．9018", "1234・5678・9018", "1234/5678/9018", "1234／5678／9018",
    "1234  5678  9018", "1234\u30005678\u30009018", "1234\n5678\n9018", "1234\r\n5678\r\n9018",
    "1 2 3 4 5 6 7 8 9 0 1 8", "1234\t5678 - 9018",
])
def test_contains_finds_the_number_however_typed(text: str) -> None:
    assert contains_my_number(text)
    assert "1234" not in mask_my_number(text) and "9018" not in mask_my_number(text)


@pytest.mark.parametrize("text", [
    "123456789017", "1123456789018", "12345678901", "1234ー5678ー9017",
    "03-1234-5678 090-1234-5678",  # two phone numbers: no twelve digits check out together
    "1234    5678 9018",  # four spaces: two numbers, not one written with gaps
    "1234:5678:9018",  # a colon is not how the number is written
])
def test_contains_ignores_wrong_check_digits_and_longer_runs(text: str) -> None:
    assert not contains_my_number(text)


def test_mask_hides_only_the_number() -> None:
    assert mask_my_number("a 123456789018 b") == "a ############ b"


def test_find_walks_values_keys_and_integers_and_names_only_the_path() -> None:
    assert find_my_number({"a": [1, {"b": 123456789018}]}, "answers") == "answers.a[1].b"
    assert find_my_number({"123456789018": "x"}, "answers") == "answers (a key)"
    assert find_my_number({"a": ["ok", True, None, 3.5]}, "answers") is None


def test_card_qr_shape_is_twelve_ascii_digits() -> None:
    assert looks_like_card_qr("123456789017\r\n")
    assert not looks_like_card_qr("KS1-123456789017")


@pytest.mark.parametrize("bad", ["12345678901", "1234567890188", "１２３４５６７８９０１８", "12345678901a", ""])
def test_a_valid_number_is_exactly_twelve_half_width_digits(bad: str) -> None:
    assert not is_valid_my_number(bad)
