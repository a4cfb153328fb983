"""Choices as big tiles: choice, applicant, yes/no (one tap answers) and multi_choice."""

from __future__ import annotations

from functools import partial
from typing import Any

from forms.text import Text
from kiosk.ui.resident.inputs.base import FieldInput, Submit
from kiosk.ui.resident.kit import UiKit
from kiosk.ui.resident.widgets import KTile


class ChoiceInput(FieldInput):
    """`options` are (value, label); one tap answers, or toggles when `multiple`."""

    def __init__(self, *, ui: UiKit, submit: Submit, options: list[tuple[Any, Text]],
                 initial: Any, multiple: bool = False, **kwargs: Any) -> None:
        super().__init__(ui=ui, submit=submit, **kwargs)
        self.multiple = multiple
        self.needs_next = multiple
        self.chosen: list[Any] = list(initial) if multiple and isinstance(initial, list) else []
        grid = self.ids.grid
        grid.cols = 1 if len(options) <= 2 and not multiple and _long(options, ui) else 2
        if len(options) == 2 and not multiple:
            grid.cols = 2
        self.tiles: dict[Any, KTile] = {}
        for value, label in options:
            tile = ui.tile(ui.form_text(label), kana=ui.furigana(label), kid=f"choice:{value}",
                           on_release=partial(self.tap, value))
            tile.value = value
            tile.selected = (value in self.chosen) if multiple else (value == initial
                                                                      and initial is not None)
            if len(options) == 2 and not multiple:
                tile.min_height = 150
            grid.add_widget(tile)
            self.tiles[value] = tile

    def tap(self, value: Any) -> None:
        if not self.multiple:
            self.submit(value)
            return
        if value in self.chosen:
            self.chosen.remove(value)
        else:
            self.chosen.append(value)
        self.tiles[value].selected = value in self.chosen

    def value(self) -> Any:
        return list(self.chosen)

    def clear(self) -> None:
        self.chosen = []
        self.ids.grid.clear_widgets()
        self.tiles = {}


def _long(options: list[tuple[Any, Text]], ui: UiKit) -> bool:
    return any(len(ui.form_text(label)) > 24 for _value, label in options)
