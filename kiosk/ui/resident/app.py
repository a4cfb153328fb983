"""Starting the kiosk screen: `run_kiosk(session)` (the wiring in kiosk.cli calls it).

Kivy reads its settings from the environment and its Config when first imported, so this
module imports no Kivy at the top: `configure_kivy()` sets fullscreen, the close and
Escape behaviour and the logging first, then kiosk.ui.resident.shell (which imports Kivy) is
loaded. Kivy can run one window per process.

A crash in the running app is not the end of the kiosk: `CrashGuard` logs what failed
(the exception's type and where, never its message or any value: those may quote what the
resident typed), the shell wipes the session and shows the welcome screen. A crash loop
(CRASH_LIMIT crashes within CRASH_WINDOW_S) exits with EXIT_CRASH_LOOP, so systemd starts
a fresh process (docs/deployment.md).
"""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import DEFAULT_COUNTERS
from kiosk.session.session import Session
from kiosk.ui.i18n import Catalogues
from kiosk.ui.resident.menu_order import MENU_FIRST

if TYPE_CHECKING:
    from kiosk.ui.resident.shell import KioskApp

WIDTH, HEIGHT = 1280, 800
CRASH_LIMIT = 3
CRASH_WINDOW_S = 60.0
EXIT_CRASH_LOOP = 70  # EX_SOFTWARE: systemd's Restart=always starts the kiosk again
_PROJECT = Path(__file__).resolve().parents[3]
log = logging.getLogger(__name__)


def crash_site(exc: BaseException) -> str:
    """Where an exception was raised: file, line and function of the innermost frame and
    of the innermost frame of the project's own code. Code only, no values."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown"

    def place(frame: traceback.FrameSummary) -> str:
        path = Path(frame.filename)
        shown = path.relative_to(_PROJECT) if path.is_relative_to(_PROJECT) else path.name
        return f"{shown}:{frame.lineno} in {frame.name}"

    ours = [f for f in frames if Path(f.filename).is_relative_to(_PROJECT)
            and ".venv" not in Path(f.filename).parts]
    where = place(frames[-1])
    if ours and ours[-1] is not frames[-1]:
        where += f" (from {place(ours[-1])})"
    return where


class CrashGuard:
    """Counts the app's crashes: each is logged; too many too fast means give up."""

    def __init__(self, *, limit: int = CRASH_LIMIT, window_s: float = CRASH_WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window_s, self._clock = limit, window_s, clock
        self._times: list[float] = []
        self.tripped = False

    def crashed(self, exc: BaseException) -> bool:
        """Log the crash; True: recover (wipe, welcome), False: a crash loop, exit."""
        if self.tripped:
            return False  # giving up already: Kivy hands the same exception on once more
        now = self._clock()
        self._times = [t for t in self._times if now - t < self.window_s] + [now]
        self.tripped = len(self._times) >= self.limit
        log.error("kiosk crashed (%d in %.0f s): %s at %s", len(self._times), self.window_s,
                  type(exc).__name__, crash_site(exc))
        return not self.tripped


def configure_kivy(*, fullscreen: bool, width: int = WIDTH, height: int = HEIGHT) -> None:
    """Must run before the first `import kivy`: afterwards Kivy ignores most of it."""
    if "kivy.core.window" in sys.modules:
        return  # the window exists already (one per process): nothing left to configure
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # the kiosk's own CLI parses argv
    os.environ.setdefault("KIVY_NO_FILELOG", "1")  # no log files of resident sessions
    os.environ.setdefault("KIVY_LOG_MODE", "MIXED")  # Kivy's handlers on Kivy's logger only
    if "KIVY_HOME" not in os.environ:
        os.environ.setdefault("KIVY_NO_CONFIG", "1")  # no ~/.kivy/config.ini to drift
    from kivy.config import Config  # noqa: PLC0415 - must follow the environment above

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "log_level", "warning")
    Config.set("kivy", "keyboard_mode", "system")
    Config.set("kivy", "pause_on_minimize", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "borderless", "1")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    Config.set("graphics", "multisamples", "0")
    logging.getLogger("kivy").setLevel(logging.WARNING)


def build_kiosk_app(session: Session, *, fullscreen: bool = True,
                    screenshot_dir: Path | None = None,
                    counters: Mapping[str, str] | None = None,
                    menu_first: tuple[str, ...] = MENU_FIRST,
                    locale_dir: Path | None = None,
                    languages: Sequence[str] | None = None, closable: bool = False) -> KioskApp:
    """The App, not yet running: tests and the bench drive it with `async_run`.

    `languages` are the ones the resident may choose, first the default (kiosk.toml's
    `languages`); None offers every language the catalogues have.
    """
    configure_kivy(fullscreen=fullscreen)
    from kiosk.ui.resident.shell import KioskApp  # noqa: PLC0415 - imports Kivy, after configure_kivy

    catalogues = Catalogues(locale_dir) if locale_dir else Catalogues()
    return KioskApp(session=session, counters=counters or DEFAULT_COUNTERS,
                    menu_first=menu_first, screenshot_dir=screenshot_dir,
                    catalogues=catalogues, closable=closable,
                    languages=list(languages or catalogues.languages or ["ja"]))


def run_kiosk(session: Session, *, fullscreen: bool = True, screenshot_dir: Path | None = None,
              counters: Mapping[str, str] | None = None,
              menu_first: tuple[str, ...] = MENU_FIRST,
              locale_dir: Path | None = None, languages: Sequence[str] | None = None,
              closable: bool = False) -> None:
    """Show the kiosk until an administrator closes it from the staff menu (or, `closable`,
    the demo's window is closed).

    `counters` names the counters on the done screen (kiosk.toml's; default the demo
    ones), `menu_first` the procedures shown first, `locale_dir` the screen text
    catalogues (default kiosk/ui/locale), `languages` the ones offered (default: every
    catalogue's), `screenshot_dir` saves every screen shown.
    """
    build_kiosk_app(session, fullscreen=fullscreen, screenshot_dir=screenshot_dir,
                    counters=counters, menu_first=menu_first, locale_dir=locale_dir,
                    languages=languages, closable=closable).run()
