"""A robot finger for the running kiosk: taps widgets by their `kid` through Kivy's real
input path (a MotionEvent dispatched by the event loop, hit-tested like a finger), waits
for screens, reads what is shown and takes screenshots. The UI tests, the bench and demo
scripts drive the app with it from a coroutine running beside `App.async_run()`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.tests.common import UnitTestTouch
from kivy.uix.scrollview import ScrollView

from kiosk.ui.resident.controller import Controller


class RobotError(AssertionError):
    pass


class Robot:
    def __init__(self, controller: Controller, *, timeout_s: float = 10.0) -> None:
        self.controller = controller
        self.timeout_s = timeout_s
        self.touches = 0

    # ------------------------------------------------------------------ looking
    def shown(self) -> Iterator[Any]:
        """Every widget in the window now (the current screen, bars, overlays)."""
        for child in Window.children:
            yield from child.walk(restrict=True)

    def everything(self) -> Iterator[Any]:
        """Every widget the kiosk holds, the screens not shown included."""
        yield from self.shown()
        for screen in self.controller.all_screens():
            if screen.parent is None:
                yield from screen.walk(restrict=True)
        for overlay in (self.controller.idle, self.controller.notice,
                        self.controller.progress, self.controller.language_list):
            if overlay.parent is None:
                yield from overlay.walk(restrict=True)

    def texts(self, *, everything: bool = False) -> list[str]:
        """What widgets show: plain text where kept, else the text (markup included), and
        what a text field holds."""
        out = []
        for widget in self.everything() if everything else self.shown():
            for name in ("plain", "text", "title", "kana", "title_markup", "kana_markup"):
                value = getattr(widget, name, "")
                if isinstance(value, str) and value:
                    out.append(value)
        return out

    def find(self, kid: str) -> Any:
        for widget in self.shown():
            if getattr(widget, "kid", None) == kid and widget.opacity > 0 and not widget.disabled:
                return widget
        raise RobotError(f"no widget {kid!r} on screen {self.screen!r}")

    def has(self, kid: str) -> bool:
        try:
            self.find(kid)
        except RobotError:
            return False
        return True

    @property
    def screen(self) -> str:
        return str(self.controller.manager.current)

    # ------------------------------------------------------------------ waiting
    async def frames(self, count: int = 1) -> None:
        target = Clock.frames_displayed + count
        deadline = time.monotonic() + self.timeout_s
        while Clock.frames_displayed < target:
            if time.monotonic() > deadline:
                raise RobotError("no frame was drawn")
            await asyncio.sleep(0.002)

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + self.timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise RobotError(f"timed out waiting for {what} (screen {self.screen!r})")
            await self.frames(1)

    async def settle(self) -> None:
        """Until the worker is done and a frame shows the result."""
        await self.until(lambda: not self.controller.busy, "the card or printer")
        await self.frames(2)

    async def wait_screen(self, name: str) -> None:
        await self.until(lambda: self.screen == name and not self.controller.busy,
                         f"screen {name!r}")
        await self.frames(2)

    # ------------------------------------------------------------------ touching
    async def scroll_into_view(self, widget: Any) -> None:
        """Swipe a list until the widget shows, as a resident would before touching it."""
        parent = widget.parent
        while parent is not None and not isinstance(parent, ScrollView):
            parent = None if parent.parent is parent else parent.parent  # the window: itself
        if parent is None:
            return
        low_y = widget.to_window(widget.x, widget.y)[1]
        high_y = widget.to_window(widget.right, widget.top)[1]
        view_low = parent.to_window(parent.x, parent.y)
        view_high = parent.to_window(parent.right, parent.top)
        if low_y < view_low[1] or high_y > view_high[1]:
            parent.scroll_to(widget, padding=10, animate=False)
            await self.frames(2)

    async def tap(self, kid: str, *, count: bool = True) -> None:
        """Touch the widget's centre and let go, as a finger would."""
        widget = self.find(kid)
        await self.scroll_into_view(widget)
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        await self.frames(1)
        touch.touch_up()
        await self.frames(2)
        if count:
            self.touches += 1

    async def tap_all(self, *kids: str) -> None:
        for kid in kids:
            await self.tap(kid)

    async def type_text(self, kid: str, text: str) -> None:
        """Type into a text field as the system keyboard or its input method would."""
        field = self.find(kid)
        field.focus = True
        field.insert_text(text)
        await self.frames(2)

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        written = Window.screenshot(name=str(path.with_name("robot-shot.png")))
        Path(written).replace(path)
        return path
