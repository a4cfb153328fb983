"""The desk's idle lock timer: `idle` is called after `seconds` with no touch and no key.

A clerk called away leaves a resident's application on a screen the next person in the queue
can read; after `[desk] idle_lock_min` untouched the shell locks the desk (kiosk/ui/desk/shell.py).
Any click, key or typed text anywhere in the window starts the time again: bound on the Window
here, in Python, ahead of every widget, and never consuming the event. A scanner's line is
typed text, so a scan counts as use too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window

_EVENTS = ("on_touch_down", "on_key_down", "on_textinput")


class IdleTimer:
    def __init__(self, seconds: float, idle: Callable[[], None]) -> None:
        self.seconds = seconds
        self._idle = idle
        self._trigger = Clock.create_trigger(self._fire, seconds)

    def start(self) -> None:
        Window.bind(**dict.fromkeys(_EVENTS, self.touched))
        self.touched()

    def stop(self) -> None:
        Window.unbind(**dict.fromkeys(_EVENTS, self.touched))
        self._trigger.cancel()

    def touched(self, *_args: Any) -> None:
        """Start the time again. Returns None: the touch or key goes on to the widgets."""
        self._trigger.cancel()
        self._trigger()

    def _fire(self, _dt: float) -> None:
        self._idle()
        self._trigger()  # and again after as long: the sign-in view forgets a typed password
