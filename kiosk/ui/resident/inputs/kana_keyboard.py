"""Kana by touch, for residents who do not use a keyboard, and the keyboard for those who do.

A katakana field (フリガナ) gets katakana keys only. A text field (name, address, free text)
gets hiragana keys, a かな/カナ switch, an A–Z board (a foreign resident's name is
registered in Latin letters, 「SMITH JOHN」), digits and a hyphen for house numbers, and a
「キーボード」 key that brings up a text field for the system keyboard and its input method
(kanji names). Whatever is typed shows in a large field drawn through the glyph chain, so a
name with 𠮷 shows as 𠮷.

Keys are at least 15 mm and as tall as their text needs (`Theme.key_height`); when that is
more than the screen holds, the keys scroll under the field (`ScrollArea`), they never shrink.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from kivy.properties import NumericProperty

from kiosk.ui.resident import kana
from kiosk.ui.resident.inputs.base import FieldInput, Submit
from kiosk.ui.resident.inputs.kana_board import (
    HIRAGANA,
    KATAKANA,
    LATIN,
    FnKey,
    KanaBoard,
    edit_keys,
)
from kiosk.ui.resident.kit import UiKit
from kiosk.ui.resident.widgets import KField, KTextInput
from kiosk.ui.text_fields import forget_text


class KanaInput(FieldInput):
    key_height = NumericProperty(66)

    def __init__(self, *, ui: UiKit, submit: Submit, kana_only: bool, initial: Any,
                 **kwargs: Any) -> None:
        super().__init__(ui=ui, submit=submit, **kwargs)
        self.kana_only = kana_only
        self.text = str(initial or "")
        # Held here, not only in `ids` (weak proxies): the system keyboard's field takes the
        # display's place in the tree, and a display held by nothing else is collected.
        self.display: KField = self.ids.display.__self__
        self.system: KTextInput | None = None
        self.keys = KanaBoard(ui=ui, mode=KATAKANA if kana_only else HIRAGANA,
                              type_text=self.type, function_keys=self._function_keys)
        pad = self.ids.pad
        pad.add_widget(self.keys, index=len(pad.children))  # above the digits
        if kana_only:
            pad.remove_widget(self.ids.digits)
        else:
            for digit in kana.DIGITS:
                self.ids.digits.add_widget(ui.key(digit, kid=f"kana:{digit}",
                                                  on_release=partial(self.type, digit)))
        self._show()

    @property
    def mode(self) -> str:
        return str(self.keys.mode)

    def _function_keys(self, mode: str) -> list[FnKey]:
        tr = self.ui.tr
        keys = edit_keys(self.ui, self._edit, self.type, marks=mode != LATIN)
        if self.kana_only:
            return keys
        if mode != HIRAGANA:
            keys.append(("hiragana", tr("Hiragana"), partial(self._switch, HIRAGANA)))
        if mode != KATAKANA:
            keys.append(("katakana", tr("Katakana"), partial(self._switch, KATAKANA)))
        if mode != LATIN:
            keys.append(("latin", "A–Z", partial(self._switch, LATIN)))
        keys.append(("system", tr("Keyboard"), self._open_system_keyboard))
        return keys

    def themed(self, ui: UiKit) -> None:
        """The digits as tall as the board's keys; the field as tall as its text."""
        theme = ui.theme
        self.key_height = theme.key_height("key")
        self.ids.top.height = max(84, round(theme.font_size("display") * 1.7))
        if self.system is not None:
            self.system.height = self.ids.top.height

    # ---------------------------------------------------------------- typing
    def type(self, text: str) -> None:
        self._set(self.text + text)

    def _edit(self, change: Any) -> None:
        self._set(change(self.text))

    def _set(self, text: str) -> None:
        self.text = text
        if self.system is not None and self.system.text != text:
            self.system.text = text
        self._show()

    def _switch(self, mode: str) -> None:
        self.keys.rebuild(mode)
        self.ui.style(self)

    def _open_system_keyboard(self) -> None:
        """A text field for the physical keyboard or the system's input method."""
        if self.system is not None:
            self.system.focus = True
            return
        field = KTextInput(kid="kana:system_field", text=self.text,
                           font_name=self.ui.input_font, use_bubble=False, use_handles=False)
        field.height = self.ids.top.height
        field.bind(text=lambda _w, value: self._from_system(value))
        self.ids.top.remove_widget(self.display)
        self.ids.top.add_widget(field)
        self.system = field
        self.ui.style(field)
        field.focus = True

    def _from_system(self, value: str) -> None:
        self.text = value
        self._show()

    def _show(self) -> None:
        self.ui.set_text(self.display, self.text)

    def value(self) -> Any:
        return self.text

    def clear(self) -> None:
        self.text = ""
        self.display.text = ""
        self.display.plain = ""
        if self.system is not None:
            self.system.focus = False
            forget_text(self.system)
