"""The loader: the shipped library, a municipality's own folders, what goes wrong between files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from forms.errors import UnknownFormError
from forms.loader import SHIPPED_DIR, load_library
from kiosk.cli.main import main
from tests.forms.helpers import COUNTERS, HEADER, describe


def write(directory: Path, name: str, text: str) -> Path:
    file = directory / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return file


def a_form(form_id: str, label: str = "氏名") -> str:
    header = HEADER.replace("id: test_form", f"id: {form_id}")
    return header + f"fields:\n  - {{id: name, type: text, label: {label}}}\n"


# -- the shipped library ------------------------------------------------------------------


def test_the_shipped_library_loads_without_any_problem() -> None:
    # Held to the shipped rules (English everywhere) and to the default counters of kiosk.toml.
    lib = load_library(counters=set(COUNTERS))
    assert lib.problems == [], describe(lib.problems)
    assert lib.errors == []
    assert "juminhyo" in lib.forms
    assert all(f.origin == "shipped" for f in lib.forms.values())
    assert lib.files_read == len(lib.forms) + len({p for p in SHIPPED_DIR.rglob("*.y*ml")} - {
        f.file for f in lib.forms.values()})


def test_validate_of_the_configured_library_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "forms", "validate"]) == 0
    out = capsys.readouterr().out
    assert "0 errors, 0 warnings" in out
    assert "All good." in out


def test_the_shipped_library_has_no_problem_even_under_strict(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "ja", "forms", "validate", "--strict", str(SHIPPED_DIR)]) == 0
    out = capsys.readouterr().out.splitlines()
    # Only the two summary lines: not one error, warning or info above them.
    assert len(out) == 2, "\n".join(out)
    assert "エラー 0 件、警告 0 件" in out[0]
    assert out[1] == "問題ありません。"


# -- a municipality's own folder ----------------------------------------------------------


def test_a_local_form_with_a_shipped_id_replaces_it(tmp_path: Path) -> None:
    file = write(tmp_path, "my_juminhyo.yaml", a_form("juminhyo", "みほん市の氏名欄"))
    lib = load_library([tmp_path])
    assert lib.errors == [], describe(lib.problems)
    loaded = lib.forms["juminhyo"]
    assert (loaded.origin, loaded.file) == ("local", file)
    assert lib.get("juminhyo").field("name").label.ja == "みほん市の氏名欄"
    info, *others = lib.problems
    # The おくやみ event gives 住民票 its applicant; this juminhyo has none: it is told where.
    assert [(p.severity, p.file.name, p.path) for p in others] == [
        ("warning", "life_events.yaml", "life_events[4].steps[3].values.applicant")]
    assert (info.severity, info.code, info.file, info.line, info.path) == (
        "info", "overridden", file, 1, "id")
    assert "replaces the shipped 'juminhyo'" in info.render("en")


def test_local_files_are_not_held_to_the_shipped_english_rule(tmp_path: Path) -> None:
    write(tmp_path, "ja_only.yaml", a_form("ja_only"))
    file = tmp_path / "ja_only.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace(", en: Test application", ""),
                    encoding="utf-8")
    assert load_library([tmp_path], shipped=None).problems == []
    strict = load_library([], shipped=tmp_path)
    assert {p.code for p in strict.errors} == {"missing_translation"}
    assert any(p.path == "title" and "'試験の申請書' has no English" in p.render("en")
               for p in strict.errors)


def test_a_duplicate_id_within_a_folder_skips_the_second_file(tmp_path: Path) -> None:
    first = write(tmp_path, "a_first.yaml", a_form("same_id", "最初"))
    second = write(tmp_path, "b_second.yaml", a_form("same_id", "二番目"))
    lib = load_library([tmp_path], shipped=None)
    assert lib.forms["same_id"].file == first
    [error] = lib.errors
    assert (error.code, error.file, error.line, error.path) == ("duplicate_form", second, 1, "id")
    assert "a_first.yaml" in error.message.ja and "a_first.yaml" in (error.message.en or "")


def test_a_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path, "a_good.yaml", a_form("good_a"))
    write(tmp_path, "b_broken.yaml", a_form("broken_b").replace("type: text", "type: txet"))
    (tmp_path / "c_binary.yaml").write_bytes(b"\xff\xfe\x00garbage")
    write(tmp_path, "sub/d_good.yaml", a_form("good_d"))
    write(tmp_path, "notes.txt", "not a form: ignored")
    lib = load_library([tmp_path], shipped=None)
    assert sorted(lib.forms) == ["good_a", "good_d"]
    assert sorted(p.file.name for p in lib.errors) == ["b_broken.yaml", "c_binary.yaml"]
    assert lib.files_read == 4


def test_a_missing_directory_is_an_error_and_the_shipped_forms_still_load(tmp_path: Path) -> None:
    missing = tmp_path / "no_such_folder"
    lib = load_library([missing])
    [error] = lib.problems
    assert (error.severity, error.code, error.file) == ("error", "empty_directory", missing)
    assert "does not exist" in error.render("en")
    assert "forms.dirs" in error.render("ja")
    assert "juminhyo" in lib.forms


def test_an_empty_local_directory_is_a_warning(tmp_path: Path) -> None:
    lib = load_library([tmp_path], shipped=None)
    assert [(p.severity, p.code) for p in lib.problems] == [("warning", "empty_directory")]


def test_counters_are_checked_only_when_the_configuration_is_given(tmp_path: Path) -> None:
    write(tmp_path, "f.yaml", a_form("f").replace("counter: resident", "counter: elsewhere"))
    assert load_library([tmp_path], shipped=None).problems == []
    [error] = load_library([tmp_path], shipped=None, counters={"resident"}).errors
    assert (error.code, error.path, error.line) == ("unknown_counter", "counter", 5)


def test_life_events_may_name_forms_from_any_folder(tmp_path: Path) -> None:
    events = tmp_path / "events"
    forms = tmp_path / "forms"
    write(events, "life_events.yaml", """
        life_events:
          - id: test_moving_in
            title: {ja: 引っ越してきた, ja_kana: ひっこしてきた}
            questions:
              - {id: has_card, label: カードをお持ちですか}
            steps:
              - form: local_form
                when: has_card and not false
              - form: juminhyo
              - info: 学校の手続きは教育委員会で
    """)
    write(forms, "local_form.yaml", a_form("local_form"))
    lib = load_library([events, forms])
    assert lib.errors == [], describe(lib.problems)
    steps = lib.life_events["test_moving_in"].steps
    assert [s.form for s in steps] == ["local_form", "juminhyo", None]


def test_a_life_event_step_is_a_form_or_a_text_not_both(tmp_path: Path) -> None:
    file = write(tmp_path, "life_events.yaml", """
        life_events:
          - id: test_moving_in
            title: 引っ越してきた
            steps:
              - {form: juminhyo, info: 窓口へ}
    """)
    lib = load_library([tmp_path])
    [error] = lib.errors
    assert (error.file, error.code, error.line, error.path) == (
        file, "schema", 5, "life_events[0].steps[0]")
    assert "either `form`" in error.render("en")
    assert "test_moving_in" not in lib.life_events


def test_get_an_unknown_form_says_how_to_find_the_ids() -> None:
    lib = load_library()
    with pytest.raises(UnknownFormError, match="kiosk forms list"):
        lib.get("no_such_form")


def test_loading_twice_gives_the_same_library() -> None:
    first, second = load_library(), load_library()
    assert first.forms.keys() == second.forms.keys()
    assert first.get("juminhyo") == second.get("juminhyo")


# -- the forms package stands apart from the screen ---------------------------------------


def test_importing_the_forms_package_does_not_import_kivy() -> None:
    # In a fresh interpreter: in this one, a UI test may already have imported Kivy.
    code = (
        "import sys\n"
        "import forms, forms.loader, forms.engine, forms.expr, forms.normalise, forms.checks\n"
        "import forms.japanese_dates, forms.answer_messages, forms.schema_errors\n"
        "import forms.yamlsource\n"
        "forms.loader.load_library()\n"
        "others = ('kivy', 'kiosk', 'drivers', 'printouts')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in others)\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
    assert "kivy" not in done.stdout


def test_the_same_id_in_two_local_folders_names_the_earlier_file(tmp_path: Path) -> None:
    first = write(tmp_path / "a", "mine.yaml", a_form("local_form", "最初"))
    second = write(tmp_path / "b", "mine.yaml", a_form("local_form", "後"))
    lib = load_library([tmp_path / "a", tmp_path / "b"])
    assert lib.get("local_form").field("name").label.ja == "後"
    [warning] = lib.problems
    assert (warning.severity, warning.code, warning.file) == ("warning", "overridden", second)
    assert str(first) in warning.render("en") and "later folder wins" in warning.render("en")


def test_a_life_event_id_twice_in_one_file_is_an_error(tmp_path: Path) -> None:
    event = """
          - id: twice
            title: {ja: 二度, ja_kana: にど}
            steps:
              - form: juminhyo"""
    file = write(tmp_path, "life_events.yaml", "\n        life_events:" + event + event + "\n")
    lib = load_library([tmp_path])
    [error] = lib.errors
    assert (error.code, error.file, error.path) == ("duplicate_form", file, "life_events[1].id")
    assert "twice" in lib.life_events


def test_a_local_life_event_replaces_the_shipped_one(tmp_path: Path) -> None:
    write(tmp_path, "life_events.yaml", """
        life_events:
          - id: birth
            title: {ja: 赤ちゃんが生まれた, ja_kana: あかちゃんがうまれた}
            steps:
              - form: jidou_teate
    """)
    lib = load_library([tmp_path])
    assert lib.errors == [], describe(lib.problems)
    assert lib.life_events["birth"].title.ja == "赤ちゃんが生まれた"
    assert [p.code for p in lib.problems] == ["overridden"]
