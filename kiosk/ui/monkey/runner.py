"""One monkey run in this process: the App (kiosk or desk) and the walk beside it on one
asyncio loop, as tests/kiosk/ui/driver.py runs its journeys. Kivy opens one window per
process, so a process runs one monkey; DISPLAY must be set before this module is imported
(`kiosk monkey` starts Xvfb when there is no display).
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from kiosk.monkey_worlds import CardReader, desk_world, kiosk_world
from kiosk.ui.headless import run_beside
from kiosk.ui.monkey.report import Report, Stop

START_TIMEOUT_S = 60.0


def run_monkey(*, desk: bool, touches: int, seed: int, shots: Path, keep_going: bool = False,
               locale_dir: Path | None = None) -> Report:
    """Walk `touches` touches (and typed scans) with `seed`; the report of what was found."""
    shots.mkdir(parents=True, exist_ok=True)
    report = Report("desk" if desk else "kiosk", seed, touches, shots, keep_going)
    if desk:
        with tempfile.TemporaryDirectory(prefix="kiosk-monkey-desk-") as work:
            _run_desk(report, Path(work), locale_dir)
    else:
        _run_kiosk(report, locale_dir)
    return report


async def _until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start")
        await asyncio.sleep(0.02)


def _run_kiosk(report: Report, locale_dir: Path | None) -> None:
    from kiosk.ui.resident.app import build_kiosk_app  # noqa: PLC0415 - Kivy after DISPLAY is set

    world = kiosk_world(random.Random(report.seed + 1))
    app = build_kiosk_app(world.session, fullscreen=False, locale_dir=locale_dir)

    async def drive() -> None:
        from kiosk.ui.monkey.kiosk_walk import KioskWalk  # noqa: PLC0415 - imports Kivy
        from kiosk.ui.monkey.walk import Guard  # noqa: PLC0415
        from kiosk.ui.resident.robot import Robot  # noqa: PLC0415

        guard = Guard()
        guard.install(asyncio.get_running_loop())
        try:
            await _until(lambda: app.controller is not None, "the kiosk")
            controller = app.controller
            if controller is None:
                raise RuntimeError("the kiosk has no controller")
            await _until(lambda: controller.warmed or guard.errors, "the kiosk's warm-up")
            robot = Robot(controller)
            await robot.frames(3)
            await KioskWalk(robot, report, guard, world).run()
        except Stop:
            pass
        finally:
            app.stop()

    run_beside(app, drive())


def _run_desk(report: Report, work: Path, locale_dir: Path | None) -> None:
    from kiosk.ui.desk.app import build_desk_app  # noqa: PLC0415 - Kivy after DISPLAY is set

    world = desk_world(work, random.Random(report.seed + 1))
    app = build_desk_app(world.desk, card_reader=CardReader, fullscreen=False,
                         export_dir=work / "exports", locale_dir=locale_dir)

    async def drive() -> None:
        from kiosk.ui.monkey.desk_walk import DeskWalk  # noqa: PLC0415 - imports Kivy
        from kiosk.ui.monkey.walk import Guard  # noqa: PLC0415

        guard = Guard()
        guard.install(asyncio.get_running_loop())
        try:
            await _until(lambda: app.desk_screen is not None, "the desk")
            await asyncio.sleep(1.0)  # the pooled rows are made a few per frame
            await DeskWalk.for_app(app, report, guard, world).run()
        except Stop:
            pass
        finally:
            app.stop()

    run_beside(app, drive())
    world.desk.forget()


