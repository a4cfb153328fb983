"""`kiosk forms validate FILE`: one draft checked with the library around it (issue 17).

A draft usually includes a shared block or extends a shipped form, so it is read after the
configured folders and only its own problems are told, under the path the IT person gave.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from forms.loader import SHIPPED_DIR
from forms.one_file import check_file
from kiosk.cli.main import main

DRAFT = """\
    id: inkan_draft
    version: 1
    title: {ja: 印鑑の試し, ja_kana: いんかんのためし, en: Seal draft}
    category: certificate
    counter: resident
    applicants:
      - {kind: self, label: {ja: 本人, en: The person}}
      - {kind: agent, label: {ja: 代理人, en: An agent}}
    fields:
      - include: applicant
      - id: seal_number
        type: digits
        label: {ja: 印鑑登録番号, en: Seal registration number}
        length: %s
"""


def draft(tmp_path: Path, length: str) -> Path:
    file = tmp_path / "draft.yaml"
    file.write_text(textwrap.dedent(DRAFT % length), encoding="utf-8")
    return file


def test_a_draft_using_a_shipped_block_validates_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = draft(tmp_path, "8")
    assert main(["--lang", "en", "forms", "validate", str(file)]) == 0
    out = capsys.readouterr().out
    assert f"Checked {file}" in out and "0 errors, 0 warnings" in out
    assert "directory does not exist" not in out


def test_a_broken_draft_is_told_at_its_own_line_and_nothing_else(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = draft(tmp_path, "40")
    assert main(["--lang", "ja", "forms", "validate", str(file)]) == 1
    lines = capsys.readouterr().out.splitlines()
    # The `length:` line, and the path as the file counts it (the included block's five
    # fields do not shift it to fields[5]).
    assert lines[0].startswith(f"{file}:14: エラー [fields[1].length]: けた数は 1 から 32 まで")
    assert "エラー 1 件" in lines[1]


def test_a_shipped_file_is_its_own_form_not_an_override_of_itself() -> None:
    checked = check_file(SHIPPED_DIR / "procedures" / "juminhyo.yaml", dirs=[])
    assert checked.problems == []
    assert checked.form is not None and checked.form.id == "juminhyo"


def test_a_path_that_is_nothing_is_refused_as_such(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "forms", "validate", "/nonexistent/draft.yaml"]) == 2
    assert "no such file or folder: /nonexistent/draft.yaml" in capsys.readouterr().err
