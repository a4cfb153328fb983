"""A city's override says only what it changes (`extends:`); `[forms] hide`; `kiosk forms diff`;
a life event keeps the procedures that loaded. Run through the CLI, as IT staff would."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from forms.loader import SHIPPED_DIR, load_library
from kiosk.cli.main import main
from tests.forms.helpers import COUNTERS, HEADER, describe

SHIPPED_JUMINHYO = SHIPPED_DIR / "procedures" / "juminhyo.yaml"


def write(directory: Path, name: str, text: str) -> Path:
    file = directory / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return file


def city(tmp_path: Path, toml: str = "", **files: str) -> Path:
    """A kiosk.toml naming a folder `forms` holding `files`; returns the kiosk.toml."""
    for name, text in files.items():
        write(tmp_path / "forms", name, text)
    config = tmp_path / "kiosk.toml"
    config.write_text('[forms]\ndirs = ["forms"]\n' + textwrap.dedent(toml), encoding="utf-8")
    return config


def run(capsys: pytest.CaptureFixture[str], config: Path, *args: str, lang: str = "en") -> tuple[int, str]:
    code = main(["--config", str(config), "--lang", lang, "forms", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


CHEAPER = """
    extends: juminhyo@1
    version: 2
    fee: {amount: 200, per: copy, copies_field: copies}
    remove: [purpose_other]
    fields:
      - id: email
        after: applicant_name
        type: text
        label: {ja: メールアドレス, en: Email}
      - id: submit_to
        type: text
        label: {ja: 提出先の名前, en: Name of the office}
      - id: remarks
        type: text
        label: {ja: 備考, en: Remarks}
