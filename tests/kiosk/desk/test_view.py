"""The clerk's view of one procedure, built from the form and the stored answers."""

from __future__ import annotations

import dataclasses
import datetime as dt

from forms.loader import load_library
from kiosk.application import FlagCode, ProcedureAnswers, card_value_mark, split_marks
from kiosk.desk.view import procedure_view
from printouts.samples import sample_answers
from tests.forms.helpers import load_inline
from tests.kiosk.session_fixtures import HANAKO, Clock, RecordingCard, RecordingSubmitter, make_session

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


# The form the kiosk filled, whole: a card that records no sex, and a name the resident corrected.
MOVED_FORM = """
fields:
  - {id: applicant, type: applicant, label: 窓口に来た人は, required: true}
  - {id: applicant_name, type: text, label: {ja: 氏名, en: Name}, bind: card.name, required: true}
  - id: members
    type: group
    label: {ja: 引っ越した人, en: Everyone who moved}
    item_label: {ja: 引っ越した人, en: Person}
    min: 1
    fields:
      - {id: name, type: text, label: {ja: 氏名, en: Name}, bind: card.name, required: true}
      - id: sex
        type: choice
        label: {ja: 性別, en: Sex}
        bind: card.sex
        required: true
        choices:
          - {value: male, label: {ja: 男, en: Male}}
          - {value: female, label: {ja: 女, en: Female}}
          - {value: not_applicable, label: {ja: 該当なし, en: Not applicable}}
"""


def test_what_the_kiosk_marked_is_what_the_clerk_sees() -> None:
    library, _ = load_inline(MOVED_FORM)
    unknown = dataclasses.replace(HANAKO, sex=None, undecodable=("sex",))
    sub = RecordingSubmitter()
    s = make_session(RecordingCard(identity=unknown), sub, Clock(), library)
    s.start(); s.choose_form("test_form"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    s.answer("self")
    s.answer("female")  # the sex the card does not record: asked
    s.edit_group_item(0)
    s.answer("見本 華子")  # the card's name, corrected
    s.answer("female")
    s.finish_group()
    s.confirm()
    (proc,) = sub.submissions[0].procedures
    view = procedure_view(0, proc, library, today=ISSUED)
    (members,) = [f for f in view.fields if f.path == "members"]
    name, sex = members.items[0]
    assert (name.value_ja, name.card_ja, name.card_en) == ("見本 華子", "見本 花子", "見本 花子")
    assert [(f.ja, f.attention) for f in name.flags] == [("カードから", False), ("本人が修正", True)]
    assert (sex.value_ja, [(f.ja, f.en, f.attention) for f in sex.flags]) == ("女", [
        ("性別が不明（ご本人に確認）", "Sex not recorded on the card: ask the resident", True)])
    assert sex.card_ja == "" and view.attention_count == 2
