"""`kiosk demo --headless` in a subprocess (its own pcscd, virtual card, Xvfb, file printer and
keys under a fresh working folder), then the counter desk of the same folder scans the slip it
printed: the newcomer's whole demo, kiosk to counter."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.config import load_config
from kiosk.demo import DEMO_DESK_PASSWORD, DEMO_STAFF_ID
from kiosk.store.db import make_engine
from kiosk.store.repository import open_store

ROOT = Path(__file__).parents[2]

# The demo's pcscd and card use the vpcd ports: never beside tests/drivers/card.
pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.vpcd,
              pytest.mark.timeout(300)]


def test_the_demos_slip_at_the_desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[office]\nname = "みほん市役所 (demo)"\ncode = "999997"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    demo = subprocess.run(
        [sys.executable, "-m", "kiosk.cli.main", "--config", str(config), "demo", "--headless"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert demo.returncode == 0, demo.stderr[-3000:]
    touches = int(re.search(r"touches: (\d+)", demo.stdout).group(1))  # type: ignore[union-attr]
    assert touches < 10  # a certificate request with the card, welcome to slip
    slips = sorted((tmp_path / "var" / "print").glob("*slip*.pdf"))
    assert len(slips) == 1, demo.stdout

    monkeypatch.chdir(tmp_path)  # the demo's database URL is relative to the working folder
    # The desk command the demo printed: its clerk, the password on standard input.
    hint = next(line.strip() for line in demo.stdout.splitlines() if "desk scan" in line)
    assert hint.startswith(f"echo {DEMO_DESK_PASSWORD} | ")
    assert hint.endswith(f"--clerk {DEMO_STAFF_ID} --password-stdin")
    assert desk(config, "scan", str(slips[0]), "--json") == 0
    view = json.loads(capsys.readouterr().out)
    assert view["ticket"] == "A-001" and view["status"] == "issued"
    assert view["recorded_from_slip"] is False  # the demo's kiosk and desk share one SQLite file
    (procedure,) = view["procedures"]
    assert procedure["form_id"] == "juminhyo"
    name = next(f for f in procedure["fields"] if f["field_id"] == "applicant_name")
    assert name["display"]["ja"] == "見本\u3000花子" and name["flags"] == ["from_card"]
    # What was touched on the screen is what the slip carried to the desk.
    answered = {f["field_id"]: f["value"] for f in procedure["fields"]}
    assert (answered["applicant"], answered["scope"], answered["purpose"]) == (
        "self", "household", "pension")

    assert desk(config, "status", str(view["application_id"]), "received") == 0
    # Printing by id opens the application afresh: a supervisor's at the command line.
    engine = make_engine(load_config(config).database.url)
    try:
        open_store(engine).add_staff("demo-super", "supervisor", "demo-super-pass", by="tests")
    finally:
        engine.dispose()
    assert desk(config, "print-form", str(view["application_id"]), "0",
                clerk="demo-super", password="demo-super-pass") == 0
    assert len(list((tmp_path / "var" / "print").glob("*form_juminhyo_A-001*.pdf"))) == 1
    print(f"touches: {touches}")


def desk(config: Path, *args: str, clerk: str = DEMO_STAFF_ID,
         password: str = DEMO_DESK_PASSWORD) -> int:
    """`kiosk desk ARGS --clerk CLERK --password-stdin`, the password piped in."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", io.StringIO(f"{password}\n"))
        return main(["--config", str(config), "desk", *args, "--clerk", clerk,
                     "--password-stdin"])
