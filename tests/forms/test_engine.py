"""The answer engine: what is shown, required and wrong for the answers so far."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from forms.engine import Evaluation, Stage, evaluate, prefill, prefill_item
from forms.loader import Library, load_library
from forms.model import Form
from tests.forms.helpers import TODAY, assert_form, load_inline

# -- visibility ---------------------------------------------------------------------------


def _code(ev: Evaluation, path: str) -> str | None:
    """The code of the error at `path` (what the resident is told), or None."""
    error = ev.error_at(path)
    return error.code if error is not None else None


def test_show_if_follows_the_answer() -> None:
    form = """
        fields:
          - id: purpose
            type: choice
            label: 使いみち
            choices:
              - {value: pension, label: 年金}
              - {value: other, label: その他}
          - {id: purpose_other, type: text, label: 具体的に, show_if: "purpose == 'other'"}
    """
    assert assert_form(form, answers={"purpose": "other"}).state("purpose_other").visible
    assert not assert_form(form, answers={"purpose": "pension"}).state("purpose_other").visible
    # Unanswered: null satisfies no comparison, so the question waits for its condition.
    assert not assert_form(form, answers={}).state("purpose_other").visible


def test_a_hidden_section_hides_everything_in_it() -> None:
    form = """
        fields:
          - {id: applicant, type: applicant, label: 申請者, required: true}
          - id: subject
            type: section
            label: 必要な人
            show_if: "applicant != 'self'"
            fields:
              - {id: subject_name, type: text, label: 氏名, required: true}
              - {id: note, type: text, label: 備考, show_if: answered(subject_name)}
    """
    ev = assert_form(form, answers={"applicant": "self", "subject_name": "山田", "note": "x"})
    assert [s.path for s in ev.visible()] == ["applicant"]
    assert ev.ok
    ev = assert_form(form, answers={"applicant": "agent"})
    assert {s.path for s in ev.visible()} == {"applicant", "subject", "subject_name"}
    assert _code(ev, "subject_name") == "required"


def test_info_is_shown_but_holds_nothing() -> None:
    ev = assert_form("""
        fields:
          - {id: notice, type: info, label: お知らせ, help: 窓口でお待ちください}
          - {id: name, type: text, label: 氏名}
    """, answers={"notice": "ignored"})
    assert ev.state("notice").visible
    assert "notice" not in ev.values


def test_a_group_field_sees_its_own_item_first_then_the_form() -> None:
    form = """
        fields:
          - {id: moving_together, type: yes_no, label: 一緒に引っ越しますか}
          - id: members
            type: group
            label: 引っ越す人
            show_if: moving_together
            fields:
              - {id: name, type: text, label: 氏名, required: true}
              - id: relation
                type: choice
                label: 続柄
                choices: [{value: child, label: 子}, {value: other, label: その他}]
              - id: relation_other
                type: text
                label: 続柄（具体的に）
                show_if: "relation == 'other'"
                required: true
    """
    ev = assert_form(form, answers={"moving_together": True, "members": [
        {"name": "一郎", "relation": "child"},
        {"name": "花子", "relation": "other"},
    ]})
    assert not ev.state("members[0].relation_other").visible
    assert ev.state("members[1].relation_other").visible
    assert _code(ev, "members[1].relation_other") == "required"
    assert ev.error_at("members[0].relation_other") is None

    ev = assert_form(form, answers={"moving_together": False, "members": [{"relation": "other"}]})
    assert not ev.state("members").visible
    assert not ev.state("members[0].name").visible
    assert ev.ok


def test_count_of_a_group_can_show_another_field() -> None:
    form = """
        fields:
          - id: members
            type: group
            label: 引っ越す人
            fields:
              - {id: name, type: text, label: 氏名}
          - {id: together_note, type: text, label: 同居の事情, show_if: count(members) >= 2}
    """
    ev = assert_form(form, answers={"members": [{"name": "a"}]})
    assert not ev.state("together_note").visible
    ev = assert_form(form, answers={"members": [{"name": "a"}, {"name": "b"}]})
    assert ev.state("together_note").visible


# -- required -----------------------------------------------------------------------------


def test_required_true_and_false() -> None:
    form = """
        fields:
          - {id: name, type: text, label: 氏名, required: true}
          - {id: phone, type: phone, label: 電話番号}
    """
    ev = assert_form(form, answers={})
    assert ev.state("name").required and not ev.state("phone").required
    assert [(e.path, e.code) for e in ev.errors] == [("name", "required")]
    empties: tuple[object, ...] = ("", None, [])
    for empty in empties:
        assert _code(assert_form(form, answers={"name": empty}), "name") == "required"
    assert assert_form(form, answers={"name": "山田"}).ok


def test_required_by_expression() -> None:
    form = """
        fields:
          - {id: applicant, type: applicant, label: 申請者, required: true}
          - id: agent_phone
            type: phone
            label: 代理人の電話番号
            required: "applicant == 'agent'"
    """
    assert assert_form(form, answers={"applicant": "self"}).ok
    ev = assert_form(form, answers={"applicant": "agent"})
    assert ev.state("agent_phone").required
    assert _code(ev, "agent_phone") == "required"


def test_a_hidden_required_field_is_not_required() -> None:
    ev = assert_form("""
        fields:
          - {id: wants, type: yes_no, label: 希望しますか}
          - {id: reason, type: text, label: 理由, show_if: wants, required: true}
    """, answers={"wants": False})
    assert not ev.state("reason").required
    assert ev.ok


def test_a_required_group_needs_an_item() -> None:
    form = """
        fields:
          - id: members
            type: group
            label: 人
            required: true
            fields:
              - {id: name, type: text, label: 氏名}
    """
    err = assert_form(form, answers={}).error_at("members")
    assert err is not None and err.code == "required"
    assert assert_form(form, answers={"members": [{"name": "a"}]}).ok


# -- validation messages ------------------------------------------------------------------


def test_messages_in_japanese_and_english() -> None:
    ev = assert_form("""
        fields:
          - {id: name, type: text, label: 氏名, required: true}
          - {id: copies, type: copies, label: 通数, max: 10}
          - {id: birth, type: date, label: 生年月日, max: today}
          - {id: zip, type: postal_code, label: 郵便番号}
          - {id: kana, type: katakana, label: フリガナ}
    """, answers={"copies": "１１", "birth": "令和8年1月1日", "zip": "12", "kana": "山田"})
    by_path = {e.path: e for e in ev.errors}
    assert by_path["name"].message.get("ja") == "ここは必ず答えてください。"
    assert by_path["name"].message.get("en") == "Please answer this."
    assert by_path["copies"].code == "too_large"
    assert by_path["copies"].message.get("ja") == "10以下の数にしてください。"
    assert by_path["copies"].message.get("en") == "Please enter 10 or less."
    assert by_path["birth"].code == "date_too_late"
    assert "2025-04-01" in by_path["birth"].message.get("en")
    assert by_path["zip"].message.get("ja").startswith("郵便番号は7けた")
    assert by_path["kana"].message.get("en") == "Please enter in katakana."
    # Another language falls back to Japanese: a resident always gets something to read.
    assert by_path["kana"].message.get("vi") == "カタカナで入力してください。"


def test_a_wrong_answer_keeps_what_was_typed_and_is_left_out_of_values() -> None:
    ev = assert_form("""
        fields:
          - {id: copies, type: copies, label: 通数}
    """, answers={"copies": "たくさん"})
    assert ev.state("copies").value == "たくさん"
    assert _code(ev, "copies") == "not_integer"
    assert "copies" not in ev.values


def test_answers_of_the_wrong_kind_are_messages_not_crashes() -> None:
    ev = assert_form("""
        fields:
          - {id: c, type: choice, label: 選ぶ, choices: [{value: a, label: あ}]}
          - {id: y, type: yes_no, label: はい・いいえ}
          - {id: who, type: applicant, label: 申請者}
          - {id: n, type: integer, label: 数}
          - id: members
            type: group
            label: 人
            fields:
              - {id: name, type: text, label: 氏名}
    """, answers={"c": ["a"], "y": {"x": 1}, "who": ["self"], "n": [1], "members": "山田"})
    assert {e.path: e.code for e in ev.errors} == {
        "c": "not_a_choice", "y": "not_yes_no", "who": "not_a_choice", "n": "not_integer",
        "members": "not_a_list",
    }


# -- rules --------------------------------------------------------------------------------


def test_a_field_rule_speaks_of_its_own_value() -> None:
    form = """
        fields:
          - id: copies
            type: copies
            label: 通数
            rules:
              - check: value <= 3 or purpose == 'inheritance'
                message:
                  ja: 4通以上は相続の場合だけです。
                  en: More than 3 copies only for an inheritance.
          - id: purpose
            type: choice
            label: 使いみち
            choices: [{value: inheritance, label: 相続}, {value: other, label: その他}]
    """
    ev = assert_form(form, answers={"copies": 5, "purpose": "other"})
    err = ev.error_at("copies")
    assert err is not None and err.code == "rule"
    assert err.message.get("en") == "More than 3 copies only for an inheritance."
    assert err.message.get("ja") == "4通以上は相続の場合だけです。"
    assert "copies" not in ev.values
    assert assert_form(form, answers={"copies": 5, "purpose": "inheritance"}).ok
    assert assert_form(form, answers={"copies": 2, "purpose": "other"}).ok


def test_a_field_rule_runs_only_on_a_valid_answer_and_when_its_when_holds() -> None:
    form = """
        fields:
          - {id: adult, type: yes_no, label: 成人ですか}
          - id: birth
            type: date
            label: 生年月日
            rules:
              - check: age(value) >= 18
                when: adult
                message: {ja: 18歳未満です。, en: Under 18.}
    """
    ev = assert_form(form, answers={"adult": True, "birth": "2010-01-01"})
    assert _code(ev, "birth") == "rule"
    assert assert_form(form, answers={"adult": False, "birth": "2010-01-01"}).ok
    err = assert_form(form, answers={"adult": True, "birth": "だめ"}).error_at("birth")
    assert err is not None and err.code == "not_date"


def test_form_rules_at_a_field_and_for_the_whole_form() -> None:
    form = """
        fields:
          - {id: applicant, type: applicant, label: 申請者}
          - id: items
            type: multi_choice
            label: 載せる事項
            choices: [{value: my_number, label: 個人番号}, {value: honseki, label: 本籍}]
        rules:
          - check: not ('my_number' in items and applicant == 'agent')
            field: items
            message: {ja: 代理人には個人番号入りを渡せません。, en: Not to an agent.}
          - check: count(items) <= 1
            when: applicant == 'self'
            message: {ja: 1つだけ選んでください。, en: Choose one.}
    """
    ev = assert_form(form, answers={"applicant": "agent", "items": ["my_number"]})
    assert [(e.path, e.code, e.message.get("en")) for e in ev.errors] == [
        ("items", "rule", "Not to an agent."),
    ]
    ev = assert_form(form, answers={"applicant": "self", "items": ["my_number", "honseki"]})
    assert [(e.path, e.message.get("ja")) for e in ev.errors] == [("", "1つだけ選んでください。")]
    assert assert_form(form, answers={"applicant": "agent", "items": ["honseki"]}).ok


def test_a_form_rule_at_a_field_waits_for_its_answer() -> None:
    # Like a field's own rules: no message about an answer not given yet ("required" says that).
    form = """
        fields:
          - id: insurance
            type: choice
            label: 健康保険
            required: true
            choices: [{value: kokuho, label: 国保}, {value: civil_servant, label: 共済}]
        rules:
          - check: insurance != 'civil_servant'
            field: insurance
            message: {ja: 勤務先で申請してください。, en: Apply at your workplace.}
    """
    ev = assert_form(form, answers={})
    assert [(e.path, e.code) for e in ev.errors] == [("insurance", "required")]
    ev = assert_form(form, answers={"insurance": "civil_servant"})
    assert [(e.path, e.code) for e in ev.errors] == [("insurance", "rule")]
    assert assert_form(form, answers={"insurance": "kokuho"}).ok


def test_a_form_rule_at_a_hidden_field_is_not_shown() -> None:
    ev = assert_form("""
        fields:
          - {id: wants, type: yes_no, label: 希望しますか}
          - {id: copies, type: copies, label: 通数, show_if: wants}
        rules:
          - {check: "copies < 3", field: copies, message: 多すぎます}
    """, answers={"wants": False, "copies": 5})
    assert ev.ok


# -- groups -------------------------------------------------------------------------------

GROUP = """
    fields:
      - id: members
        type: group
        label: {ja: 引っ越す人, en: People moving}
        item_label: {ja: 人, en: person}
        min: 1
        max: 3
        fields:
          - {id: name, type: text, label: 氏名, required: true}
          - {id: birth, type: date, label: 生年月日}
