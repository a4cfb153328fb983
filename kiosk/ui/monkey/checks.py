"""The monkey's checks, on the attributes a Kivy widget has (no Kivy import here).

Each check returns `Fault`s naming the screen, the widget's path and what a person would
meet. They read only what Kivy has laid out (pos, size, texture_size, text_size, colours and
the canvas instructions a widget draws its background with), so a unit test can hand them a
plain object shaped like a broken widget.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

RGBA = tuple[float, float, float, float]
Rect = tuple[float, float, float, float]  # x, y, right, top in window coordinates

# WCAG 2.x 1.4.3: 3:1 is the minimum for large text (at least 18 pt, or 14 pt bold), which
# every text on the kiosk is; the desk's 15 sp text is held to the same floor.
MIN_CONTRAST = 3.0
# A pixel or two of rounding between a texture and its widget is not a clipped text.
SLACK_PX = 2.0
# A card read or a print on the kiosk's own parts takes well under a second; a resident
# would call staff long before a progress view had shown for this long.
BUSY_LIMIT_S = 15.0
FILLS = ("Rectangle", "RoundedRectangle", "BorderImage", "Ellipse")
_COLOR_TAG = re.compile(r"\[color=#?([0-9A-Fa-f]{6})(?:[0-9A-Fa-f]{2})?\]")


@dataclass(frozen=True)
class Fault:
    check: str  # exception, dead_end, stuck_busy, clipped, contrast, target_size, scan
    screen: str
    widget: str
    what: str

    def key(self) -> tuple[str, str, str]:
        """The same fault met again (another step, another text on the same widget)."""
        return (self.check, self.screen, re.sub(r"#\d+", "", self.widget))

    def line(self) -> str:
        return f"{self.check}: screen {self.screen!r}, {self.widget}: {self.what}"


# ------------------------------------------------------------------------- the tree
def parent_of(widget: Any) -> Any:
    parent = getattr(widget, "parent", None)
    return None if parent is widget else parent  # Kivy's Window is its own parent


def ancestors(widget: Any) -> Iterator[Any]:
    """The widget itself, then each parent up to the window."""
    node = widget
    while node is not None:
        yield node
        node = parent_of(node)


def opacity(widget: Any) -> float:
    """What shows of the widget: Kivy multiplies each parent's opacity into its children."""
    result = 1.0
    for node in ancestors(widget):
        result *= float(getattr(node, "opacity", 1.0))
    return result


def shown(widget: Any) -> bool:
    if opacity(widget) <= 0.01 or widget.width < 1 or widget.height < 1:
        return False
    return not any(getattr(node, "disabled", False) for node in ancestors(widget))


def name_of(widget: Any) -> str:
    kid = getattr(widget, "kid", "") or ""
    return f"{type(widget).__name__}[{kid}]" if kid else type(widget).__name__


def widget_path(widget: Any) -> str:
    """Window-down path of class names, with `kid`s where widgets have one."""
    names = [name_of(node) for node in ancestors(widget)]
    names = [n for n in names if n != "WindowSDL"]
    return " > ".join(reversed(names[:8]))


def window_rect(widget: Any) -> Rect:
    x, y = widget.to_window(widget.x, widget.y)
    return (x, y, x + widget.width, y + widget.height)


def inside(inner: Rect, outer: Rect, slack: float = SLACK_PX) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def clips(widget: Any) -> bool:
    """Kivy draws a StencilView's children (a ScrollView's list) only inside its own rect."""
    return any(cls.__name__ == "StencilView" for cls in type(widget).__mro__)


def visible_part(widget: Any, rect: Rect | None = None) -> Rect | None:
    """What shows of `rect` (default: the widget's own) inside every clipping ancestor;
    None when nothing does (a label scrolled out of its list's view is not on screen)."""
    x0, y0, x1, y1 = rect if rect is not None else window_rect(widget)
    for node in ancestors(parent_of(widget)):
        if clips(node):
            vx0, vy0, vx1, vy1 = window_rect(node)
            x0, y0, x1, y1 = max(x0, vx0), max(y0, vy0), min(x1, vx1), min(y1, vy1)
    if x1 - x0 < 1 or y1 - y0 < 1:
        return None
    return (x0, y0, x1, y1)


# ------------------------------------------------------------------------- colours
def luminance(color: RGBA) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else float(((c + 0.055) / 1.055) ** 2.4)
    r, g, b = (channel(c) for c in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGBA, b: RGBA) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def over(top: RGBA, below: RGBA, alpha: float | None = None) -> RGBA:
    """`top` drawn with its alpha (or `alpha`) over an opaque `below`."""
    a = top[3] if alpha is None else alpha
    return (top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a),
            top[2] * a + below[2] * (1 - a), 1.0)


def _instructions(owner: Any) -> Iterator[Any]:
    """What the widget draws beneath its children: canvas.before, then its own canvas up to
    the first child's canvas (Kivy's Button draws its background there)."""
    canvas = getattr(owner, "canvas", None)
    yield from getattr(getattr(canvas, "before", None), "children", [])
    for instruction in getattr(canvas, "children", []):
        if type(instruction).__name__ == "Canvas":
            return
        yield instruction


