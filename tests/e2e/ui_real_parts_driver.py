"""The 住民票 journey by touch on the kiosk that `kiosk run` would build: every part real.

    python -m tests.e2e.ui_real_parts_driver --config kiosk.toml --out result.json --screens DIR

kiosk/wiring.build_kiosk reads the kiosk.toml and opens the card port over pcscd, the SQLite
store and the CUPS slip queue it names; the app runs beside a robot finger that touches its
way from the welcome screen to the done screen, and writes what the screens showed as JSON.
Kivy needs a process of its own (one App and one window per process), read its settings
from the environment before its first import: tests/e2e/test_ui_real_parts.py starts Xvfb and
this script with DISPLAY set, then asserts on the JSON, the paper and the store.
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from kiosk.config import load_config
from kiosk.ui.headless import run_beside
from kiosk.ui.resident.app import build_kiosk_app
from kiosk.wiring import build_kiosk

# (the widget touched, the screen it must lead to or None, a screenshot taken before it)
STEPS = (
    ("menu:juminhyo", "pin", "01-welcome"),  # the card lies on the reader: the PIN pad next
    ("pin:1", None, "02-pin"),
    ("pin:2", None, None),
    ("pin:3", None, None),
    ("pin:4", "question", None),
    ("choice:self", None, "03-question"),
    ("choice:household", None, None),
    ("choice:pension", "confirm", None),
    ("confirm:send", "done", "04-confirm"),
)


async def walk(app: Any, screens: Path, out: dict[str, Any]) -> None:
    """Touch through STEPS, keeping what the confirm and done screens showed."""
    from kiosk.ui.resident.robot import Robot  # noqa: PLC0415 - imports Kivy, after the app exists

    started = time.monotonic()
    while app.controller is None:
        if time.monotonic() - started > 30:
            raise TimeoutError("the app did not start")
        await asyncio.sleep(0.01)
    robot = Robot(app.controller, timeout_s=20.0)  # a card read through pcscd takes a while
    await robot.until(lambda: app.controller.warmed, "the first screen")
    out["visited"] = [robot.screen]
    for kid, screen, shot in STEPS:
        if shot:
            robot.screenshot(screens / f"{shot}.png")
        if kid == "confirm:send":
            out["confirm"] = "\n".join(robot.texts())
        await robot.tap(kid)
        if screen:
            await robot.wait_screen(screen)
            out["visited"].append(robot.screen)
    robot.screenshot(screens / "05-done.png")
    out["done"] = "\n".join(robot.texts())
    out["touches"] = robot.touches
    await robot.tap("done:finish", count=False)
    await robot.wait_screen("welcome")
    out["visited"].append(robot.screen)
    out["after_finish"] = "\n".join(robot.texts())


def main(argv: list[str] | None = None) -> int:
    faulthandler.enable()  # a hang killed by the test's timeout shows where it hung
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--screens", type=Path, required=True)
    args = parser.parse_args(argv)
    args.screens.mkdir(parents=True, exist_ok=True)
    parts = build_kiosk(config=load_config(args.config))
    out: dict[str, Any] = {"ok": False}
    try:
        app = build_kiosk_app(parts.session, fullscreen=True, counters=parts.counters,
                              languages=parts.languages)

        async def journey() -> None:
            try:
                await walk(app, args.screens, out)
                out["ok"] = True
            except Exception:
                out["trace"] = traceback.format_exc()
                out["screen"] = str(app.controller.manager.current) if app.controller else None
            finally:
                app.stop()

        run_beside(app, journey())
    finally:
        parts.close()
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
