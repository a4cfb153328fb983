"""A small PDF made on the spot, so the printer tests need no fixture files."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

SLIP_WIDTH_MM = 80
SLIP_HEIGHT_MM = 120


def make_pdf(label: str = "A-0012") -> bytes:
    """A receipt-sized page with a filled box, so a blank output is easy to tell apart."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(SLIP_WIDTH_MM * mm, SLIP_HEIGHT_MM * mm))
    page.rect(10 * mm, 60 * mm, 60 * mm, 40 * mm, stroke=1, fill=1)
    page.setFont("Helvetica-Bold", 28)
    page.drawString(10 * mm, 30 * mm, label)
    page.showPage()
    page.save()
    return buffer.getvalue()
