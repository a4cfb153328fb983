"""Checks that catch the mistakes IT staff really make (issue 17, item 3).

Each test writes a small form file, loads its folder, and reads what `kiosk forms validate`
would print: the file, the line of the offending key, and the message in Japanese and
English. Bounds that contradict each other, a default the field cannot hold, a misspelt
field id, PyYAML's errors in plain words, and a question dedented out of its group.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from forms.errors import Problem
from forms.loader import Library, load_library
from kiosk.cli.main import main
from tests.forms.helpers import COUNTERS, describe, form_text


def load(tmp_path: Path, yaml: str, *, header: bool = True,
         extra: dict[str, str] | None = None) -> tuple[Library, Path]:
    file = tmp_path / "form.yaml"
    file.write_text(form_text(yaml, header=header), encoding="utf-8")
    for name, text in (extra or {}).items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return load_library([tmp_path], shipped=None, counters=set(COUNTERS)), file


def line_of(file: Path, text: str) -> int:
    """The 1-based line of the only line holding `text`: where a message must point."""
    lines = [n for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1)
             if text in line]
    assert len(lines) == 1, f"{text!r} is on lines {lines}"
    return lines[0]


def the_problem(lib: Library, file: Path, severity: str) -> Problem:
    found = [p for p in lib.problems if p.severity == severity]
    assert len(found) == 1, describe(lib.problems)
    assert found[0].file == file
    return found[0]


def says(problem: Problem, ja: str, en: str) -> None:
    """Both languages, in the message or its hint, as `validate --lang` prints them."""
    shown_ja, shown_en = problem.render("ja"), problem.render("en")
    assert ja in shown_ja, shown_ja
    assert en in shown_en, shown_en


def refused(lib: Library, file: Path, at: str, ja: str, en: str) -> Problem:
    problem = the_problem(lib, file, "error")
    assert lib.forms == {}, "a form with an error was loaded"
    assert problem.line == line_of(file, at), problem.render("en")
    says(problem, ja, en)
    return problem


def warned(lib: Library, file: Path, at: str, ja: str, en: str) -> Problem:
    problem = the_problem(lib, file, "warning")
    assert list(lib.forms) == ["test_form"], "a warning must not keep the form out"
    assert problem.line == line_of(file, at), problem.render("en")
    says(problem, ja, en)
    return problem


# -- min ≤ max ----------------------------------------------------------------------------


def test_a_number_whose_min_is_above_its_max_is_refused_at_the_max_line(tmp_path: Path) -> None:
    lib, file = load(tmp_path, """
        fields:
          - id: count
            type: integer
            label: {ja: 人数, en: People}
            min: 10
            max: 1
    """)
    problem = refused(lib, file, "max: 1", "min（10）が max（1）より大きいので、どの数も答えられません",
                      "min (10) is greater than max (1): no number can be answered")
    says(problem, f"min は {line_of(file, 'min: 10')} 行目",
         f"min is on line {line_of(file, 'min: 10')}")
    assert problem.path == "fields[0].max"


def test_copies_with_a_max_under_the_implied_min_is_refused(tmp_path: Path) -> None:
    lib, file = load(tmp_path, """
        fields:
          - {id: copies, type: copies, label: {ja: 通数, en: Copies},
             max: 0}
    """)
    refused(lib, file, "max: 0", "（書かなければ min は 1）", "(min is 1 when not written)")


def test_a_group_whose_min_is_above_its_max_is_refused(tmp_path: Path) -> None:
    lib, file = load(tmp_path, """
        fields:
          - id: members
            type: group
            label: {ja: 世帯員, en: Members}
            min: 3
            max: 2
            fields:
              - {id: name, type: text, label: {ja: 氏名, en: Name}}
    """)
    refused(lib, file, "max: 2", "どの件数も答えられません", "no number of items can be answered")


@pytest.mark.parametrize(("keys", "at"), [
    ("length: 40", "length: 40"),
    ("min_length: 9\n    max_length: 3", "min_length: 9"),
    ("max_length: 33", "max_length: 33"),
])
def test_a_digit_count_out_of_range_is_refused_at_its_own_line(tmp_path: Path, keys: str,
                                                               at: str) -> None:
    lib, file = load(tmp_path, f"""
        fields:
          - id: account
            type: digits
            label: {{ja: 口座番号, en: Account number}}
            {keys.replace(chr(10), chr(10) + "        ")}
    """)
    refused(lib, file, at, "けた数は 1 から 32 までで", "the number of digits must be 1 to 32")


def test_a_key_the_type_cannot_take_is_refused_at_that_key(tmp_path: Path) -> None:
    lib, file = load(tmp_path, """
        fields:
          - id: note
            type: section
            label: {ja: 注意, en: Note}
            required: true
            fields:
              - {id: name, type: text, label: {ja: 氏名, en: Name}}
    """)
    refused(lib, file, "required: true", "答えを持たないので、required を書けません",
            "holds no answer, so it cannot be required")


def test_applicants_written_as_words_are_explained(tmp_path: Path) -> None:
    file = tmp_path / "form.yaml"
    file.write_text(form_text("""
        id: words
        version: 1
        title: {ja: 試験, ja_kana: しけん}
        category: certificate
        counter: resident
        applicants: [self]
        fields:
          - {id: name, type: text, label: 氏名}
    """, header=False), encoding="utf-8")
    lib = load_library([tmp_path], shipped=None, counters=set(COUNTERS))
    refused(lib, file, "applicants: [self]", "「applicants」の各項目には「キー: 値」の組を書きます",
            "each item of 'applicants' takes keys with values")


@pytest.mark.parametrize(("low", "high"), [
    ("2025-12-31", "2025-01-01"),
    ("today + 14 days", "today - 5 years"),
    ("today", "today - 1 day"),
])
def test_a_date_whose_min_is_after_its_max_is_refused(tmp_path: Path, low: str,
                                                      high: str) -> None:
    lib, file = load(tmp_path, f"""
        fields:
          - id: moved_on
            type: date
            label: {{ja: 異動日, en: Date}}
            min: {low}
            max: {high}
    """)
    refused(lib, file, f"max: {high}",
            f"min（{low}）が max（{high}）より後なので、どの日付も答えられません",
            f"min ({low}) is later than max ({high}): no date can be answered")


def test_relative_date_bounds_in_order_load(tmp_path: Path) -> None:
    lib, _ = load(tmp_path, """
        fields:
          - {id: moved_on, type: date, label: 異動日, min: today - 5 years, max: today + 14 days}
          - {id: born_on, type: date, label: 生年月日, min: 1900-01-01, max: today}
    """)
    assert lib.problems == [], describe(lib.problems)


def test_relative_bounds_that_cross_on_some_days_are_warned(tmp_path: Path) -> None:
    # A month back is 28 to 31 days back: on 1 March it is before "30 days ago".
    lib, file = load(tmp_path, """
        fields:
          - id: paid_on
            type: date
            label: {ja: 支払日, en: Paid on}
            min: today - 1 month
            max: today - 30 days
    """)
    warned(lib, file, "max: today - 30 days", "日によっては min（today - 1 month）が max（today - 30 days）より後",
           "on some days min (today - 1 month) falls after max (today - 30 days)")


def test_a_fixed_bound_against_today_is_warned_not_refused(tmp_path: Path) -> None:
    lib, file = load(tmp_path, """
        fields:
          - id: start
            type: date
            label: {ja: 開始日, en: Start}
            min: 2099-01-01
            max: today
    """)
    warned(lib, file, "max: today", "日によって変わるため警告です", "It depends on the day, so this is a warning")


# -- defaults -----------------------------------------------------------------------------


CHOICE = """
    fields:
      - id: account_type
        type: choice
        label: {ja: 口座の種類, en: Account type}
        choices:
          - {value: ordinary, label: {ja: 普通, en: Ordinary}}
          - {value: current, label: {ja: 当座, en: Current}}
        default: %s
