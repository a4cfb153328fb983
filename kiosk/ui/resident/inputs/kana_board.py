"""The 50-on board of a ticket machine (or the A–Z board) with its function keys beside it.

Both the kana keyboard (kana_keyboard.py: names, readings, addresses) and the bank search
(bank_search.py: a bank's reading) type on this one board, so a resident meets the same keys,
in the same places, under the same names (`kana:あ`, `kana:dakuten`) on every question.

Keys are at least 15 mm and as tall as their text needs (`Theme.key_height`); the owner puts
the board in a `ScrollArea`, so large text scrolls the keys rather than shrinking them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from kivy.properties import NumericProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.resident import kana
from kiosk.ui.resident.kit import UiKit
from kiosk.ui.resident.widgets import Spacer

HIRAGANA, KATAKANA, LATIN = "hiragana", "katakana", "latin"
# The A–Z board in the order of the keyboards foreign residents know (QWERTY), capitals as
# the register writes Latin names, with the marks names carry (O'BRIEN, SMITH-JONES, JR.).
LATIN_ROWS = ("QWERTYUIOP", "ASDFGHJKL'", "ZXCVBNM-.,")
COLUMNS = 10
KEY_SPACING = 6
_GAP = 10  # between the board and its function keys (kana_board.kv)

FnKey = tuple[str, str, Callable[[], None]]  # name (its kid is kana:<name>), label, action
Edit = Callable[[Callable[[str], str]], None]  # applies a change to the text typed so far


def edit_keys(ui: UiKit, edit: Edit, type_text: Callable[[str], None], *, marks: bool = True,
              small: bool = True, space: bool = True) -> list[FnKey]:
    """゛ ゜ (and 小) for kana, a space, 削除 and クリア: the keys every kana entry has."""
    tr = ui.tr
    keys: list[FnKey] = []
    if marks:
        keys += [("dakuten", "゛", lambda: edit(kana.add_dakuten)),
                 ("handakuten", "゜", lambda: edit(kana.add_handakuten))]
        if small:
            keys.append(("small", tr("Small"), lambda: edit(kana.toggle_small)))
    if space:
        keys.append(("space", tr("Space"), lambda: type_text(" ")))
    keys += [("delete", tr("Delete"), lambda: edit(kana.delete_last)),
             ("clear", tr("Clear"), lambda: edit(lambda _text: ""))]
    return keys


class KanaBoard(BoxLayout):  # type: ignore[misc]  # Kivy is untyped
    """The keys only: what they type goes to `type_text`; the function keys are the owner's
    (`function_keys(mode)`, asked again on every rebuild: they change with the mode)."""

    key_height = NumericProperty(66)
    functions_width = NumericProperty(300)
    function_cols = NumericProperty(2)

    def __init__(self, *, ui: UiKit, mode: str, type_text: Callable[[str], None],
                 function_keys: Callable[[str], list[FnKey]], function_cols: int = 2,
                 **kwargs: Any) -> None:
        self.ui = ui
        self.mode = mode
        self.type_text = type_text
        self.function_keys = function_keys
        super().__init__(**kwargs)
        self.function_cols = function_cols
        self.rebuild()

    def rebuild(self, mode: str | None = None) -> None:
        """The board for `mode` (or the one it has) and the owner's function keys."""
        self.mode = mode or self.mode
        self._build_board()
        self._build_functions()

    def _build_board(self) -> None:
        board, ui = self.ids.board, self.ui
        board.clear_widgets()
        if self.mode == LATIN:
            for letter in "".join(LATIN_ROWS):
                board.add_widget(ui.key(letter, kid=f"latin:{letter}",
                                        on_release=partial(self.type_text, letter)))
            return
        for row in range(5):
            for column in kana.COLUMNS:
                char = column[row]
                if not char:
                    board.add_widget(Spacer())
                    continue
                # The key is named by the hiragana it stands for, whichever script it shows.
                shown = kana.to_katakana(char) if self.mode == KATAKANA else char
                board.add_widget(ui.key(shown, kid=f"kana:{char}",
                                        on_release=partial(self.type_text, shown)))

    def _build_functions(self) -> None:
        panel = self.ids.functions
        panel.clear_widgets()
        for name, label, action in self.function_keys(self.mode):
            role = "key" if name in ("dakuten", "handakuten") else "key_fn"
            panel.add_widget(self.ui.key(label, kid=f"kana:{name}", role=role,
                                         on_release=action))

    def themed(self, ui: UiKit) -> None:
        """Keys as tall as 15 mm or their text needs; the function keys as wide as their
        longest word, so 「キーボード」 never breaks (kit.style calls this on every change)."""
        theme = ui.theme
        self.key_height = theme.key_height("key")
        labels = [label for _name, label, _action in self.function_keys(self.mode)]
        widest = max((ui.text_width(label, "key_fn") for label in labels), default=0.0)
        column = max(theme.min_target_px, widest + 28)
        cols = int(self.function_cols)
        self.functions_width = cols * column + (cols - 1) * KEY_SPACING

    def width_for(self, key_width: float) -> float:
        """How wide the board and its function keys are with keys `key_width` wide."""
        return COLUMNS * key_width + (COLUMNS - 1) * KEY_SPACING + _GAP + float(self.functions_width)
