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
from kiosk.ui.resident.kit import UiKit
from kiosk.ui.resident.widgets import KField, KTextInput, Spacer
from kiosk.ui.text_fields import forget_text

HIRAGANA, KATAKANA, LATIN = "hiragana", "katakana", "latin"
# The A–Z board in the order of the keyboards foreign residents know (QWERTY), capitals as
# the register writes Latin names, with the marks names carry (O'BRIEN, SMITH-JONES, JR.).
LATIN_ROWS = ("QWERTYUIOP", "ASDFGHJKL'", "ZXCVBNM-.,")
_FUNCTION_SPACING = 6


class KanaInput(FieldInput):
    key_height = NumericProperty(66)
    functions_width = NumericProperty(300)

    def __init__(self, *, ui: UiKit, submit: Submit, kana_only: bool, initial: Any,
                 **kwargs: Any) -> None:
        super().__init__(ui=ui, submit=submit, **kwargs)
        self.kana_only = kana_only
        self.mode = KATAKANA if kana_only else HIRAGANA
        self.text = str(initial or "")
        # Held here, not only in `ids` (weak proxies): the system keyboard's field takes the
        # display's place in the tree, and a display held by nothing else is collected.
        self.display: KField = self.ids.display.__self__
        self.system: KTextInput | None = None
        self._build_board()
        self._build_functions()
        if kana_only:
            self.ids.pad.remove_widget(self.ids.digits)
        else:
            for digit in kana.DIGITS:
                self.ids.digits.add_widget(ui.key(digit, kid=f"kana:{digit}",
                                                  on_release=partial(self.type, digit)))
        self._show()

    # ---------------------------------------------------------------- building
    def _build_board(self) -> None:
        board = self.ids.board
        board.clear_widgets()
        if self.mode == LATIN:
            for letter in "".join(LATIN_ROWS):
                board.add_widget(self.ui.key(letter, kid=f"latin:{letter}",
                                             on_release=partial(self.type, letter)))
            return
        for row in range(5):
            for column in kana.COLUMNS:
                char = column[row]
                if not char:
                    board.add_widget(Spacer())
                    continue
                shown = kana.to_katakana(char) if self.mode == KATAKANA else char
                board.add_widget(self.ui.key(shown, kid=f"kana:{char}",
                                             on_release=partial(self.type_kana, char)))

    def _function_keys(self) -> list[tuple[str, str, Any]]:
        tr = self.ui.tr
        keys: list[tuple[str, str, Any]] = []
        if self.mode != LATIN:
            keys += [("dakuten", "゛", lambda: self._edit(kana.add_dakuten)),
                     ("handakuten", "゜", lambda: self._edit(kana.add_handakuten)),
                     ("small", tr("Small"), lambda: self._edit(kana.toggle_small))]
        keys += [("space", tr("Space"), lambda: self.type(" ")),
                 ("delete", tr("Delete"), lambda: self._edit(kana.delete_last)),
                 ("clear", tr("Clear"), lambda: self._edit(lambda _t: ""))]
        if self.kana_only:
            return keys
        if self.mode != HIRAGANA:
            keys.append(("hiragana", tr("Hiragana"), partial(self._switch, HIRAGANA)))
        if self.mode != KATAKANA:
            keys.append(("katakana", tr("Katakana"), partial(self._switch, KATAKANA)))
        if self.mode != LATIN:
            keys.append(("latin", "A–Z", partial(self._switch, LATIN)))
        keys.append(("system", tr("Keyboard"), self._open_system_keyboard))
        return keys

    def _build_functions(self) -> None:
        panel = self.ids.functions
        panel.clear_widgets()
        for name, label, action in self._function_keys():
            role = "key" if name in ("dakuten", "handakuten") else "key_fn"
            panel.add_widget(self.ui.key(label, kid=f"kana:{name}", role=role,
                                         on_release=action))

    def themed(self, ui: UiKit) -> None:
        """Keys as tall as 15 mm or their text needs; the function keys as wide as their
        longest word, so 「キーボード」 never breaks (kit.style calls this on every change)."""
        theme = ui.theme
        self.key_height = theme.key_height("key")
        self.ids.top.height = max(84, round(theme.font_size("display") * 1.7))
        if self.system is not None:
            self.system.height = self.ids.top.height
        labels = [label for _name, label, _action in self._function_keys()]
        widest = max(ui.text_width(label, "key_fn") for label in labels)
        column = max(theme.min_target_px, widest + 28)
        self.functions_width = 2 * column + _FUNCTION_SPACING

    # ---------------------------------------------------------------- typing
    def type_kana(self, char: str) -> None:
        self.type(kana.to_katakana(char) if self.mode == KATAKANA else char)

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
        self.mode = mode
        self._build_board()
        self._build_functions()
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
