"""No dead end, no loop, nothing missing: the paths issue 12 found, walked on the real window
by touches (tests/kiosk/ui/driver.py, under Xvfb); and the crash guard that restarts the
kiosk."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.headless import Xvfb, kivy_environment
from kiosk.ui.resident.app import EXIT_CRASH_LOOP, CrashGuard, crash_site

pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.timeout(400)]

Result = dict[str, Any]
ROOT = Path(__file__).parents[3]


def test_last_try_back(journey: Result) -> None:
    """From 「残り1回」, 「もどる」 leads to the ways on, never to a PIN pad."""
    assert journey["screen"] == "identify" and not journey["pin_pad"]
    assert journey["ways"] == ["identify:manual", "identify:paper", "chrome:staff"]
    assert journey["pins_sent"] == 1


def test_the_pin_screen_names_the_pin_the_card_checks(ui_results: Result) -> None:
    text = ui_results["journeys"]["last_try_back"]["pin_text"]
    assert "券面事項入力補助用の暗証番号" in text
    assert "利用者証明用の暗証番号と同じ4けた" in text


def test_manual_back(journey: Result) -> None:
    screen, text = journey["postal"]
    assert screen == "manual" and "郵便番号" in text and "0001" in text
    screen, text = journey["first"]
    assert screen == "manual" and "\U00020bb7田 太郎" in text
    assert journey["answers"]["name_kana"] in ("よし", "ヨシ")  # nothing lost on the way back


def test_dont_know(journey: Result) -> None:
    text, pad, sign_in = journey["waiting"]
    assert "職員がまいります" in text or "職員" in text
    assert not pad and sign_in  # the waiting resident sees no PIN pad
    assert (journey["screen"], journey["question"]) == ("question", "scope")
    assert journey["answers"]["applicant"] == "self"


def test_error_then_paper(journey: Result) -> None:
    text, paper_offered = journey["error"]
    assert "必ず答えてください" in text and paper_offered
    assert "必ず答えてください" not in journey["after_typing"]
    assert journey["paper_forms"] == ["juminhyo"]  # printed by this journey
    assert "市民課 住民記録係の窓口へお進みください" in journey["paper"]
    assert "申請書：住民票の写し" in journey["paper"]
    assert_ticket_shown(journey)
    assert "プリンターから申請書をお取りください。" in journey["paper"]


def test_paper_when_the_printer_fails(journey: Result) -> None:
    """The number is the resident's even when the form did not print; staff print it."""
    assert_ticket_shown(journey)
    assert "申請書を印刷できませんでした。" in journey["paper"]
    assert "窓口で職員が申請書を印刷します。" in journey["paper"]
    assert "市民課 住民記録係の窓口へお進みください" in journey["paper"]


def assert_ticket_shown(journey: Result) -> None:
    """「番号札」 and the number drawn for this resident, larger than any other text."""
    (drawn,) = journey["drawn"]
    ticket, size = journey["ticket"]
    assert "番号札" in journey["paper"] and ticket == drawn
    assert size > 1.5 * journey["largest_other"]


def test_confirm_fee_and_card(journey: Result) -> None:
    assert "手数料：300円 × 1通 = 300円" in journey["japanese"]
    assert "手数料の合計：300円" in journey["japanese"]
    assert "Fee: 300 yen × 1 = 300 yen" in journey["english"]
    assert journey["edit"] == "Change" and "Correct" not in journey["english"]
    assert "マイナンバーカードをお取りください" in journey["done"]


def test_shared_question(journey: Result) -> None:
    (offer,) = journey["offers"]  # one offer, not three bare rows
    assert "日中の電話番号" in offer
    for title in ("転入届", "国民健康保険", "戸籍"):
        assert title in offer


def test_staff_login_timeout(journey: Result) -> None:
    text, four_boxes = journey["looks"]
    assert "職員専用" in text and "カードの暗証番号を入れる画面ではありません" in text
    assert not four_boxes
    assert (journey["screen"], journey["procedures"]) == ("welcome", 0)


def test_closing_the_kiosk_asks_first(ui_results: Result) -> None:
    staff = ui_results["journeys"]["staff"]
    assert not staff["pad_while_waiting"]
    assert "端末を終了しますか" in staff["close_asked"] and staff["quit_before_confirm"] == []
    assert staff["back_to_menu"] and staff["quits"] == [True]


def test_crash_recovers(journey: Result) -> None:
    assert (journey["screen"], journey["procedures"], journey["identity"]) == ("welcome", 0, False)
    assert journey["left"] == []
    (line,) = journey["log"]
    assert "ReferenceError" in line and "driver.py" in line
    assert "見本" not in line and "花子" not in line  # the message is never logged
    assert journey["next_screen"] == "confirm"


def test_a_crash_loop_exits_for_systemd_to_restart(tmp_path: Path) -> None:
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed (Debian package xvfb)")
    with Xvfb(1280, 800) as display:
        env = kivy_environment(display, str(tmp_path / "kivy-home"))
        run = subprocess.run(
            [sys.executable, "-m", "tests.kiosk.ui.driver", "--out", str(tmp_path / "o.json"),
             "--screens", str(tmp_path / "shots"), "--only", "crash_loop"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == EXIT_CRASH_LOOP, run.stderr[-3000:]
    assert run.stderr.count("kiosk crashed") == 3
    assert "見本" not in run.stderr and "Traceback" not in run.stderr


def test_the_guard_counts_crashes_in_a_minute() -> None:
    now = [0.0]
    guard = CrashGuard(clock=lambda: now[0])
    try:
        raise KeyError("見本 花子")
    except KeyError as exc:
        error = exc
    assert guard.crashed(error) and guard.crashed(error)
    now[0] = 61.0
    assert guard.crashed(error)  # the first two are more than a minute old
    now[0] = 62.0
    assert guard.crashed(error) and not guard.tripped
    now[0] = 63.0  # the third within a minute: a crash loop
    assert guard.crashed(error) is False and guard.tripped
    assert "test_dead_ends.py" in crash_site(error) and "見本" not in crash_site(error)
