"""The bank, and then its branch, found by their reading rather than typed by name.

A resident knows 「三菱ＵＦＪ銀行」 and 「丸の内支店」 but not their 全銀 codes, and a bank's name
typed freely comes out in as many spellings as there are residents. So the resident types the
first kana of the reading on the katakana board (the kana keyboard's own board, kana_board.py)
and picks the bank from a list of large buttons that shows each name with its reading; the
answer is the code (forms/banks.py names it again on the confirm screen, the desk and paper).

Before any typing the list shows the first entries by code, which puts the large banks first;
going back shows the bank picked, first and marked. A branch is searched among the branches
of the bank answered in the field its `bank:` key names (`beside`, the session's answers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from kivy.properties import NumericProperty

from forms.banks import Bank, Branch, shipped_directory
from forms.model import FormField
from kiosk.ui.resident.inputs.base import FieldInput, Submit
from kiosk.ui.resident.inputs.kana_board import KATAKANA, FnKey, KanaBoard, edit_keys
from kiosk.ui.resident.kit import UiKit
from kiosk.ui.resident.widgets import KTile

# The list holds this many matches at most: a few screens of buttons, scrolled; a resident
# who has not found theirs by then types one more kana.
SEARCH_LIMIT = 20
# Room beside the board for the scroll bar its ScrollArea adds when large text overflows it.
_BAR_GUTTER = 30
BANK, BRANCH = "bank", "branch"

Entry = Bank | Branch
Search = Callable[[str], Sequence[Entry]]
Find = Callable[[str], Entry | None]
Beside = Callable[[str], Any]  # another field's answer next to this question, by field id


class BankSearchInput(FieldInput):
    key_width = NumericProperty(57)
    keys_width = NumericProperty(700)

    def __init__(self, *, ui: UiKit, submit: Submit, what: str, search: Search, find: Find,
                 initial: Any, no_bank: bool = False, **kwargs: Any) -> None:
        super().__init__(ui=ui, submit=submit, **kwargs)
        self.what = what  # BANK or BRANCH: names the list's keys (bank:pick:0005)
        self.search, self.no_bank = search, no_bank
        self.text = ""
        self.picked = find(initial) if isinstance(initial, str) and initial else None
        self.tiles: dict[str, KTile] = {}
        self.ids.results_area.cue_kid = f"{what}:more"
        self.keys = KanaBoard(ui=ui, mode=KATAKANA, type_text=self.type,
                              function_keys=self._function_keys, function_cols=1)
        self.ids.pad.add_widget(self.keys)
        self.ids.area.bind(height=self._fit)
        self.keys.bind(height=self._fit, functions_width=self._fit)
        self._show()

    def _function_keys(self, _mode: str) -> list[FnKey]:
        """゛ ゜ 削除 クリア: no 小 or space, the search folds them away (forms.banks.fold)."""
        return edit_keys(self.ui, self._edit, self.type, small=False, space=False)

    # ---------------------------------------------------------------- typing and picking
    def type(self, text: str) -> None:
        self.text += text
        self._show()

    def _edit(self, change: Callable[[str], str]) -> None:
        self.text = change(self.text)
        self._show()

    def pick(self, entry: Entry) -> None:
        """Marks the entry as the answer; 「次へ」 hands its code over."""
        self.picked = entry
        for code, tile in self.tiles.items():
            tile.selected = code == entry.code
        self._show_picked()

    # ---------------------------------------------------------------- drawing
    def _show(self) -> None:
        self.ui.set_text(self.ids.display, self.text)
        self._show_picked()
        self._list(self._matches())
        self.ui.style(self.ids.results_area)

    def _matches(self) -> list[Entry]:
        found = list(self.search(self.text))
        picked = self.picked
        if not self.text and picked is not None:  # going back: the pick first, marked
            found = [picked, *(e for e in found if e.code != picked.code)]
        return found

    def _show_picked(self) -> None:
        ui, picked = self.ui, self.picked
        if picked is not None and self.what == BANK:
            text = ui.tr("Chosen bank: {name}", name=picked.name)
        elif picked is not None:
            text = ui.tr("Chosen branch: {name}", name=picked.name)
        elif self.what == BANK:
            text = ui.tr("Type the reading, then touch your bank in the list.")
        else:
            text = ui.tr("Type the reading, then touch your branch in the list.")
        ui.set_text(self.ids.picked, text)
        # The hint is help, the pick is the answer so far: the answer is the larger.
        self.ids.picked.role = "body" if picked is not None else "help"
        ui.style(self.ids.picked)

    def _list(self, found: list[Entry]) -> None:
        ui, box = self.ui, self.ids.results
        box.clear_widgets()
        self.tiles = {}
        if not found:
            box.add_widget(ui.label(self._nothing(), role="body"))
            return
        for entry in found:
            tile = ui.tile(entry.name, kana=reading(entry.kana), kid=f"{self.what}:pick:{entry.code}",
                           on_release=partial(self.pick, entry))
            tile.selected = self.picked is not None and entry.code == self.picked.code
            box.add_widget(tile)
            self.tiles[entry.code] = tile
        self.ids.results_area.view.scroll_y = 1.0

    def _nothing(self) -> str:
        if self.no_bank:
            return self.ui.tr("Please choose the bank first. If you cannot, please call staff.")
        return self.ui.tr("Not found. Please check the reading. If it still is not found, "
                          "please call staff.")

    def themed(self, ui: UiKit) -> None:
        """Keys 15 mm wide (taller with large text), the board as wide as ten of them and its
        function keys; the list of matches takes the rest of the width, which large text
        needs most (a bank's name on one or two lines)."""
        theme = ui.theme
        self.keys.themed(ui)  # its function keys' width first: the board's width needs it
        self.key_width = theme.min_target_px
        self.ids.top.height = max(84, round(theme.font_size("display") * 1.7))
        self._fit()

    def _fit(self, *_: Any) -> None:
        """Room for the scroll bar beside the board only when the board is taller than its
        place (the bar would otherwise take its width from the keys)."""
        gutter = _BAR_GUTTER if self.keys.height > self.ids.area.height + 1 else 0
        self.keys_width = self.keys.width_for(self.key_width) + gutter

    def resume(self, previous: FieldInput) -> None:
        if isinstance(previous, BankSearchInput) and previous.what == self.what:
            self.text = previous.text
            self._show()

    def value(self) -> Any:
        return self.picked.code if self.picked is not None else None

    def ready(self) -> bool:
        return self.picked is not None

    def clear(self) -> None:
        self.text, self.picked, self.tiles = "", None, {}
        self.ids.results.clear_widgets()
        for label in (self.ids.display, self.ids.picked):
            label.text = ""
            label.plain = ""


def reading(kana: str) -> str:
    """The reading as shown: zengin writes the long vowel as a full-width minus (ユ－エフ)."""
    return kana.replace("－", "ー")


def bank_input(*, ui: UiKit, submit: Submit, field: FormField, initial: Any,
               beside: Beside | None) -> BankSearchInput:
    """The bank picker for a `bank` field; for a `bank_branch` field, the branch picker of the
    bank answered in the field its `bank:` key names."""
    directory = shipped_directory()
    if field.bank is None:
        return BankSearchInput(ui=ui, submit=submit, what=BANK, initial=initial,
                               search=partial(directory.search_banks, limit=SEARCH_LIMIT),
                               find=directory.bank)
    answer = beside(field.bank) if beside is not None else None
    code = answer if isinstance(answer, str) and directory.bank(answer) is not None else ""
    return BankSearchInput(
        ui=ui, submit=submit, what=BRANCH, initial=initial, no_bank=not code,
        search=partial(directory.search_branches, code, limit=SEARCH_LIMIT),
        find=partial(directory.branch, code))