"""


def test_group_items_are_normalised_lists() -> None:
    ev = assert_form(GROUP, answers={"members": [
        {"name": " 山田 ", "birth": "平成元年1月8日"}, {"name": "花子"},
    ]})
    assert ev.ok
    assert ev.values == {"members": [{"name": "山田", "birth": "1989-01-08"}, {"name": "花子"}]}


def test_group_min_and_max_items() -> None:
    err = assert_form(GROUP, answers={}).error_at("members")
    assert err is not None and err.code == "too_few_items"
    assert err.message.get("en") == "Please add at least 1."
    four = [{"name": str(i)} for i in range(4)]
    err = assert_form(GROUP, answers={"members": four}).error_at("members")
    assert err is not None and err.code == "too_many_items"
    assert err.message.get("ja") == "3人（件）までです。"


def test_group_errors_name_the_item_and_the_field() -> None:
    ev = assert_form(GROUP, answers={"members": [{"name": "山田"}, {"birth": "2025-13-01"}]})
    assert {(e.path, e.code) for e in ev.errors} == {
        ("members[1].name", "required"), ("members[1].birth", "not_date"),
    }
    assert ev.state("members[0].name").value == "山田"


# -- hidden answers -----------------------------------------------------------------------


def test_hidden_answers_are_dropped_from_values() -> None:
    ev = assert_form("""
        fields:
          - {id: wants, type: yes_no, label: 希望しますか}
          - {id: reason, type: text, label: 理由, show_if: wants}
          - id: s
            type: section
            label: 詳しく
            show_if: wants
            fields:
              - {id: detail, type: text, label: 詳細}
          - id: members
            type: group
            label: 人
            show_if: wants
            fields:
              - {id: name, type: text, label: 氏名}
    """, answers={"wants": False, "reason": "前に書いた", "detail": "x",
                  "members": [{"name": "a"}]})
    assert ev.values == {"wants": False}


def test_a_hidden_answer_does_not_keep_other_questions_visible() -> None:
    # The resident chose "agent", answered the agent's questions, then went back to "self".
    ev = assert_form("""
        fields:
          - {id: applicant, type: applicant, label: 申請者}
          - id: has_letter
            type: yes_no
            label: 委任状がありますか
            show_if: "applicant == 'agent'"
          - {id: letter_date, type: date, label: 委任状の日付, show_if: has_letter, required: true}
        rules:
          - {check: not has_letter, message: 委任状を出してください}
    """, answers={"applicant": "self", "has_letter": True})
    assert not ev.state("has_letter").visible
    assert not ev.state("letter_date").visible
    assert ev.ok
    assert ev.values == {"applicant": "self"}


# -- prefill and the 12-digit number ------------------------------------------------------

CARD = {"name": "山\ufa11 太郎", "address": "みほん市中央1-1", "birth_date": dt.date(1990, 5, 1),
        "sex": "female", "my_number": "123456789018"}
OFFICE = {"name": "みほん市役所", "code": "999997", "address": "みほん市中央1-1-1",
          "phone": "000-000-0000"}

PREFILL_FORM = """
    my_number_required: true
    fields:
      - {id: name, type: text, label: 氏名, bind: card.name}
      - {id: address, type: address, label: 住所, bind: card.address}
      - {id: birth, type: date, label: 生年月日, bind: card.birth_date}
      - id: sex
        type: choice
        label: 性別
        bind: card.sex
        choices:
          - {value: male, label: 男}
          - {value: female, label: 女}
          - {value: not_applicable, label: 適用不能}
      - {id: applied_on, type: date, label: 申請日, bind: today}
      - {id: office, type: text, label: 市区町村, bind: office.name}
      - {id: office_phone, type: phone, label: 電話, bind: office.phone}
      - {id: number, type: my_number, label: 個人番号, bind: card.my_number, required: true}
      - id: members
        type: group
        label: 人
        fields:
          - {id: member_name, type: text, label: 氏名, bind: card.name}
