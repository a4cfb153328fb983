"""Shared blocks (`- include: applicant`): written once, put in every form as if written there.
Run through the CLI, as IT staff would, with the forms and blocks written in the test."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path

import pytest
import yaml

from forms.blocks import INCLUDE
from forms.engine import evaluate
from forms.loader import SHIPPED_DIR, load_library
from kiosk.cli.main import main
from printouts.payload.schema import canonical_definition, form_digest
from tests.forms.helpers import COUNTERS, HEADER, TODAY, describe

SHIPPED_INKAN = SHIPPED_DIR / "procedures" / "inkan_shomei.yaml"
SHIPPED_BLOCKS = SHIPPED_DIR / "blocks.yaml"
APPLICANT_IDS = ["applicant", "applicant_name", "applicant_address", "applicant_birth_date",
                 "applicant_phone"]


def write(directory: Path, name: str, text: str) -> Path:
    file = directory / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return file


def city(tmp_path: Path, **files: str) -> Path:
    """A kiosk.toml naming a folder `forms` holding `files` (a form's text gets HEADER first
    when it starts with `fields:`); returns the kiosk.toml."""
    for name, text in files.items():
        body = textwrap.dedent(text).lstrip("\n")
        write(tmp_path / "forms", name, HEADER + body if body.startswith("fields:") else body)
    config = tmp_path / "kiosk.toml"
    config.write_text('[forms]\ndirs = ["forms"]\n', encoding="utf-8")
    return config


def run(capsys: pytest.CaptureFixture[str], config: Path, *args: str, lang: str = "en") -> tuple[int, str]:
    code = main(["--config", str(config), "--lang", lang, "forms", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def line_of(file: Path, text: str) -> int:
    """The 1-based line of the first line of `file` holding `text`."""
    return next(i for i, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


FORM = """
    fields:
      - include: applicant
      - include: agent
      - id: purpose
        type: text
        label: {ja: 使いみち, en: Purpose}
        required: true