def _fills(owner: Any) -> Iterator[tuple[RGBA | None, Any]]:
    """(colour, shape) of each filled shape the widget draws beneath its content; the colour
    is None for a shape drawn with an image (a stock Kivy button or popup): unknown here.
    A textured Rectangle is text or a picture, not a background, and is passed over."""
    color: RGBA | None = None  # a shape before any Color takes one set elsewhere: not ours
    masking = False  # shapes between StencilPush and StencilUse draw the clip, not a fill
    for instruction in _instructions(owner):
        kind = type(instruction).__name__
        if kind in ("StencilPush", "StencilUse"):
            masking = kind == "StencilPush"
        elif kind == "Color":
            color = tuple(instruction.rgba)
        elif kind in FILLS and color is not None and not masking:
            texture = getattr(instruction, "texture", None)
            # Kivy gives a shape without a picture its plain white default texture.
            textured = texture is not None and "default.png" not in repr(texture)
            if textured and kind != "BorderImage":
                continue
            yield (None if textured else color), instruction


def background(widget: Any, window_color: RGBA,
               at: tuple[float, float] | None = None) -> tuple[RGBA | None, Any, Rect]:
    """The colour under the widget's centre, or the window point `at` (None: an image,
    unknown), the widget that draws it and the shape's rect.

    The nearest ancestor (the widget first) whose canvas fills a shape under that point; a
    translucent fill is blended over what lies beneath it, down to the window.
    """
    cx, cy = at if at is not None else widget.to_window(*widget.center)
    layers: list[tuple[RGBA | None, Any, Rect]] = []
    for node in ancestors(widget):
        lx, ly = node.to_widget(cx, cy)
        found = None
        for fill, shape in _fills(node):
            (sx, sy), (sw, sh) = shape.pos, shape.size
            if sx <= lx <= sx + sw and sy <= ly <= sy + sh and (fill is None or fill[3] > 0):
                wx, wy = node.to_window(*node.to_parent(sx, sy))
                found = (fill, node, (wx, wy, wx + sw, wy + sh))
        if found is not None:
            layers.append(found)
            if found[0] is None or found[0][3] >= 0.99:
                break
    if not layers:
        everywhere = (float("-inf"), float("-inf"), float("inf"), float("inf"))
        return (*window_color[:3], 1.0), None, everywhere
    if layers[-1][0] is None:
        return None, layers[0][1], layers[0][2]
    seen: RGBA = (*window_color[:3], 1.0)
    for fill, _owner, _rect in reversed(layers):
        seen = over(fill, seen) if fill is not None else seen
    return seen, layers[0][1], layers[0][2]


def text_colors(widget: Any) -> list[RGBA]:
    """The label's colour, and each `[color=...]` its markup switches to."""
    r, g, b, a = widget.color
    colors: list[RGBA] = [(float(r), float(g), float(b), float(a))]
    for code in _COLOR_TAG.findall(str(getattr(widget, "text", ""))):
        value = int(code, 16)
        colors.append(((value >> 16 & 255) / 255, (value >> 8 & 255) / 255,
                       (value & 255) / 255, 1.0))
    return colors


def contrast_faults(label: Any, *, screen: str, window_color: RGBA) -> list[Fault]:
    """Judged where the text shows: a list's clipped part is not drawn, on any colour."""
    seen_part = visible_part(label, text_rect(label, label.texture_size))
    if seen_part is None:
        return []
    bg, _owner, _rect = background(label, window_color, at=_middle(seen_part))
    if bg is None:
        return []  # drawn on an image: its colours are not known here
    faults = []
    for color in text_colors(label):
        seen = over(color, bg, color[3] * opacity(label))
        ratio = contrast_ratio(seen, bg)
        if ratio < MIN_CONTRAST:
            faults.append(Fault("contrast", screen, widget_path(label),
                                f"text {_hex(color)} on {_hex(bg)}: contrast {ratio:.2f}:1, "
                                f"below {MIN_CONTRAST:.0f}:1 ({_quote(label)})"))
    return faults


def input_contrast_faults(field: Any, *, screen: str) -> list[Fault]:
    """A text field draws its own background (`background_color`) under its text."""
    fg, bg = tuple(field.foreground_color), tuple(field.background_color)
    ratio = contrast_ratio(over(fg, over(bg, (1.0, 1.0, 1.0, 1.0))), over(bg, (1.0, 1.0, 1.0, 1.0)))
    if ratio < MIN_CONTRAST:
        return [Fault("contrast", screen, widget_path(field),
                      f"typed text {_hex(fg)} on {_hex(bg)}: contrast {ratio:.2f}:1")]
    return []


