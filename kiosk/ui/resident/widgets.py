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
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

_WHITE = (1.0, 1.0, 1.0, 1.0)
_BLACK = (0.0, 0.0, 0.0, 1.0)


Shaper = Callable[..., str]  # (text, width, size, font, *, one_line=False, tail=False) -> markup
# Furigana and the ticket number: one line, smaller if it must be, never broken or cut
# (a ticket at 文字を大きく is wider than its half of the screen).
ONE_LINE_ROLES = frozenset({"kana", "huge"})


class _Shaped:
    """Text set as `plain` and turned into markup by `shaper` (line breaks that fit the
    width, font runs for characters the font lacks) whenever the width or font changes."""

    plain = StringProperty("")
    shaper = ObjectProperty(None, allownone=True)
    side_padding = 0  # what the .kv takes off the width for `text_size`
    wraps = True
    tail = False  # one line ending with its last character (kit.UiKit._tail says why)
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
        if self.shaper is None:
            return
        if getattr(self, "role", "") in ONE_LINE_ROLES:
            self.text = self.shaper(self.plain, self.width - self.side_padding, self.font_size,
                                    self.font_name, one_line=True)
            return
        if self.tail:
            self.text = self.shaper(self.plain, self.width - self.side_padding, self.font_size,
                                    self.font_name, tail=True)
            return
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
        self.kana_size = max(14.0, self.font_size * 0.55)
        self.kana_markup = (self.shaper(self.kana, inner, self.kana_size, self.font_name,
                                        one_line=True) if self.kana else "")


class KField(_Shaped, Label):  # type: ignore[misc]  # Kivy is untyped
    """What the resident has typed so far, in a box. Text, box and border all take their
    colours from the theme, so switching contrast mid-entry never paints white on white.
    A long answer stays on one line and shows its end, 「…」 before it (`tail`)."""

    role = StringProperty("display")
    side_padding = 28
    tail = True
    bg_color = ColorProperty(_WHITE)
    border_color = ColorProperty(_BLACK)
    border_width = NumericProperty(2)


class KTextInput(TextInput):  # type: ignore[misc]  # Kivy is untyped
    """The system keyboard's field (IME input), drawn in Noto Sans CJK, which has 𠮷
    (`fixed_font`: the theme sizes and colours it but leaves its font)."""

    kid = StringProperty("")
    role = StringProperty("input")
    fixed_font = True
    fg_color = ColorProperty(_BLACK)
    bg_color = ColorProperty(_WHITE)
    border_color = ColorProperty(_BLACK)
    border_width = NumericProperty(2)


class ScrollArea(BoxLayout):  # type: ignore[misc]  # Kivy is untyped
    """A list that may be longer than its room: a wide bar that never fades, and below the
    list a key 「▼ もっと見る」 while more lies below (「▲ 先頭へ」 at the end): a resident
    who misses a thin bar still sees that there is more, and one tap shows it.

    The first child given (in a .kv or by `add_widget`) is the scrolled content.
    """

    cue_kid = StringProperty("")
    more_text = StringProperty("▼")
    top_text = StringProperty("▲")
    bar_color = ColorProperty(_BLACK)
    track_color = ColorProperty((0.0, 0.0, 0.0, 0.15))

    def __init__(self, **kwargs: Any) -> None:
        self.view: ScrollView | None = None
        super().__init__(**kwargs)
        self.orientation = "vertical"
        self.spacing = 6
        view = ScrollView(do_scroll_x=False, bar_width=22, scroll_type=["bars", "content"],
                          bar_margin=2)
        self.cue = KKey(role="key_fn", size_hint_y=None, height=0, opacity=0, disabled=True)
        self.cue.bind(on_release=lambda *_: self.page())
        super().add_widget(view)
        super().add_widget(self.cue)
        self.view = view
        for name in ("height", "width"):
            self.fbind(name, self._later)
        view.fbind("scroll_y", self._later)
        view.fbind("width", self._later)
        self.cue.fbind("min_height", self._later)
        self.fbind("cue_kid", self._later)
        self.fbind("bar_color", self._colour)
        self.fbind("track_color", self._colour)

    def add_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        if self.view is None:
            super().add_widget(widget, *args, **kwargs)
            return
        self.view.add_widget(widget, *args, **kwargs)
        widget.fbind("height", self._later)

    def themed(self, ui: Any) -> None:
        """The cue's words and the bar's colour, in the language and palette now."""
        self.more_text = "▼ " + ui.tr("More below")
        self.top_text = "▲ " + ui.tr("Back to the top")
        self.bar_color = ui.theme.color("border")
        self.cue.shaper = ui.shape
        self.cue.plain = ""  # the new words are put in by update()
        self._later()

    def _colour(self, *_: Any) -> None:
        if self.view is not None:
            self.view.bar_color = self.bar_color
            self.view.bar_inactive_color = self.bar_color  # always shown, never faded

    def _later(self, *_: Any) -> None:
        Clock.schedule_once(self.update, -1)

    @property
    def content(self) -> Any:
        view = self.view
        return view.children[0] if view is not None and view.children else None

    def overflows(self) -> bool:
        return self.content is not None and self.content.height > self.height + 1

    def update(self, *_: Any) -> None:
        """Show the cue while the list is longer than the room it has."""
        view, cue = self.view, self.cue
        if view is None:
            return
        more = self.overflows()
        cue.kid = self.cue_kid if more else ""
        cue.height = cue.min_height if more else 0
        cue.opacity, cue.disabled = (1, False) if more else (0, True)
        self.spacing = 6 if more else 0
        content = self.content
        if content is not None:  # the bar gets a gutter of its own, over no key
            content.size_hint_x = None
            content.width = view.width - (view.bar_width + 8 if more else 0)
        at_end = view.scroll_y <= 0.001
        wanted = self.top_text if at_end else self.more_text
        if cue.plain != wanted:
            cue.plain = wanted

    def page(self) -> None:
        """One view further down (most of it, so the last row stays in sight), or back to
        the top from the end."""
        view, content = self.view, self.content
        if view is None or content is None:
            return
        hidden = content.height - view.height
        if hidden <= 0 or view.scroll_y <= 0.001:
            view.scroll_y = 1.0
        else:
            view.scroll_y = max(0.0, view.scroll_y - view.height * 0.8 / hidden)
        view.update_from_scroll()


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