"""


# -- the shipped blocks --------------------------------------------------------------------


def test_the_shipped_form_that_includes_a_block_is_the_form_written_out(tmp_path: Path) -> None:
    # inkan_shomei includes `applicant`: its definition (and so the slip's digest) must be
    # exactly that of the file with the block's fields written in, as it was shipped before.
    lib = load_library(counters=set(COUNTERS))
    assert lib.problems == [], describe(lib.problems)
    raw = yaml.safe_load(SHIPPED_INKAN.read_text(encoding="utf-8"))
    block = yaml.safe_load(SHIPPED_BLOCKS.read_text(encoding="utf-8"))["blocks"]["applicant"]
    at = next(i for i, f in enumerate(raw["fields"]) if INCLUDE in f)
    assert raw["fields"][at] == {INCLUDE: "applicant"}
    raw["fields"][at:at + 1] = copy.deepcopy(block)
    (tmp_path / "inkan_shomei.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True),
                                                encoding="utf-8")
    inline = load_library([tmp_path], shipped=None, counters=set(COUNTERS))
    assert inline.problems == [], describe(inline.problems)
    shipped = lib.get("inkan_shomei")
    assert canonical_definition(inline.get("inkan_shomei")) == canonical_definition(shipped)
    assert [f.id for f in shipped.fields[:5]] == APPLICANT_IDS


def test_a_form_including_both_shipped_blocks_validates_and_asks_their_questions(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = city(tmp_path, **{"form.yaml": FORM})
    code, out = run(capsys, config, "validate")
    assert (code, "0 errors, 0 warnings" in out) == (0, True), out
    code, out = run(capsys, config, "show", "test_form")
    assert "applicant_name (text): Your name" in out
    assert "principal_relationship (text): Your relationship to the person" in out
    # The included section behaves as written inline: asked of an agent only, then required.
    form = load_library([tmp_path / "forms"], counters=set(COUNTERS)).get("test_form")
    answers = {"applicant": "agent", "applicant_name": "山田 花子", "applicant_address": "みほん市1-1",
               "applicant_birth_date": "1980-01-02", "purpose": "銀行"}
    missing = {e.path for e in evaluate(form, answers, today=TODAY).errors}
    assert {"principal_name", "principal_address", "principal_birth_date"} <= missing
    assert evaluate(form, {**answers, "applicant": "self"}, today=TODAY).errors == ()


def test_the_documented_example_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "forms.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Shared blocks"):]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    config = city(tmp_path, **{"form.yaml": example})
    code, out = run(capsys, config, "validate")
    assert (code, "0 errors, 0 warnings" in out) == (0, True), out


# -- mistakes, each at its file and line -----------------------------------------------------


@pytest.mark.parametrize(("lang", "said"), [
    ("en", ["there is no block 'aplicant'", "Did you mean 'applicant'?", "Known blocks: agent, applicant"]),
    ("ja", ["ブロック「aplicant」はありません。", "「applicant」の書き間違いではありませんか。"]),
])
def test_an_unknown_block_is_named_at_the_include_line_with_the_closest_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, said: list[str]) -> None:
    config = city(tmp_path, **{"form.yaml": FORM.replace("include: applicant", "include: aplicant")})
    code, out = run(capsys, config, "validate", lang=lang)
    file = tmp_path / "forms" / "form.yaml"
    assert code == 1
    assert f"{file}:{line_of(file, 'aplicant')}:" in out, out
    for text in said:
        assert text in out, out


def test_a_broken_field_in_a_block_is_told_at_the_block_file_and_the_form_cannot_use_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = city(tmp_path, **{
        "blocks.yaml": """
            blocks:
              contact:
                - id: email
                  type: text
                  label: {ja: メール, en: Email}
                - id: phone
                  type: telephone
                  label: {ja: 電話, en: Phone}
        """,
        "form.yaml": """
            fields:
              - include: contact
        """})
    code, out = run(capsys, config, "validate")
    blocks, form = tmp_path / "forms" / "blocks.yaml", tmp_path / "forms" / "form.yaml"
    assert code == 1
    assert f"{blocks}:{line_of(blocks, 'telephone')}: error [blocks.contact[1].type]: 'telephone'" in out, out
    assert f"{form}:{line_of(form, 'include')}:" in out
    assert "block 'contact' has errors and cannot be used" in out


def test_an_id_of_the_form_that_a_block_also_has_names_both_lines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = city(tmp_path, **{"form.yaml": """
        fields:
          - id: applicant_phone
            type: phone
            label: {ja: 電話, en: Phone}
          - include: applicant
    """})
    code, out = run(capsys, config, "validate")
    form = tmp_path / "forms" / "form.yaml"
    assert code == 1
    assert f"{form}:{line_of(form, 'include')}: error [fields[1].include]:" in out, out
    assert (f"field id 'applicant_phone' appears twice: line {line_of(form, 'id: applicant_phone')} "
            f"of this file and block 'applicant' (blocks.yaml line "
            f"{line_of(SHIPPED_BLOCKS, 'id: applicant_phone')})") in out


def test_the_same_block_twice_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = city(tmp_path, **{"form.yaml": """
        fields:
          - include: applicant
          - id: s
            type: section
            label: {ja: 二人目, en: Second}
            fields:
              - include: applicant
    """})
    code, out = run(capsys, config, "validate")
    form = tmp_path / "forms" / "form.yaml"
    assert code == 1
    assert f"{form}:{line_of(form, '      - include')}: error [fields[1].fields[0].include]:" in out, out
    assert "field id 'applicant' appears twice: block 'applicant'" in out


def test_a_condition_that_fits_one_form_only_is_told_at_the_block_line_through_that_form(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `agent` names the applicant question; this form does not ask it.
    config = city(tmp_path, **{"form.yaml": """
        fields:
          - include: agent
    """})
    code, out = run(capsys, config, "validate")
    form = tmp_path / "forms" / "form.yaml"
    assert code == 1
    assert (f"{SHIPPED_BLOCKS}:{line_of(SHIPPED_BLOCKS, 'show_if: applicant')}: error "
            f"[blocks.agent[0].show_if ← form.yaml:{line_of(form, 'include')}]") in out, out


@pytest.mark.parametrize(("text", "said"), [
    ("  - include: applicant\n    prefix: second_", "include takes only a block's name"),
    ("  - include: [applicant, agent]", "include takes only a block's name"),
])
def test_include_takes_only_a_name(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   text: str, said: str) -> None:
    config = city(tmp_path, **{"form.yaml": "fields:\n" + text + "\n"})
    code, out = run(capsys, config, "validate")
    assert code == 1 and said in out, out


def test_a_block_cannot_include_a_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = city(tmp_path, **{
        "blocks.yaml": """
            blocks:
              both:
                - include: applicant
        """,
        "form.yaml": "fields:\n  - include: both\n"})
    code, out = run(capsys, config, "validate")
    blocks = tmp_path / "forms" / "blocks.yaml"
    assert code == 1
    assert f"{blocks}:3: error [blocks.both[0].include]: a block cannot include another block." in out, out


# -- a city's blocks, overrides, the digest ------------------------------------------------


def test_a_local_block_replaces_the_shipped_one_in_the_shipped_forms_and_their_digest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shipped = form_digest(load_library(counters=set(COUNTERS)).get("inkan_shomei"))
    block = SHIPPED_BLOCKS.read_text(encoding="utf-8").replace(
        "en: Daytime phone number}", "en: Daytime phone number}\n      required: true")
    block = block[:block.index("  # 代理人")]
    config = city(tmp_path, **{"our_blocks.yaml": block})
    code, out = run(capsys, config, "validate")
    assert (code, "0 errors, 0 warnings" in out) == (0, True), out
    assert "this file's block 'applicant' replaces the earlier one." in out
    form = load_library([tmp_path / "forms"], counters=set(COUNTERS)).get("inkan_shomei")
    phone = next(f for f in form.fields if f.id == "applicant_phone")
    assert phone.required is True
    assert form_digest(form) != shipped


def test_an_override_may_include_a_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = city(tmp_path, **{"inkan_shomei.yaml": """
        extends: inkan_shomei@1
        version: 2
        fields:
          - include: agent
    """})
    code, out = run(capsys, config, "validate")
    assert (code, "0 errors, 0 warnings" in out) == (0, True), out
    form = load_library([tmp_path / "forms"], counters=set(COUNTERS)).get("inkan_shomei")
    assert form.fields[-1].id == "principal"
    assert [f.id for f in form.fields[:5]] == APPLICANT_IDS


def test_a_problem_after_an_include_names_the_path_the_file_has(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Included fields push the form's own along (fields[1] becomes fields[6]); a message
    counts as the file does, so its path and its line point at the same place."""
    config = city(tmp_path, **{"acct.yaml": """
        fields:
          - include: applicant
          - id: account
            type: section
            label: {ja: 口座, en: Account}
            fields:
              - include: bank_account
              - id: extra
                type: digits
                label: {ja: 予備の番号, en: Spare number}
                length: 40
        """})
    code, out = run(capsys, config, "validate")
    assert code == 1
    file = tmp_path / "forms" / "acct.yaml"
    assert f"{file}:{line_of(file, 'length: 40')}: error [fields[1].fields[1].length]:" in out, out
