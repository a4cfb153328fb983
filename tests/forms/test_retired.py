"""Older versions kept in retired/: loaded and checked, read at the desk, never offered."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.loader import SHIPPED_DIR, load_library
from kiosk.cli.main import main
from printouts.payload import form_digest
from tests.forms.helpers import COUNTERS, describe
from tests.forms.test_loader import a_form, write


def versioned(form_id: str, version: int, label: str) -> str:
    return a_form(form_id, label).replace("version: 1", f"version: {version}")


def test_the_shipped_jidou_teate_v1_is_kept_for_the_desk_and_not_offered(
        capsys: pytest.CaptureFixture[str]) -> None:
    lib = load_library(counters=set(COUNTERS))
    assert lib.problems == [], describe(lib.problems)
    assert (len(lib.forms), len(lib.life_events)) == (13, 5)
    assert lib.get("jidou_teate").version == 2
    old = lib.form_version("jidou_teate", 1)
    assert old is not None and old.field("bank_name").label.ja == "金融機関名"
    assert lib.retired[("jidou_teate", 1)].file == SHIPPED_DIR / "retired" / "jidou_teate_v1.yaml"
    assert main(["forms", "list"]) == 0
    listed = [line.split("\t")[:2] for line in capsys.readouterr().out.splitlines()]
    assert ["jidou_teate", "v2"] in listed and ["jidou_teate", "v1"] not in listed
    assert sum(1 for line in listed if line[1] != "life-event") == 13


def test_a_retired_file_is_read_for_its_version_only(tmp_path: Path) -> None:
    write(tmp_path, "f.yaml", versioned("f", 2, "新しい氏名"))
    old = write(tmp_path, "retired/f_v1.yaml", versioned("f", 1, "古い氏名"))
    lib = load_library([tmp_path], shipped=None)
    assert lib.problems == [], describe(lib.problems)
    assert list(lib.forms) == ["f"] and lib.get("f").field("name").label.ja == "新しい氏名"
    found = lib.form_version("f", 1)
    assert found is not None and found.field("name").label.ja == "古い氏名"
    assert lib.retired[("f", 1)].file == old
    assert lib.form_version("f", 2) is lib.get("f")
    assert lib.form_version("f", 3) is None and lib.form_version("g", 1) is None


@pytest.mark.parametrize(("version", "says"), [
    (2, "is the same version as the current procedure (f.yaml, version 2)"),
    (3, "is newer than the current procedure (f.yaml, version 2)"),
])
def test_a_retired_file_not_older_than_the_current_is_refused_at_its_version(
        tmp_path: Path, version: int, says: str) -> None:
    write(tmp_path, "f.yaml", versioned("f", 2, "今の氏名"))
    old = write(tmp_path, "retired/f_old.yaml", versioned("f", version, "古い氏名"))
    lib = load_library([tmp_path], shipped=None)
    [error] = lib.problems
    assert (error.severity, error.file, error.line, error.path) == ("error", old, 2, "version")
    assert says in error.render("en") and "このファイルは読み込みません" in error.render("ja")
    assert lib.retired == {}
    current = lib.form_version("f", 2)
    assert current is not None and current.field("name").label.ja == "今の氏名"


def test_a_retired_file_whose_id_nothing_current_has_is_warned(tmp_path: Path) -> None:
    write(tmp_path, "kokuho_local.yaml", a_form("kokuho_local"))
    old = write(tmp_path, "retired/typo.yaml", a_form("kokuho_locl"))
    lib = load_library([tmp_path], shipped=None)
    [warning] = lib.problems
    assert (warning.severity, warning.file, warning.line, warning.path) == (
        "warning", old, 1, "id")
    assert "nothing to read this older version for" in warning.render("en")
    assert "Did you mean 'kokuho_local'?" in warning.render("en")
    assert "読むものがありません" in warning.render("ja")
    assert "kokuho_locl" not in lib.forms


def test_two_retired_files_of_one_version_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "f.yaml", versioned("f", 3, "今の氏名"))
    first = write(tmp_path, "retired/a.yaml", versioned("f", 1, "一つ目"))
    second = write(tmp_path, "retired/b.yaml", versioned("f", 1, "二つ目"))
    write(tmp_path, "retired/c.yaml", versioned("f", 2, "版2"))
    lib = load_library([tmp_path], shipped=None)
    [error] = lib.problems
    assert (error.severity, error.file, error.line, error.path) == ("error", second, 2, "version")
    assert "also kept in a.yaml" in error.render("en")
    assert lib.retired[("f", 1)].file == first
    assert sorted(lib.retired) == [("f", 1), ("f", 2)]


def test_a_broken_retired_file_is_reported_like_any_form_file(tmp_path: Path) -> None:
    write(tmp_path, "f.yaml", versioned("f", 2, "氏名"))
    old = write(tmp_path, "retired/f_v1.yaml", versioned("f", 1, "氏名").replace("type: text",
                                                                                "type: txet"))
    lib = load_library([tmp_path], shipped=None)
    assert [(p.severity, p.file) for p in lib.problems] == [("error", old)]
    assert lib.retired == {}


def test_only_forms_go_in_retired(tmp_path: Path) -> None:
    write(tmp_path, "f.yaml", a_form("f"))
    lists = write(tmp_path, "retired/lists.yaml", """
        choice_lists:
          colour:
            - {value: red, label: 赤}
        """)
    lib = load_library([tmp_path], shipped=None)
    [error] = lib.problems
    assert (error.severity, error.file) == ("error", lists)
    assert "retired/ holds only older versions of procedure files" in error.render("en")


def test_a_retired_override_is_the_form_its_version_was(tmp_path: Path) -> None:
    """A city raised its override's version: the retired one is merged into the shipped form
    it extended, so its digest is the one yesterday's slips carry."""
    override = "extends: juminhyo@1\nversion: {v}\ntitle:\n  ja: {title}\n  ja_kana: じゅうみんひょう\n"
    write(tmp_path / "then", "juminhyo.yaml", override.format(v=2, title="住民票（旧）"))
    yesterday = load_library([tmp_path / "then"]).get("juminhyo")
    write(tmp_path / "now", "juminhyo.yaml", override.format(v=3, title="住民票（新）")
          + "short_title: {ja: みほん市の住民票, en: Juminhyo}\n")  # not merged into v2
    write(tmp_path / "now", "retired/juminhyo_v2.yaml", override.format(v=2, title="住民票（旧）"))
    lib = load_library([tmp_path / "now"])
    assert lib.errors == [], describe(lib.problems)
    kept = lib.form_version("juminhyo", 2)
    assert kept is not None and kept.title.ja == "住民票（旧）"
    assert form_digest(kept) == form_digest(yesterday)
    assert lib.get("juminhyo").title.ja == "住民票（新）"