"""


def _prefill_form_and_answers(stage: Stage) -> tuple[Form, dict[str, Any]]:
    lib, _ = load_inline(PREFILL_FORM)
    assert not lib.problems, [p.render() for p in lib.problems]
    form = lib.get("test_form")
    return form, prefill(form, card=CARD, office=OFFICE, today=TODAY, stage=stage)


def test_prefill_from_the_card_the_office_and_the_date() -> None:
    _, answers = _prefill_form_and_answers("kiosk")
    assert answers == {
        "name": "山\ufa11 太郎", "address": "みほん市中央1-1", "birth": "1990-05-01",
        "sex": "female",
        "applied_on": "2025-04-01", "office": "みほん市役所", "office_phone": "000-000-0000",
    }


def test_a_group_is_filled_only_item_by_item_when_asked() -> None:
    form, answers = _prefill_form_and_answers("kiosk")
    assert "members" not in answers  # whether the card holder is one of them is the caller's call
    item = prefill_item(form.field("members"), card=CARD, office=OFFICE, today=TODAY)
    assert item == {"member_name": "山\ufa11 太郎"}
    assert prefill_item(form.field("members"), card=None, office=OFFICE, today=TODAY) == {}


def test_card_my_number_is_not_filled_at_the_kiosk_but_at_the_counter() -> None:
    _, kiosk = _prefill_form_and_answers("kiosk")
    assert "number" not in kiosk
    assert "123456789018" not in kiosk.values()
    _, counter = _prefill_form_and_answers("counter")
    assert counter["number"] == "123456789018"


def test_a_my_number_field_is_never_visible_at_the_kiosk() -> None:
    lib, _ = load_inline(PREFILL_FORM)
    form = lib.get("test_form")
    # Even if an answer for it reached the kiosk, it is neither shown, required nor kept.
    ev = evaluate(form, {"number": "123456789018"}, today=TODAY, stage="kiosk")
    state = ev.state("number")
    assert not state.visible and not state.required and state.error is None
    assert "number" not in ev.values
    assert ev.ok
    ev = evaluate(form, {}, today=TODAY, stage="counter")
    assert ev.state("number").visible
    assert _code(ev, "number") == "required"
    ev = evaluate(form, {"number": "1234 5678 9018"}, today=TODAY, stage="counter")
    assert ev.values["number"] == "123456789018"


def test_prefill_without_a_card() -> None:
    lib, _ = load_inline(PREFILL_FORM)
    answers = prefill(lib.get("test_form"), card=None, office=OFFICE, today=TODAY)
    assert set(answers) == {"applied_on", "office", "office_phone"}


# -- the worked example -------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Library:
    return load_library()


def test_juminhyo_agent_cannot_take_a_copy_with_the_number(shipped: Library) -> None:
    # The worked example of docs/forms.md, and its one form rule.
    form = shipped.get("juminhyo")
    base = {
        "applicant": "agent", "applicant_name": "代理 人", "applicant_address": "みほん市1",
        "applicant_birth_date": "1980-01-01", "subject_name": "本人",
        "subject_address": "みほん市2",
        "relationship": "友人", "scope": "household", "copies": 1, "purpose": "pension",
    }
    assert evaluate(form, base, today=TODAY).ok
    ev = evaluate(form, {**base, "items": ["my_number"]}, today=TODAY)
    assert [e.path for e in ev.errors] == ["items"]


# -- warnings: told and marked, never blocking ---------------------------------------------

WARNING_FORM = """
fields:
  - id: moved_on
    type: date
    label: 住み始めた日
    required: true
    rules:
      - check: days_since(value) <= 14
        level: warning
        message: {ja: 14日を過ぎています。届け出はできます。, en: More than 14 days ago; you can still notify.}
      - check: value <= today
        message: 今日より後の日は選べません。
  - {id: copies, type: integer, label: 通数, min: 1, max: 10}
rules:
  - check: not answered(copies) or copies < 5
    field: copies
    level: warning
    message: 5通以上は窓口で確認します。
"""


def test_a_warning_rule_is_told_but_does_not_stop_the_application() -> None:
    lib, _ = load_inline(WARNING_FORM)
    form = lib.get("test_form")
    late = evaluate(form, {"moved_on": "2025-03-01", "copies": 6}, today=TODAY)
    assert late.ok and late.values == {"moved_on": "2025-03-01", "copies": 6}
    assert [(w.path, w.code) for w in late.warnings] == [("moved_on", "warning"), ("copies", "warning")]
    assert late.warnings[0].message.ja == "14日を過ぎています。届け出はできます。"
    in_time = evaluate(form, {"moved_on": "2025-03-20", "copies": 1}, today=TODAY)
    assert in_time.ok and in_time.warnings == ()


def test_an_error_rule_still_wins_over_a_warning_on_the_same_field() -> None:
    lib, _ = load_inline(WARNING_FORM)
    future = evaluate(lib.get("test_form"), {"moved_on": "2025-05-01"}, today=TODAY)
    assert not future.ok and _code(future, "moved_on") == "rule"
    assert future.warnings == ()
