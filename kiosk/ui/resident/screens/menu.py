"""The first screen: every procedure and life event as a big tile, so the first touch
already chooses (no "touch to start"). The same screen serves `choose` (after back)."""

from __future__ import annotations

from functools import partial
from typing import Any

from kiosk.ui.resident.menu_order import MENU_FIRST, menu_order
from kiosk.ui.resident.screens.base import KioskScreen

# A procedure tile holds at least this many characters a line: narrower, and titles such as
# 「マイナンバーカードの」 would have to shrink or break, so the grid takes fewer columns.
_TILE_CHARS = 8
_MOST_COLUMNS = 3


class MenuScreen(KioskScreen):
    def __init__(self, *, menu_first: tuple[str, ...] = MENU_FIRST, **kwargs: Any) -> None:
        self.menu_first = menu_first
        self._built_for = ""
        super().__init__(**kwargs)
        self.ids.forms.bind(width=self._columns)

    def themed(self, ui: Any) -> None:
        """Large text: fewer, wider columns (the list scrolls), never smaller tiles."""
        self._columns()

    def _columns(self, *_: Any) -> None:
        forms = self.ids.forms
        tile = _TILE_CHARS * self.ui.theme.font_size("menu") + 28
        room = int((forms.width + forms.spacing[0]) / (tile + forms.spacing[0]))
        forms.cols = max(1, min(_MOST_COLUMNS, room))

    def title(self) -> str:
        return self.ui.tr("Welcome. What would you like to do?")

    def refresh(self) -> None:
        if self._built_for == self.ui.lang:
            return
        self._built_for = self.ui.lang
        ui, library = self.ui, self.session.library
        ui.set_text(self.ids.events_heading, ui.tr("Something happened in your life"))
        ui.set_text(self.ids.forms_heading, ui.tr("Choose a procedure"))
        events, forms = self.ids.events, self.ids.forms
        events.clear_widgets()
        forms.clear_widgets()
        for event in library.life_events.values():
            events.add_widget(ui.tile(ui.form_text(event.title), kana=ui.furigana(event.title),
                                      kid=f"event:{event.id}", role="menu",
                                      on_release=partial(self._choose_event, event.id)))
        loaded = [loaded.form for loaded in library.forms.values()]
        for form in menu_order(loaded, self.menu_first):
            forms.add_widget(ui.tile(ui.form_text(form.name), kana=ui.furigana(form.name),
                                     kid=f"menu:{form.id}", role="menu",
                                     on_release=partial(self._choose_form, form.id)))

    def _choose_form(self, form_id: str) -> None:
        self.actions.act(self.session.choose_form, form_id)

    def _choose_event(self, event_id: str) -> None:
        self.actions.act(self.session.choose_event, event_id)
