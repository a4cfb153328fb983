"""The desk's Kivy App: two screens (the desk, the My Number step), one worker thread.

Imported only through kiosk.ui.desk.app, after Kivy has been configured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from kiosk.ui.desk.desk_screen import DeskScreen
from kiosk.ui.desk.mynumber_screen import MyNumberScreen
from kiosk.ui.desk.worker import Worker
from kiosk.ui.glyphs import Glyphs
from kiosk.ui.i18n import Catalogues, Translator

UI_DIR = Path(__file__).parent
ESCAPE = 27


class DeskApp(App):  # type: ignore[misc]  # Kivy is untyped
    title = "窓口端末 / Counter desk"

    def __init__(self, *, desk: Desk, card_reader: Callable[[], MyNumberReader],
                 export_dir: Path, screenshot_dir: Path | None, catalogues: Catalogues,
                 languages: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.desk = desk
        self.catalogues = catalogues
        self.languages = tuple(languages)
        self.card_reader = card_reader
        self.export_dir = export_dir
        self.screenshot_dir = screenshot_dir
        self.worker: Worker | None = None
        self.manager: ScreenManager | None = None
        self.desk_screen: DeskScreen | None = None
        self.my_number_screen: MyNumberScreen | None = None

    def build(self) -> ScreenManager:
        Metrics.reset_metrics()  # Kivy 2.3 may leave dp at -1 (see kiosk/ui/resident/shell.py)
        glyphs = Glyphs.for_screen()
        glyphs.preload()
        # Every label, button and field in BIZ UD Gothic; glyphs.markup adds the fallback fonts.
        LabelBase.register(DEFAULT_FONT, glyphs.font_path(), fn_bold=glyphs.font_path(bold=True))
        for name in ("widgets.kv", "desk_screen.kv", "mynumber_screen.kv"):
            Builder.load_file(str(UI_DIR / name))
        Window.clearcolor = (0.96, 0.95, 0.93, 1)
        self.worker = Worker()
        tr = Translator(self.catalogues, self.languages[0])
        manager = ScreenManager(transition=NoTransition())
        self.desk_screen = DeskScreen(name="desk", desk=self.desk, glyphs=glyphs, tr=tr,
                                      languages=self.languages, worker=self.worker,
                                      export_dir=self.export_dir,
                                      open_my_number=self.show_my_number)
        self.my_number_screen = MyNumberScreen(name="mynumber", desk=self.desk, glyphs=glyphs,
                                               tr=tr, worker=self.worker,
                                               card_reader=self.card_reader,
                                               done=self.back_to_desk)
        manager.add_widget(self.desk_screen)
        manager.add_widget(self.my_number_screen)
        Window.bind(on_keyboard=self._keyboard)
        self.manager = manager
        return manager

    def show_my_number(self, application_id: int, procedure: int, title: str) -> None:
        if self.my_number_screen is None or self.manager is None or self.desk_screen is None:
            return
        self.my_number_screen.prepare(application_id=application_id, procedure=procedure,
                                      title=title)
        self.manager.current = "mynumber"

    def back_to_desk(self, result: PrintResult | None) -> None:
        if self.manager is None or self.desk_screen is None:
            return
        self.manager.current = "desk"
        if result is not None:
            self.desk_screen.printed(result)

    def _keyboard(self, _window: Any, key: int, *_args: Any) -> bool:
        """Escape empties the scan field (a half-typed scan) rather than closing the window."""
        if key == ESCAPE and self.desk_screen is not None:
            if self.manager is not None and self.manager.current == "mynumber":
                if self.my_number_screen is not None:
                    self.my_number_screen.back()
            else:
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
        if self.worker is not None:
            self.worker.stop()
        self.desk.forget()
