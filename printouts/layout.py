"""Page geometry, boxes and wrapped text: the layout every document is built from.

A document is built as data first (pretix's layout): builders make `Block`s of positioned
elements, a `Flow` stacks them onto pages, and only then does `render_pdf` draw each
element with its small `_draw_<kind>` function. Measuring before drawing is what lets the
slip's roll length follow its content and the A4 form number its pages "1/2".

Coordinates are PDF points measured from the top-left corner (as one reads a page); the
renderer flips them. All text goes through the font chain, so a name with 𠮷 is drawn
from a font that has it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from reportlab.pdfgen.canvas import Canvas

from common import text as text_rules
from common.fonts import FontChain
from printouts.fonts import draw_string, register_reportlab, string_width
from printouts.qr import QrMatrix, draw_qr

MM = 72 / 25.4
ASCENT = 0.88  # BIZ UD Gothic: hhea ascender 1802 / 2048 units per em
Align = Literal["left", "center", "right"]


def mm(value: float) -> float:
    return value * MM


class Fonts:
    """The regular and bold chains of one document run, with the widths measured so far.

    Wrapping measures the same characters over and over; the widths are kept here, on an
    object the caller owns, rather than in a module-level cache.
    """

    def __init__(self, regular: FontChain, bold: FontChain) -> None:
        self.regular = regular
        self.bold = bold
        self._widths: dict[tuple[str, bool], float] = {}

    @classmethod
    def for_pdf(cls) -> Fonts:
        return cls(FontChain.for_pdf(), FontChain.for_pdf(bold=True))

    def chain(self, bold: bool = False) -> FontChain:
        return self.bold if bold else self.regular

    def width(self, text: str, size: float, *, bold: bool = False) -> float:
        """Width of `text` at `size`, summed token by token (widths scale with the size)."""
        total = 0.0
        for token in text_rules.tokens(text):
            key = (token, bold)
            if key not in self._widths:
                self._widths[key] = string_width(token, size=1.0, chain=self.chain(bold))
            total += self._widths[key]
        return total * size


# --- elements -------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One line; `x` is the left edge, the centre or the right edge as `align` says."""

    x: float
    top: float
    text: str
    size: float
    align: Align = "left"
    bold: bool = False
    gray: float = 0.0


@dataclass(frozen=True)
class Box:
    x: float
    top: float
    width: float
    height: float
    line: float = 0.5  # 0: no outline
    fill: float | None = None  # grey level, 1.0 white
    dash: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    line: float = 0.5
    dash: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Tick:
    """A tick box drawn as vectors (no font has to hold ☑), ticked or empty."""

    x: float
    top: float
    size: float
    ticked: bool = False


@dataclass(frozen=True)
class Ellipse:
    x: float
    top: float
    width: float
    height: float
    line: float = 0.6


@dataclass(frozen=True)
class Qr:
    x: float
    top: float
    matrix: QrMatrix
    module: float


Element = Text | Box | Line | Tick | Ellipse | Qr


def _moved(e: Element, dx: float, dy: float) -> Element:
    """The element `dx` right and `dy` down: a line moves both its ends, the rest their corner."""
    if isinstance(e, Line):
        return replace(e, x1=e.x1 + dx, y1=e.y1 + dy, x2=e.x2 + dx, y2=e.y2 + dy)
    return replace(e, x=e.x + dx, top=e.top + dy)


@dataclass
class Block:
    """Elements placed relative to the block's top-left corner, and the height they take."""

    height: float
    elements: list[Element] = field(default_factory=list)

    def add(self, *elements: Element) -> None:
        self.elements.extend(elements)

    def extend(self, other: Block, dx: float = 0.0, dy: float = 0.0) -> None:
        self.elements.extend(_moved(e, dx, dy) for e in other.elements)


def stacked(*blocks: Block) -> Block:
    """The blocks one under the other, as one block (a band and a table's column header)."""
    out = Block(0)
    for block in blocks:
        out.extend(block, dy=out.height)
        out.height += block.height
    return out


@dataclass
class Page:
    width: float
    height: float
    elements: list[Element] = field(default_factory=list)


class Flow:
    """Stacks blocks down a page and starts a new page when the next one does not fit.

    `header(page_number)` gives the block each page starts with (the form title, repeated
    on a continuation page); `height=None` is a roll of paper that never breaks.
    """

    def __init__(self, *, width: float, height: float | None, top: float, bottom: float,
                 left: float, header: Callable[[int], Block] | None = None) -> None:
        self.width, self.height = width, height
        self.top, self.bottom, self.left = top, bottom, left
        self.header = header
        self.pages: list[Page] = []
        self.y = 0.0
        self._page_start = 0.0  # below the header: a block placed here never moves on
        self.new_page()

    @property
    def page(self) -> Page:
        return self.pages[-1]

    @property
    def room(self) -> float:
        """Height left on this page; a roll has no end."""
        if self.height is None:
            return float("inf")
        return self.height - self.bottom - self.y

    @property
    def at_top(self) -> bool:
        """Nothing but the page's header is here yet: breaking the page would gain nothing."""
        return self.y <= self._page_start

    def fresh_room(self) -> float:
        """The height a new page would offer under its (continuation) header."""
        if self.height is None:
            return float("inf")
        header = self.header(len(self.pages) + 1).height if self.header is not None else 0.0
        return self.height - self.bottom - self.top - header

    def new_page(self) -> None:
        self.pages.append(Page(self.width, self.height or 0.0))
        self.y = self.top
        if self.header is not None:
            self.put(self.header(len(self.pages)))
        self._page_start = self.y

    def place(self, block: Block, *, gap: float = 0.0, keep: float = 0.0) -> None:
        """Put `block` below what is there, after `gap`, or at the head of a new page.

        `keep` is the height of what must follow on the same page (a heading's first line).
        """
        if block.height + gap + keep > self.room and not self.at_top:
            self.new_page()
        else:
            self.y += gap
        self.put(block)

    def put(self, block: Block) -> None:
        """Put `block` here, fitting or not: for a caller that has measured (pagination.py)."""
        self.page.elements.extend(_moved(e, self.left, self.y) for e in block.elements)
        self.y += block.height


