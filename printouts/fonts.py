"""The font chain on paper: registered with ReportLab, measured and drawn run by run.

Which fonts a chain holds and which of them draws each character is common/fonts.py, shared
with the screen; this module is only what needs ReportLab. See docs/printouts.md ("Fonts")
for the chain and why it differs between paper and screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportLabFont

from common.fonts import FontChain, FontError


def register_reportlab(chain: FontChain) -> tuple[str, ...]:
    """Register the chain's fonts with ReportLab; return their names, first first.

    ReportLab's font registry is process-wide, so a name already registered from the
    same file is reused (calling this again costs a look-up per font), and one registered
    from another file is an error rather than a silent swap of typefaces. Pass the first
    name as the canvas' `initialFontName`: ReportLab's default Helvetica is never embedded.
    """
    registered = set(pdfmetrics.getRegisteredFontNames())
    for font in chain.fonts:
        if font.name in registered:
            known = pdfmetrics.getFont(font.name)
            if Path(getattr(known.face, "filename", "")) != font.path:
                raise FontError(
                    f"ReportLab already has a font named {font.name!r} from another file"
                )
            continue
        if chain.coverage(font.name).postscript_outlines:
            raise FontError(
                f"{font.spec.label} ({font.path}) has PostScript (CFF) outlines, which "
                "ReportLab cannot embed; use FontChain.for_pdf() for PDFs"
            )
        pdfmetrics.registerFont(
            ReportLabFont(font.name, str(font.path), subfontIndex=font.spec.subfont_index)
        )
    return chain.names


def string_width(text: str, *, size: float, chain: FontChain) -> float:
    """The width `draw_string` will use, placeholders for missing characters included."""
    register_reportlab(chain)
    return float(sum(pdfmetrics.stringWidth(run.text, run.font_name, size)
                     for run in chain.runs(text)))


def draw_string(
    canvas: Any, x: float, y: float, text: str, *, size: float, chain: FontChain
) -> float:
    """Draw one line run by run on a ReportLab canvas; return its width.

    The canvas' own font and size are left as they were (saveState/restoreState), so
    later plain `drawString` calls are not drawn in whatever font the last run used.
    Callers that must flag missing characters call `chain.shape(text)` themselves.
    """
    register_reportlab(chain)
    canvas.saveState()
    try:
        line = canvas.beginText(x, y)
        for run in chain.runs(text):
            line.setFont(run.font_name, size)
            line.textOut(run.text)
        canvas.drawText(line)
        width: float = line.getX() - x
    finally:
        canvas.restoreState()
    return width