"""


def test_an_override_changes_only_what_it_says(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    config = city(tmp_path, **{"juminhyo_200yen.yaml": CHEAPER})
    code, out = run(capsys, config, "validate")
    assert code == 0, out
    assert "this file changes the shipped 'juminhyo'" in out
    assert "0 errors, 0 warnings" in out
    code, out = run(capsys, config, "show", "juminhyo")
    assert code == 0
    assert "Fee: 200円 per copy" in out
    fields = out[out.index("Fields:"):out.index("Rules:")].splitlines()[1:]
    ids = [line.split()[0] for line in fields if line.startswith("  ") and "(" in line]
    # email right after the name; remarks at the end; purpose_other gone; submit_to in place.
    assert ids[ids.index("applicant_name") + 1] == "email"
    assert ids[-1] == "remarks"
    assert "purpose_other" not in ids
    assert ids.index("purpose") < ids.index("submit_to") < ids.index("remarks")
    assert "submit_to (text): Name of the office" in out
    assert "id: juminhyo  version: 2" in out
    # Everything else is the shipped form's: its applicants, its rules.
    assert "! not ('my_number' in items and applicant == 'agent')" in out


def test_forms_diff_shows_what_the_override_changed(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    config = city(tmp_path, **{"juminhyo.yaml": CHEAPER})
    code, out = run(capsys, config, "diff", "juminhyo")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].endswith(f"against {SHIPPED_JUMINHYO} (version 1 → 2)")
    assert "  ~ fee" in lines and "  ~ version" in lines
    assert "  + email (after applicant_name)" in lines
    assert "  + remarks (after submit_to)" in lines
    assert "  - purpose_other" in lines
    assert "  ~ submit_to: help, label, max_length" in lines
    assert "-  amount: 300" in lines and "+  amount: 200" in lines
    code, out = run(capsys, config, "diff", "juminhyo", lang="ja")
    assert "  + email（applicant_name の後）" in out.splitlines()


def test_forms_diff_of_a_form_nothing_changes_and_of_an_unknown_id(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = city(tmp_path, **{"juminhyo.yaml": CHEAPER})
    assert run(capsys, config, "diff", "tennyu") == (
        0, f"tennyu: no local file changes {SHIPPED_DIR / 'procedures' / 'tennyu.yaml'}.\n")
    code, out = run(capsys, config, "diff", "no_such_form")
    assert code == 2 and "kiosk forms list" in out


def test_a_whole_replacement_file_keeps_loading_and_diffs_too(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    whole = SHIPPED_JUMINHYO.read_text(encoding="utf-8").replace("amount: 300", "amount: 350")
    config = city(tmp_path, **{"juminhyo.yaml": whole})
    code, out = run(capsys, config, "validate")
    assert code == 0 and "this file replaces the shipped 'juminhyo'" in out
    code, out = run(capsys, config, "diff", "juminhyo")
    assert "Top-level keys:\n  ~ fee\n" in out
    assert "Fields:" not in out


def test_an_override_that_keeps_the_version_or_no_longer_matches_is_warned(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = city(tmp_path, **{
        "juminhyo.yaml": "extends: juminhyo\nfee: {amount: 200, per: copy, copies_field: copies}\n",
        "tennyu.yaml": "extends: tennyu@7\nversion: 9\nnotes: [{ja: 注意, en: Note}]\n"})
    code, out = run(capsys, config, "validate")
    assert code == 0, out
    assert ("juminhyo.yaml:1: warning [extends]: the version stays 1 ('juminhyo' it extends is 1); "
            "raise it to 2 or more.") in out
    assert "juminhyo.yaml:1: warning [extends]: extends does not say which version it was " \
           "written for; write extends: juminhyo@1." in out
    assert ("tennyu.yaml:1: warning [extends]: this file was written for version 7 of 'tennyu', "
            "which is now version 1.") in out
    assert "kiosk forms diff tennyu" in out
    assert "tennyu.yaml:2: warning" not in out  # version 9 is raised
    code, out = run(capsys, config, "validate", lang="ja")
    assert "版が 1 のままです" in out


@pytest.mark.parametrize(("text", "where", "message"), [
    ("extends: juminhyo@1\nversion: 2\nremove: [purpse_other]\n",
     ":3: error [remove[0]]", "has no field 'purpse_other'.\n    → Did you mean 'purpose_other'?"),
    ("extends: juminhyo@1\nversion: 2\nfields:\n  - id: x\n    after: copis\n    type: text\n    label: x\n",
     ":5: error [fields[0].after]", "has no field 'copis'.\n    → Did you mean 'copies'?"),
    ("extends: jumin@1\n", ":1: error [extends]", "'jumin' that this file extends is not loaded"),
    ("extends: Juminhyo v1\n", ":1: error [extends]", "is not of the form 'procedure_id@version'"),
    # The override's own field, at its own line although the merged form holds it elsewhere.
    ("extends: juminhyo@1\nversion: 2\nfields:\n  - id: email\n    after: applicant_name\n"
     "    type: txt\n    label: x\n", ":6: error [fields[0].type]", "'txt' is not allowed here"),
    # A shipped field broken by what the override removed: named by the shipped path.
    ("extends: juminhyo@1\nversion: 2\nremove: [purpose]\n",
     ":1: error [(juminhyo) fields[11].show_if]", "'purpose'"),
])
def test_override_mistakes_name_the_line_of_the_override(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, where: str,
        message: str) -> None:
    config = city(tmp_path, **{"juminhyo.yaml": text})
    code, out = run(capsys, config, "validate")
    assert code == 1
    assert f"{tmp_path / 'forms' / 'juminhyo.yaml'}{where}" in out, out
    assert message in out
    # The shipped 住民票 is still offered.
    code, out = run(capsys, config, "show", "juminhyo")
    assert "id: juminhyo  version: 1" in out


def test_hide_takes_a_procedure_out_and_its_life_event_keeps_the_rest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[forms]\nhide = ["sosaihi", "kokhuo"]\n', encoding="utf-8")
    code, out = run(capsys, config, "validate")
    assert code == 0, out
    assert "kiosk.toml: info [forms.hide[0]]: procedure 'sosaihi' is hidden" in out
    assert "kiosk.toml: warning [forms.hide[1]]: procedure 'kokhuo' to hide is not loaded.\n" \
           "    → Did you mean 'kokuho'?" in out
    assert "procedure 'sosaihi' is hidden by [forms] hide in kiosk.toml; the event is offered " \
           "without it." in out
    assert "5 life events" in out
    code, out = run(capsys, config, "list")
    ids = [line.split()[0] for line in out.splitlines()]
    assert "sosaihi" not in ids and "juminhyo" in ids
    okuyami = next(line for line in out.splitlines() if "life-event" in line and "kokuho" in line
                   and "juminhyo" in line and "tenshutsu" not in line)
    assert "sosaihi" not in okuyami


def test_a_life_event_keeps_its_procedures_when_one_is_not_loaded(tmp_path: Path) -> None:
    # Moved from the broken corpus: a step naming a procedure that did not load is a warning
    # at the step's line; the event is still offered with the others.
    write(tmp_path, "good_minimal.yaml", HEADER.replace("test_form", "good_minimal")
          + "fields:\n  - {id: name, type: text, label: 氏名}\n")
    file = write(tmp_path, "life_events.yaml", """
        # a life event step names a procedure that is not loaded.
        life_events:
          - id: moving_in
            title: {ja: 引っ越してきた, ja_kana: ひっこしてきた}
            steps:
              - form: good_minimal
              - form: tennyu_typo
    """)
    lib = load_library([tmp_path], shipped=None, counters=set(COUNTERS))
    assert lib.errors == [], describe(lib.problems)
    [warning] = lib.problems
    assert (warning.severity, warning.code, warning.file, warning.line, warning.path) == (
        "warning", "unknown_form", file, 7, "life_events[0].steps[1].form")
    assert "'tennyu_typo' is not loaded; the event is offered without it" in warning.render("en")
    assert [s.form for s in lib.life_events["moving_in"].steps] == ["good_minimal"]


def test_shipped_forms_broken_by_a_counter_leave_the_life_events_their_other_procedures(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # tennyu, kokuho...: a local file that breaks 転入届 must not take 5 events with it.
    config = city(tmp_path, **{"tennyu.yaml": "extends: tennyu@1\nversion: 2\ncounter: nowhere\n"})
    code, out = run(capsys, config, "validate")
    assert code == 1
    assert "counter 'nowhere' is not in the configuration" in out
    assert "5 life events" in out  # the shipped 転入届 still loads under it
    config.write_text('[forms]\nhide = ["tennyu"]\n', encoding="utf-8")
    code, out = run(capsys, config, "validate")
    assert "5 life events" in out and "'tennyu' is hidden by [forms] hide" in out


def test_a_life_event_whose_procedures_are_all_hidden_is_not_offered(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = write(tmp_path / "forms", "events.yaml", """
        life_events:
          - id: only_juminhyo
            title: {ja: 住民票だけ, ja_kana: じゅうみんひょうだけ}
            steps:
              - form: juminhyo
              - info: 窓口へ
    """)
    config = tmp_path / "kiosk.toml"
    config.write_text('[forms]\ndirs = ["forms"]\nhide = ["juminhyo"]\n', encoding="utf-8")
    code, out = run(capsys, config, "validate")
    assert code == 0
    assert f"{events}:2: warning [life_events[0].id]: none of the procedures of life event " \
           "'only_juminhyo' is loaded: it is not offered." in out
    code, out = run(capsys, config, "list")
    assert "only_juminhyo" not in out


def test_fields_inside_a_group_are_replaced_and_added_by_id(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = city(tmp_path, **{"tennyu.yaml": """
        extends: tennyu@1
        version: 2
        remove: [relationship_other]
        fields:
          - id: name_kana
            type: katakana
            label: {ja: フリガナ, en: Reading}
            required: true
          - id: nationality
            after: sex
            type: text
            label: {ja: 国籍, en: Nationality}
    """})
    code, out = run(capsys, config, "validate")
    assert code == 0, out
    code, out = run(capsys, config, "show", "tennyu")
    members = out[out.index("  members (group)"):].splitlines()[1:]
    children = [line.split()[0] for line in members if line.startswith("    ")
                and not line.startswith("     ") and "(" in line]
    assert children[:5] == ["name", "name_kana", "birth_date", "sex", "nationality"]
    assert "relationship_other" not in out
    assert "    name_kana (katakana): Reading  [required]" in out


def test_the_documented_override_loads_without_a_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "forms.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Overrides"):]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    config = city(tmp_path, **{"juminhyo.yaml": example})
    code, out = run(capsys, config, "validate")
    assert (code, "0 errors, 0 warnings" in out) == (0, True), out
    code, out = run(capsys, config, "show", "juminhyo")
    assert "Fee: 200円 per copy" in out and "email (text): Email" in out


def test_after_on_a_shipped_id_moves_that_field(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    config = city(tmp_path, **{"juminhyo.yaml": """
        extends: juminhyo@1
        version: 2
        fields:
          - id: submit_to
            after: applicant_name
            type: text
            label: {ja: 提出先, en: Submitted to}
    """})
    code, out = run(capsys, config, "show", "juminhyo")
    fields = [line.split()[0] for line in out[out.index("Fields:"):].splitlines()[1:]
              if line.startswith("  ") and not line.startswith("   ")]
    assert fields[fields.index("applicant_name") + 1] == "submit_to"
    assert fields.count("submit_to") == 1
    assert code == 0
    code, out = run(capsys, config, "diff", "juminhyo")
    assert code == 0
    assert "  ~ submit_to: help, label, max_length, moved" in out.splitlines()
