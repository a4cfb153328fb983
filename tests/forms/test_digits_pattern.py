"""A `digits` field (口座番号 0012345) and a `pattern` rule, as IT staff write them and a resident meets them.

The digits keep their leading zeros from the kiosk to the slip and the paper, a wrong count is
refused in words, full-width digits are folded; a pattern that is not a regular expression or
that could hang the kiosk (`(a+)+`) is refused by `kiosk forms validate` at its own line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms.patterns import MAX_PATTERN, UnsafePattern, compile_pattern, matches
from kiosk.cli.main import main
from printouts.assisted_form import render_assisted_form
from printouts.layout import Fonts, mm
from printouts.official_form import render_official_form
from tests.forms.helpers import TODAY, assert_form, form_text, load_inline
from tests.printouts.documents_helpers import glyphs, text_of, without_spaces

ACCOUNT = """
fields:
  - {id: account, type: digits, length: 7, required: true,
     label: {ja: 口座番号, en: Account number}}
  - {id: seal, type: digits, min_length: 6, max_length: 8, label: {ja: 印鑑登録番号, en: Seal no.}}
  - id: branch
    type: digits
    length: 3
    label: {ja: 店番号, en: Branch number}
    rules:
      - pattern: '[0-8][0-9]{2}'
        message: {ja: 店番号は900番台になりません。, en: No branch number starts with 9.}
rules:
  - pattern: '0[0-9]*'
    field: account
    level: warning
    message: {ja: 先頭が0でない口座番号です。, en: The account number does not start with 0.}
"""


def test_leading_zeros_are_kept_and_full_width_digits_folded() -> None:
    ev = assert_form(ACCOUNT, answers={"account": "００１２３４５", "seal": " 0001 2345 "})
    assert ev.ok, ev.errors
    assert ev.values["account"] == "0012345"
    assert ev.values["seal"] == "00012345"
    assert not ev.warnings  # starts with 0: the form rule's pattern holds


def test_a_wrong_number_of_digits_is_refused_in_words() -> None:
    ev = assert_form(ACCOUNT, answers={"account": "12345", "seal": "12345"})
    account, seal = ev.error_at("account"), ev.error_at("seal")
    assert account is not None and seal is not None
    assert account.message.ja == "7けたの数字で入力してください（いまは5けた）。"
    assert seal.message.en == "Please enter 6〜8 digits (5 given)."
    letters = assert_form(ACCOUNT, answers={"account": "12a4567"}).error_at("account")
    assert letters is not None and letters.message.en == "Please enter digits only."


def test_a_pattern_rule_stops_an_answer_and_a_form_rule_warns() -> None:
    ev = assert_form(ACCOUNT, answers={"account": "1234567", "branch": "９１２"})
    branch = ev.error_at("branch")
    assert branch is not None and branch.message.en == "No branch number starts with 9."
    assert [w.message.en for w in ev.warnings] == ["The account number does not start with 0."]
    assert assert_form(ACCOUNT, answers={"account": "0234567", "branch": "123"}).ok


@pytest.mark.parametrize(("yaml", "wanted"), [
    ("{id: a, type: digits, label: 番号}", "needs `length`"),
    ("{id: a, type: digits, length: 33, label: 番号}", "1 to 32"),
    ("{id: a, type: digits, length: 0, label: 番号}", "1 to 32"),
    ("{id: a, type: digits, length: 4, max_length: 6, label: 番号}", "not both"),
    ("{id: a, type: text, length: 4, label: 番号}", "only digits does"),
    ("{id: a, type: digits, length: 4, default: '12', label: 番号}", "4けた"),
    ("{id: a, type: digits, length: 4, default: 12, label: 番号}", "digits only"),
])
def test_validate_refuses_a_digits_field_that_cannot_be_answered(yaml: str, wanted: str) -> None:
    assert_form(f"fields:\n  - {yaml}\n", errors_contain=[wanted])


def test_a_bad_or_slow_pattern_is_refused_at_its_line(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    body = """
        fields:
          - id: code
            type: text
            label: 番号
            rules:
              - pattern: '[0-9'
                message: 番号の形が違います。
          - id: name
            type: text
            label: 名前
            rules:
              - pattern: '(a+)+b'
                message: 名前の形が違います。
        """
    (tmp_path / "form.yaml").write_text(form_text(body), encoding="utf-8")
    assert main(["--lang", "en", "forms", "validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    lines = form_text(body).splitlines()
    bad = 1 + next(i for i, t in enumerate(lines) if "'[0-9'" in t)
    slow = 1 + next(i for i, t in enumerate(lines) if "(a+)+b" in t)
    assert re.search(rf"form\.yaml:{bad}: error.*not a regular expression", out), out
    assert re.search(rf"form\.yaml:{slow}: error.*inside another repetition", out), out


def test_a_form_rule_pattern_needs_a_field_and_a_rule_one_of_check_or_pattern() -> None:
    assert_form("""
        fields:
          - {id: code, type: text, label: 番号}
        rules:
          - {pattern: '[0-9]+', message: 数字だけ}
        """, errors_contain=["needs `field`"])
    assert_form("""
        fields:
          - {id: code, type: text, label: 番号}
        rules:
          - {pattern: '[0-9]+', check: 'code != ""', field: code, message: 数字だけ}
        """, errors_contain=["not both"])


@pytest.mark.parametrize("pattern", [
    "(a+)+", "(a*)*", "(a|a)*", "(a|ab)*", "(x|)*", r"(\d{1,3})*", "(.*a){3}", "x" * 201])
def test_patterns_that_could_hang_the_kiosk_are_refused(pattern: str) -> None:
    with pytest.raises(UnsafePattern):
        compile_pattern(pattern)


@pytest.mark.parametrize("pattern", [
    r"\d{3}-\d{4}", "[0-9]+(,[0-9]{3})*", "(ab|cd)*", "(?:a|b)*", "[ァ-ヶー]+", "x" * MAX_PATTERN])
def test_ordinary_patterns_load(pattern: str) -> None:
    compile_pattern(pattern)


def test_an_answer_longer_than_its_field_is_not_tried() -> None:
    assert matches("[0-9]+", "1" * 8, 8)
    assert not matches("[0-9]+", "1" * 9, 8)
    assert not matches("[0-9]+", "1" * 201, None)  # no length given: 200 characters


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    return Fonts.for_pdf()


def test_the_paper_forms_print_one_box_a_digit(fonts: Fonts) -> None:
    lib, _ = load_inline(ACCOUNT)
    form = next(iter(lib.forms.values())).form
    answers = {"account": "0012345", "seal": "000123"}
    official = render_official_form(form=form, answers=answers, today=TODAY, office_name="みほん市",
                                    fonts=fonts)
    assert "0012345" in without_spaces(text_of(official.data))
    # One box a digit: the digits stand a box's width (6.5 mm) apart, not as written text.
    drawn = glyphs(official.data)
    start = "".join(g.char for g in drawn).find("0012345")
    steps = {round(b.left - a.left, 1) for a, b in zip(drawn[start:start + 6],
                                                      drawn[start + 1:start + 7], strict=True)}
    assert steps == {round(mm(6.5), 1)}
    assisted = render_assisted_form(form=form, today=TODAY, office_name="みほん市", fonts=fonts,
                                    answers={"account": "0012345"})
    assert "0012345" in without_spaces(text_of(assisted.data))
