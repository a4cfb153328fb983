"""The clerk's screen under Xvfb, driven in one subprocess (tests/kiosk/desk/ui_driver.py):
the sign-in (a wrong password refused, the right one opening the desk), the scanner's
keystrokes, the rows and marks shown, the buttons, the My Number step, a re-scan,
a refused card code, the language switch and the wipe for the next resident. Screenshots go to
test-artifacts/desk-screens/ (gitignored) for eyes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.desk.errors import AlreadyCompleted, AlreadyScanned, LooksLikeMyNumberCard, NumberInFile
from kiosk.store.errors import SignInError
from kiosk.ui.headless import Xvfb, kivy_environment
from tests.kiosk.desk.world import MY_NUMBER

ROOT = Path(__file__).parents[3]
SCREENS = ROOT / "test-artifacts" / "desk-screens"

pytestmark = [pytest.mark.ui, pytest.mark.slow]


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed (Debian package xvfb; scripts/setup installs it)")
    work = tmp_path_factory.mktemp("desk-ui")
    shutil.rmtree(SCREENS, ignore_errors=True)
    out = work / "results.json"
    with Xvfb(1280, 800) as display:
        env = kivy_environment(display, str(work / "kivy-home"))
        run = subprocess.run(
            [sys.executable, "-m", "tests.kiosk.desk.ui_driver", "--work", str(work / "site"),
             "--out", str(out), "--screens", str(SCREENS)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)
    if run.returncode != 0 or not out.is_file():
        pytest.fail(f"the desk UI driver failed (exit {run.returncode}):\n{run.stderr[-4000:]}")
    results: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if not results["ok"]:
        pytest.fail(f"the desk UI journey failed:\n{results.get('trace')}")
    return results


def test_the_desk_opens_on_the_sign_in_and_a_wrong_password_stays_there(
        ui: dict[str, Any]) -> None:
    assert ui["opened_on"] == "signin"
    assert ui["sign_in_words"] == {"heading": "サインイン", "staff_id_label": "職員ID",
                                   "password_label": "パスワード", "go": "サインイン",
                                   "lang": "English"}
    wrong = ui["wrong_password"]
    assert wrong == {"view": "signin", "message": SignInError.message_ja, "masked": True,
                     "password_left": "", "signed_in": None}
    right = ui["right_password"]
    assert (right["view"], right["signed_in"], right["password_left"]) == (
        "desk", "clerk-007", "")


def test_the_clerk_reads_the_desk_in_japanese_and_in_english(ui: dict[str, Any]) -> None:
    assert ui["words_ja"] == {
        "app_title": "窓口端末　受付控えの読み取り", "person": "職員 clerk-007・監督者（係長など）",
        "sign_out": "サインアウト", "lang": "English",
        "scan_label": "控えのQRを読み取る", "image_button": "画像・PDF…",
        "status_heading": "状態の変更", "other_heading": "そのほか", "received": "受付する",
        "completed": "完了にする", "cancelled": "取り消す", "reprint": "控えを再発行",
        "export_json": "書き出し（JSON）", "export_csv": "書き出し（CSV）",
        "next_resident": "次の方へ（表示を消す）",
        "message": "控えのQRコードをスキャナーで読み取ってください。"}
    english = ui["words_en"]
    assert english["message"].startswith("This is the QR code")
    assert {**english, "message": ""} == {
        "app_title": "Counter desk: slip check-in", "person": "Staff clerk-007 · supervisor",
        "sign_out": "Sign out", "lang": "日本語",
        "scan_label": "Scan the slip's QR", "image_button": "Image / PDF…",
        "status_heading": "Status", "other_heading": "Other", "received": "Receive",
        "completed": "Complete", "cancelled": "Cancel", "reprint": "Reprint the slip",
        "export_json": "Export (JSON)", "export_csv": "Export (CSV)",
        "next_resident": "Next resident (clear)", "message": ""}


def test_a_scanned_slip_is_shown_grouped_and_marked(ui: dict[str, Any]) -> None:
    shown = ui["after_scan"]
    assert ui["focus_on_scan"] and shown["scan_field_empty"]
    assert shown["ticket"] == "A-001" and shown["names"] and shown["rare_name_markup"]
    assert shown["attention_rows"] == 2  # the corrected address, once per procedure
    assert shown["buttons"] == {"status:received": True, "status:completed": False,
                                "status:cancelled": True, "print:0": True, "print:1": True,
                                "mynumber:1": True, "reprint": True}


def test_forms_print_and_the_number_is_read_at_the_counter(ui: dict[str, Any]) -> None:
    assert ui["printed_form"] == "印刷しました：住民票の写し等交付申請書"
    assert ui["my_number_words"] == {
        "heading": "個人番号の読み取り（マイナンバーカード）",
        "steps": "1. ご本人にマイナンバーカードを窓口のカードリーダーに置いていただきます。\n"
                 "2. ご本人に暗証番号（数字4桁）を入力していただきます。\n"
                 "3. 「読み取って印刷」を押すと、個人番号を申請書に印字して印刷します。",
        "pin_label": "暗証番号（4桁）", "last_try_label": "残り1回のときも使う（ご本人の同意を得たときだけ）",
        "go": "読み取って印刷", "back": "戻る（印刷しない）"}
    step = ui["my_number"]
    assert step["pin_lengths"] == [4] and step["pin_field_empty"]
    assert step["message"].startswith("印刷しました：国民健康保険 資格取得・喪失届\n"
                                      f"※ {NumberInFile.message_ja}")
    assert step["in_printed_form"] and not step["on_screen"]


def test_status_rescan_and_refusals(ui: dict[str, Any]) -> None:
    assert ui["completed"]["status"] == "completed"
    assert ui["completed"]["buttons"] == [False, False, False]
    # In words; the codes (already_scanned, already_completed) are for the log and the docs.
    assert AlreadyScanned.message_ja in ui["rescan"] and AlreadyCompleted.message_ja in ui["rescan"]
    assert "already_" not in ui["rescan"] and "[" not in ui["rescan"]
    refused = ui["card_refused"]
    assert refused["message"] == LooksLikeMyNumberCard.message_ja
    # Refused, the scan leaves no application on screen under its error (issue 12).
    assert not refused["number_shown"] and not refused["still_showing"]
    assert MY_NUMBER not in json.dumps(ui)


def test_english_and_the_wipe(ui: dict[str, Any]) -> None:
    assert ui["english"]
    assert ui["english_message"] == LooksLikeMyNumberCard.message_en
    assert ui["cleared"] == {"personal_left": [], "view": True}
