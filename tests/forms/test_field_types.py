"""A field type is one row of forms/field_types.py plus its renderers, and each reads in ja and en.

A new row that lacks a normaliser, a reader, a sample or an entry on either paper form fails
here by name, before a resident meets a KeyError at the kiosk or the counter.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from forms.field_types import FIELD_TYPES, single_answer_types
from forms.model import Form, FormField
from forms.normalise import NORMALISERS
from forms.reading import READERS, Unreadable, options, read_value
from printouts.assisted_entries import ENTRIES
from printouts.official_form import _CELLS
from printouts.samples import SAMPLE_VALUES
from tests.forms.helpers import load_inline

DOCS = Path(__file__).resolve().parents[2] / "docs" / "forms.md"
SINGLE = sorted(single_answer_types())


@pytest.mark.parametrize("name", sorted(FIELD_TYPES))
def test_every_type_has_its_renderers(name: str) -> None:
    row = FIELD_TYPES[name]
    single = row.single_answer
    assert (name in NORMALISERS) == single, "a normaliser (forms/normalise.py)"
    assert (name in READERS) == row.holds_value, "a reader (forms/reading.py)"
    assert (name in ENTRIES) == single, "a writing area (printouts/assisted_entries.py)"
    assert (name in _CELLS) == single, "a row and a column (printouts/official_form.py)"
    assert (name in SAMPLE_VALUES) == single, "a sample answer (printouts/samples.py)"
    assert name in READINGS, "a reading test below, in Japanese and English"


def test_docs_list_every_field_type() -> None:
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", DOCS.read_text(encoding="utf-8"), re.MULTILINE))
    assert set(FIELD_TYPES) <= listed


def test_the_rows_say_what_the_kiosk_asks() -> None:
    asked = {name for name, row in FIELD_TYPES.items() if row.asked_at_kiosk}
    assert asked == set(FIELD_TYPES) - {"my_number", "section", "info"}
    assert {n for n, r in FIELD_TYPES.items() if r.is_choice} == {
        "choice", "multi_choice", "yes_no", "applicant"}
    assert {n for n, r in FIELD_TYPES.items() if r.free_text} == {"text", "katakana", "address"}
    assert {n for n, r in FIELD_TYPES.items() if r.is_number} == {"integer", "copies"}
    assert {n for n, r in FIELD_TYPES.items() if r.is_date} == {"date"}
    assert {n for n, r in FIELD_TYPES.items() if r.is_note} == {"info"}
    assert {n for n, r in FIELD_TYPES.items() if r.is_section} == {"section"}
    assert {n for n, r in FIELD_TYPES.items() if r.repeats} == {"group"}
    # Every type the kiosk asks has a way in; the counter-only number and the others none.
    assert all((row.entry is not None) == row.asked_at_kiosk for row in FIELD_TYPES.values())


FORM = """
    fields:
      - {id: name, type: text, label: {ja: 氏名, en: Name}}
      - {id: kana, type: katakana, label: {ja: フリガナ, en: Reading}}
      - {id: count, type: integer, label: {ja: 人数, en: People}}
      - {id: copies, type: copies, label: {ja: 通数, en: Copies}}
      - {id: day, type: date, label: {ja: 日, en: Day}}
      - {id: western, type: date, calendar: western, label: {ja: 日, en: Day}}
      - id: purpose
        type: choice
        label: {ja: 使い道, en: Purpose}
        choices:
          - {value: work, label: {ja: 勤務先, en: Work}}
          - {value: bank, label: {ja: 銀行, en: Bank}}
      - id: items
        type: multi_choice
        label: {ja: 記載事項, en: Items}
        choices:
          - {value: work, label: {ja: 勤務先, en: Work}}
          - {value: bank, label: {ja: 銀行, en: Bank}}
      - {id: married, type: yes_no, label: {ja: 結婚, en: Married}}
      - {id: who, type: applicant, label: {ja: 窓口に来た人, en: Who came}}
      - {id: postal, type: postal_code, label: {ja: 郵便番号, en: Postal code}}
      - {id: home, type: address, label: {ja: 住所, en: Address}}
      - {id: tel, type: phone, label: {ja: 電話, en: Phone}}
      - {id: account, type: digits, length: 7, label: {ja: 口座番号, en: Account number}}
      - {id: bank, type: bank, label: {ja: 金融機関, en: Bank}}
      - {id: branch, type: bank_branch, bank: bank, label: {ja: 支店, en: Branch}}
      - id: members
        type: group
        label: {ja: 異動者, en: People moving}
        fields:
          - {id: born, type: date, label: {ja: 生年月日, en: Born}}
          - {id: member_name, type: text, label: {ja: 氏名, en: Name}}
      - id: more
        type: section
        label: {ja: 詳細, en: Details}
        fields:
          - {id: note, type: info, label: {ja: お知らせ, en: Notice}}
