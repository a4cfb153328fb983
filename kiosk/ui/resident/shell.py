"""The Kivy App: builds the kit, the controller and the root widget from what it is given.

Imported only through kiosk.ui.resident.app, after Kivy has been configured (fullscreen, logging,
no argument parsing) — Kivy reads its configuration when it is first imported.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.base import ExceptionHandler, ExceptionManager
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import Metrics
from kivy.properties import ColorProperty, ObjectProperty
from kivy.uix.floatlayout import FloatLayout

from kiosk.session.session import Session
from kiosk.ui.glyphs import Glyphs
from kiosk.ui.i18n import Catalogues, Translator
from kiosk.ui.resident.app import EXIT_CRASH_LOOP, CrashGuard
from kiosk.ui.resident.controller import Controller
from kiosk.ui.resident.kit import UiKit
from kiosk.ui.resident.theme import Theme

UI_DIR = Path(__file__).parent
ESCAPE = 27
log = logging.getLogger(__name__)


def kv_files() -> list[Path]:
    """Shared widgets first, then bars and overlays, then inputs and screens."""
    first = [UI_DIR / "widgets.kv", UI_DIR / "root.kv", UI_DIR / "chrome.kv",
             UI_DIR / "overlays.kv"]
    rest = sorted((UI_DIR / "inputs").glob("*.kv")) + sorted((UI_DIR / "screens").glob("*.kv"))
    return first + rest


class KioskRoot(FloatLayout):  # type: ignore[misc]  # Kivy is untyped
    bg_color = ColorProperty((1.0, 1.0, 1.0, 1.0))
    controller = ObjectProperty(None, allownone=True)

    def on_touch_down(self, touch: Any) -> bool:
        if self.controller is not None and not self.controller.touch_down():
            return True  # busy: the touch is held back
        return bool(super().on_touch_down(touch))


class CrashHandler(ExceptionHandler):  # type: ignore[misc]  # Kivy is untyped
    """Kivy's event loop hands every exception of a frame here: log it (CrashGuard),
    forget the resident and show the welcome screen, and go on; a crash loop, or a crash
    while recovering, stops the app (KioskApp.run turns it into EXIT_CRASH_LOOP)."""

    def __init__(self, app: KioskApp) -> None:
        super().__init__()
        self.app = app

    def handle_exception(self, inst: BaseException) -> Any:
        if not isinstance(inst, Exception) or self.app.controller is None:
            return ExceptionManager.RAISE  # Ctrl-C, SystemExit, a crash before the screen
        if not self.app.guard.crashed(inst):
            return ExceptionManager.RAISE
        try:
            self.app.controller.recover()
        except Exception as again:  # the screen cannot recover: restart the process
            self.app.guard.tripped = True
            log.error("kiosk could not recover: %s", type(again).__name__)
            return ExceptionManager.RAISE
        return ExceptionManager.PASS


class KioskApp(App):  # type: ignore[misc]
    title = "書かない窓口"

    def __init__(self, *, session: Session, counters: Mapping[str, str],
                 menu_first: tuple[str, ...], screenshot_dir: Path | None,
                 catalogues: Catalogues | None = None, languages: list[str] | None = None,
                 closable: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        # The demo's window on a developer's desktop closes like any window; a lobby kiosk's
        # only for an administrator in staff mode.
        self.closable = closable
        self.counters = counters
        self.menu_first = menu_first
        self.screenshot_dir = screenshot_dir
        self.catalogues = catalogues or Catalogues()
        self.languages = languages or self.catalogues.languages or ["ja"]
        self.controller: Controller | None = None
        self.guard = CrashGuard()
        self._crash_handler = CrashHandler(self)

    def run(self) -> None:
        self._guarded(super().run)

    async def async_run(self, async_lib: str | None = None) -> None:
        ExceptionManager.add_handler(self._crash_handler)
        try:
            await super().async_run(async_lib=async_lib)
        except Exception:
            self._give_up()
            raise
        finally:
            ExceptionManager.remove_handler(self._crash_handler)

    def _guarded(self, run: Any) -> None:
        ExceptionManager.add_handler(self._crash_handler)
        try:
            run()
        except Exception:
            self._give_up()
            raise
        finally:
            ExceptionManager.remove_handler(self._crash_handler)

    def _give_up(self) -> None:
        """After a crash loop: exit non-zero without the exception's text (it may quote
        what the resident typed); what failed is in the log already."""
        if self.guard.tripped:
            raise SystemExit(EXIT_CRASH_LOOP) from None

    def build(self) -> KioskRoot:
        # Kivy 2.3 can leave its cached dp scale at -1 (the window's dpi was read before the
        # scale was first synced): every dp() in a .kv then comes out negative, paddings
        # inverted. Resetting the metrics from the window syncs it.
        Metrics.reset_metrics()
        dpi = float(Metrics.dpi or 96.0)
        if Metrics.dp <= 0:
            raise RuntimeError(f"Kivy's dp scale is {Metrics.dp} at {dpi} dpi")
        for path in kv_files():
            Builder.load_file(str(path))
        glyphs = Glyphs.for_screen()
        glyphs.preload()
        theme = Theme(regular_font=glyphs.font_path(), bold_font=glyphs.font_path(bold=True),
                      dpi=dpi)
        kit = UiKit(tr=Translator(self.catalogues, self.session.lang), glyphs=glyphs,
                    theme=theme, input_font=glyphs.path_for("𠮷"))
        root = KioskRoot()
        self.controller = Controller(
            session=self.session, ui=kit, root=root, languages=self.languages,
            counters=self.counters, menu_first=self.menu_first, quit_kiosk=self.stop,
            screenshot_dir=self.screenshot_dir)
        root.controller = self.controller
        Window.bind(on_request_close=self._request_close, on_keyboard=self._keyboard)
        self.controller.show()
        Clock.schedule_once(lambda _dt: self._prebuild(), 0.3)
        return root

    def _prebuild(self) -> None:
        if self.controller is not None:
            self.controller.prebuild()

    def _request_close(self, *_args: Any, **_kwargs: Any) -> bool:
        """True keeps the window open: only an administrator may close the kiosk."""
        if self.closable:
            return False
        return not (self.controller is not None and self.controller.may_close())

    def _keyboard(self, _window: Any, key: int, *_args: Any) -> bool:
        if key == ESCAPE:
            if self.controller is not None and self.controller.may_close():
                self.stop()
            return True  # never let Kivy act on Escape itself
        return False

    def on_stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
