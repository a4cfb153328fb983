"""The few widget kinds every screen is built from (their look is in widgets.kv).

Each has a `role` (its row in theme.STYLES) and, when it can be touched, a `kid`: a stable
name ("menu:juminhyo", "pin:7") by which tests, the bench and the demo robot find it.
`plain` keeps the text as given (`text` holds Kivy markup with font runs), so a test can
read what is shown and the wipe can check that nothing personal is left.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

_WHITE = (1.0, 1.0, 1.0, 1.0)
_BLACK = (0.0, 0.0, 0.0, 1.0)


Shaper = Callable[[str, float, float, str], str]


class _Shaped:
    """Text set as `plain` and turned into markup by `shaper` (line breaks that fit the
    width, font runs for characters the font lacks) whenever the width or font changes."""

    plain = StringProperty("")
    shaper = ObjectProperty(None, allownone=True)
    side_padding = 0  # what the .kv takes off the width for `text_size`
    wraps = True
    if TYPE_CHECKING:  # given by the Label the mixin goes with
        text: str
        width: float
        font_size: float
        font_name: str

        def fbind(self, name: str, func: Callable[..., Any]) -> int: ...

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Width, font and text often change together (a new screen is styled and laid
        # out): shape once, just before the next frame is drawn.
        self._later = Clock.create_trigger(self.shape_now, -1)
        for name in ("plain", "shaper", "width", "font_size", "font_name"):
            self.fbind(name, self._later)

    def shape_now(self, *_: Any) -> None:
        if self.shaper is not None:
            width = self.width - self.side_padding if self.wraps else 0
            self.text = self.shaper(self.plain, width, self.font_size, self.font_name)


class KLabel(_Shaped, Label):  # type: ignore[misc]  # Kivy is untyped
    """A label as tall as its wrapped text."""

    role = StringProperty("body")


class KBlock(_Shaped, Label):  # type: ignore[misc]  # Kivy is untyped
    """A label that fills the space the layout gives it, text centred."""

    role = StringProperty("body")


class KTicket(_Shaped, Label):  # type: ignore[misc]  # Kivy is untyped
    """The ticket number: one line, never broken."""

    role = StringProperty("huge")
    wraps = False


class Badge(_Shaped, Label):  # type: ignore[misc]  # Kivy is untyped
    """A small coloured mark beside an answer: 「カードから」, 「変更」."""

    role = StringProperty("card_badge")
    wraps = False
    bg_color = ColorProperty(_BLACK)


class _Touchable:
    """What every touchable widget carries: its name, colours and the minimum size."""

    kid = StringProperty("")
    role = StringProperty("secondary")
    selected = BooleanProperty(False)
    fg_color = ColorProperty(_BLACK)
    bg_color = ColorProperty(_WHITE)
    down_color = ColorProperty(_WHITE)
    sel_fg = ColorProperty(_WHITE)
    sel_bg = ColorProperty(_BLACK)
    border_color = ColorProperty(_BLACK)
    border_width = NumericProperty(1.5)
    min_height = NumericProperty(57)
    value = ObjectProperty(None, allownone=True)  # what a choice stands for


class KButton(_Touchable, _Shaped, ButtonBehavior, Label):  # type: ignore[misc]  # Kivy is untyped
    """A button as tall as its wrapped text, at least a touch target high."""

    side_padding = 28


class KKey(_Touchable, _Shaped, ButtonBehavior, Label):  # type: ignore[misc]  # Kivy is untyped
    """A button sized by its layout (keyboard keys, bar buttons)."""

    side_padding = 12


class KTile(_Touchable, ButtonBehavior, BoxLayout):  # type: ignore[misc]  # Kivy is untyped
    """A big button with furigana above its title (procedures, choices).

    The furigana is kept to one line (smaller if it must be), the title broken to fit.
    """

    title = StringProperty("")
    kana = StringProperty("")
    title_markup = StringProperty("")
    kana_markup = StringProperty("")
    kana_size = NumericProperty(17)
    font_name = StringProperty("Roboto")
    font_size = NumericProperty(30)
    shaper = ObjectProperty(None, allownone=True)
    fitter = ObjectProperty(None, allownone=True)  # (text, width, size, font) -> size

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._later = Clock.create_trigger(self.shape_now, -1)
        for name in ("title", "kana", "shaper", "width", "font_size", "font_name"):
            self.fbind(name, self._later)

    def shape_now(self, *_: Any) -> None:
        if self.shaper is None:
            return
        inner = self.width - 28
        self.title_markup = self.shaper(self.title, inner, self.font_size, self.font_name)
        size = max(14.0, self.font_size * 0.55)
        if self.kana and self.fitter is not None:
            size = self.fitter(self.kana, inner, size, self.font_name)
        self.kana_size = size
        self.kana_markup = self.shaper(self.kana, inner, size, self.font_name) if self.kana else ""


class KTextInput(TextInput):  # type: ignore[misc]  # Kivy is untyped
    """The system keyboard's field (IME input), drawn in Noto Sans CJK, which has 𠮷."""

    kid = StringProperty("")


class Overlay(FloatLayout):  # type: ignore[misc]  # Kivy is untyped
    """A layer over the whole screen that takes every touch while it is shown."""

    scrim = ColorProperty((0.0, 0.0, 0.0, 0.55))
    panel_color = ColorProperty(_WHITE)
    border_color = ColorProperty(_BLACK)

    def on_touch_down(self, touch: Any) -> bool:
        super().on_touch_down(touch)
        return True

    def on_touch_move(self, touch: Any) -> bool:
        super().on_touch_move(touch)
        return True

    def on_touch_up(self, touch: Any) -> bool:
        super().on_touch_up(touch)
        return True


class Spacer(Widget):  # type: ignore[misc]  # Kivy is untyped
    pass