def _middle(rect: Rect) -> tuple[float, float]:
    return ((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2)


def _hex(color: Iterable[float]) -> str:
    r, g, b = (round(c * 255) for c in list(color)[:3])
    return f"#{r:02X}{g:02X}{b:02X}"


def _quote(label: Any) -> str:
    text = str(getattr(label, "plain", "") or re.sub(r"\[[^\]]*\]", "", str(label.text)))
    text = " ".join(text.split())
    return f"«{text[:30]}…»" if len(text) > 30 else f"«{text}»"


# ------------------------------------------------------------------------- text that fits
def text_rect(label: Any, natural: tuple[float, float]) -> Rect:
    """Where the label's whole text would be drawn: Kivy centres the texture on the widget."""
    cx, cy = label.to_window(*label.center)
    w, h = natural
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def label_faults(label: Any, *, screen: str, clip: Rect, window_color: RGBA,
                 natural_height: Callable[[Any], float]) -> list[Fault]:
    """Text cut off by its own text_size, wider or taller than its widget (wherever its
    list is scrolled), or, where it shows, spilling out of the shape it sits on (a key, a
    tile) or of its screen."""
    tw, th = label.texture_size
    text_h = label.text_size[1] if label.text_size is not None else None
    if text_h is not None:
        th = max(th, natural_height(label))  # Kivy drops the lines that do not fit
    where = widget_path(label)
    if th > label.height + SLACK_PX or tw > label.width + SLACK_PX:
        return [Fault("clipped", screen, where,
                      f"text {tw:.0f}x{th:.0f} px in a {label.width:.0f}x{label.height:.0f} px "
                      f"widget ({_quote(label)})")]
    drawn = visible_part(label, text_rect(label, (tw, th)))
    if drawn is None:
        return []  # scrolled out of its list's view: not on screen
    if not inside(drawn, clip):
        return [Fault("clipped", screen, where,
                      f"text reaches outside its screen's area ({_quote(label)})")]
    _bg, owner, shape = background(label, window_color, at=_middle(drawn))
    if owner is not None and owner is not label and not inside(drawn, shape):
        return [Fault("clipped", screen, where,
                      f"text spills out of the {name_of(owner)} it sits on ({_quote(label)})")]
    return []


# ------------------------------------------------------------------------- targets
def target_faults(target: Any, *, screen: str, min_px: float, clip: Rect) -> list[Fault]:
    where = widget_path(target)
    if min(target.width, target.height) < min_px - 0.5:
        return [Fault("target_size", screen, where,
                      f"{target.width:.0f}x{target.height:.0f} px, under the "
                      f"{min_px:.0f} px minimum ({_quote(target) if hasattr(target, 'text') else ''})")]
    if not inside(window_rect(target), clip):
        return [Fault("clipped", screen, where, "the target is cut off by its screen's edge")]
    return []


# ------------------------------------------------------------------------- ways on
@dataclass
class Place:
    touched: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    left: bool = False
    visits: int = 0


@dataclass
class Exits:
    """Which places (screen and title) were left by a touch of the screen itself.

    A place whose every target (the top bar's aside: language, text size, contrast, calling
    staff) has been touched at least once without ever leaving it is a dead end. The idle
    timeout and the top bar do not count as ways on.
    """

    places: dict[tuple[str, str], Place] = field(default_factory=dict)

    def seen(self, place: tuple[str, str], targets: Iterable[str]) -> None:
        entry = self.places.setdefault(place, Place())
        entry.visits += 1
        entry.seen.update(targets)

    def touched(self, before: tuple[str, str], target: str, after: tuple[str, str]) -> None:
        entry = self.places.setdefault(before, Place())
        entry.touched.add(target)
        if after != before:
            entry.left = True

    def dead_ends(self) -> list[tuple[tuple[str, str], Place]]:
        return [(place, entry) for place, entry in self.places.items()
                if not entry.left and entry.seen and entry.seen <= entry.touched]


def no_way_on(screen: str, targets: list[str], *, exempt: Iterable[str] = ()) -> Fault | None:
    """A screen with no target at all besides the top bar's has no way on or out."""
    if targets or screen in set(exempt):
        return None
    return Fault("dead_end", screen, screen,
                 "no enabled target besides the top bar: no way forward, back or out")


async def outwait_busy(busy: Callable[[], bool], pause: Callable[[], Awaitable[None]], *,
                       settle: Callable[[], Awaitable[None]] | None = None,
                       limit_s: float = BUSY_LIMIT_S,
                       clock: Callable[[], float] = time.monotonic) -> float | None:
    """Wait while the screen is busy (a card read or a print under the progress view, with
    no buttons by design: not a dead end), then `settle` (the result laid out; it may start
    the next read); the seconds it stayed busy when still busy after `limit_s`, else None."""
    started = clock()
    while busy():
        if clock() - started >= limit_s:
            return clock() - started
        await pause()
        if settle is not None and not busy():
            await settle()
    return None


def stuck_busy(screen: str, widget: str, seconds: float) -> Fault:
    return Fault("stuck_busy", screen, widget,
                 f"busy (progress view, touches held back) for {seconds:.0f} s and still not "
                 "done: the resident can neither go on nor leave")
