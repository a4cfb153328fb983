"""The broken-file corpus: one defect per file, each with its own clear message; none crashes.

The expectations are the table in fixtures/broken/EXPECTED.md, so a reader of the folder and
the test read the same list.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from forms.errors import Problem
from forms.loader import Library, load_library
from kiosk.cli.main import main
from tests.forms.helpers import COUNTERS, describe

BROKEN = Path(__file__).parent / "fixtures" / "broken"
TEN_MB = 10 * 1024 * 1024
HUGE = "too_large_10mb.yaml"


@dataclass(frozen=True)
class Row:
    file: str
    code: str  # "loads" for a good file
    line: int | None
    path: str | None  # None: a file-level problem, no path
    contains: str

    @property
    def good(self) -> bool:
        return self.code == "loads"


def _cell(text: str) -> str:
    return text.strip().strip("`").strip()


def read_expected() -> list[Row]:
    rows = []
    for line in (BROKEN / "EXPECTED.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        file, code, number, path, contains = (_cell(c) for c in line.strip()[1:-1].split("|"))
        rows.append(Row(file, code, int(number) if number else None,
                        None if path in ("-", "") else path, contains))
    return rows


ROWS = read_expected()
BROKEN_ROWS = [r for r in ROWS if not r.good]
GOOD_ROWS = [r for r in ROWS if r.good]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Library]:
    """A copy of the folder plus a 10 MB file, loaded once."""
    folder = tmp_path_factory.mktemp("broken")
    shutil.copytree(BROKEN, folder, dirs_exist_ok=True)
    line = b"# padding: a form file pasted into itself many times\n"
    (folder / HUGE).write_bytes(line * (TEN_MB // len(line) + 1))
    return folder, load_library([folder], shipped=None, counters=set(COUNTERS))


def problems_of(lib: Library, name: str) -> list[Problem]:
    return [p for p in lib.problems if p.file.name == name]


def test_the_table_lists_every_file_and_enough_broken_ones() -> None:
    on_disk = {p.name for p in BROKEN.iterdir() if p.suffix in (".yaml", ".yml")}
    listed = [r.file for r in ROWS]
    assert len(listed) == len(set(listed)), "a file is listed twice in EXPECTED.md"
    assert set(listed) == on_disk
    assert len(BROKEN_ROWS) >= 32
    assert not (BROKEN / HUGE).exists(), "the 10 MB file is made by the test, never committed"


def test_the_shift_jis_file_really_is_shift_jis() -> None:
    raw = (BROKEN / "not_utf8_shift_jis.yaml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "氏名" in raw.decode("shift_jis")


@pytest.mark.parametrize("row", BROKEN_ROWS, ids=lambda r: r.file)
def test_each_broken_file_has_its_own_clear_error(row: Row, corpus: tuple[Path, Library]) -> None:
    folder, lib = corpus
    problems = problems_of(lib, row.file)
    errors = [p for p in problems if p.severity == "error"]
    assert errors, f"{row.file}: no error"
    shown = describe(problems)
    assert all(p.file == folder / row.file and p.line for p in errors), shown
    matching = [p for p in errors if p.code == row.code]
    assert matching, f"{row.file}: no {row.code} error:\n{shown}"
    assert any(p.line == row.line for p in matching), f"{row.file}: not line {row.line}:\n{shown}"
    if row.path is not None:
        assert any(p.path == row.path for p in matching), f"{row.file}: not at {row.path}:\n{shown}"
    texts = [t for p in matching for t in (p.message.ja, p.message.en or "",
                                           *((p.hint.ja, p.hint.en or "") if p.hint else ()))]
    assert any(row.contains in t for t in texts), f"{row.file}: no {row.contains!r}:\n{shown}"


@pytest.mark.parametrize("row", BROKEN_ROWS, ids=lambda r: r.file)
def test_each_broken_file_renders_with_file_line_and_path(row: Row,
                                                          corpus: tuple[Path, Library]) -> None:
    folder, lib = corpus
    p = next(p for p in problems_of(lib, row.file) if p.code == row.code and p.line == row.line)
    for lang in ("ja", "en"):
        text = p.render(lang)
        assert text.startswith(f"{folder / row.file}:{row.line}: ")
        if row.path:
            assert f"[{row.path}]" in text


def test_no_broken_file_is_loaded(corpus: tuple[Path, Library]) -> None:
    _, lib = corpus
    broken = {r.file for r in BROKEN_ROWS}
    assert not [f.file.name for f in lib.forms.values() if f.file.name in broken]


@pytest.mark.parametrize("row", GOOD_ROWS, ids=lambda r: r.file)
def test_the_good_files_beside_them_still_load(row: Row, corpus: tuple[Path, Library]) -> None:
    _, lib = corpus
    assert problems_of(lib, row.file) == [], describe(problems_of(lib, row.file))
    if "life_events" in row.file:
        assert "good_event" in lib.life_events
    else:
        assert row.file in {f.file.name for f in lib.forms.values()}


def test_a_10_mb_file_is_refused_without_being_read(corpus: tuple[Path, Library]) -> None:
    folder, lib = corpus
    assert (folder / HUGE).stat().st_size >= TEN_MB
    [problem] = problems_of(lib, HUGE)
    assert (problem.code, problem.line, problem.severity) == ("file_too_large", 1, "error")
    assert "file is too large" in problem.render("en")
    assert "ファイルが大きすぎます" in problem.render("ja")


def test_the_corpus_counts(corpus: tuple[Path, Library]) -> None:
    _, lib = corpus
    assert lib.files_read == len(ROWS) + 1
    assert sorted(lib.forms) == [
        "dup_form", "good_full", "good_minimal", "good_short_extension", "good_with_bom",
    ]
    assert list(lib.life_events) == ["good_event"]


# -- the command IT staff run -------------------------------------------------------------


@pytest.mark.parametrize(("lang", "summary"), [("ja", "エラーのあるファイルは読み込まれません"),
                                               ("en", "Files with errors are not loaded")])
def test_validate_names_every_broken_file(lang: str, summary: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--lang", lang, "forms", "validate", str(BROKEN)])
    out = capsys.readouterr().out
    assert code == 1
    for row in BROKEN_ROWS:
        assert f"{BROKEN / row.file}:{row.line}: " in out, f"{row.file} not named in:\n{out}"
    for row in GOOD_ROWS:
        assert f"{BROKEN / row.file}:" not in out
    assert summary in out
    word = "エラー" if lang == "ja" else "error"
    where = re.escape(str(BROKEN / "duplicate_key.yaml"))
    assert re.search(rf"{where}:14: {word} \[fields\[0\]\.label\]", out)
