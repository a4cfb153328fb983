"""Bank and branch names from their codes (forms/banks.py, the zengin-code data), and the
`bank` / `bank_branch` fields as IT staff write them and a resident meets them.

Real data, not a fixture: the names a clerk checks against a passbook are the package's.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from forms.banks import BankDirectory, data_dir, fold, shipped_directory
from forms.reading import read_value
from kiosk.cli.main import main
from printouts.assisted_form import render_assisted_form
from printouts.layout import Fonts
from printouts.official_form import render_official_form
from tests.forms.helpers import TODAY, assert_form, form_text, load_inline
from tests.printouts.documents_helpers import text_of, without_spaces


@pytest.fixture(scope="module")
def banks() -> BankDirectory:
    return shipped_directory()


def test_codes_give_the_names_a_resident_knows(banks: BankDirectory) -> None:
    mizuho, mufg, yucho = banks.bank("0001"), banks.bank("0005"), banks.bank("9900")
    assert mizuho is not None and mizuho.name == "みずほ銀行"
    assert mufg is not None and (mufg.name, mufg.kana) == ("三菱ＵＦＪ銀行", "ミツビシユ－エフジエイ")
    assert yucho is not None and yucho.name == "ゆうちょ銀行"
    shinkin = banks.bank("1001")  # a 信金 carries its kind in its own name: no 銀行 added
    assert shinkin is not None and shinkin.name == "北海道信金"
    branch = banks.branch("0005", "002")
    assert branch is not None and (branch.name, branch.bank_code) == ("丸の内", "0005")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", banks.data_date)


@pytest.mark.parametrize(("bank", "branch"), [
    ("0000", None), ("9999", None), ("0005", "999"), ("0005", "02"), ("../0005", "001"), ("", "")])
def test_unknown_codes_give_none(banks: BankDirectory, bank: str, branch: str | None) -> None:
    if branch is None:
        assert banks.bank(bank) is None
    else:
        assert banks.branch(bank, branch) is None
    assert banks.search_branches("9999", "") == []


def test_kana_search_as_a_resident_types_it(banks: BankDirectory) -> None:
    hokkaido = [b.code for b in banks.search_banks("ほっかいどう")]
    assert hokkaido.index("0116") < hokkaido.index("1001")  # 北海道銀行 before 北海道信金
    assert banks.search_banks("みつびし")[0].code == "0005"
    assert "0035" in [b.code for b in banks.search_banks("そにー")]  # ソニ－ with its long mark
    assert [b.code for b in banks.search_banks("ﾐｽﾞﾎ")][:1] == ["0001"]  # half-width folded
    assert [b.code for b in banks.search_banks("０００")][:2] == ["0001", "0005"]  # code start
    assert [b.code for b in banks.search_banks("", limit=3)] == ["0001", "0005", "0009"]
    assert [b.code for b in banks.search_banks("北海道", limit=2)] == ["0116", "1001"]  # by name
    assert [b.code for b in banks.search_branches("0005", "まるのうち")][:1] == ["002"]
    assert len(banks.search_banks("し", limit=5)) == 5


def test_folding_matches_the_zengin_readings() -> None:
    assert fold("ほっかいどう") == fold("ホツカイドウ") == "ホツカイドウ"
    assert fold("ちょきん ぎょう") == "チヨキンギヨウ"
    assert fold("ソニー") == fold("ソニ－") == "ソニ"


def test_branches_are_read_per_bank_on_first_use_without_importing_the_package() -> None:
    directory = BankDirectory(data_dir())
    assert directory.branch("0001", "001") is not None
    assert list(directory._branches) == ["0001"]  # the other 1,100 files are left unread
    assert "zengin_code" not in sys.modules  # its __init__ would read all 31,000 branches


ACCOUNT = """
fields:
  - {id: bank, type: bank, required: true, label: {ja: 金融機関, en: Bank}}
  - {id: branch, type: bank_branch, bank: bank, required: true, label: {ja: 支店, en: Branch}}
  - {id: number, type: digits, length: 7, label: {ja: 口座番号, en: Account number}}