# --- text -----------------------------------------------------------------------------

def wrap(text: str, width: float, size: float, fonts: Fonts, *, bold: bool = False) -> list[str]:
    """Lines of `text` no wider than `width` (a hanging 。 may pass it), honouring 禁則
    (common/text.py: the same phrases and table as the screen)."""
    return text_rules.wrap(text, width, lambda part: fonts.width(part, size, bold=bold))


def text_block(text: str, *, width: float, size: float, fonts: Fonts, bold: bool = False,
               leading: float = 1.4, align: Align = "left", gray: float = 0.0) -> Block:
    """Wrapped text as a block `width` wide; its height is the lines times the leading."""
    lines = wrap(text, width, size, fonts, bold=bold)
    x = {"left": 0.0, "center": width / 2, "right": width}[align]
    block = Block(height=len(lines) * size * leading)
    for i, line in enumerate(lines):
        top = i * size * leading + (leading - 1) * size / 2
        block.add(Text(x, top, line, size, align=align, bold=bold, gray=gray))
    return block


def fit_size(text: str, width: float, largest: float, fonts: Fonts, *, bold: bool = False) -> float:
    """The largest size up to `largest` at which `text` fits on one line of `width`."""
    at_one = fonts.width(text, 1.0, bold=bold)
    return largest if at_one <= 0 else min(largest, width / at_one)


# --- rendering ------------------------------------------------------------------------


def _draw_text(c: Canvas, h: float, e: Text, fonts: Fonts) -> None:
    if not e.text:
        return
    x = e.x
    if e.align != "left":
        w = fonts.width(e.text, e.size, bold=e.bold)
        x -= w / 2 if e.align == "center" else w
    c.setFillGray(e.gray)
    draw_string(c, x, h - e.top - e.size * ASCENT, e.text, size=e.size, chain=fonts.chain(e.bold))
    c.setFillGray(0)


def _draw_box(c: Canvas, h: float, e: Box, fonts: Fonts) -> None:
    c.saveState()
    if e.fill is not None:
        c.setFillGray(e.fill)
    if e.line:
        c.setLineWidth(e.line)
    if e.dash:
        c.setDash(list(e.dash))
    c.rect(e.x, h - e.top - e.height, e.width, e.height, stroke=1 if e.line else 0,
           fill=1 if e.fill is not None else 0)
    c.restoreState()


def _draw_line(c: Canvas, h: float, e: Line, fonts: Fonts) -> None:
    c.saveState()
    c.setLineWidth(e.line)
    if e.dash:
        c.setDash(list(e.dash))
    c.line(e.x1, h - e.y1, e.x2, h - e.y2)
    c.restoreState()


def _draw_tick(c: Canvas, h: float, e: Tick, fonts: Fonts) -> None:
    c.saveState()
    c.setLineWidth(max(0.5, e.size * 0.07))
    bottom = h - e.top - e.size
    c.rect(e.x, bottom, e.size, e.size, stroke=1, fill=0)
    if e.ticked:
        c.setLineWidth(max(1.0, e.size * 0.16))
        c.setLineCap(1)
        c.setLineJoin(1)
        path = c.beginPath()
        path.moveTo(e.x + e.size * 0.18, bottom + e.size * 0.52)
        path.lineTo(e.x + e.size * 0.42, bottom + e.size * 0.22)
        path.lineTo(e.x + e.size * 0.86, bottom + e.size * 0.86)
        c.drawPath(path, stroke=1, fill=0)
    c.restoreState()


def _draw_ellipse(c: Canvas, h: float, e: Ellipse, fonts: Fonts) -> None:
    c.saveState()
    c.setLineWidth(e.line)
    c.ellipse(e.x, h - e.top - e.height, e.x + e.width, h - e.top, stroke=1, fill=0)
    c.restoreState()


def _draw_qr(c: Canvas, h: float, e: Qr, fonts: Fonts) -> None:
    draw_qr(c, e.matrix, e.x, h - e.top, e.module)


# One small function per kind of element (pretix's `_draw_<type>`).
_DRAW: dict[type, Callable[[Canvas, float, Any, Fonts], None]] = {
    Text: _draw_text, Box: _draw_box, Line: _draw_line, Tick: _draw_tick,
    Ellipse: _draw_ellipse, Qr: _draw_qr,
}


def render_pdf(pages: Sequence[Page], fonts: Fonts, *, title: str, subject: str = "") -> bytes:
    """Draw the pages into a PDF with the chains' fonts embedded (subset), nothing else.

    `invariant` keeps the bytes free of the time of day, so the same document renders to
    the same bytes (tests compare them, and a reprint is byte-identical).
    """
    first = register_reportlab(fonts.regular)[0]
    register_reportlab(fonts.bold)
    out = io.BytesIO()
    c = Canvas(out, pagesize=(pages[0].width, pages[0].height), initialFontName=first,
               pageCompression=1, invariant=1)
    c.setTitle(title)
    c.setSubject(subject)
    c.setCreator("no-write-counter-kiosk")
    for page in pages:
        c.setPageSize((page.width, page.height))
        for element in page.elements:
            _DRAW[type(element)](c, page.height, element, fonts)
        c.showPage()
    c.save()
    return out.getvalue()
