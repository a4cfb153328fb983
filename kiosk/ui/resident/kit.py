"""What every screen is handed besides the session: translations, glyphs, theme, and
small factories for the shared widgets, so a screen never styles a widget itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kivy.core.text import Label as CoreLabel

from common.text import break_lines, fit_scale, widest_word
from forms.text import Text
from kiosk.ui.glyphs import Glyphs
from kiosk.ui.i18n import Translator
from kiosk.ui.resident.theme import STYLES, Theme
from kiosk.ui.resident.widgets import Badge, KButton, KKey, KLabel, KTile

_SLACK = 0.97  # measured widths leave a little room: Kivy must not wrap a line again
# A label's text shrinks this far at most to keep a word whole (「キーボード」 on a key,
# "registration" on a tile); past that a Latin word is hyphenated, a Japanese one cut.
_LEAST_SCALE = 0.75
_LEAST_SIZE = 13.0
ELLIPSIS = "…"  # before what is typed: more of the answer lies before what shows


@dataclass
class UiKit:
    tr: Translator
    glyphs: Glyphs
    theme: Theme
    input_font: str  # the system keyboard's field: a font that has 𠮷 (Noto Sans CJK JP)
    _widths: dict[tuple[str, float, str], float] = field(default_factory=dict)
    _measurers: dict[tuple[str, float], Any] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.tr.lang

    def form_text(self, text: Text | None) -> str:
        """A form's label in the current language (Japanese when it has no translation)."""
        return text.get(self.lang) if text is not None else ""

    def furigana(self, text: Text | None) -> str:
        """The reading shown small above a Japanese label; nothing in other languages."""
        if text is None or self.lang != "ja" or not text.ja_kana:
            return ""
        return text.ja_kana

    # ------------------------------------------------------------------ text
    def _char_width(self, font: str, size: float) -> Callable[[str], float]:
        measurer = self._measurers.get((font, size))
        if measurer is None:
            measurer = self._measurers[(font, size)] = CoreLabel(font_name=font, font_size=size)
        widths = self._widths

        def width(char: str) -> float:
            key = (font, size, char)
            if key not in widths:
                widths[key] = float(measurer.get_extents(char)[0])
            return widths[key]
        return width

    def warm_up(self, chars: str, roles: tuple[str, ...]) -> Iterator[None]:
        """Measure (and so have the font engine load) every glyph a screen may need, in
        small steps: the first visit to a screen is then as quick as the next."""
        for role in roles:
            style = STYLES[role]
            font = self.theme.bold_font if style.bold else self.theme.regular_font
            measure = self._char_width(font, self.theme.font_size(role))
            for start in range(0, len(chars), 150):
                for char in chars[start:start + 150]:
                    measure(char)
                yield

    def shape(self, text: str, width: float, size: float, font: str, *,
              one_line: bool = False, tail: bool = False) -> str:
        """Markup for a label: broken into lines that fit (禁則, never inside a word: the
        font shrinks a little first if a word is wider than the line), fonts per character.
        `one_line` (furigana) shrinks the text to one line instead of breaking it; `tail`
        (what is being typed) keeps it on one line that ends with the last character."""
        bold = font == self.theme.bold_font
        if width <= 1 or not text:
            return self.glyphs.markup(text, bold=bold)
        room = width * _SLACK
        if tail:
            return self._tail(text, room, size, font)
        measure = self._char_width(font, size)
        if one_line:
            scale = fit_scale(text, room, measure)
        else:
            widest = widest_word(text, measure)
            scale = max(_LEAST_SCALE, min(1.0, room / widest)) if widest > 0 else 1.0
        smaller = max(_LEAST_SIZE, float(int(size * scale)))
        if smaller < size:
            measure = self._char_width(font, smaller)
        if not one_line:
            text = break_lines(text, room, measure)
        markup = self.glyphs.markup(text, bold=bold)
        return f"[size={smaller:g}]{markup}[/size]" if smaller < size else markup

    def _tail(self, text: str, room: float, size: float, font: str) -> str:
        """What is typed, on one line: smaller type (down to _LEAST_SCALE) while the whole
        answer can still fit, then its start given up behind 「…」, so the end, where the
        next character goes, always shows. The field neither wraps (a second line would not
        fit its box) nor grows (the keys would move under the resident's finger while
        typing); the whole answer is shown again, wrapped, on the confirm screen."""
        measure = self._char_width(font, size)
        scale = max(_LEAST_SCALE, fit_scale(text, room, measure))
        smaller = max(_LEAST_SIZE, float(int(size * scale))) if scale < 1 else size
        measure = self._char_width(font, smaller)
        shown = text
        if sum(measure(c) for c in text) > room:
            budget, start = room - measure(ELLIPSIS), len(text)
            while start > 0 and measure(text[start - 1]) <= budget:
                start -= 1
                budget -= measure(text[start])
            shown = ELLIPSIS + text[start:]
        markup = self.glyphs.markup(shown, bold=font == self.theme.bold_font)
        return f"[size={smaller:g}]{markup}[/size]" if smaller < size else markup

    def text_width(self, text: str, role: str) -> float:
        """How wide `text` is drawn in `role`'s font at the size now (one line)."""
        font = self.theme.bold_font if STYLES[role].bold else self.theme.regular_font
        measure = self._char_width(font, self.theme.font_size(role))
        return sum(measure(c) for c in text)

    def set_text(self, widget: Any, text: str) -> None:
        widget.shaper = self.shape
        widget.plain = text

    def set_tile(self, tile: KTile, title: str, kana: str = "") -> None:
        tile.shaper = self.shape
        tile.title, tile.kana = title, kana

    def style(self, widget: Any) -> None:
        """Apply the theme; then widgets that lay themselves out by it (keyboards, grids,
        scroll cues) re-lay out: text size, contrast and language change under them."""
        widgets = list(widget.walk(restrict=True))
        self.theme.apply(widgets)
        for each in widgets:
            themed = getattr(each, "themed", None)
            if themed is not None:
                themed(self)

    # ------------------------------------------------------------------ widgets
    def label(self, text: str = "", *, role: str = "body", **kwargs: Any) -> KLabel:
        label = KLabel(role=role, **kwargs)
        self.set_text(label, text)
        return label

    def badge(self, text: str, *, role: str) -> Badge:
        badge = Badge(role=role)
        self.set_text(badge, text)
        return badge

    def button(self, text: str, *, kid: str, on_release: Callable[[], None],
               role: str = "secondary", **kwargs: Any) -> KButton:
        button = KButton(kid=kid, role=role, **kwargs)
        self.set_text(button, text)
        button.bind(on_release=lambda *_: on_release())
        return button

    def key(self, text: str, *, kid: str, on_release: Callable[[], None],
            role: str = "key", **kwargs: Any) -> KKey:
        key = KKey(kid=kid, role=role, **kwargs)
        self.set_text(key, text)
        key.bind(on_release=lambda *_: on_release())
        return key

    def tile(self, title: str, *, kid: str, on_release: Callable[[], None], kana: str = "",
             role: str = "choice", **kwargs: Any) -> KTile:
        tile = KTile(kid=kid, role=role, **kwargs)
        self.set_tile(tile, title, kana)
        tile.bind(on_release=lambda *_: on_release())
        return tile
