"""What every screen is handed besides the session: translations, glyphs, theme, and
small factories for the shared widgets, so a screen never styles a widget itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kivy.core.text import Label as CoreLabel

from common.text import break_lines
from forms.text import Text
from kiosk.ui.glyphs import Glyphs
from kiosk.ui.i18n import Translator
from kiosk.ui.resident.theme import STYLES, Theme
from kiosk.ui.resident.widgets import Badge, KButton, KKey, KLabel, KTile

_SLACK = 0.97  # measured widths leave a little room: Kivy must not wrap a line again


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

    def shape(self, text: str, width: float, size: float, font: str) -> str:
        """Markup for a label: broken into lines that fit (禁則), fonts per character."""
        if width > 1 and text:
            text = break_lines(text, width * _SLACK, self._char_width(font, size))
        return self.glyphs.markup(text, bold=font == self.theme.bold_font)

    def fit(self, text: str, width: float, size: float, font: str) -> float:
        """The font size (at most `size`, at least 13 px) at which `text` fits one line."""
        measure = self._char_width(font, size)
        needed = sum(measure(c) for c in text)
        if width <= 1 or needed <= width * _SLACK:
            return size
        return max(13.0, size * width * _SLACK / needed)

    def set_text(self, widget: Any, text: str) -> None:
        widget.shaper = self.shape
        widget.plain = text

    def set_tile(self, tile: KTile, title: str, kana: str = "") -> None:
        tile.shaper, tile.fitter = self.shape, self.fit
        tile.title, tile.kana = title, kana

    def style(self, widget: Any) -> None:
        self.theme.apply(widget.walk(restrict=True))

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
