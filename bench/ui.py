"""Kiosk screen speed: cold start to the welcome screen, touch to next screen drawn, and
the scripted 住民票 journey end to end, on a private Xvfb that this bench starts itself.

    python -m bench.ui            # prints the figures; exit 1 if a target is missed

Targets (docs/ui.md): start < 3 s, every screen change < 100 ms. The card and the
printer are in-memory stand-ins here (their own benches measure them): what is timed is
the screen. Start is measured from launching a fresh Python process to the first frame
that shows the welcome screen; a screen change from the finger lifting (the touch's
`up`, when Kivy buttons act) to the end of the first frame drawn after the new screen
was filled in. Under Xvfb the drawing is Mesa's software renderer: a real kiosk's GPU
is faster, not slower.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from kiosk.ui.headless import run_beside

START_TARGET_S = 3.0
CHANGE_TARGET_MS = 100.0
# The 住民票 journey with the card: what is touched, the screen it leads to, and whether
# the router redraws the screen (a PIN digit only fills a box).
JOURNEY = [("menu:juminhyo", "pin", True), ("pin:1", "pin", False), ("pin:2", "pin", False),
           ("pin:3", "pin", False), ("pin:4", "question", True), ("choice:self", "question", True),
           ("choice:household", "question", True), ("choice:pension", "confirm", True),
           ("confirm:send", "done", True), ("done:finish", "welcome", True)]
ROUNDS = 3


# ---------------------------------------------------------------------------- the child
class _Card:
    def tries_left(self) -> int:
        return 3

    def read_identity(self, pin: str) -> Any:
        from kiosk.session.identity import Identity  # noqa: PLC0415

        return Identity("見本 花子", "みほん市中央一丁目2番3号", dt.date(1985, 4, 1), "female",
                        "card")


class _Submitter:
    def __init__(self) -> None:
        self.count = 0

    def submit(self, submission: Any) -> Any:
        from kiosk.application import Receipt  # noqa: PLC0415

        self.count += 1
        return Receipt(f"A-{self.count:03d}", "resident", printed=True)

    def print_paper_forms(self, form_ids: Any, lang: str, *, ticket: str | None = None) -> Any:
        from kiosk.application import Receipt  # noqa: PLC0415

        return Receipt(ticket or "A-001", "resident", printed=True)


def _session() -> Any:
    from forms.loader import load_library  # noqa: PLC0415
    from kiosk.monkey_worlds import MonkeyStaff  # noqa: PLC0415
    from kiosk.session.session import Session  # noqa: PLC0415

    identity_dir = Path(__file__).parents[1] / "kiosk" / "session" / "identity_form"
    manual = load_library([], shipped=identity_dir).get("manual_identity")
    return Session(library=load_library(), card=_Card(), submitter=_Submitter(),
                   office={"name": "みほん市役所"}, clock=lambda: dt.datetime.now(dt.UTC),
                   idle_timeout_s=600, manual_form=manual, staff=MonkeyStaff())


def _arrived(robot: Any, shown: list[float], screen: str) -> bool:
    return bool(shown) and robot.screen == screen and not robot.controller.busy


def _drawn_after(flips: list[float], moment: float) -> bool:
    return bool(flips) and flips[-1] > moment


async def _measure(app: Any, launched: float, out: dict[str, Any]) -> None:
    from kivy.clock import Clock  # noqa: PLC0415
    from kivy.core.window import Window  # noqa: PLC0415
    from kivy.tests.common import UnitTestTouch  # noqa: PLC0415

    from kiosk.ui.resident.robot import Robot  # noqa: PLC0415

    flips: list[float] = []
    Window.bind(on_flip=lambda *_: flips.append(time.perf_counter()))
    while app.controller is None or Clock.frames_displayed < 1 or not flips:
        await asyncio.sleep(0.001)
    out["start_s"] = time.time() - launched
    controller = app.controller
    robot = Robot(controller)
    shown: list[float] = []
    original_show = controller.show

    def timed_show() -> None:
        original_show()
        shown.append(time.perf_counter())

    controller.show = timed_show
    warming = time.perf_counter()
    await robot.until(lambda: controller.warmed, "screens built and glyphs loaded")
    out["warm_s"] = time.perf_counter() - warming + out["start_s"]
    changes: dict[str, list[float]] = {}
    journeys: list[float] = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        for kid, screen, routed in JOURNEY:
            await robot.frames(2)  # the screen settles, as it has before a finger comes
            widget = robot.find(kid)
            x, y = widget.to_window(*widget.center)
            touch = UnitTestTouch(x, y)
            touch.touch_down()
            await robot.frames(1)
            shown.clear()
            lifted = time.perf_counter()
            touch.touch_up()
            if routed:
                await robot.until(partial(_arrived, robot, shown, screen), f"screen {screen}")
            ready = shown[-1] if routed else lifted
            await robot.until(partial(_drawn_after, flips, ready), f"a frame after {kid}")
            drawn = next(f for f in flips if f > ready)
            changes.setdefault(f"{kid} -> {screen}", []).append((drawn - lifted) * 1000)
        journeys.append(time.perf_counter() - began)
    out["changes_ms"] = {step: statistics.median(v) for step, v in changes.items()}
    out["changes_max_ms"] = {step: max(v) for step, v in changes.items()}
    out["change_max_ms"] = max(max(v) for v in changes.values())
    out["journey_s"] = statistics.median(journeys)
    out["touches"] = len(JOURNEY) - 1  # "finish" is not part of the request
    app.stop()


def child(launched: float, out_file: Path) -> int:
    from kiosk.ui.resident.app import build_kiosk_app  # noqa: PLC0415

    app = build_kiosk_app(_session(), fullscreen=True)
    out: dict[str, Any] = {}

    run_beside(app, _measure(app, launched, out))
    out_file.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return 0


# ---------------------------------------------------------------------------- the parent
def report(figures: dict[str, Any]) -> bool:
    start_ok = bool(figures["start_s"] < START_TARGET_S)
    change_ok = bool(figures["change_max_ms"] < CHANGE_TARGET_MS)
    print("Kiosk screens (Kivy under Xvfb, Mesa llvmpipe)")
    print(f"  cold start to welcome drawn : {figures['start_s']:.2f} s"
          f"   (target < {START_TARGET_S:.0f} s: {'met' if start_ok else 'MISSED'})")
    print(f"  then screens built, glyphs loaded (welcome usable meanwhile): "
          f"{figures['warm_s']:.2f} s after launch")
    print(f"  touch -> next screen drawn  : max {figures['change_max_ms']:.0f} ms"
          f"   (target < {CHANGE_TARGET_MS:.0f} ms: {'met' if change_ok else 'MISSED'})")
    for step, ms in figures["changes_ms"].items():
        worst = figures["changes_max_ms"][step]
        print(f"      {step:<34} median {ms:6.1f} ms   max {worst:6.1f} ms")
    print(f"  住民票 journey, {figures['touches']} touches, end to end: "
          f"{figures['journey_s']:.2f} s (median of {ROUNDS}; the robot waits a frame per touch)")
    return start_ok and change_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ui", description=__doc__)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--launched", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)
    if args.child:
        return child(args.launched, args.child)

    from kiosk.ui.headless import Xvfb, kivy_environment  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as work, Xvfb(1280, 800) as display:
        out = Path(work) / "figures.json"
        env = kivy_environment(display, os.path.join(work, "kivy-home"))
        launched = time.time()
        run = subprocess.run([sys.executable, "-m", "bench.ui", "--child", str(out),
                              "--launched", repr(launched)],
                             env=env, capture_output=True, text=True, timeout=300, check=False,
                             cwd=Path(__file__).parents[1])
        if run.returncode != 0 or not out.is_file():
            print(run.stderr[-4000:], file=sys.stderr)
            return 2
        figures = json.loads(out.read_text(encoding="utf-8"))
    ok = report(figures)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
