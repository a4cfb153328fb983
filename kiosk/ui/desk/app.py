"""Starting the clerk's screen: `run_desk(desk)` (kiosk/cli/desk_cmd.py calls it).

The counter PC is a desktop with a mouse, a keyboard and a USB QR scanner that types, not a
touch kiosk: the cursor shows, the window may be a window, and the scan field keeps the focus so
that a scanned slip lands in it. As with the kiosk's screen (kiosk/ui/resident/app.py), Kivy is
configured before it is first imported, and nothing here imports it at the top.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.desk.card import MyNumberReader
from kiosk.desk.service import Desk
from kiosk.ui.i18n import Catalogues

if TYPE_CHECKING:
    from kiosk.ui.desk.shell import DeskApp

WIDTH, HEIGHT = 1280, 800
IDLE_LOCK_S = 300  # [desk] idle_lock_min's default, 5 minutes
# The desk's own data (form labels, status words, errors) is in these two; the first is shown
# first, the switch button goes round them.
DESK_LANGUAGES = ("ja", "en")


def configure_desk_kivy(*, fullscreen: bool, width: int = WIDTH, height: int = HEIGHT) -> None:
    """Must run before the first `import kivy`: afterwards Kivy ignores most of it."""
    if "kivy.core.window" in sys.modules:
        return
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # the kiosk's own CLI parses argv
    os.environ.setdefault("KIVY_NO_FILELOG", "1")  # no log files of residents' applications
    os.environ.setdefault("KIVY_LOG_MODE", "MIXED")
    if "KIVY_HOME" not in os.environ:
        os.environ.setdefault("KIVY_NO_CONFIG", "1")
    from kivy.config import Config  # noqa: PLC0415 - must follow the environment above

    Config.set("kivy", "exit_on_escape", "0")  # Escape clears the scan field instead
    Config.set("kivy", "log_level", "warning")
    Config.set("kivy", "keyboard_mode", "system")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "1")
    Config.set("graphics", "multisamples", "0")
    logging.getLogger("kivy").setLevel(logging.WARNING)


def build_desk_app(desk: Desk, *, card_reader: Callable[[], MyNumberReader],
                   fullscreen: bool = False, export_dir: Path = Path("var/exports"),
                   screenshot_dir: Path | None = None, locale_dir: Path | None = None,
                   languages: Sequence[str] = DESK_LANGUAGES,
                   idle_lock_s: float = IDLE_LOCK_S) -> DeskApp:
    """The App, not yet running: the UI test drives it with `async_run`. It opens on the
    sign-in view and locks after `idle_lock_s` seconds untouched.

    The screen's texts come from the catalogues the resident screens use (kiosk/ui/locale,
    or `locale_dir`).
    """
    configure_desk_kivy(fullscreen=fullscreen)
    from kiosk.ui.desk.shell import DeskApp  # noqa: PLC0415 - imports Kivy, after configuring it

    return DeskApp(desk=desk, card_reader=card_reader, export_dir=export_dir,
                   screenshot_dir=screenshot_dir,
                   catalogues=Catalogues(locale_dir) if locale_dir else Catalogues(),
                   languages=languages or DESK_LANGUAGES, idle_lock_s=idle_lock_s)


def run_desk(desk: Desk, *, card_reader: Callable[[], MyNumberReader], fullscreen: bool = False,
             export_dir: Path = Path("var/exports"), idle_lock_s: float = IDLE_LOCK_S) -> None:
    """Show the clerk screen until the window is closed: sign-in first (unless `desk` has
    someone signed in already); the desk locks after `idle_lock_s` seconds untouched ([desk] idle_lock_min).

    `card_reader` builds the counter's reader on first use, so a desk without one still starts
    (only the My Number step needs it).
    """
    build_desk_app(desk, card_reader=card_reader, fullscreen=fullscreen,
                   export_dir=export_dir, idle_lock_s=idle_lock_s).run()
