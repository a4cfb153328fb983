"""The clerk's view of one procedure, built from the form and the stored answers."""

from __future__ import annotations

import datetime as dt

from forms.loader import load_library
from kiosk.application import FlagCode, ProcedureAnswers, card_value_mark, split_marks
from kiosk.desk.view import procedure_view
from printouts.samples import sample_answers

LIBRARY = load_library()
ISSUED = dt.date(2026, 11, 23)


def test_a_notice_period_passed_on_the_issue_day_is_marked_at_its_answer() -> None:
    form = LIBRARY.get("tennyu")
    late = {**sample_answers(form, ISSUED), "moved_on": "2026-10-01"}
    view = procedure_view(0, ProcedureAnswers(form.id, form.version, late), LIBRARY, today=ISSUED)
    (row,) = [f for f in view.fields if f.path == "moved_on"]
    (flag,) = row.flags
    assert flag.code == "warning" and flag.attention and flag.ja.startswith("住み始めた日から14日を過ぎています")
    assert view.attention_count == 1
    assert row.to_json()["warnings"] == [{"ja": flag.ja, "en": flag.en}]


def test_in_time_nothing_is_marked() -> None:
    form = LIBRARY.get("tennyu")
    answers = {**sample_answers(form, ISSUED), "moved_on": "2026-11-20"}
    view = procedure_view(0, ProcedureAnswers(form.id, form.version, answers), LIBRARY, today=ISSUED)
    assert view.attention_count == 0 and view.notices == ()


def _with_marks(form_id: str, marks: dict[str, list[str]], **answers: object
                ) -> ProcedureAnswers:
    form = LIBRARY.get(form_id)
    return ProcedureAnswers(form.id, form.version, {**sample_answers(form, ISSUED), **answers},
                            marks)


def test_a_corrected_answer_shows_what_the_card_said_in_the_same_words() -> None:
    flags = {"applicant_birth_date": ["from_card", "corrected", card_value_mark(
        dt.date(1985, 6, 15))]}
    proc = _with_marks("juminhyo", flags, applicant_birth_date="1985-06-16")
    view = procedure_view(0, proc, LIBRARY, today=ISSUED)
    (row,) = [f for f in view.fields if f.path == "applicant_birth_date"]
    assert (row.value_ja, row.card_ja) == ("昭和60年6月16日", "昭和60年6月15日")
    assert (row.value_en, row.card_en) == ("June 16, 1985", "June 15, 1985")
    # The mark that keeps the value is no flag of its own: the clerk sees two marks, not three.
    assert [f.code for f in row.flags] == ["from_card", "corrected"]
    assert row.to_json()["card"] == {"ja": "昭和60年6月15日", "en": row.card_en}


def test_without_the_card_value_kept_the_corrected_row_shows_none() -> None:
    proc = _with_marks("juminhyo", {"applicant_address": ["from_card", "corrected"]})
    (row,) = [f for f in procedure_view(0, proc, LIBRARY, today=ISSUED).fields
              if f.path == "applicant_address"]
    assert row.card_ja == row.card_en == "" and "card" not in row.to_json()


def test_a_card_value_mark_is_read_back_and_a_broken_one_ignored() -> None:
    assert split_marks(["corrected", card_value_mark("見本 花子")]) == (["corrected"],
                                                                    ("見本 花子",))
    assert split_marks(["corrected", "card_value:{broken"]) == (["corrected"], None)


def test_a_sex_the_card_records_as_not_known_is_worded_for_the_clerk() -> None:
    proc = _with_marks("tennyu", {"members[0].sex": ["sex_not_known"]})
    (members,) = [f for f in procedure_view(0, proc, LIBRARY, today=ISSUED).fields
                  if f.path == "members"]
    (sex,) = [f for f in members.items[0] if f.field_id == "sex"]
    (flag,) = sex.flags
    assert (flag.code, flag.ja, flag.en, flag.attention) == (
        FlagCode.SEX_NOT_KNOWN, "性別が不明（ご本人に確認）",
        "Sex not recorded on the card: ask the resident", True)
    assert members.attention