"""


def test_a_picked_bank_and_branch_are_kept_as_codes_and_read_as_names() -> None:
    ev = assert_form(ACCOUNT, answers={"bank": "０００５", "branch": " 002 "})
    assert ev.ok, ev.errors
    assert (ev.values["bank"], ev.values["branch"]) == ("0005", "002")
    form = ev.form
    assert read_value(form, form.field("bank"), "0005", "ja") == "三菱ＵＦＪ銀行（0005）"
    assert read_value(form, form.field("bank"), "0005", "en") == "三菱ＵＦＪ銀行 (0005)"
    assert read_value(form, form.field("branch"), "002", "ja", ev.values) == "丸の内（002）"
    assert read_value(form, form.field("bank"), "9999", "ja") == "9999（不明なコード）"
    assert read_value(form, form.field("branch"), "999", "en", ev.values) == "999 (unknown code)"
    assert read_value(form, form.field("branch"), "002", "ja") == "002"  # no bank beside it


@pytest.mark.parametrize(("answers", "path", "ja", "en"), [
    ({"bank": "9999", "branch": "001"}, "bank", "金融機関コード9999の金融機関は見つかりません",
     "There is no bank with the code 9999"),
    ({"bank": "0005", "branch": "999"}, "branch", "三菱ＵＦＪ銀行に店番号999の支店はありません",
     "三菱ＵＦＪ銀行 has no branch with the code 999"),
    ({"bank": "5", "branch": "002"}, "bank", "金融機関コード（4けた）", "4-digit code"),
    ({"bank": "0005", "branch": "2"}, "branch", "店番号（3けた）", "3-digit code"),
])
def test_an_unknown_bank_or_a_branch_of_another_bank_is_refused_in_words(
        answers: dict[str, str], path: str, ja: str, en: str) -> None:
    error = assert_form(ACCOUNT, answers=answers).error_at(path)
    assert error is not None and ja in error.message.ja and en in (error.message.en or "")


@pytest.mark.parametrize(("yaml", "wanted"), [
    ("{id: branch, type: bank_branch, label: 支店}", "needs `bank:`"),
    ("{id: name, type: text, bank: bank, label: 名前}", "only bank_branch does"),
])
def test_the_bank_key_is_required_on_a_branch_and_refused_elsewhere(yaml: str, wanted: str) -> None:
    assert_form(f"fields:\n  - {{id: bank, type: bank, label: 銀行}}\n  - {yaml}\n", errors_contain=[wanted])


def test_a_misspelt_bank_is_reported_at_its_line_with_a_suggestion(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = """
        fields:
          - {id: payee_bank, type: bank, label: 金融機関}
          - id: payee_branch
            type: bank_branch
            bank: payee_bnak
            label: 支店
          - {id: name, type: text, label: 名義}
          - {id: other_branch, type: bank_branch, bank: name, label: 支店}
        """
    (tmp_path / "form.yaml").write_text(form_text(body), encoding="utf-8")
    assert main(["--lang", "en", "forms", "validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    lines = form_text(body).splitlines()
    typo = 1 + next(i for i, t in enumerate(lines) if "payee_bnak" in t)
    other = 1 + next(i for i, t in enumerate(lines) if "other_branch" in t)
    assert re.search(rf"form\.yaml:{typo}: error.*payee_bnak.*\n?.*Did you mean 'payee_bank'", out), out
    assert re.search(rf"form\.yaml:{other}: error.*a text field; name a field of type bank", out), out


def test_a_bank_in_another_group_is_refused() -> None:
    assert_form("""
        fields:
          - {id: bank, type: bank, label: 銀行}
          - id: kids
            type: group
            label: 子
            fields:
              - {id: branch, type: bank_branch, bank: bank, label: 支店}
        """, errors_contain=["another repeated group"])


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    return Fonts.for_pdf()


def test_both_paper_forms_print_the_names_and_the_codes(fonts: Fonts) -> None:
    lib, _ = load_inline(ACCOUNT)
    form = next(iter(lib.forms.values())).form
    answers = {"bank": "0005", "branch": "002", "number": "0012345"}
    official = without_spaces(text_of(render_official_form(
        form=form, answers=answers, today=TODAY, office_name="みほん市", fonts=fonts).data))
    assisted = without_spaces(text_of(render_assisted_form(
        form=form, today=TODAY, office_name="みほん市", fonts=fonts, answers=answers).data))
    for text in (official, assisted):
        for part in ("三菱ＵＦＪ銀行", "金融機関コード", "0005", "丸の内", "店番号", "002"):
            assert part in text, part
    unknown = without_spaces(text_of(render_official_form(
        form=form, answers={"bank": "0005", "branch": "999"}, today=TODAY, office_name="みほん市",
        fonts=fonts, ticket=None).data))
    assert "三菱ＵＦＪ銀行" in unknown  # the bank; its branch is refused, so not printed
    blank = without_spaces(text_of(render_assisted_form(
        form=form, today=TODAY, office_name="みほん市", fonts=fonts, answers={}).data))
    assert "金融機関コード" in blank and "店番号" in blank
