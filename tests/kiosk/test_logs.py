"""kiosk.logs: the `kiosk` command leaves a trace of what it refused in a private file, and no
personal data in it, even when a message or a traceback carries some."""

from __future__ import annotations

import logging
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.mynumber import check_digit
from forms.loader import load_library
from kiosk.config import LoggingConfig, load_config
from kiosk.logs import PrivateRotatingFileHandler, configure_logging, star_my_numbers
from printouts.layout import Fonts
from tests.kiosk.desk.test_cli import add_person, desk_cli
from tests.kiosk.desk.world import MY_NUMBER, Site, build_site
from tests.kiosk.store.conftest import Clock

PERSONAL = ("見本", "花子", "みほん市中央", "1985", "090-1234", MY_NUMBER)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """A kiosk and a desk on SQLite files, each with its own database (the slip the bridge)."""
    monkeypatch.delenv("KIOSK_CLERK", raising=False)
    root = tmp_path / "site"
    root.mkdir()
    made = build_site(root, url=lambda name: f"sqlite:///{tmp_path / name}.sqlite3",
                      shared=False, library=load_library(), fonts=Fonts.for_pdf(), clock=Clock())
    add_person(made)  # the desk's clerk, signed in by each command
    yield made
    for engine in made.engines:
        engine.dispose()


def kiosk_toml(site: Site) -> Path:
    """The desk's kiosk.toml with a [logging] file relative to it (resolved like other paths)."""
    path = site.config_file()
    with path.open("a", encoding="utf-8") as file:
        file.write('\n[logging]\nfile = "logs/kiosk.log"\nlevel = "INFO"\n')
    return path


def test_refused_scans_leave_a_private_trace(site: Site, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    config = kiosk_toml(site)
    _, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))

    def desk(*args: str) -> int:
        return desk_cli(config, *args)

    assert desk("scan", "hello") == 2
    assert desk("scan", MY_NUMBER) == 2
    assert desk("scan", str(slip)) == 0
    capsys.readouterr()

    log = site.root / "logs" / "kiosk.log"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    lines = log.read_text(encoding="utf-8").splitlines()
    refusals = [line for line in lines if " kiosk.desk scan refused: " in line]
    assert [line.rsplit(" ", 1)[1] for line in refusals] == ["not_ours",
                                                             "looks_like_my_number_card"]
    assert refusals[0].split(" ")[1] == "INFO"
    assert refusals[0][:4].isdigit() and "T" in refusals[0].split(" ")[0]  # ISO time first
    assert any("scan: application" in line for line in lines)
    text = "\n".join(lines)
    for personal in PERSONAL:
        assert personal not in text
    # Nothing is left on the root logger for the next test or command.
    assert not any(isinstance(h, PrivateRotatingFileHandler) for h in logging.getLogger().handlers)


def valid_number(first11: str = "98765432101") -> str:
    return first11 + str(check_digit(first11))


NUMBER = valid_number()
A, B, C = NUMBER[:4], NUMBER[4:8], NUMBER[8:]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("written", [
    NUMBER, f"{A}-{B}-{C}", f"{A} {B} {C}", f"{A}ー{B}ー{C}", f"{A}\n{B}\n{C}",
    NUMBER.translate(FULL_WIDTH),
], ids=["plain", "hyphens", "spaces", "long-vowel-mark", "lines", "full-width"])
def test_a_my_number_in_a_record_is_starred(tmp_path: Path, written: str) -> None:
    settings = LoggingConfig(file=tmp_path / "log" / "kiosk.log")
    with configure_logging(settings):
        logger = logging.getLogger("kiosk.test")
        logger.warning("typed into a text field: %s (ticket A-001)", written)
        try:
            raise ValueError(f"bad value {written}")
        except ValueError:
            logger.exception("failed at ticket %s", "A-002")
    text = settings.file.read_text(encoding="utf-8")
    assert "(ticket A-001)" in text and "failed at ticket A-002" in text
    assert "ValueError: bad value " in text  # the traceback is there, starred
    stars = len(written)  # each character of the number, separators included, is starred
    assert text.count("*" * stars) == 2, text
    digits = "".join(ch for ch in text if ch.isdigit())
    assert NUMBER not in digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def test_star_my_numbers_leaves_other_text_alone() -> None:
    assert star_my_numbers(f"番号 {NUMBER} 受付") == "番号 ************ 受付"
    assert star_my_numbers("ticket A-001, 12 copies, ＡＢＣ") == "ticket A-001, 12 copies, ＡＢＣ"
    wrong = NUMBER[:11] + str((int(NUMBER[11]) + 1) % 10)  # a wrong check digit is no number
    assert star_my_numbers(wrong) == wrong


def test_journald_without_systemd_falls_back_to_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "systemd", None)  # not importable, whatever is installed
    toml = tmp_path / "kiosk.toml"
    toml.write_text('[logging]\ntarget = "journald"\n', encoding="utf-8")
    settings = load_config(toml).logging
    assert settings.file == tmp_path / "var" / "log" / "kiosk.log"
    with configure_logging(settings):
        logging.getLogger("kiosk.test").info("started")
    err = capsys.readouterr().err
    assert err.count("python's systemd module is not installed") == 1
    assert "started" in settings.file.read_text(encoding="utf-8")
