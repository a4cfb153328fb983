"""The monkey on the clerk's desk under Xvfb: random clicks, and slips typed between them as a
keyboard-wedge scanner types (good, already scanned, damaged, a card's back, random text).

600 steps: about 2 minutes and a half on a 2-core machine (~210 ms a step: a typed scan
waits for the desk to open the slip). KIOSK_MONKEY_SEED replays or varies a run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kiosk.ui.test_monkey import RUN_TIMEOUT_S, run_monkey, seed

DESK_TOUCHES = 600


@pytest.mark.ui
@pytest.mark.slow
@pytest.mark.timeout(RUN_TIMEOUT_S + 30)
def test_the_desk_survives_the_monkey(tmp_path: Path) -> None:
    report = run_monkey(tmp_path, touches=DESK_TOUCHES, seed=seed(100), desk=True)
    assert report["ok"], report["text"]
    assert report["done"] == DESK_TOUCHES
