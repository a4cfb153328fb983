"""What a resident typed, turned into one canonical value per field type."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from common.mynumber import check_digit
from forms.model import Form, FormField
from forms.normalise import Invalid, normalise

TODAY = dt.date(2025, 4, 1)


def make(type_: str, **options: Any) -> tuple[FormField, Form]:
    field = FormField.model_validate({"id": "f", "type": type_, "label": "項目", **options})
    form = Form.model_validate({
        "id": "t", "version": 1, "title": {"ja": "試験", "ja_kana": "しけん"},
        "category": "certificate", "counter": "resident",
        "applicants": [{"kind": "self", "label": "本人"}, {"kind": "agent", "label": "代理人"}],
        "fields": [field.model_dump(exclude_none=True)],
    })
    return field, form


def norm(type_: str, value: Any, **options: Any) -> Any:
    field, form = make(type_, **options)
    return normalise(value, field, form, TODAY)


def code_of(type_: str, value: Any, **options: Any) -> str:
    with pytest.raises(Invalid) as info:
        norm(type_, value, **options)
    return info.value.code


# -- katakana -----------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [
    ("ヤマダ　タロウ", "ヤマダ　タロウ"),
    ("やまだ たろう", "ヤマダ　タロウ"),  # hiragana, half-width space
    ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ"),  # half-width kana with a voiced mark
    ("ｽｽﾞｷ ｲﾁﾛｰ", "スズキ　イチロー"),
    ("ヴァン・ゴッホ", "ヴァン・ゴッホ"),
    ("  さとう  ", "サトウ"),
])
def test_katakana_becomes_full_width_katakana(typed: str, stored: str) -> None:
    assert norm("katakana", typed) == stored


@pytest.mark.parametrize("typed", ["山田", "ヤマダ太郎", "Yamada", "ヤマダ1", "やまだ!"])
def test_katakana_refuses_kanji_latin_and_digits(typed: str) -> None:
    assert code_of("katakana", typed) == "not_katakana"


def test_katakana_max_length() -> None:
    assert code_of("katakana", "アイウエオ", max_length=4) == "too_long"
    assert norm("katakana", "アイウエ", max_length=4) == "アイウエ"


# -- names and addresses are kept exactly -------------------------------------------------


@pytest.mark.parametrize("name", [
    "\U00020bb7野 太郎",  # 𠮷 (U+20BB7, つちよし), outside the BMP
    "\u9ad9橋 花子",  # 髙 (はしごだか)
    "山\ufa11 次郎",  # 﨑 (U+FA11, たつさき): NFKC would make it 崎
    "\u9f4b藤 三郎",  # 齋
    "渡邉 四郎",
])
def test_names_are_not_nfkc_normalised(name: str) -> None:
    assert norm("text", name) == name
    assert norm("address", f"みほん市{name}方") == f"みほん市{name}方"


def test_the_compatibility_ideograph_survives_byte_for_byte() -> None:
    stored = norm("text", "山\ufa11")
    assert stored.encode("utf-8") == "山\ufa11".encode()
    assert "\u5d0e" not in stored  # not 崎


def test_text_turns_half_width_kana_full_width_but_leaves_ascii() -> None:
    assert norm("text", "ﾔﾏﾀﾞ Taro 123") == "ヤマダ Taro 123"


def test_text_is_stripped_and_bounded() -> None:
    assert norm("text", "  山田  ") == "山田"
    assert code_of("text", "山田太郎", max_length=3) == "too_long"
    assert code_of("text", 123) == "not_text"


# -- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [
    ("3", 3), ("３", 3), (" １２ ", 12), (7, 7), ("-2", -2),
])
def test_integer_takes_half_and_full_width_digits(typed: Any, stored: int) -> None:
    assert norm("integer", typed) == stored


@pytest.mark.parametrize("typed", ["三", "3.5", 3.5, True, "", "1234567890", "1,000"])
def test_integer_refuses_what_is_not_a_whole_number(typed: Any) -> None:
    assert code_of("integer", typed) == "not_integer"


def test_integer_bounds() -> None:
    assert code_of("integer", "0", min=1, max=5) == "too_small"
    assert code_of("integer", "６", min=1, max=5) == "too_large"
    assert norm("integer", "5", min=1, max=5) == 5


def test_copies_default_to_between_1_and_20() -> None:
    assert code_of("copies", 0) == "too_small"
    assert code_of("copies", 21) == "too_large"
    assert norm("copies", "２０") == 20
    assert code_of("copies", 11, max=10) == "too_large"


@pytest.mark.parametrize(("typed", "stored"), [
    ("1000001", "100-0001"),
    ("100-0001", "100-0001"),
    ("１００－０００１", "100-0001"),
    ("〒100-0001", "100-0001"),
    ("100 0001", "100-0001"),
])
def test_postal_code(typed: str, stored: str) -> None:
    assert norm("postal_code", typed) == stored


@pytest.mark.parametrize("typed", ["100-001", "10000011", "abc-defg", ""])
def test_postal_code_refused(typed: str) -> None:
    assert code_of("postal_code", typed) == "not_postal_code"


@pytest.mark.parametrize(("typed", "stored"), [
    ("03-1234-5678", "03-1234-5678"),
    ("０３－１２３４－５６７８", "03-1234-5678"),
    ("09012345678", "09012345678"),
    ("(03)1234-5678", "03-1234-5678"),
    ("03 1234 5678", "03-1234-5678"),
])
def test_phone_stored_with_half_width_digits(typed: str, stored: str) -> None:
    assert norm("phone", typed) == stored


@pytest.mark.parametrize("typed", ["123", "03-1234-56789-0", "電話なし", "03-1234-567a"])
def test_phone_refused(typed: str) -> None:
    assert code_of("phone", typed) == "not_phone"


# -- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    "2025-04-01", "令和7年4月1日", "R7.4.1", "令和７年４月１日", dt.date(2025, 4, 1),
    dt.datetime(2025, 4, 1, 9, 30),
])
def test_dates_are_stored_as_iso(typed: Any) -> None:
    assert norm("date", typed) == "2025-04-01"


def test_date_refused_and_bounded() -> None:
    assert code_of("date", "いつか") == "not_date"
    assert code_of("date", 20250401) == "not_date"
    assert code_of("date", "2025-04-02", max="today") == "date_too_late"
    assert norm("date", "2025-04-01", max="today") == "2025-04-01"
    assert code_of("date", "1999-12-31", min=dt.date(2000, 1, 1)) == "date_too_early"
    assert code_of("date", "2000-01-01", min="2000-01-02") == "date_too_early"


# -- choices ------------------------------------------------------------------------------

CHOICES = [
    {"value": "a", "label": "あ"}, {"value": "b", "label": "い"}, {"value": "c", "label": "う"},
]


def test_choice() -> None:
    assert norm("choice", "b", choices=CHOICES) == "b"
    for wrong in ("z", ["a"], {"a": 1}, 1, None):
        assert code_of("choice", wrong, choices=CHOICES) == "not_a_choice"


def test_multi_choice_keeps_the_form_order_without_repeats() -> None:
    assert norm("multi_choice", ["c", "a", "c"], choices=CHOICES) == ["a", "c"]
    assert code_of("multi_choice", ["a", "z"], choices=CHOICES) == "not_a_choice"
    assert code_of("multi_choice", "a", choices=CHOICES) == "not_a_choice"


@pytest.mark.parametrize(("typed", "stored"), [
    (True, True), (False, False), ("yes", True), ("No", False), ("はい", True), ("いいえ", False),
])
def test_yes_no(typed: Any, stored: bool) -> None:
    assert norm("yes_no", typed) is stored


@pytest.mark.parametrize("typed", ["maybe", ["yes"], {"y": 1}, 2])
def test_yes_no_refused(typed: Any) -> None:
    assert code_of("yes_no", typed) == "not_yes_no"


def test_applicant_is_one_of_the_forms_applicants() -> None:
    assert norm("applicant", "agent") == "agent"
    for wrong in ("household", ["self"], None):
        assert code_of("applicant", wrong) == "not_a_choice"


# -- My Number ----------------------------------------------------------------------------


def test_my_number_check_digit() -> None:
    # 番号法施行令 第8条: weights 6,5,4,3,2,7,6,5,4,3,2; 11 - (sum mod 11), 0 when that is 0 or 1.
    # The field's normaliser uses common.mynumber's rule, the one the store and the desk use.
    assert check_digit("12345678901") == 8
    assert check_digit("00000000000") == 0


@pytest.mark.parametrize("typed", [
    "123456789018", "1234 5678 9018", "１２３４５６７８９０１８", "1234-5678-9018",
])
def test_my_number_valid(typed: str) -> None:
    assert norm("my_number", typed) == "123456789018"


@pytest.mark.parametrize("typed", [
    "123456789017",  # check digit changed
    "123456789019",
    "223456789018",  # first digit changed
    "123456789108",  # two digits swapped
    "12345678901",  # 11 digits
    "1234567890180",  # 13 digits
    "12345678901a",
])
def test_my_number_invalid(typed: str) -> None:
    assert code_of("my_number", typed) == "not_my_number"
