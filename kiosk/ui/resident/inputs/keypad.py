"""Numbers by touch: a 3x4 keypad with a large display.

Used for copies, whole numbers, postal codes (shown as 〒100-0001), phone numbers and digits
fields (an account number: its digits counted beside them, 3 / 7, leading zeros kept), and,
as `PinPad`, for the card PIN and the staff PIN, whose digits are never shown.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from kivy.properties import NumericProperty
from kivy.uix.gridlayout import GridLayout

from kiosk.ui.resident.inputs.base import FieldInput, Submit
from kiosk.ui.resident.kit import UiKit

DELETE, CLEAR, HYPHEN = "delete", "clear", "-"
_LIMITS = {"postal_code": 7, "phone": 13, "integer": 9, "copies": 2}


def add_keys(grid: Any, ui: UiKit, prefix: str, press: Callable[[str], None],
             bottom_left: str = CLEAR) -> None:
    """1-9, then [bottom_left] 0 [delete]: the phone layout that every resident knows."""
    labels = {CLEAR: ui.tr("Clear"), DELETE: ui.tr("Delete"), HYPHEN: "-"}
    for key in ("1", "2", "3", "4", "5", "6", "7", "8", "9", bottom_left, "0", DELETE):
        role = "key" if key.isdigit() else "key_fn"
        grid.add_widget(ui.key(labels.get(key, key), kid=f"{prefix}:{key}", role=role,
                               on_release=partial(press, key)))


def edit_digits(text: str, key: str, limit: int) -> str:
    if key == DELETE:
        return text[:-1]
    if key == CLEAR:
        return ""
    return text + key if len(text) < limit else text


class PinPad(GridLayout):  # type: ignore[misc]  # Kivy is untyped
    """Keys only; the screen that owns it keeps the digits."""


class KeypadInput(FieldInput):
    key_height = NumericProperty(92)
    key_width = NumericProperty(160)

    def __init__(self, *, ui: UiKit, submit: Submit, kind: str, initial: Any,
                 limit: int | None = None, **kwargs: Any) -> None:
        super().__init__(ui=ui, submit=submit, **kwargs)
        self.kind = kind
        self.limit = limit or _LIMITS.get(kind, 9)
        self.digits = "".join(c for c in str(initial or "") if c.isdigit() or c == HYPHEN)
        self.ids.area.bind(height=self._fit)
        bottom_left = HYPHEN if kind == "phone" else CLEAR
        add_keys(self.ids.pad, ui, "num", self.press, bottom_left)
        ui.set_text(self.ids.suffix, ui.tr("copies") if kind == "copies" else "")
        self._show()

    def themed(self, ui: UiKit) -> None:
        self.ids.top.height = max(92, round(ui.theme.font_size("display") * 1.7))
        self._fit()

    def _fit(self, *_: Any) -> None:
        """Keys as large as the room allows up to a comfortable 92 px, never under the
        key height the theme asks (15 mm, more with large text): then the pad scrolls."""
        least = self.ui.theme.key_height("key")
        room = (self.ids.area.height - 3 * 10) / 4
        self.key_height = max(least, min(max(92, least), room))
        self.key_width = max(160, self.key_height)

    def press(self, key: str) -> None:
        self.digits = edit_digits(self.digits, key, self.limit)
        self._show()

    def _show(self) -> None:
        text = self.digits
        if self.kind == "postal_code":
            text = "〒" + (f"{text[:3]}-{text[3:]}" if len(text) > 3 else text)
        self.ui.set_text(self.ids.display, text)
        if self.kind == "digits":  # how many of the digits are in: a 7-digit account, 3 / 7
            self.ui.set_text(self.ids.suffix, f"{len(self.digits)} / {self.limit}")

    def value(self) -> Any:
        return self.digits

    def clear(self) -> None:
        self.digits = ""
        self.ui.set_text(self.ids.display, "")
