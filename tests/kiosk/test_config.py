"""kiosk.toml: defaults for the demo, and a clear message naming the key for a wrong value."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import lg_code_check_digit, load_config
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
