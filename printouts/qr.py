"""QR codes drawn as vector modules, sized in whole printer dots.

A thermal printer at 203 dpi cannot print a module of 2.7 dots: it prints 2 or 3, and the
code's timing pattern goes uneven, which is what makes cheap scanners fail. So the module
size is a whole number of dots (at least 3, i.e. >= 0.375 mm) and the code is placed on the
dot grid; dark modules are filled as one path so that no hairline seams appear between
abutting rectangles when a rasteriser anti-aliases them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

POINTS_PER_INCH = 72.0
QUIET_ZONE = 4  # modules; ISO/IEC 18004 section 7.3.8 asks for 4


@dataclass(frozen=True)
class QrMatrix:
    """The modules of a code, quiet zone included; `rows[y][x]` is True for a dark module."""

    text: str
    version: int
    rows: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        """Modules per side, quiet zone included."""
        return len(self.rows)


def qr_matrix(text: str) -> QrMatrix:
    """Error level M: 15 % of a slip may be creased or smudged and the code still reads."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=1)
    code.add_data(text)
    code.make(fit=True)
    rows = tuple(tuple(bool(m) for m in row) for row in code.get_matrix())
    return QrMatrix(text=text, version=int(code.version), rows=rows)


def dots_to_points(dots: int, dpi: int) -> float:
    return dots * POINTS_PER_INCH / dpi


def module_dots(matrix: QrMatrix, *, dpi: int, max_width_pt: float, min_module_mm: float = 0.375,
                max_module_mm: float = 0.75) -> int:
    """The largest whole number of dots per module that fits the width, within the bounds.

    Bigger modules read better, so the code grows to fill the column, up to `max_module_mm`
    (beyond that a small code just looks shouty). The lower bound wins over the width: a code
    that is too wide is still drawn readable and the caller sees it in the tests.
    """
    least = max(1, math.ceil(round(min_module_mm / 25.4 * dpi, 6)))
    most = max(least, math.floor(max_module_mm / 25.4 * dpi))
    fits = math.floor(max_width_pt / dots_to_points(matrix.size, dpi))
    return max(least, min(most, fits))


def snap(points: float, dpi: int) -> float:
    """`points` moved down onto the printer's dot grid."""
    return dots_to_points(math.floor(round(points * dpi / POINTS_PER_INCH, 6)), dpi)


def draw_qr(canvas: Canvas, matrix: QrMatrix, x: float, y_top: float, module: float) -> None:
    """Draw the code with its top-left corner (quiet zone included) at (x, y_top) in PDF points.

    The page is scaled to module units, so every rectangle has whole-number corners (no
    rounding drift across 120 modules) and is written as one `re` operator: each row's dark
    runs become one rectangle, and all of them are filled as a single path (ISO 32000-1
    8.5.3), which a rasteriser covers without seams.
    """
    ops = []
    for r, row in enumerate(matrix.rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            ops.append(f"{start} {r} {c - start} 1 re")
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.translate(x, y_top)
    canvas.scale(module, -module)  # y runs down the rows, in modules
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()
