"""Issue 12 at the desk, under Xvfb: never one application under another's scan, and the clerk
reads words, not codes. Walked by tests/kiosk/desk/ui_scenes.py with real clicks and a wedge
scanner's key events; screenshots in test-artifacts/desk-safety/ (gitignored) for eyes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.desk.access import SignedOut
from kiosk.desk.errors import Damaged, LooksLikeMyNumberCard
from kiosk.ui.headless import Xvfb, kivy_environment

ROOT = Path(__file__).parents[3]
SCREENS = ROOT / "test-artifacts" / "desk-safety"

pytestmark = [pytest.mark.ui, pytest.mark.slow]


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed (Debian package xvfb; scripts/setup installs it)")
    work = tmp_path_factory.mktemp("desk-safety")
    shutil.rmtree(SCREENS, ignore_errors=True)
    out = work / "results.json"
    with Xvfb(1280, 800) as display:
        env = kivy_environment(display, str(work / "kivy-home"))
        run = subprocess.run(
            [sys.executable, "-m", "tests.kiosk.desk.ui_scenes", "--work", str(work / "site"),
             "--out", str(out), "--screens", str(SCREENS)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)
    if run.returncode != 0 or not out.is_file():
        pytest.fail(f"the desk UI scenes failed (exit {run.returncode}):\n{run.stderr[-4000:]}")
    results: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return results


def _walked(ui: dict[str, Any], *keys: str) -> None:
    missing = [k for k in keys if k not in ui]
    if missing:
        pytest.fail(f"the scenes stopped before {missing}:\n{ui.get('traces')}")


def test_a_slip_typed_after_an_export_opens(ui: dict[str, Any]) -> None:
    _walked(ui, "after_export")
    seen = ui["after_export"]
    assert seen["exported"]["kind"] == "ok"
    assert seen["ticket"] == ui["tickets"]["short"] and seen["kind"] == "ok"


def test_a_refused_scan_leaves_no_application_under_its_error(ui: dict[str, Any]) -> None:
    _walked(ui, "damaged", "card_back")
    damaged, card = ui["damaged"], ui["card_back"]
    assert damaged["before"]["ticket"] == ui["tickets"]["long"]
    assert (damaged["ticket"], damaged["kind"], damaged["rows_left"]) == (None, "error", 0)
    assert (card["ticket"], card["kind"], card["rows_left"]) == (None, "error", 0)
    # Words for the clerk: no code, no detail in English from the layers below.
    assert damaged["message"] == Damaged.message_ja
    assert card["message"] == LooksLikeMyNumberCard.message_ja


def test_completing_is_asked_first_and_a_no_changes_nothing(ui: dict[str, Any]) -> None:
    _walked(ui, "confirm")
    confirm = ui["confirm"]
    asked = confirm["asked"]
    assert asked["popup"] and asked["status"] == "received"
    assert ui["tickets"]["short"] in asked["question"] and "元に戻せません" in asked["question"]
    assert confirm["kept"] == {"status": "received", "popup": False}
    assert confirm["done"]["ticket"] == ui["tickets"]["short"] and confirm["done"]["kind"] == "ok"
    assert confirm["audited"].count("status_changed") == 2  # received, then completed: once each


def test_a_scan_while_cancel_is_asked_drops_the_question(ui: dict[str, Any]) -> None:
    _walked(ui, "scan_while_asked")
    seen = ui["scan_while_asked"]
    assert seen["asked"] and not seen["popup"]
    assert seen["ticket"] == ui["tickets"]["short"] and seen["long_status"] == "issued"


def test_the_print_the_procedure_needs_is_the_primary_button(ui: dict[str, Any]) -> None:
    _walked(ui, "long")
    buttons = ui["long"]["buttons"]
    assert buttons["0"] == [["print:0", "primary"]]  # 転入届: no number on it
    assert buttons["1"] == [["mynumber:1", "primary"], ["print:1", ""]]  # 国保: the card first
    assert buttons["2"] == [["print:2", "primary"]]
    assert set(ui["long"]["printed"].values()) == {"まだ印刷していません"}
    assert ui["long_en"]["buttons"] == ["Read the My Number and print", "Print without the number"]


def test_a_corrected_row_shows_what_the_card_said(ui: dict[str, Any]) -> None:
    _walked(ui, "long_rows", "long_en")
    (row,) = ui["long_rows"]["card_shown"]
    assert "カードの記載：みほん市旧町九丁目9番9号" in row
    (row_en,) = ui["long_en"]["card_shown"]
    assert "On the card: みほん市旧町九丁目9番9号" in row_en


def test_a_sex_the_card_does_not_record_is_marked(ui: dict[str, Any]) -> None:
    _walked(ui, "long_rows", "long_en")
    assert len(ui["long_rows"]["sex_marks"]) == 1 and len(ui["long_en"]["sex_marks"]) == 1


def test_warnings_take_the_rows_width_and_a_long_application_has_an_index(
        ui: dict[str, Any]) -> None:
    _walked(ui, "long_rows", "long_index", "jumped")
    (band,) = ui["long_rows"]["bands"]
    text, full_width, wider_than_marks = band
    assert "住み始めた日から14日を過ぎています" in text and full_width and wider_than_marks
    assert ui["long_index"] == ["index:0", "index:1", "index:2"]
    assert ui["jumped"]["heading_in_view"] and ui["jumped"]["scroll_y"] < 0.5


def test_a_slip_scanned_into_the_sign_in_is_neither_id_nor_password(ui: dict[str, Any]) -> None:
    """Issue 16: the free-text clerk ID box is gone; a slip typed into the sign-in's 職員ID
    field is taken out, the field keeps the ID, nobody is signed in and no try is counted."""
    _walked(ui, "into_sign_in")
    seen = ui["into_sign_in"]
    assert seen["focused"]  # the line was typed into the ID field
    assert seen["field"] == seen["field_before"] == seen["then"] == "clerk-007"
    assert (seen["view"], seen["signed_in"], seen["password"]) == ("signin", None, "")
    assert seen["message"] == SignedOut.message_ja


def test_a_slip_scanned_while_the_clerk_is_in_another_field_opens(ui: dict[str, Any]) -> None:
    _walked(ui, "into_path", "after_leaving")
    path = ui["into_path"]
    assert path["focused"]
    assert (path["ticket"], path["kind"], path["rows_left"]) == (None, "error", 0)
    assert path["message"] == LooksLikeMyNumberCard.message_ja
    assert path["field"] == "/tmp/slip" and path["scan_focus"]
    assert ui["after_leaving"] == {"scan_focus": True, "path_focus": False}


def test_a_cleared_field_gives_nothing_back_on_undo(ui: dict[str, Any]) -> None:
    """Issue 15: ctrl+z and ctrl+r after the desk emptied a field bring back nothing the last
    resident's slip, the sign-in's ID field, the image path, the PIN or a password held."""
    _walked(ui, "undo")
    undo = ui["undo"]
    with_x, after_z = undo["undo_reaches"]
    assert with_x == "x" and after_z == ""  # the keys reach the field and undo works
    assert undo["scan"] == ""
    assert undo["clerk"] == "clerk-007"  # what the sign-in's ID field held before the scan
    assert undo["password"] == ""  # taken out of its field when read
    assert undo["path_typed"] == "/home/clerk/slips/resident-a.png"
    assert undo["path_cleared"] == "" and undo["path"] == ""  # "next resident" empties it
    assert undo["pin"] == ["1234", ""]  # typed, read, and not back on the next opening
