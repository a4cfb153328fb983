"""The demo's scripted journey for a machine with no screen: a 住民票 request by touch.

On a headless machine `kiosk demo` runs this beside the app on a virtual screen (Xvfb),
saves a screenshot of every screen and leaves the slip in the print folder, so a newcomer
sees the whole journey without a display. The touches go through Kivy's real input path.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kiosk.session.session import Session
from kiosk.ui.headless import run_beside
from kiosk.ui.resident.app import build_kiosk_app

STEPS = (
    ("menu:juminhyo", "pin", "01-welcome"),  # the card is on the reader: the PIN pad follows
    ("pin:1", None, "02-pin"),
    ("pin:2", None, None),
    ("pin:3", None, None),
    ("pin:4", "question", None),
    ("choice:self", None, "03-question-applicant"),
    ("choice:household", None, "04-question-scope"),
    ("choice:pension", "confirm", "05-question-purpose"),
    ("confirm:send", "done", "06-confirm"),
)


def run_scripted_journey(session: Session, *, screenshot_dir: Path, counters: dict[str, str],
                         languages: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the app and the journey together; return the ticket and the touches it took."""
    app = build_kiosk_app(session, fullscreen=True, counters=counters, languages=languages)
    out: dict[str, Any] = {}

    async def journey() -> None:
        from kiosk.ui.resident.robot import Robot  # noqa: PLC0415 - imports Kivy, after the app is configured

        while app.controller is None:
            await asyncio.sleep(0.01)
        robot = Robot(app.controller, timeout_s=20.0)
        await robot.until(lambda: app.controller is not None and app.controller.warmed, "the first screen")
        try:
            for kid, screen, shot in STEPS:
                if shot:
                    await robot.frames(2)
                    robot.screenshot(screenshot_dir / f"{shot}.png")
                await robot.tap(kid)
                if screen:
                    await robot.wait_screen(screen)
            await robot.frames(2)
            robot.screenshot(screenshot_dir / "07-done.png")
            out["ticket"] = session.receipt.ticket if session.receipt else None
            out["printed"] = bool(session.receipt and session.receipt.printed)
            out["touches"] = robot.touches
            await robot.tap("done:finish", count=False)
            await robot.wait_screen("welcome")
        finally:
            app.stop()

    run_beside(app, journey())
    return out
