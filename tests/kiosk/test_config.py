"""kiosk.toml: defaults for the demo, and a clear message naming the key for a wrong value."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.loader import load_library
from kiosk.config import DEFAULT_COUNTERS, lg_code_check_digit, load_config
from kiosk.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_demo_defaults() -> None:
    config = load_config(None)
    assert config.office.code == "999997"
    assert "resident" in config.counters
    assert config.printer.backend == "file"


@pytest.mark.parametrize(("code", "digit"), [("13101", 6), ("01100", 2), ("13000", 1), ("13201", 2)])
def test_lg_code_check_digit(code: str, digit: int) -> None:
    assert lg_code_check_digit(code) == digit


def test_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[forms]\ndirs = ["city-forms"]\n[office]\ncode = "131016"\n'))
    assert config.forms.dirs == [tmp_path / "city-forms"]
    assert config.keys_dir == tmp_path / "var/keys"
    assert config.database.url == f"sqlite:///{tmp_path / 'var/kiosk.sqlite3'}"


@pytest.mark.parametrize(("text", "expected"), [
    ('[office]\ncode = "131017"\n', "office.code: Value error, check digit of 131017 is wrong: 131016 expected"),
    ('[office]\ncode = "13101"\n', "office.code"),
    ('idle_timeout_s = 5\n', "idle_timeout_s"),
    ('languages = ["en"]\n', 'languages must start with "ja"'),
    ('languages = ["ja", "vi"]\n', "languages: Value error, no screen catalogue for 'vi'"),
    ('[printer]\nbackend = "dummy"\n', "printer.backend"),
    ('[offfice]\nname = "x"\n', "offfice"),
    ('kiosk_id = "k 1"\n', "kiosk_id"),
    ('[office\n', "not valid TOML"),
])
def test_wrong_values_name_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")


def test_counters_add_to_and_rename_the_shipped_ones(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[counters]\nlibrary = "図書館 / Library"\n'
                                         'tax = "市民税課 / Municipal Tax"\n'))
    # Every shipped counter the shipped forms name is still there, one renamed, one added.
    assert set(config.counters) == {"resident", "family_register", "tax", "insurance", "child",
                                    "mynumber", "library"}
    assert config.counters["tax"] == "市民税課 / Municipal Tax"
    assert config.counters["library"] == "図書館 / Library"


def test_documented_counters_are_the_shipped_ones() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "configuration.md").read_text(encoding="utf-8")
    rows = {cells[0].strip("`"): cells for line in docs.splitlines() if line.startswith("| `")
            if (cells := [c.strip() for c in line.strip("|").split("|")])}
    assert {k: rows[k][1] for k in rows} == DEFAULT_COUNTERS
    shipped = load_library(counters=set(DEFAULT_COUNTERS)).forms.values()
    for key, cells in rows.items():
        assert cells[2].split(", ") == sorted(f.form.id for f in shipped if f.form.counter == key)


def test_forms_hide_is_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[forms]\nhide = ["sosaihi"]\ndirs = ["f"]\n'))
    assert config.forms.hide == ["sosaihi"]
    assert config.forms.dirs == [tmp_path / "f"]


@pytest.mark.parametrize(("text", "expected"), [
    ('[counters]\nLibrary = "図書館"\n', "counters: Value error, 'Library' cannot be a counter key"),
    ('[counters]\nlibrary = " "\n', "counter library has no name"),
    ('[forms]\nhide = ["住民票"]\n', "forms.hide: Value error, '住民票' is not a procedure id"),
])
def test_wrong_counters_and_hide(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert expected in str(info.value)


def test_the_documented_example_loads(tmp_path: Path) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = docs.split("```toml\n", 1)[1].split("```", 1)[0]
    config = load_config(write(tmp_path, example))
    assert config.counters["library"] == "図書館 / Library"
    assert config.counters["resident"] == DEFAULT_COUNTERS["resident"]
    assert config.forms.hide == ["sosaihi"]
