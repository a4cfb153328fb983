"""Issue 16 at the desk screen, under Xvfb: the idle lock hides every personal datum, the lock
view takes the same person's password, the sign-out leaves nothing. Walked by
`tests/kiosk/desk/ui_driver.py --people` with clicks and typing through the window and an idle
lock of 2 s; screenshots in test-artifacts/desk-people/ (gitignored) for eyes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.store.errors import SignInError
from kiosk.ui.headless import Xvfb, kivy_environment
from tests.kiosk.desk.ui_driver import IDLE_LOCK_S, PASSWORD

ROOT = Path(__file__).parents[3]
SCREENS = ROOT / "test-artifacts" / "desk-people"

pytestmark = [pytest.mark.ui, pytest.mark.slow]


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed (Debian package xvfb; scripts/setup installs it)")
    work = tmp_path_factory.mktemp("desk-people")
    shutil.rmtree(SCREENS, ignore_errors=True)
    out = work / "results.json"
    with Xvfb(1280, 800) as display:
        env = kivy_environment(display, str(work / "kivy-home"))
        run = subprocess.run(
            [sys.executable, "-m", "tests.kiosk.desk.ui_driver", "--people", "--work",
             str(work / "site"), "--out", str(out), "--screens", str(SCREENS)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)
    if run.returncode != 0 or not out.is_file():
        pytest.fail(f"the desk UI driver failed (exit {run.returncode}):\n{run.stderr[-4000:]}")
    results: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if not results["ok"]:
        pytest.fail(f"the idle lock's journey failed:\n{results.get('trace')}")
    return results


def test_signed_in_the_desk_names_the_person_and_their_role(ui: dict[str, Any]) -> None:
    assert ui["signed_in"]["view"] == "desk"
    assert ui["before"] == {"name_held": True, "person": "職員 clerk-007・監督者（係長など）",
                            "sign_out": "サインアウト"}


def test_untouched_the_desk_locks_and_no_widget_holds_the_application(
        ui: dict[str, Any]) -> None:
    locked = ui["locked"]
    assert IDLE_LOCK_S - 0.5 <= locked["after_s"] < IDLE_LOCK_S + 3
    # Every widget of every screen, shown or not, and the rows kept for reuse: no name, no
    # address, no date of birth, no ticket; the desk itself shows nothing while locked.
    assert locked["personal_left"] == [] and not locked["ticket_left"]
    assert (locked["rows"], locked["desk_locked"], locked["desk_current"]) == (0, True, False)
    assert (locked["scan"], locked["image_path"]) == ("", "")
    assert locked["words"] == {"heading": "画面をロックしました",
                               "person": "職員 clerk-007・監督者（係長など）",
                               "go": "ロックを解除", "sign_out": "サインアウト"}


def test_the_lock_takes_only_the_password_and_shows_the_application_again(
        ui: dict[str, Any]) -> None:
    refused = ui["unlock_refused"]
    assert refused == {"view": "lock", "message": SignInError.message_ja, "password_left": ""}
    unlocked = ui["unlocked"]
    assert unlocked["ticket"] == "A-001" and unlocked["name_shown"]
    assert unlocked["message"] == "ロックを解除しました。"


def test_signing_out_returns_to_the_sign_in_and_leaves_nothing(ui: dict[str, Any]) -> None:
    out = ui["signed_out"]
    assert (out["view"], out["clerk"]) == ("signin", None)
    assert out["personal_left"] == [] and not out["ticket_left"]
    assert out["audited"][-1] == "signed_out"
    assert PASSWORD not in json.dumps(ui, ensure_ascii=False)  # no widget ever showed it
