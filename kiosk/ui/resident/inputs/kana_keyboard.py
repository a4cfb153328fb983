"""Kana by touch, for residents who do not use a keyboard, and the keyboard for those who do.

A katakana field (フリガナ) gets katakana keys; a text field (name, address, free text)
gets hiragana keys, a かな/カナ switch, digits and a hyphen for house numbers, and a
「キーボード」 key that brings up a text field for the system keyboard and its input method
(kanji names). Whatever is typed shows in a large display drawn through the glyph chain,
so a name with 𠮷 shows as 𠮷.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from kivy.properties import ColorProperty

from kiosk.ui.resident import kana
from kiosk.ui.resident.inputs.base import FieldInput, Submit
from kiosk.ui.resident.kit import UiKit
from kiosk.ui.resident.widgets import KTextInput, Spacer


class KanaInput(FieldInput):
    field_color = ColorProperty((1.0, 1.0, 1.0, 1.0))
    field_border = ColorProperty((0.0, 0.0, 0.0, 1.0))

    def __init__(self, *, ui: UiKit, submit: Submit, kind: str, initial: Any,
                 **kwargs: Any) -> None:
        super().__init__(ui=ui, submit=submit, **kwargs)
        self.kind = kind
        self.katakana = kind == "katakana"
        self.text = str(initial or "")
        self.system: KTextInput | None = None
        self.field_color = ui.theme.color("surface")
        self.field_border = ui.theme.color("border")
        self._build_board()
        self._build_functions()
        if kind == "katakana":
            self.remove_widget(self.ids.digits)
        else:
            for digit in kana.DIGITS:
                self.ids.digits.add_widget(ui.key(digit, kid=f"kana:{digit}",
                                                  on_release=partial(self.type, digit)))
        self._show()

    # ---------------------------------------------------------------- building
    def _build_board(self) -> None:
        board = self.ids.board
        board.clear_widgets()
        for row in range(5):
            for column in kana.COLUMNS:
                char = column[row]
                if not char:
                    board.add_widget(Spacer())
                    continue
                shown = kana.to_katakana(char) if self.katakana else char
                board.add_widget(self.ui.key(shown, kid=f"kana:{char}",
                                             on_release=partial(self.type_kana, char)))

    def _build_functions(self) -> None:
        tr, panel = self.ui.tr, self.ids.functions
        keys: list[tuple[str, str, Any]] = [
            ("dakuten", "゛", lambda: self._edit(kana.add_dakuten)),
            ("handakuten", "゜", lambda: self._edit(kana.add_handakuten)),
            ("small", tr("Small"), lambda: self._edit(kana.toggle_small)),
            ("space", tr("Space"), lambda: self.type(" ")),
            ("delete", tr("Delete"), lambda: self._edit(kana.delete_last)),
            ("clear", tr("Clear"), lambda: self._edit(lambda _t: "")),
        ]
        if self.kind != "katakana":
            keys += [("switch", "カナ" if not self.katakana else "かな", self._switch),
                     ("system", tr("Keyboard"), self._open_system_keyboard)]
        for name, label, action in keys:
            role = "key" if name in ("dakuten", "handakuten") else "key_fn"
            panel.add_widget(self.ui.key(label, kid=f"kana:{name}", role=role,
                                         on_release=action))

    # ---------------------------------------------------------------- typing
    def type_kana(self, char: str) -> None:
        self.type(kana.to_katakana(char) if self.katakana else char)

    def type(self, text: str) -> None:
        self._set(self.text + text)

    def _edit(self, change: Any) -> None:
        self._set(change(self.text))

    def _set(self, text: str) -> None:
        self.text = text
        if self.system is not None and self.system.text != text:
            self.system.text = text
        self._show()

    def _switch(self) -> None:
        self.katakana = not self.katakana
        self.ids.functions.clear_widgets()
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
        self.ids.top.remove_widget(self.ids.display)
        self.ids.top.add_widget(field)
        self.system = field
        field.focus = True

    def _from_system(self, value: str) -> None:
        self.text = value
        self._show()

    def _show(self) -> None:
        self.ui.set_text(self.ids.display, self.text)

    def value(self) -> Any:
        return self.text

    def clear(self) -> None:
        self.text = ""
        self.ids.display.text = ""
        self.ids.display.plain = ""
        if self.system is not None:
            self.system.focus = False
            self.system.text = ""
            self.system.reset_undo()
