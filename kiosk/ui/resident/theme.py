"""Type sizes, colours and touch-target sizes, as data; applied to widgets by their `role`.

Widgets in the .kv files say only what they are (`role: "choice"`); this table says how
that looks in the normal and in the high-contrast palette, at the normal and the large
text size. Toggling either re-applies the table to what is on screen. No Kivy import: the
widgets are reached through the attributes they have.

Sizes are in pixels. The kiosk is laid out for a 15.6-inch 1280x800 touch monitor (docs/ui.md):
its width is 15.6 x 16/sqrt(16^2 + 10^2) = 13.2 inches for 1280 px, about 96.8 dpi, so a
15 mm touch target (the floor for residents with unsteady hands) is 15 / 25.4 x 96.8 = 57.2,
so 57 px (`MIN_TARGET_PX`); a larger monitor of the same resolution only makes targets
bigger. A screen whose dpi Kivy reports as higher gets more pixels for the same 15 mm
(`Theme.min_target_px`). Layouts reflow (fewer columns, scrolling) to keep every target that
size when the text is larger.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

RGBA = tuple[float, float, float, float]
MIN_TARGET_MM = 15.0
ASSUMED_DPI = 96.8  # 1280 px across the 13.2-inch width of a 15.6-inch 16:10 monitor
MIN_TARGET_PX = round(MIN_TARGET_MM / 25.4 * ASSUMED_DPI)  # 57
LARGE_SCALE = 1.3


def _hex(code: str, alpha: float = 1.0) -> RGBA:
    value = int(code.lstrip("#"), 16)
    return ((value >> 16 & 255) / 255, (value >> 8 & 255) / 255, (value & 255) / 255, alpha)


@dataclass(frozen=True)
class Palette:
    background: RGBA
    text: RGBA
    muted: RGBA
    error: RGBA
    primary: RGBA
    on_primary: RGBA
    surface: RGBA
    border: RGBA
    key: RGBA
    key_fn: RGBA
    bar: RGBA
    on_bar: RGBA
    staff: RGBA
    on_staff: RGBA
    selected: RGBA
    on_selected: RGBA
    card_badge: RGBA
    changed_badge: RGBA
    on_badge: RGBA
    scrim: RGBA
    border_width: float


NORMAL = Palette(
    background=_hex("#F5F3EE"), text=_hex("#1A1A1A"), muted=_hex("#4A4A4A"),
    error=_hex("#B00020"), primary=_hex("#0B5394"), on_primary=_hex("#FFFFFF"),
    surface=_hex("#FFFFFF"), border=_hex("#5F6B7A"), key=_hex("#FFFFFF"),
    key_fn=_hex("#E3E8EF"), bar=_hex("#0B3D6E"), on_bar=_hex("#FFFFFF"),
    staff=_hex("#C75000"), on_staff=_hex("#FFFFFF"), selected=_hex("#0B5394"),
    on_selected=_hex("#FFFFFF"), card_badge=_hex("#1E6B3A"), changed_badge=_hex("#B34700"),
    on_badge=_hex("#FFFFFF"), scrim=_hex("#000000", 0.55), border_width=1.6,
)
# White and yellow on black (WCAG contrast > 15:1), thicker outlines.
HIGH_CONTRAST = Palette(
    background=_hex("#000000"), text=_hex("#FFFFFF"), muted=_hex("#FFFFFF"),
    error=_hex("#FF6B6B"), primary=_hex("#FFD400"), on_primary=_hex("#000000"),
    surface=_hex("#000000"), border=_hex("#FFFFFF"), key=_hex("#000000"),
    key_fn=_hex("#1F1F1F"), bar=_hex("#000000"), on_bar=_hex("#FFD400"),
    staff=_hex("#FFD400"), on_staff=_hex("#000000"), selected=_hex("#FFD400"),
    on_selected=_hex("#000000"), card_badge=_hex("#00E676"), changed_badge=_hex("#FFD400"),
    on_badge=_hex("#000000"), scrim=_hex("#000000", 0.8), border_width=3.0,
)


@dataclass(frozen=True)
class Style:
    size: float  # px at the normal text size
    bold: bool
    fg: str  # Palette attribute names
    bg: str | None = None
    border: str = "border"
    min_height: int = 0  # beyond the 15 mm every touch target has
    scales: bool = True  # False: the bars keep their size, so they never wrap or clip


STYLES: dict[str, Style] = {
    # labels
    "title": Style(40, True, "text"),
    "heading": Style(32, True, "text"),
    "body": Style(28, False, "text"),
    "help": Style(24, False, "muted"),
    "small": Style(22, False, "muted"),
    "kana": Style(17, False, "muted"),
    "value": Style(32, False, "text"),
    "display": Style(44, False, "text", "surface"),  # what is typed: a field, in its box
    "input": Style(34, False, "text", "surface"),  # the system keyboard's text field
    "huge": Style(150, True, "text"),
    "message": Style(27, True, "error"),
    "bar_title": Style(26, True, "on_bar", scales=False),
    "card_badge": Style(19, True, "on_badge", "card_badge"),
    "changed_badge": Style(19, True, "on_badge", "changed_badge"),
    # buttons
    "primary": Style(32, True, "on_primary", "primary", "primary", min_height=84),
    "secondary": Style(27, False, "text", "surface", min_height=72),
    "choice": Style(31, True, "text", "surface", min_height=96),
    "menu": Style(28, True, "text", "surface", min_height=84),
    "key": Style(36, False, "text", "key"),
    "key_fn": Style(24, False, "text", "key_fn"),
    "bar_button": Style(22, True, "on_bar", "bar", "on_bar", scales=False),
    "staff": Style(24, True, "on_staff", "staff", "on_bar", min_height=72, scales=False),
    "bar_primary": Style(31, True, "on_primary", "primary", "primary", scales=False),
    "bar_back": Style(27, False, "text", "surface", scales=False),
}


def _darker(color: RGBA, contrast: bool) -> RGBA:
    if contrast:  # pressed: inverted, so it shows on black too
        return (0.45, 0.45, 0.45, 1.0)
    r, g, b, a = color
    return (r * 0.75, g * 0.75, b * 0.75, a)


@dataclass
class Theme:
    """The look of the screen now; `large` and `contrast` are the resident's toggles."""

    regular_font: str
    bold_font: str
    dpi: float = 96.0
    large: bool = False
    contrast: bool = False

    @property
    def palette(self) -> Palette:
        return HIGH_CONTRAST if self.contrast else NORMAL

    @property
    def scale(self) -> float:
        return LARGE_SCALE if self.large else 1.0

    @property
    def min_target_px(self) -> int:
        """15 mm at the assumed screen, or at this screen's dpi when Kivy reports more."""
        return max(MIN_TARGET_PX, round(MIN_TARGET_MM / 25.4 * self.dpi))

    def reset(self) -> None:
        """The next resident starts with the normal look."""
        self.large = False
        self.contrast = False

    def font_size(self, role: str) -> float:
        return round(STYLES[role].size * self.scale)

    def color(self, name: str) -> RGBA:
        value: RGBA = getattr(self.palette, name)
        return value

    def key_height(self, role: str = "key") -> int:
        """A key's height: 15 mm, or more when the text is larger (the character never
        spills over the key; the layout scrolls instead)."""
        return max(self.min_target_px, round(self.font_size(role) * 1.4))

    def apply(self, widgets: Iterable[Any]) -> None:
        """Style every widget that has a known `role`."""
        for widget in widgets:
            style = STYLES.get(getattr(widget, "role", ""))
            if style is not None:
                self._apply(widget, style)

    def _apply(self, widget: Any, style: Style) -> None:
        palette = self.palette
        widget.font_size = round(style.size * (self.scale if style.scales else 1.0))
        if not getattr(widget, "fixed_font", False):  # the IME field keeps its font with 𠮷
            widget.font_name = self.bold_font if style.bold else self.regular_font
        fg: RGBA = getattr(palette, style.fg)
        if hasattr(widget, "fg_color"):
            widget.fg_color = fg
        else:
            widget.color = fg
        if style.bg is not None and hasattr(widget, "bg_color"):
            bg: RGBA = getattr(palette, style.bg)
            widget.bg_color = bg
            if hasattr(widget, "down_color"):
                widget.down_color = _darker(bg, self.contrast)
        if hasattr(widget, "border_color"):
            border: RGBA = getattr(palette, style.border)
            widget.border_color = border
            widget.border_width = palette.border_width
        if hasattr(widget, "sel_bg"):
            widget.sel_bg = palette.selected
            widget.sel_fg = palette.on_selected
        if hasattr(widget, "min_height"):
            wanted = max(self.min_target_px, style.min_height)
            widget.min_height = max(widget.min_height, wanted)
