"""Whole-form checks a mutation survived before: the fee's copies field and the shipped English.

Each form is stated inline (tests/forms/helpers.py) or copied from the shipped library and
broken in one place; the loader must refuse it with the file and line of the offending key.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from forms.loader import SHIPPED_DIR, load_library
from tests.forms.helpers import HEADER, assert_form, describe

FIELDS = """\
fields:
  - {id: name, type: text, label: {ja: 氏名, en: Name}}
  - {id: count, type: integer, label: {ja: 通数, en: Number}}
  - {id: copies, type: copies, label: {ja: 通数, en: Copies}}
"""


@pytest.mark.parametrize("fee", [
    "fee: {amount: 300, per: copy, copies_field: name}",
    "fee:\n  lines:\n    - {label: 謄本, amount: 450, copies_field: name}",
])
def test_a_fee_counting_copies_from_a_text_field_is_refused(fee: str) -> None:
    # Charging for 「見本 花子」 copies: the slip would show no fee, or the clerk a wrong one.
    assert_form(FIELDS + fee + "\n", codes=["unknown_reference"],
                errors_contain=["fee copies_field 'name' is not a copies field",
                                "copies_field「name」は copies 型の項目ではありません"])


@pytest.mark.parametrize("target", ["count", "copies"])
def test_a_fee_counting_copies_from_a_number_field_is_accepted(target: str) -> None:
    ev = assert_form(FIELDS + f"fee: {{amount: 300, per: copy, copies_field: {target}}}\n",
                     answers={target: 2})
    assert ev.ok


def test_a_fee_counting_copies_from_a_field_the_form_lacks_is_refused() -> None:
    assert_form(FIELDS + "fee: {amount: 300, per: copy, copies_field: pages}\n",
                codes=["unknown_reference"], errors_contain=["'pages' is not a copies field"])


def _shipped_copy(tmp_path: Path, name: str) -> Path:
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    return Path(shutil.copy(SHIPPED_DIR / "procedures" / name, shipped / name))


def test_a_shipped_form_with_an_empty_english_text_is_refused(tmp_path: Path) -> None:
    file = _shipped_copy(tmp_path, "juminhyo.yaml")
    text = file.read_text(encoding="utf-8")
    assert load_library([], shipped=file.parent).errors == []  # the copy loads as it is
    match = re.search(r"^(\s*)en: .+$", text, re.MULTILINE)  # the title's English
    assert match is not None
    title_line = text[:text.index("\ntitle:") + 1].count("\n") + 1
    file.write_text(text[:match.start()] + f'{match[1]}en: ""' + text[match.end():], encoding="utf-8")
    lib = load_library([], shipped=file.parent)
    assert lib.forms == {}, describe(lib.problems)
    [error] = lib.errors
    assert (error.code, error.file, error.path) == ("missing_translation", file, "title")
    assert error.line == title_line
    assert "has no English (en)" in error.render("en")


def test_an_inline_shipped_label_with_an_empty_english_is_refused(tmp_path: Path) -> None:
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "form.yaml").write_text(
        HEADER + 'fields:\n  - {id: name, type: text, label: {ja: 氏名, en: ""}}\n', encoding="utf-8")
    lib = load_library([], shipped=shipped)
    [error] = lib.errors
    assert (error.code, error.path, error.line) == ("missing_translation", "fields[0].label", 10)
    # A local folder is not held to the shipped rule: the same file loads there.
    assert load_library([shipped], shipped=None).errors == []
