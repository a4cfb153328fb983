"""The router: after every session call, show the screen that matches `session.screen`.

It also owns the worker thread (card reads, submit and print block; they run there while
the progress view shows and touches are held back, and their results come back through
Clock.schedule_once), the once-a-second idle tick, the idle warning, and the wipe of
every screen when the session forgets the resident. It decides nothing about the
journey: that is the session's job.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from kivy.cache import Cache
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.session.session import Screen, Session
from kiosk.ui.i18n import native_name
from kiosk.ui.resident.chrome import BottomBar, TopBar
from kiosk.ui.resident.kit import UiKit
from kiosk.ui.resident.overlays import IdleOverlay, LanguageOverlay, NoticeOverlay, ProgressOverlay
from kiosk.ui.resident.screens.base import KioskScreen
from kiosk.ui.resident.screens.card_problem import CardProblemScreen
from kiosk.ui.resident.screens.confirm import ConfirmScreen
from kiosk.ui.resident.screens.done import DoneScreen
from kiosk.ui.resident.screens.identify import IdentifyScreen
from kiosk.ui.resident.screens.manual import ManualScreen
from kiosk.ui.resident.screens.menu import MenuScreen
from kiosk.ui.resident.screens.paper import PaperScreen
from kiosk.ui.resident.screens.pin import PinScreen
from kiosk.ui.resident.screens.question import QuestionScreen
from kiosk.ui.resident.screens.screening import ScreeningScreen
from kiosk.ui.resident.screens.staff import StaffScreen
from kiosk.ui.resident.screens.staff_login import StaffLoginScreen

log = logging.getLogger(__name__)

SCREENS: dict[Screen, type[KioskScreen]] = {
    Screen.WELCOME: MenuScreen, Screen.CHOOSE: MenuScreen, Screen.SCREENING: ScreeningScreen,
    Screen.IDENTIFY: IdentifyScreen, Screen.PIN: PinScreen,
    Screen.CARD_PROBLEM: CardProblemScreen, Screen.MANUAL: ManualScreen,
    Screen.QUESTION: QuestionScreen, Screen.CONFIRM: ConfirmScreen, Screen.DONE: DoneScreen,
    Screen.PAPER: PaperScreen, Screen.STAFF: StaffScreen, Screen.STAFF_LOGIN: StaffLoginScreen,
}
WARM_ROLES = ("choice", "title", "value", "help", "small", "heading", "body", "menu")
# TextInput keeps rendered lines in these caches, keyed by the text: emptied on every wipe.
_TEXT_CACHES = ("textinput.label", "textinput.width")


class Controller:
    def __init__(self, *, session: Session, ui: UiKit, root: Any, languages: list[str],
                 counters: Mapping[str, str], menu_first: tuple[str, ...],
                 quit_kiosk: Callable[[], None], screenshot_dir: Path | None = None) -> None:
        self.session, self.ui, self.root = session, ui, root
        self.languages = languages
        self._extras: dict[type[KioskScreen], dict[str, Any]] = {
            MenuScreen: {"menu_first": menu_first}, DoneScreen: {"counters": counters},
            PaperScreen: {"counters": counters},
            StaffScreen: {"quit_kiosk": quit_kiosk},
        }
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-io")
        self._busy = False
        self.warmed = False  # every screen built and every form glyph loaded
        self._generation = session.generation
        self._screens: dict[str, KioskScreen] = {}
        self.screenshots = Screenshots(screenshot_dir) if screenshot_dir else None
        self.manager = ScreenManager(transition=NoTransition())
        self.top, self.bottom = TopBar(), BottomBar()
        self.idle, self.progress = IdleOverlay(), ProgressOverlay()
        self.notice, self.language_list = NoticeOverlay(), LanguageOverlay()
        root.ids.frame.add_widget(self.top)
        root.ids.frame.add_widget(self.manager)
        root.ids.frame.add_widget(self.bottom)
        self._bind()
        self._tick_event = Clock.schedule_interval(self._tick, 1.0)

    def _bind(self) -> None:
        self.top.bind(on_larger_text=lambda *_: self._toggle("large"),
                      on_contrast=lambda *_: self._toggle("contrast"),
                      on_language=lambda *_: self._language_button(),
                      on_staff=lambda *_: self.act(self.session.call_staff))
        self.bottom.bind(on_back=lambda *_: self.act(self.session.back),
                         on_primary=lambda *_: self._primary())
        self.idle.bind(on_resume=lambda *_: self.act(self.session.touch),
                       on_finish=lambda *_: self.act(self.session.finish))
        self.notice.bind(on_ok=lambda *_: self._hide(self.notice),
                         on_staff=lambda *_: self._notice_staff())

    # ------------------------------------------------------------------ the verbs
    @property
    def busy(self) -> bool:
        return self._busy

    def act(self, call: Callable[..., Any], *args: Any) -> None:
        if self._busy:
            return
        self.session.touch()
        call(*args)
        self.show()

    def run_blocking(self, call: Callable[..., Any], *args: Any, progress: str) -> None:
        if self._busy:
            return
        self._busy = True
        self.session.touch()
        self.ui.set_text(self.progress.ids.message, self.ui.tr(progress))
        self._overlay(self.progress)
        self.progress.start()
        future = self._executor.submit(call, *args)
        future.add_done_callback(lambda done: Clock.schedule_once(lambda _dt: self._done(done)))

    def _done(self, future: Future[Any]) -> None:
        self._busy = False
        self.progress.stop()
        self._hide(self.progress)
        error = future.exception()
        self.session.touch()
        self.show()
        if error is not None:
            # The type only: a message may quote what the resident entered.
            log.error("session call failed: %s", type(error).__name__)
            self._notice(self.ui.tr(
                "Sorry, something went wrong and your application could not be completed. "
                "Please call a staff member."))

    def background(self, call: Callable[[], Any], then: Callable[[Any], None]) -> None:
        def finished(future: Future[Any]) -> None:
            error = future.exception()
            if error is not None:
                log.warning("background call failed: %s", type(error).__name__)
            result = None if error is not None else future.result()
            Clock.schedule_once(lambda _dt: then(result))
        self._executor.submit(call).add_done_callback(finished)

    def show(self) -> None:
        session, ui = self.session, self.ui
        if session.generation != self._generation:
            self._forget()
        ui.tr.lang = session.lang
        screen = self._screen(session.screen)
        if self.manager.current != screen.name:
            previous = self.manager.current_screen
            self.manager.current = screen.name
            if isinstance(previous, KioskScreen):
                previous.on_hidden()
            screen.on_shown()
        screen.refresh()
        self._chrome(screen)
        self._idle_warning()
        self.root.bg_color = ui.theme.color("background")
        ui.style(self.root)
        if self.screenshots is not None:
            self.screenshots.later(screen.name)

    # ------------------------------------------------------------------ screens
    def _screen(self, state: Screen) -> KioskScreen:
        name = state.value
        if name not in self._screens:
            cls = SCREENS[state]
            screen = cls(name=name, session=self.session, ui=self.ui, actions=self,
                         **self._extras.get(cls, {}))
            self._screens[name] = screen
            self.manager.add_widget(screen)
        return self._screens[name]

    def prebuild(self) -> None:
        """Build the other screens one per frame after start-up, then load the glyphs of
        every form text, so the first visit to each screen is as quick as the next."""
        missing = [s for s in SCREENS if s.value not in self._screens]
        if missing:
            self._screen(missing[0])
            Clock.schedule_once(lambda _dt: self.prebuild(), 0)
            return
        steps = self.ui.warm_up(_library_chars(self.session), WARM_ROLES)
        self._warm_event = Clock.schedule_interval(lambda _dt: self._warm(steps), 0)

    def _warm(self, steps: Iterator[None]) -> None:
        if next(steps, StopIteration) is StopIteration:
            self._warm_event.cancel()
            # What start-up built (forms, font tables, screens) lives as long as the kiosk:
            # out of the collector's way, so a full collection never stalls a touch.
            gc.collect()
            gc.freeze()
            self.warmed = True

    def all_screens(self) -> list[KioskScreen]:
        return list(self._screens.values())

    def _forget(self) -> None:
        """The session forgot the resident: so does every screen, shown or not."""
        self._generation = self.session.generation
        for screen in self._screens.values():
            screen.clear()
        for overlay in (self.notice, self.language_list):
            self._hide(overlay)
        for category in _TEXT_CACHES:
            Cache.remove(category)
        self.ui.theme.reset()

    def recover(self) -> None:
        """After a crash (shell.CrashHandler): forget the resident and show the welcome
        screen. A screen that fails to clear itself is dropped and built afresh, so a broken
        widget neither keeps personal data nor crashes the next resident."""
        self._busy = False
        self.progress.stop()
        for overlay in (self.progress, self.idle, self.notice, self.language_list):
            self._hide(overlay)
        self.session.wipe()
        self._generation = self.session.generation
        for name, screen in list(self._screens.items()):
            try:
                screen.clear()
            except Exception as exc:  # whatever broke it, the screen is rebuilt
                log.warning("screen %s rebuilt after a crash: %s", name, type(exc).__name__)
                del self._screens[name]
                if screen.parent is not None:
                    self.manager.remove_widget(screen)
        for category in _TEXT_CACHES:
            Cache.remove(category)
        self.ui.theme.reset()
        self.show()

    # ------------------------------------------------------------------ chrome
    def _chrome(self, screen: KioskScreen) -> None:
        ui, session, tr = self.ui, self.session, self.ui.tr
        top, bottom = self.top.ids, self.bottom.ids
        self.top.bar_color = ui.theme.color("bar")
        self.bottom.line_color = ui.theme.color("border")
        ui.set_text(top.title, screen.title())
        ui.set_text(top.size, tr("Normal text") if ui.theme.large else tr("Larger text"))
        top.size.selected = ui.theme.large
        ui.set_text(top.contrast, tr("Normal colours") if ui.theme.contrast
                    else tr("High contrast"))
        top.contrast.selected = ui.theme.contrast
        others = [lang for lang in self.languages if lang != session.lang]
        ui.set_text(top.lang, native_name(others[0]) if len(others) == 1 else "言語 Language")
        ui.set_text(top.staff, tr("Staff menu") if session.staff_mode else tr("Call staff"))
        ui.set_text(bottom.back, "◀ " + tr("Back"))
        bottom.back.disabled = not session.can_go_back
        bottom.back.opacity = 1 if session.can_go_back else 0  # nothing to go back to
        ui.set_text(bottom.note, tr("Staff mode") if session.staff_mode else "")
        primary = screen.primary()
        bottom.primary.kid = primary.kid if primary else ""
        ui.set_text(bottom.primary, primary.label if primary else "")
        bottom.primary.disabled = primary is None or not primary.enabled
        bottom.primary.opacity = 0 if primary is None else 1
        self._primary_action = primary.action if primary else None
        # Nothing to go back to and no main button (the first screen): the bar gives its
        # height to the screen.
        empty = primary is None and not session.can_go_back and not session.staff_mode
        self.bottom.height = 0 if empty else 100
        self.bottom.opacity = 0 if empty else 1
        self.bottom.disabled = empty

    def _primary(self) -> None:
        action = getattr(self, "_primary_action", None)
        if action is not None and not self._busy:
            action()

    def _toggle(self, what: str) -> None:
        theme = self.ui.theme
        if what == "large":
            theme.large = not theme.large
        else:
            theme.contrast = not theme.contrast
        self.act(lambda: None)

    def _language_button(self) -> None:
        others = [lang for lang in self.languages if lang != self.session.lang]
        if len(others) == 1:
            self.act(self.session.set_language, others[0])
            return
        box = self.language_list.ids.choices
        box.clear_widgets()
        self.language_list.languages = self.languages
        self.ui.set_text(self.language_list.ids.title, "言語 / Language")
        for lang in self.languages:
            box.add_widget(self.ui.key(native_name(lang), kid=f"lang:{lang}", role="choice",
                                       on_release=partial(self._pick_language, lang)))
        self._overlay(self.language_list)

    def _pick_language(self, lang: str) -> None:
        self._hide(self.language_list)
        self.act(self.session.set_language, lang)

    # ------------------------------------------------------------------ overlays, idle
    def _overlay(self, overlay: Any) -> None:
        overlay.scrim = self.ui.theme.color("scrim")
        overlay.panel_color = self.ui.theme.color("surface")
        overlay.border_color = self.ui.theme.color("border")
        if overlay.parent is None:
            self.root.add_widget(overlay)
        self.ui.style(overlay)

    def _hide(self, overlay: Any) -> None:
        if overlay.parent is not None:
            overlay.parent.remove_widget(overlay)

    def _notice(self, text: str) -> None:
        self.ui.set_text(self.notice.ids.message, text)
        self.ui.set_text(self.notice.ids.ok, "OK")
        self.ui.set_text(self.notice.ids.staff, self.ui.tr("Call staff"))
        self._overlay(self.notice)

    def _notice_staff(self) -> None:
        self._hide(self.notice)
        self.act(self.session.call_staff)

    def _idle_warning(self) -> None:
        if not self.session.idle_warning:
            self._hide(self.idle)
            return
        tr, ids = self.ui.tr, self.idle.ids
        self.ui.set_text(ids.title, tr("Do you want to continue?"))
        self.ui.set_text(ids.countdown, tr(
            "In {seconds} seconds the screen goes back to the start and everything you "
            "entered is erased.", seconds=self.session.idle_seconds_left()))
        self.ui.set_text(ids.resume, tr("Continue"))
        self.ui.set_text(ids.finish, tr("Start over"))
        self._overlay(self.idle)

    def _tick(self, _dt: float) -> None:
        if self._busy:
            return
        before = (self.session.screen, self.session.generation, self.session.idle_warning)
        self.session.tick()
        after = (self.session.screen, self.session.generation, self.session.idle_warning)
        if after != before:
            self.show()
        elif self.session.idle_warning:
            self._idle_warning()

    # ------------------------------------------------------------------ touches, closing
    def touch_down(self) -> bool:
        """Every touch: held back while busy; otherwise it keeps the session awake. While
        the idle warning shows, only its own buttons count (so a stray tap cannot reach
        the screen beneath)."""
        if self._busy:
            return False
        if self.idle.parent is None:
            self.session.touch()
        return True

    def may_close(self) -> bool:
        """Escape and the window's close button: for an administrator in staff mode only
        (anyone else in staff mode is told why, and the refusal recorded)."""
        if self._busy or not self.session.staff_mode:
            return False
        allowed = self.session.may_close_kiosk()
        if not allowed:
            self.show()
        return allowed

    def stop(self) -> None:
        self._tick_event.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)


def _library_chars(session: Session) -> str:
    """Every character of the forms' labels, choices and help, in every language."""
    found: set[str] = set("0123456789")
    texts = [loaded.form.model_dump_json() for loaded in session.library.forms.values()]
    texts += [event.model_dump_json() for event in session.library.life_events.values()]
    for text in texts:
        found.update(text)
    return "".join(sorted(c for c in found if c.isprintable()))


class Screenshots:
    """Saves each screen a moment after it is shown (run_kiosk(screenshot_dir=...))."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.count = 0
        directory.mkdir(parents=True, exist_ok=True)

    def later(self, name: str) -> None:
        Clock.schedule_once(lambda _dt: self.save(name), 0.15)

    def save(self, name: str) -> Path:
        self.count += 1
        target = self.directory / f"{self.count:03d}-{name}.png"
        written = Window.screenshot(name=str(self.directory / "shot.png"))
        Path(written).replace(target)
        return target