"""

# type: (field id, stored value, Japanese, English). my_number is read at the counter only,
# on a form of its own below.
READINGS: dict[str, tuple[str, Any, str, str]] = {
    "text": ("name", "見本 花子", "見本 花子", "見本 花子"),
    "katakana": ("kana", "ミホン ハナコ", "ミホン ハナコ", "ミホン ハナコ"),
    "integer": ("count", 3, "3", "3"),
    "copies": ("copies", 2, "2通", "2"),
    "date": ("day", "2019-05-01", "令和元年5月1日", "May 1, 2019"),
    "choice": ("purpose", "bank", "銀行", "Bank"),
    "multi_choice": ("items", ["work", "bank"], "勤務先、銀行", "Work, Bank"),
    "yes_no": ("married", False, "いいえ", "No"),
    "applicant": ("who", "agent", "代理人", "An agent"),
    "postal_code": ("postal", "123-4567", "〒123-4567", "123-4567"),
    "address": ("home", "みほん市中央1-2-3", "みほん市中央1-2-3", "みほん市中央1-2-3"),
    "phone": ("tel", "090-1234-5678", "090-1234-5678", "090-1234-5678"),
    "digits": ("account", "0012345", "0012345", "0012345"),
    "bank": ("bank", "0005", "三菱ＵＦＪ銀行（0005）", "三菱ＵＦＪ銀行 (0005)"),
    "bank_branch": ("branch", "002", "丸の内（002）", "丸の内 (002)"),  # its bank answered beside it
    "my_number": ("number", "123456789018", "123456789018", "123456789018"),
    "group": ("members", [{"born": "1985-06-15", "member_name": "見本 太郎"},
                          {"member_name": "見本 次郎"}], "見本 太郎、見本 次郎", "見本 太郎, 見本 次郎"),
    "section": ("more", {"anything": 1}, "", ""),
    "info": ("note", "a stray value", "", ""),
}
MY_NUMBER_FORM = """
    my_number_required: true
    fields:
      - {id: number, type: my_number, bind: card.my_number, label: {ja: 個人番号, en: My Number}}
"""


def _form(yaml: str) -> Form:
    lib, _ = load_inline(yaml)
    assert not lib.errors, [p.render("en") for p in lib.errors]
    return next(iter(lib.forms.values())).form


@pytest.fixture(scope="module")
def form() -> Form:
    return _form(FORM)


@pytest.mark.parametrize("name", sorted(READINGS))
def test_each_type_reads_in_japanese_and_english(name: str, form: Form) -> None:
    field_id, value, ja, en = READINGS[name]
    if name == "my_number":
        form = _form(MY_NUMBER_FORM)
    field = form.field(field_id)
    assert field.type == name
    beside = {"bank": "0005"}
    assert read_value(form, field, value, "ja", beside) == ja
    assert read_value(form, field, value, "en", beside) == en


def test_a_western_date_stays_western_and_other_languages_get_their_own(form: Form) -> None:
    assert read_value(form, form.field("western"), "2025-04-01", "ja") == "2025年4月1日"
    assert read_value(form, form.field("day"), "2025-04-01", "de") == "1. April 2025"
    assert read_value(form, form.field("married"), True, "ja") == "はい"


@pytest.mark.parametrize("field_id", ["name", "count", "day", "purpose", "items", "married", "members"])
def test_an_unanswered_field_reads_empty(field_id: str, form: Form) -> None:
    empties: tuple[Any, ...] = (None, "", [])
    for empty in empties:
        assert read_value(form, form.field(field_id), empty, "ja") == ""


@pytest.mark.parametrize(("field_id", "value"), [
    ("day", "next week"), ("day", 20250401), ("purpose", "lottery"), ("items", "work"),
    ("items", ["work", "lottery"]), ("married", "yes"), ("who", "friend"), ("members", "two"),
])
def test_a_value_its_field_cannot_hold_is_refused_not_guessed(field_id: str, value: Any,
                                                             form: Form) -> None:
    # The desk shows such a stored value raw and marked for the clerk (kiosk/desk/view.py).
    with pytest.raises(Unreadable):
        read_value(form, form.field(field_id), value, "ja")


def test_the_options_a_field_offers_are_its_answers_with_their_labels(form: Form) -> None:
    assert [(v, t.ja) for v, t in options(form, form.field("married"))] == [
        (True, "はい"), (False, "いいえ")]
    assert [(v, t.get("en")) for v, t in options(form, form.field("who"))] == [
        ("self", "The person themself"), ("agent", "An agent")]
    assert [v for v, _ in options(form, form.field("items"))] == ["work", "bank"]


def test_date_bounds_are_read_once_with_today_resolved(form: Form) -> None:
    field = FormField.model_validate(
        {"id": "d", "type": "date", "label": "日", "min": "2020-01-01", "max": "today"})
    today = dt.date(2025, 4, 1)
    assert field.date_bounds(today) == (dt.date(2020, 1, 1), today)
    assert form.field("day").date_bounds(today) == (None, None)
    assert form.field("count").date_bounds(today) == (None, None)


def test_the_single_answer_types_are_the_fields_with_one_answer() -> None:
    assert sorted(set(FIELD_TYPES) - {"group", "section", "info"}) == SINGLE
