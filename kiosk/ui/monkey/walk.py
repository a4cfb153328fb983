"""The walk both monkeys share: a step, the app settling, then every check on what shows.

Exceptions are caught where the app would meet them: Kivy's ExceptionManager (anything raised
in a Clock callback or an event handler inside the event loop), the asyncio loop's handler, a
touch's own call stack (the robot dispatches touches from the walk's coroutine), and an error
the app logged on a `kiosk` logger (the controller logs a failed session call by type).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kivy.base import ExceptionHandler, ExceptionManager

from kiosk.ui.monkey.checks import Exits, Fault, no_way_on, outwait_busy, stuck_busy
from kiosk.ui.monkey.kivy_side import Measure, Scene, active_layer, check_scene, scene, window_color
from kiosk.ui.monkey.report import Report
from kiosk.ui.resident.robot import Robot

Place = tuple[str, str]
DEAD_END_EVERY = 50


class Guard(ExceptionHandler, logging.Handler):  # type: ignore[misc]  # Kivy is untyped
    """Collects what went wrong inside the app since the last step."""

    def __init__(self) -> None:
        ExceptionHandler.__init__(self)
        logging.Handler.__init__(self, level=logging.ERROR)
        self.errors: list[str] = []

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        ExceptionManager.add_handler(self)
        loop.set_exception_handler(lambda _loop, context: self.errors.append(
            f"asyncio: {context.get('exception')!r} {context.get('message', '')}"))
        logging.getLogger("kiosk").addHandler(self)

    def handle_exception(self, inst: BaseException) -> Any:
        if isinstance(inst, KeyboardInterrupt):
            return ExceptionManager.RAISE
        self.errors.append(_where(inst))
        return ExceptionManager.PASS  # recorded: the walk reports it with the step

    def emit(self, record: logging.LogRecord) -> None:
        self.errors.append(f"logged by {record.name}: {record.getMessage()}")

    def caught(self, exc: BaseException) -> None:
        self.errors.append(_where(exc))

    def take(self) -> list[str]:
        found, self.errors = self.errors, []
        return found


def _where(exc: BaseException) -> str:
    """The exception and the innermost project frame it came from."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/kiosk/" in f.filename or "/forms/" in f.filename]
    at = ours[-1] if ours else (frames[-1] if frames else None)
    place = f" at {at.filename.split('/main/')[-1]}:{at.lineno} ({at.name})" if at else ""
    return f"{type(exc).__name__}: {exc}{place}"


class Walk:
    """One side's monkey; `step` (the side's) does one action and names it."""

    side = ""
    min_px = 0.0

    def __init__(self, robot: Robot, report: Report, guard: Guard) -> None:
        self.robot, self.report, self.guard = robot, report, guard
        self.rng = random.Random(report.seed)
        self.exits = Exits()
        self.measure = Measure()
        self.shot_count = 0

    # ------------------------------------------------------------------ to override
    def place(self) -> Place:
        raise NotImplementedError

    def way_on(self, found: Scene) -> list[Any]:
        """The targets that may lead on (not the top bar's)."""
        return found.targets

    def extra_faults(self) -> list[Fault]:
        return []

    async def step(self) -> str | None:
        """One action; the name of the target touched (for the dead-end bookkeeping)."""
        raise NotImplementedError

    async def settle(self) -> None:
        await self.robot.frames(2)

    def busy(self) -> bool:
        """Whether the app is working (card, printer) and holds touches back."""
        return False

    def settled(self) -> None:
        """Called once the step's work is done, before the checks."""

    # ------------------------------------------------------------------ the walk
    async def run(self) -> None:
        started = time.monotonic()
        try:
            while self.report.done < self.report.touches:
                self.report.steps += 1
                before = self.place()
                touched = None
                try:
                    touched = await self.step()
                    await self.settle()
                except Exception as exc:  # an app fault met by the touch itself
                    self.guard.caught(exc)
                    await self.robot.frames(2)
                # A read that starts after the step (the card poll) is judged once it ends.
                stuck = await outwait_busy(self.busy, lambda: self.robot.frames(1),
                                           settle=lambda: self.robot.frames(2))
                self.settled()
                after = self.place()
                if touched is not None:
                    self.exits.touched(before, touched, after)
                self.check(after, stuck)
                if stuck is not None:
                    break  # every touch is held back now: the walk can go no further
                if self.report.steps % DEAD_END_EVERY == 0:
                    self.check_dead_ends()
            self.check_dead_ends()
        finally:
            self.report.seconds = time.monotonic() - started

    def check(self, place: Place, busy_s: float | None = None) -> None:
        """Every check on what shows; `busy_s`: still busy after that long (then the
        screen's missing buttons are that fault, not a dead end)."""
        screen = place[0]
        self.report.screens[screen] += 1
        faults = [Fault("exception", screen, "(app)", error) for error in self.guard.take()]
        found = scene(active_layer())
        if busy_s is not None:
            faults.append(stuck_busy(screen, f"{screen} «{place[1]}»", busy_s))
        else:
            ways = self.way_on(found)
            self.exits.seen(place, [self.target_name(t) for t in ways])
            stuck = no_way_on(screen, ways)
            faults += [stuck] if stuck else []
        faults += check_scene(found, screen=screen, min_px=self.min_px,
                              window_color=window_color(), measure=self.measure)
        faults += self.extra_faults()
        self.record(faults)

    def check_dead_ends(self) -> None:
        self.record([Fault("dead_end", place[0], f"{place[0]} «{place[1]}»",
                           f"all {len(entry.touched)} targets touched, none leads on "
                           f"(visited {entry.visits} times)")
                     for place, entry in self.exits.dead_ends()])

    def record(self, faults: Iterable[Fault]) -> None:
        for fault in faults:
            self.report.add(fault, self.shoot)

    def shoot(self) -> Path:
        self.shot_count += 1
        path = self.report.shots / f"{self.side}-step{self.report.steps:05d}-{self.shot_count}.png"
        return self.robot.screenshot(path)

    @staticmethod
    def target_name(widget: Any) -> str:
        kid = getattr(widget, "kid", "")
        return str(kid) if kid else f"{type(widget).__name__}:{getattr(widget, 'text', '')[:20]}"

    async def touch(self, widget: Any) -> str:
        """Touch the widget's centre as a finger would (scrolled into view first)."""
        from kivy.tests.common import UnitTestTouch  # noqa: PLC0415 - Kivy's own test touch

        await self.robot.scroll_into_view(widget)
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()  # a quick tap: up before the next frame (a frame costs ~60 ms
        touch.touch_up()  # under Xvfb's software GL, most of a step)
        self.report.done += 1
        return self.target_name(widget)