"""


def test_a_default_that_is_not_a_choice_is_refused_with_the_closest_value(tmp_path: Path) -> None:
    lib, file = load(tmp_path, CHOICE % "ordinery")
    problem = refused(lib, file, "default: ordinery", "default「ordinery」はこの項目の choices の値にありません",
                      "default 'ordinery' is not one of the choices' values")
    says(problem, "「ordinary」の書き間違いではありませんか", "Did you mean 'ordinary'?")
    assert problem.code == "unknown_choice"


def test_a_default_written_as_the_label_says_to_write_the_value(tmp_path: Path) -> None:
    lib, file = load(tmp_path, CHOICE % "普通")
    problem = refused(lib, file, "default: 普通", "default「普通」は", "default '普通' is not")
    says(problem, "表示名ではなく値を書いてください: ordinary", "Write the value, not the label: ordinary")


def test_a_default_outside_a_shared_list_names_the_list(tmp_path: Path) -> None:
    lib, file = load(tmp_path, """
        fields:
          - id: sex
            type: choice
            label: {ja: 性別, en: Sex}
            choices: sex
            default: man
    """, extra={"lists.yaml": """
        choice_lists:
          sex:
            - {value: male, label: 男}
            - {value: female, label: 女}
    """})
    refused(lib, file, "default: man", "default「man」は選択肢の一覧「sex」の値にありません",
            "default 'man' is not one of the values of the choice list 'sex'")


@pytest.mark.parametrize(("bounds", "default", "ja", "en"), [
    ("min: 1, max: 5", "9", "default（9）が max（5）の外です", "default (9) is outside max (5)"),
    ("min: 2", "1", "default（1）が min（2）の外です", "default (1) is outside min (2)"),
    ("max: 3", "abc", "default（abc）は integer 型の項目の答えになりません: 数字で入力してください",
     "default (abc) cannot be the answer of a integer field: Please enter a number."),
])
def test_a_number_default_must_be_an_answer_the_field_takes(
        tmp_path: Path, bounds: str, default: str, ja: str, en: str) -> None:
    lib, file = load(tmp_path, f"""
        fields:
          - {{id: count, type: integer, label: 人数, {bounds},
             default: {default}}}
    """)
    refused(lib, file, f"default: {default}", ja, en)


def test_a_copies_default_above_the_implied_max_is_refused(tmp_path: Path) -> None:
    lib, file = load(tmp_path, """
        fields:
          - id: copies
            type: copies
            label: 通数
            default: 25
    """)
    refused(lib, file, "default: 25", "default（25）が max（20）の外です", "default (25) is outside max (20)")


def test_a_date_default_outside_fixed_bounds_is_refused(tmp_path: Path) -> None:
    lib, file = load(tmp_path, """
        fields:
          - id: start
            type: date
            label: 開始日
            min: 2025-04-01
            max: 2026-03-31
            default: 2024-04-01
    """)
    refused(lib, file, "default: 2024-04-01", "default（2024-04-01）が min（2025-04-01）の外です",
            "default (2024-04-01) is outside min (2025-04-01).")


def test_a_date_default_outside_bounds_from_today_is_warned(tmp_path: Path) -> None:
    lib, file = load(tmp_path, """
        fields:
          - id: start
            type: date
            label: 開始日
            min: today - 1 year
            default: 2000-01-01
    """)
    warned(lib, file, "default: 2000-01-01", "の外です（今日の場合）", "today.")


def test_good_defaults_load(tmp_path: Path) -> None:
    lib, _ = load(tmp_path, CHOICE % "current" + "      - {id: copies, type: copies, label: 通数, default: 2}\n")
    assert lib.problems == [], describe(lib.problems)


# -- did you mean -------------------------------------------------------------------------


PURPOSE = """
    fields:
      - id: purpose
        type: choice
        label: {ja: 使いみち, en: Purpose}
        choices:
          - {value: pension, label: 年金}
          - {value: other, label: その他}
