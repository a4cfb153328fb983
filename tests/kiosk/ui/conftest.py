"""Runs every UI journey once, in one subprocess under a private Xvfb, for all the tests.

Kivy runs one App and one window per process and reads its settings when first
imported, so pytest itself never imports Kivy: tests/kiosk/ui/driver.py does, with
DISPLAY and the KIVY_* variables set here. The screen text catalogues are compiled with
`pybabel compile` into a temporary copy (no .mo is written into the source tree).
Screenshots go to test-artifacts/screens/ (gitignored), for eyes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.headless import Xvfb, kivy_environment
from kiosk.ui.i18n import LOCALE_DIR

ROOT = Path(__file__).parents[3]
SCREENS = ROOT / "test-artifacts" / "screens"
DRIVER_TIMEOUT_S = 300


def run_journeys(module: str, *, work: Path, screens: Path, size: tuple[int, int] = (1280, 800),
                 timeout: int = DRIVER_TIMEOUT_S) -> dict[str, Any]:
    """Run a journeys module (tests.kiosk.ui.driver, input_steps, ...) in its own process under
    a private Xvfb, with the catalogues compiled into `work`; its results file, read."""
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed (Debian package xvfb; scripts/setup installs it)")
    locale = work / "locale"
    shutil.copytree(LOCALE_DIR, locale)
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-d",
                    str(locale), "-D", "kiosk"], check=True, capture_output=True, timeout=60)
    shutil.rmtree(screens, ignore_errors=True)
    out = work / "results.json"
    with Xvfb(*size) as display:
        env = kivy_environment(display, str(work / "kivy-home"))
        run = subprocess.run(
            [sys.executable, "-m", module, "--out", str(out), "--screens", str(screens),
             "--locale-dir", str(locale)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if run.returncode != 0 or not out.is_file():
        pytest.fail(f"the UI driver failed (exit {run.returncode}):\n{run.stderr[-4000:]}")
    results: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return results


def walked(journeys: dict[str, Any], name: str) -> dict[str, Any]:
    """One journey's results; the test fails with the journey's own trace if it did."""
    found: dict[str, Any] = journeys[name]
    if not found["ok"]:
        pytest.fail(f"journey {name} failed on screen {found.get('screen')}:\n{found['trace']}")
    return found


@pytest.fixture(scope="session")
def ui_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_journeys("tests.kiosk.ui.driver", work=tmp_path_factory.mktemp("kiosk-ui"),
                        screens=SCREENS)


@pytest.fixture
def journey(ui_results: dict[str, Any], request: pytest.FixtureRequest) -> dict[str, Any]:
    """The result of the journey the test is named after (test_card_juminhyo ...)."""
    return walked(ui_results["journeys"], request.node.name.removeprefix("test_"))
