"""`kiosk card ...` against the emulator: what a clerk or IT staff sees on the terminal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drivers.card import apdu
from drivers.card.emulator import SAMPLE_IDENTITY
from drivers.card.emulator.vpcd import reader_events
from kiosk.cli.main import main
from tests.conftest import PlaceCard

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

KIOSK = Path(sys.executable).with_name("kiosk")


def test_read_show_prints_the_resident(
    place_card: PlaceCard, capsys: pytest.CaptureFixture[str]
) -> None:
    card = place_card()
    code = main(["card", "read", "--pin", "1234", "--show", "--timeout", "5"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "見本\u3000花子" in out
    assert "みほん市中央一丁目２番３－１０１号" in out
    assert "1985-04-01" in out
    assert "女性" in out
    assert "残り回数: 3" in err  # tries shown before the PIN is used
    assert "123456789018" not in out + err
    assert apdu.select_ef(apdu.EF_MY_NUMBER) not in card.commands  # not even read


def test_read_masks_without_show(place_card: PlaceCard, capsys: pytest.CaptureFixture[str]) -> None:
    place_card()
    code = main(["--lang", "en", "card", "read", "--pin", "1234", "--timeout", "5"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "見本\u3000**" in out
    assert "みほん市…" in out
    assert "花子" not in out and "中央" not in out and "04-01" not in out


def test_the_number_cannot_be_asked_for(
    place_card: PlaceCard, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the desk reads it, audited (issue 15): the old option is refused before the card."""
    card = place_card()
    with pytest.raises(SystemExit) as exited:
        main(["card", "read", "--pin", "1234", "--show", "--my-number", "--timeout", "5"])
    out, err = capsys.readouterr()
    assert exited.value.code == 2
    assert "unrecognized arguments: --my-number" in err
    assert "123456789018" not in out + err
    assert card.commands == [] and card.tries_left == 3  # the card was not even selected


def test_wrong_pin_says_tries_left(place_card: PlaceCard, capsys: pytest.CaptureFixture[str]) -> None:
    card = place_card()
    code = main(["card", "read", "--pin", "9999", "--timeout", "5"])
    _, err = capsys.readouterr()
    assert code != 0
    assert "あと2回" in err and "2 tries left" in err
    assert "Traceback" not in err
    assert card.tries_left == 2


def test_one_try_left_is_refused_unless_forced(
    place_card: PlaceCard, capsys: pytest.CaptureFixture[str]
) -> None:
    card = place_card(tries_left=1)
    code = main(["card", "read", "--pin", "1234", "--timeout", "5"])
    _, err = capsys.readouterr()
    assert code != 0
    assert "窓口" in err and "counter" in err
    assert card.tries_left == 1
    code = main(["card", "read", "--pin", "1234", "--force-last-try", "--timeout", "5"])
    assert code == 0
    assert card.tries_left == 3


def test_blocked_card(place_card: PlaceCard, capsys: pytest.CaptureFixture[str]) -> None:
    place_card(tries_left=0)
    code = main(["card", "read", "--pin", "1234", "--force-last-try", "--timeout", "5"])
    _, err = capsys.readouterr()
    assert code != 0
    assert "ロック" in err


def test_no_card_times_out(pcscd: object, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["card", "read", "--pin", "1234", "--timeout", "0.3"])
    _, err = capsys.readouterr()
    assert code != 0
    assert "No card was placed in time" in err


def test_status(place_card: PlaceCard, capsys: pytest.CaptureFixture[str]) -> None:
    place_card(tries_left=2)
    place_card(port=35964, applications=("jpki",))
    code = main(["card", "status"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "Virtual PCD 00 00: マイナンバーカード、暗証番号の残り2回" in out
    assert "Virtual PCD 00 01: マイナンバーカードではないカード" in out


def test_status_configured_reader_missing(
    pcscd: object, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["card", "status", "--reader", "SONY FeliCa RC-S300/P"])
    out, _ = capsys.readouterr()
    assert code != 0
    assert "SONY FeliCa RC-S300/P" in out


def test_installed_command_reads_the_card(place_card: PlaceCard) -> None:
    place_card()
    result = subprocess.run(
        [str(KIOSK), "card", "read", "--pin", "1234", "--show", "--timeout", "5"],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "氏名 / Name: 見本\u3000花子" in result.stdout


def test_pcscd_down_is_a_clear_message_not_a_traceback(tmp_path: Path) -> None:
    env = dict(os.environ, PCSCLITE_CSOCK_NAME=str(tmp_path / "no-pcscd.comm"))
    result = subprocess.run(
        [str(KIOSK), "card", "status"],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
    )
    assert result.returncode != 0
    assert "pcscd" in result.stderr
    assert "Traceback" not in result.stderr


def test_emulate_runs_until_terminated(pcscd: object) -> None:
    process = subprocess.Popen(
        [str(KIOSK), "card", "emulate", "--identity", str(SAMPLE_IDENTITY), "--port", "35964"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert "Virtual PCD 00 01" in process.stdout.readline()
        deadline = time.monotonic() + 5
        while not (seen := reader_events("Virtual PCD 00 01")) or not seen.present:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert main(["card", "read", "--pin", "1234", "--reader", "Virtual PCD 00 01"]) == 0
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    deadline = time.monotonic() + 5
    while (seen := reader_events("Virtual PCD 00 01")) and seen.present:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_emulate_refuses_a_wrong_identity_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    identity = tmp_path / "bad.toml"
    identity.write_text('name = "x"\npin = "12"\n', encoding="utf-8")
    code = main(["card", "emulate", "--identity", str(identity)])
    _, err = capsys.readouterr()
    assert code != 0
    assert "bad.toml" in err
