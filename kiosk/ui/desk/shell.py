"""The desk's Kivy App: four screens (sign-in, the desk, the My Number step, the lock), one
worker thread, the idle timer.

Who is at the desk (issue 16): the App opens on the sign-in view (on the desk view only when
the `Desk` it is given has someone signed in already, through `Desk.sign_in`: a test rig, the
bench); after `idle_lock_s` untouched it locks the desk (`Desk.lock`), wipes every screen that
showed the application and shows the lock view, which takes the same person's password
(`Desk.unlock`) or a sign-out. Signing in, unlocking and signing out go through the worker's
queue, in order, never beside a print or an export on the `Desk`.

Imported only through kiosk.ui.desk.app, after Kivy has been configured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.core.text import DEFAULT_FONT, LabelBase
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import Metrics
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.desk.card import MyNumberReader
from kiosk.desk.service import Desk, PrintResult
from kiosk.desk.view import DeskView
from kiosk.store.staff import StaffMember
from kiosk.ui.desk.desk_screen import DeskScreen
from kiosk.ui.desk.idle import IdleTimer
from kiosk.ui.desk.mynumber_screen import MyNumberScreen
from kiosk.ui.desk.people_screens import LockScreen, PeopleScreen, SignInScreen
from kiosk.ui.desk.worker import Worker
from kiosk.ui.glyphs import Glyphs
from kiosk.ui.i18n import Catalogues, Translator

UI_DIR = Path(__file__).parent
ESCAPE = 27


class DeskApp(App):  # type: ignore[misc]  # Kivy is untyped
    title = "窓口端末 / Counter desk"

    def __init__(self, *, desk: Desk, card_reader: Callable[[], MyNumberReader],
                 export_dir: Path, screenshot_dir: Path | None, catalogues: Catalogues,
                 languages: Sequence[str], idle_lock_s: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.desk = desk
        self.catalogues = catalogues
        self.languages = tuple(languages)
        self.card_reader = card_reader
        self.export_dir = export_dir
        self.screenshot_dir = screenshot_dir
        self.idle_lock_s = idle_lock_s
        self.idle: IdleTimer | None = None
        self._locked_on: int | None = None  # the application on screen when the desk locked
        self.worker: Worker | None = None
        self.manager: ScreenManager | None = None
        self.desk_screen: DeskScreen | None = None
        self.my_number_screen: MyNumberScreen | None = None
        self.sign_in_screen: SignInScreen | None = None
        self.lock_screen: LockScreen | None = None

    def build(self) -> ScreenManager:
        Metrics.reset_metrics()  # Kivy 2.3 may leave dp at -1 (see kiosk/ui/resident/shell.py)
        glyphs = Glyphs.for_screen()
        glyphs.preload()
        # Every label, button and field in BIZ UD Gothic; glyphs.markup adds the fallback fonts.
        LabelBase.register(DEFAULT_FONT, glyphs.font_path(), fn_bold=glyphs.font_path(bold=True))
        for name in ("widgets.kv", "desk_screen.kv", "mynumber_screen.kv", "people_screens.kv"):
            Builder.load_file(str(UI_DIR / name))
        Window.clearcolor = (0.96, 0.95, 0.93, 1)
        self.worker = Worker()
        tr = Translator(self.catalogues, self.languages[0])
        manager = ScreenManager(transition=NoTransition())
        people = {"desk": self.desk, "glyphs": glyphs, "tr": tr, "languages": self.languages,
                  "switch_language": self.switch_language}
        self.sign_in_screen = SignInScreen(name="signin", sign_in=self.sign_in, **people)
        self.lock_screen = LockScreen(name="lock", unlock=self.unlock, sign_out=self.sign_out,
                                      **people)
        self.desk_screen = DeskScreen(name="desk", desk=self.desk, glyphs=glyphs, tr=tr,
                                      languages=self.languages, worker=self.worker,
                                      export_dir=self.export_dir,
                                      open_my_number=self.show_my_number,
                                      sign_out=self.sign_out)
        self.my_number_screen = MyNumberScreen(name="mynumber", desk=self.desk, glyphs=glyphs,
                                               tr=tr, worker=self.worker,
                                               card_reader=self.card_reader,
                                               done=self.back_to_desk)
        for screen in (self.sign_in_screen, self.desk_screen, self.my_number_screen,
                       self.lock_screen):
            manager.add_widget(screen)
        Window.bind(on_keyboard=self._keyboard)
        manager.current = "desk" if self.desk.clerk else "signin"
        self.manager = manager
        self.idle = IdleTimer(self.idle_lock_s, self.idle_for_long)
        self.idle.start()
        return manager

    # --- who is at the desk -------------------------------------------------------------------

    def switch_language(self) -> None:
        """The sign-in and lock views' switch: the desk's words and the view's own."""
        if self.desk_screen is None or self.manager is None:
            return
        self.desk_screen.toggle_language()
        current = self.manager.current_screen
        if isinstance(current, PeopleScreen):
            current.refresh_texts()

    def sign_in(self, staff_id: str, password: str) -> None:
        if self.worker is not None and self.sign_in_screen is not None:
            self.worker.queue(partial(self.desk.sign_in, staff_id, password), self._signed_in,
                              self.sign_in_screen.failed)

    def _signed_in(self, _member: StaffMember) -> None:
        screen = self.desk_screen
        if screen is None or self.manager is None or self.sign_in_screen is None:
            return
        self.sign_in_screen.forget()
        screen.wipe()
        screen.say("info", lambda: screen.tr("Scan the QR code on the resident's slip."))
        self.manager.current = "desk"

    def idle_for_long(self) -> None:
        """Untouched for `idle_lock_s`: lock a signed-in desk; on the sign-in and lock views,
        forget whatever was typed and left."""
        current = self.manager.current if self.manager is not None else ""
        if current in ("desk", "mynumber") and self.desk.clerk and not self.desk.locked:
            self.lock()
        elif current == "signin" and self.sign_in_screen is not None:
            self.sign_in_screen.forget()
        elif current == "lock" and self.lock_screen is not None:
            self.lock_screen.forget()

    def lock(self) -> None:
        """Lock the desk and empty every widget that showed the application (not covered)."""
        if self.desk_screen is None or self.manager is None or self.lock_screen is None:
            return
        self.desk.lock()  # a flag the worker's next Desk call reads: no wait for the worker
        view = self.desk_screen.view
        self._locked_on = view.application_id if view is not None else None
        self._wipe()
        self.manager.current = "lock"

    def unlock(self, password: str) -> None:
        if self.worker is not None and self.lock_screen is not None:
            self.worker.queue(partial(self.desk.unlock, password), self._unlocked,
                              self.lock_screen.failed)

    def _unlocked(self, _result: None) -> None:
        """The application shown again, if it is still the one on screen when the desk locked
        (a scan refused just before the lock showed none, and shows none now)."""
        screen = self.desk_screen
        if screen is None or self.manager is None or self.lock_screen is None:
            return
        self.lock_screen.forget()
        current: DeskView | None = self.desk.current
        shown = current if current is not None and current.application_id == self._locked_on \
            else None
        self.manager.current = "desk"
        screen.show_view(shown)
        more = "" if shown else " " + screen.tr("Scan the QR code on the resident's slip.")
        screen.say("info", lambda: screen.tr("Unlocked.") + more)

    def sign_out(self) -> None:
        """Back to the sign-in view at once; the desk forgets the application and the person
        as soon as the worker is free (the sign-out is audited)."""
        if self.manager is None or self.worker is None or self.sign_in_screen is None:
            return
        self._locked_on = None
        self._wipe()
        self.sign_in_screen.forget()
        self.manager.current = "signin"
        self.worker.queue(self.desk.sign_out, lambda _none: None, self.sign_in_screen.failed)

    def _wipe(self) -> None:
        if self.desk_screen is not None:
            self.desk_screen.wipe()
        if self.my_number_screen is not None:
            self.my_number_screen.forget()
        if self.lock_screen is not None:
            self.lock_screen.forget()

    def show_my_number(self, application_id: int, procedure: int, title: str) -> None:
        if self.my_number_screen is None or self.manager is None or self.desk_screen is None:
            return
        self.my_number_screen.prepare(application_id=application_id, procedure=procedure,
                                      title=title)
        self.manager.current = "mynumber"

    def back_to_desk(self, result: PrintResult | None) -> None:
        """From the My Number step; not when the desk locked or signed out meanwhile."""
        if self.manager is None or self.desk_screen is None or self.manager.current != "mynumber":
            return
        self.manager.current = "desk"
        if result is not None:
            self.desk_screen.printed(result)

    def _keyboard(self, _window: Any, key: int, *_args: Any) -> bool:
        """Escape empties the scan field (a half-typed scan) rather than closing the window."""
        if key == ESCAPE and self.desk_screen is not None and self.manager is not None:
            if self.manager.current == "mynumber" and self.my_number_screen is not None:
                self.my_number_screen.back()
            elif self.manager.current == "desk":
                self.desk_screen.clear_scan()
            return True
        return False

    def screenshot(self, name: str) -> Path | None:
        """Save the window now (the UI test and `--screenshots`), as DIR/<name>.png."""
        if self.screenshot_dir is None:
            return None
        self.screenshot_dir.mkdir(parents=True, exist_ok=True)
        written = Window.screenshot(name=str(self.screenshot_dir / "shot.png"))
        target = self.screenshot_dir / f"{name}.png"
        Path(written).replace(target)
        return target

    def on_stop(self) -> None:
        if self.idle is not None:
            self.idle.stop()
        if self.worker is not None:
            self.worker.stop()
        self.desk.sign_out()  # forgets the application; the window closed is a sign-out