"""


@pytest.mark.parametrize(("where", "text"), [
    ("show_if", "show_if: purpse == 'other'"),
    ("required", "required: purpse == 'other'"),
])
def test_a_misspelt_id_in_a_condition_gets_a_suggestion(tmp_path: Path, where: str,
                                                        text: str) -> None:
    lib, file = load(tmp_path, PURPOSE + f"""
      - id: purpose_other
        type: text
        label: {{ja: 具体的に, en: Details}}
        {text}
    """)
    problem = refused(lib, file, text, "「purpse」という項目はありません", "refers to 'purpse'")
    says(problem, "「purpose」の書き間違いではありませんか", "Did you mean 'purpose'?")
    assert problem.path == f"fields[1].{where}"


def test_a_misspelt_id_in_a_rule_gets_a_suggestion(tmp_path: Path) -> None:
    lib, file = load(tmp_path, PURPOSE + """
    rules:
      - check: purpose != 'other'
        field: purpse
        message: {ja: その他は窓口へ, en: Ask at the counter}
    """)
    problem = refused(lib, file, "field: purpse", "規則の field「purpse」という項目はありません",
                      "rule field 'purpse' is not a field")
    says(problem, "「purpose」の書き間違いではありませんか", "Did you mean 'purpose'?")


def test_a_misspelt_id_in_a_rule_check_gets_a_suggestion(tmp_path: Path) -> None:
    lib, file = load(tmp_path, PURPOSE + """
    rules:
      - check: purpsoe != 'other'
        message: その他は窓口へ
    """)
    refused(lib, file, "check: purpsoe", "「purpose」の書き間違いではありませんか", "Did you mean 'purpose'?")


def test_an_id_like_no_other_still_says_to_check_the_spelling(tmp_path: Path) -> None:
    lib, file = load(tmp_path, PURPOSE + """
      - {id: note, type: text, label: 備考, show_if: zzz == 'x'}
    """)
    refused(lib, file, "show_if: zzz", "id の綴りを確かめてください", "Check the spelling of the field id.")


# -- PyYAML's errors in plain words -------------------------------------------------------

YAML_CASES = {
    "tab": ("fields:\n  - {id: a, type: text, label: A}\n\t- {id: b, type: text, label: B}\n",
            "\t- {id: b", "（11行目 1文字目）: タブ文字があります。タブは使えません",
            "at line 11, column 1: a tab character; YAML indents with spaces only"),
    "unclosed quote": ('fields:\n  - id: a\n    type: text\n    label: "氏名\n    required: true\n',
                       None, "12行目 12文字目で開いた引用符が閉じられていません",
                       "the quoted text (quoted scalar) opened at line 12, column 12 is never closed"),
    "no space after colon": ("fields:\n  - id: a\n    type: text\n    label:氏名\n    required: true\n",
                             "required: true", "12行目「label:氏名」にコロンがないか、コロンの後に空白がありません",
                             "line 12 ('label:氏名') has no ': ' (a colon and a space)"),
    "indented too deep": ("fields:\n  - id: a\n      type: text\n    label: A\n", "      type: text",
                          "ここに「キー: 値」は書けません。前の行より深く字下げされている",
                          "this line is indented deeper than the key above it"),
    "unclosed brace": ("fields:\n  - {id: a, type: text, label: A\n  - {id: b, type: text, label: B}\n",
                       "  - {id: b", "10行目 5文字目で開いた「{」が閉じられていないか",
                       "the '{' opened at line 10, column 5 is not closed with '}'"),
    "item dedented half way": ("fields:\n  - id: a\n    type: text\n    label: A\n   - id: b\n",
                               "   - id: b", "この行の字下げが、10行目から始まる並びと揃っていません",
                               "this line's indentation does not fit the block that starts on line 10"),
}


@pytest.mark.parametrize("case", YAML_CASES, ids=str)
def test_yaml_errors_are_told_in_plain_words_with_line_and_column(tmp_path: Path,
                                                                  case: str) -> None:
    body, at, ja, en = YAML_CASES[case]
    lib, file = load(tmp_path, body)
    problem = the_problem(lib, file, "error")
    assert problem.code == "yaml_syntax"
    lines = file.read_text(encoding="utf-8").count("\n")
    assert problem.line == (line_of(file, at) if at else lines + 1)  # an open quote: at the end
    says(problem, ja, en)
    for raw in ("while scanning", "while parsing", "not allowed here", "could not find expected"):
        assert raw not in problem.render("en"), problem.render("en")


def test_a_python_tag_is_named_not_explained_in_pyyaml_words(tmp_path: Path) -> None:
    lib, file = load(tmp_path, "fields:\n  - {id: a, type: text, label: !!python/name:os.system 氏名}\n")
    problem = refused(lib, file, "!!python", "タグ「!!python/name:os.system」は使えません",
                      "the tag '!!python/name:os.system' is not allowed")
    assert "constructor" not in problem.render("en")


# -- a question dedented out of its group -------------------------------------------------


def members(inside: str, after: str) -> str:
    return f"""
        fields:
          - id: members
            type: group
            label: {{ja: 世帯員, en: Members}}
            fields:
              - {{id: member_name, type: text, label: 氏名}}
        {textwrap.indent(textwrap.dedent(inside), "      ")}
          {after}
    """


def test_a_question_the_group_depends_on_dedented_out_of_it_is_warned(tmp_path: Path) -> None:
    lib, file = load(tmp_path, members(
        "- {id: relationship_other, type: text, label: 続柄, show_if: relationship == 'other'}",
        "- {id: relationship, type: choice, label: 続柄, choices: [{value: other, label: その他}]}"))
    warned(lib, file, "- {id: relationship,",
           "繰り返し項目「members」の中の「relationship_other」の条件が、その後ろの「relationship」を見ています",
           "Is it indented out of 'members'?")


def test_a_question_speaking_of_the_group_dedented_out_of_it_gets_a_hint(tmp_path: Path) -> None:
    lib, file = load(tmp_path, members(
        "- {id: relationship, type: choice, label: 続柄, choices: [{value: other, label: その他}]}",
        "- {id: relationship_other, type: text, label: 続柄, show_if: relationship == 'other'}"))
    refused(lib, file, "- {id: relationship_other",
            "「relationship_other」は字下げがずれて繰り返し項目「members」の外に出ていませんか",
            "Is 'relationship_other' indented out of the repeated group 'members'?")


def test_a_question_sharing_the_group_prefix_right_after_it_is_warned(tmp_path: Path) -> None:
    lib, file = load(tmp_path, members("- {id: member_kana, type: katakana, label: フリガナ}",
                                       "- {id: member_sex, type: text, label: 性別}"))
    warned(lib, file, "- {id: member_sex",
           "「member_sex」は繰り返し項目「members」のすぐ後ろにあり、"
           "その中の member_name, member_kana と同じ「member_」で始まります",
           "'member_sex' comes right after the repeated group 'members' and starts with 'member_'")


def test_an_ordinary_question_after_a_group_is_not_warned(tmp_path: Path) -> None:
    lib, _ = load(tmp_path, members("- {id: member_kana, type: katakana, label: フリガナ}",
                                    "- {id: has_card, type: yes_no, label: カード}"))
    assert lib.problems == [], describe(lib.problems)


# -- what IT staff run --------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "text"), [
    ("ja", "min（10）が max（1）より大きい"), ("en", "min (10) is greater than max (1)")])
def test_validate_prints_the_file_and_the_line_of_the_max(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, text: str) -> None:
    _, file = load(tmp_path, "fields:\n  - {id: n, type: integer, label: 数, min: 10,\n     max: 1}\n")
    assert main(["--lang", lang, "forms", "validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{file}:{line_of(file, 'max: 1')}: " in out
    assert text in out
