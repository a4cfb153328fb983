"""The few widget kinds the desk's screens are built from (their look is in widgets.kv).

Text arrives as Kivy markup made by kiosk.ui.glyphs (each character from a font that has it:
a name with 𠮷 is drawn, not boxed); `plain` keeps what was shown, so the UI test can read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.textinput import TextInput

from kiosk.desk.wedge import WedgeWatch


class DText(Label):  # type: ignore[misc]  # Kivy is untyped
    """A label as tall as its wrapped text."""


class DButton(Button):  # type: ignore[misc]
    """`role`: "primary", "danger" or "" (secondary); `kid` names it for tests and the bench."""

    role = StringProperty("")
    kid = StringProperty("")


class WatchedInput(TextInput):  # type: ignore[misc]
    """A field beside the scan field (an image path, the sign-in's ID and password): it notes how its text
    arrived, so a scanner's line typed into it is told from the clerk's (kiosk/desk/wedge.py)."""

    def __init__(self, **kwargs: Any) -> None:
        self.watch = WedgeWatch()
        super().__init__(**kwargs)
        self.bind(focus=lambda *_: self.watch.reset())

    def insert_text(self, substring: str, from_undo: bool = False) -> Any:
        if from_undo:
            return super().insert_text(substring, from_undo=from_undo)
        self.watch.typed(substring, before=self.text, cursor=self.cursor_index())
        inserted = super().insert_text(substring, from_undo=from_undo)
        self.watch.taken()
        return inserted


class FieldRow(BoxLayout):  # type: ignore[misc]
    """One answer: label, value (and what the card said, if corrected), marks; orange when the
    clerk must check it. The form's warnings about it take a full-width band below: a sentence
    squeezed into the marks column was read a word per line."""

    label_markup = StringProperty("")
    value_markup = StringProperty("")
    marks_markup = StringProperty("")
    band_markup = StringProperty("")
    attention = BooleanProperty(False)
    indent = NumericProperty(0)
    plain = StringProperty("")


class SectionRow(BoxLayout):  # type: ignore[misc]
    text_markup = StringProperty("")
    plain = StringProperty("")


class ProcedureHeading(BoxLayout):  # type: ignore[misc]
    """A procedure's title bar with its print buttons (made once, see RowPool)."""

    title_markup = StringProperty("")
    info_markup = StringProperty("")
    printed_markup = StringProperty("")
    band_markup = StringProperty("")  # the form's warnings about the whole procedure
    plain = StringProperty("")
    procedure = ObjectProperty(None, allownone=True)
    print_button = ObjectProperty(None, allownone=True)
    card_button = ObjectProperty(None, allownone=True)


class RowPool:
    """Rows made once and reused from one application to the next.

    Building a widget from its kv rule costs about a millisecond (the rule's bindings are made
    one by one), and an application has 50 to 100 rows: made afresh, a scan took half a second
    to show. Reused, only the texts change. `warm` makes the first rows at start-up, a few per
    frame, so the first slip of the day shows as fast as the next.
    """

    def __init__(self, makers: Mapping[type, Callable[[], Any]]) -> None:
        self._makers = dict(makers)
        self._free: dict[type, list[Any]] = {kind: [] for kind in makers}

    def take(self, kind: type) -> Any:
        free = self._free[kind]
        return free.pop() if free else self._makers[kind]()

    def give_back(self, widgets: Iterable[Any]) -> None:
        for widget in widgets:
            free = self._free.get(type(widget))
            if free is not None:
                free.append(widget)

    def free(self) -> list[Any]:
        """The rows waiting to be reused (out of the widget tree, their texts still set)."""
        return [widget for widgets in self._free.values() for widget in widgets]

    def warm(self, counts: Mapping[type, int], per_step: int = 8) -> Iterator[None]:
        for kind, count in counts.items():
            while len(self._free[kind]) < count:
                for _ in range(per_step):
                    self._free[kind].append(self._makers[kind]())
                yield


class ConfirmBox(BoxLayout):  # type: ignore[misc]
    """The question and its two buttons inside the confirmation popup (desk_screen.py)."""
