"""「職員を呼ぶ」 reaches the floor staff through the city's own command, run for real."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import pytest

from kiosk.config import KioskConfig
from kiosk.session.session import Screen
from kiosk.staff_bell import CommandBell
from tests.kiosk.session_fixtures import (
    CLERK,
    Clock,
    RecordingCard,
    RecordingSubmitter,
    make_session,
    staff_store,
)

# The bell command a test gives: writes what it was told, one line per ring.
WRITE_ENV = ("import os, sys; open(sys.argv[1], 'a').write("
             "os.environ['KIOSK_ID'] + ' ' + os.environ['KIOSK_SCREEN'] + '\\n')")


def rings(path: Path, expected: int, timeout: float = 10.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        if len(lines) >= expected:
            return lines
        time.sleep(0.05)
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_a_call_rings_once_with_the_kiosk_and_screen_and_nothing_personal(tmp_path: Path) -> None:
    out = tmp_path / "rings.txt"
    bell = CommandBell([sys.executable, "-c", WRITE_ENV, str(out)], kiosk_id="K07")
    accounts = staff_store(tmp_path, Clock(), [CLERK])
    try:
        session = make_session(RecordingCard(), RecordingSubmitter(), Clock(), staff_bell=bell,
                               staff=accounts.check)
        session.start()
        session.choose_form("juminhyo")
        session.use_card()
        session.enter_pin("1234")  # 見本 花子 is identified
        session.call_staff()
        assert session.screen == Screen.STAFF
        session.back()
        session.call_staff()  # the same call, still open: no second ring
        assert rings(out, 1) == ["K07 question"]
        time.sleep(0.3)
        assert rings(out, 2, timeout=0.1) == ["K07 question"]
        assert session.staff_login(CLERK[0], CLERK[2])
        session.call_staff()  # the clerk is here already
        session.finish()
        session.start()
        session.call_staff()  # a new resident's call
        assert rings(out, 2) == ["K07 question", "K07 choose"]
    finally:
        accounts.close()


def test_a_missing_or_failing_command_is_logged_and_the_screen_goes_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="kiosk.staff_bell")
    CommandBell([str(tmp_path / "no-such-lamp")], kiosk_id="K01").ring(screen="welcome")
    CommandBell([sys.executable, "-c", "raise SystemExit(3)"], kiosk_id="K01").ring(screen="pin")
    deadline = time.monotonic() + 10
    while "status 3" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "did not start: FileNotFoundError" in caplog.text
    assert "exited with status 3" in caplog.text


def test_the_config_takes_a_command_and_defaults_to_none() -> None:
    assert KioskConfig().staff_call.command == []
    config = KioskConfig.model_validate({"staff_call": {"command": ["lamp", "--red"]}})
    assert config.staff_call.command == ["lamp", "--red"]
