"""Layers shown over the current screen. Each raises events; the controller acts on them."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import ListProperty

from kiosk.ui.resident.widgets import Overlay


class IdleOverlay(Overlay):
    """「続けますか？」 with the seconds left before everything is wiped."""

    __events__ = ("on_resume", "on_finish")

    def on_resume(self) -> None:
        pass

    def on_finish(self) -> None:
        pass


class ProgressOverlay(Overlay):
    """Shown while the card is read or the slip prints; the dots show the kiosk is alive."""

    def start(self) -> None:
        self._step = 0
        self.ids.dots.text = ""
        self._event = Clock.schedule_interval(self._tick, 0.4)

    def stop(self) -> None:
        event = getattr(self, "_event", None)
        if event is not None:
            event.cancel()
            self._event = None

    def _tick(self, _dt: float) -> None:
        self._step = (self._step + 1) % 4
        self.ids.dots.text = "● " * self._step


class NoticeOverlay(Overlay):
    """Something went wrong that the resident cannot fix: say so plainly, offer staff."""

    __events__ = ("on_ok", "on_staff")

    def on_ok(self) -> None:
        pass

    def on_staff(self) -> None:
        pass


class LanguageOverlay(Overlay):
    """The language list, when more than two languages are installed."""

    languages = ListProperty([])
