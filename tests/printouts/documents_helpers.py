"""What the document tests share: the real rasteriser, two QR readers, text and font listing.

Every check runs on the finished PDF bytes with the tools a site would use (pdfium, zxing-cpp,
zbar, poppler), never on the layout's own idea of what it drew.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import base45
import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "documents"
TODAY = dt.date(2025, 4, 1)
ISSUED_AT = dt.datetime(2025, 4, 1, 10, 23)
OFFICE = "みほん市役所"
COUNTER = "市民課 住民記録係"
TICKET = "A-023"
QR_ALPHANUMERIC = re.compile(r"^[0-9A-Z $%*+\-./:]*$")


def slip_text(length: int = 600) -> str:
    """A stand-in for the sealed payload: "KS1-" and Base45, as printouts/payload prints it."""
    raw = bytes((i * 37 + 11) % 256 for i in range(length))
    encoded: bytes = base45.b45encode(raw)
    return ("KS1-" + encoded.decode("ascii"))[:length + 4]


def rasterise(pdf: bytes, dpi: int, page: int = 0) -> Image.Image:
    """One page in grey at `dpi`, on exactly that grid.

    pypdfium2 rounds the bitmap size up; a page of 639.0000001 dots would become 640 pixels
    and every module would be resampled. A hair less scale keeps the grid the printer's.
    """
    doc = pdfium.PdfDocument(pdf)
    try:
        bitmap = doc[page].render(scale=dpi / 72 * (1 - 1e-6), grayscale=True)
        image: Image.Image = bitmap.to_pil().convert("L")
        return image
    finally:
        doc.close()


def page_count(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def page_size_mm(pdf: bytes, page: int = 0) -> tuple[float, float]:
    doc = pdfium.PdfDocument(pdf)
    try:
        w, h = doc[page].get_size()
        return w * 25.4 / 72, h * 25.4 / 72
    finally:
        doc.close()


def text_of(pdf: bytes | Path) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        parts = []
        for page in doc:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(parts)
    finally:
        doc.close()


@dataclass(frozen=True)
class Glyph:
    char: str
    left: float
    bottom: float
    right: float
    top: float

    @property
    def height(self) -> float:
        return self.top - self.bottom


def glyphs(pdf: bytes, page: int = 0) -> list[Glyph]:
    """Each character of a page with its loose box (the font size's, not the ink's), y up."""
    doc = pdfium.PdfDocument(pdf)
    try:
        textpage = doc[page].get_textpage()
        out = []
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if char.strip():
                out.append(Glyph(char, *textpage.get_charbox(i, loose=True)))
        textpage.close()
        return out
    finally:
        doc.close()


def read_qr(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def qr_box(image: Image.Image) -> tuple[int, int, int, int]:
    """The code's symbol (quiet zone excluded) in pixels, as zxing-cpp located it."""
    found = [r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    p = found[0].position
    xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
    ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
    return min(xs), min(ys), max(xs), max(ys)


def zbar(png: Path) -> str:
    """The second, independent reader: zbar's command line, as a site would run it.

    Told to look for QR codes only: with every symbology on, zbar also "found" a Codabar
    symbol in a slip's text and printed it after the QR code's content.
    """
    only_qr = ["--set", "*.enable=0", "--set", "qrcode.enable=1"]
    done = subprocess.run(["zbarimg", "--nodbus", "-q", "--raw", *only_qr, str(png)], capture_output=True,
                          text=True, check=False, timeout=60)
    return done.stdout.rstrip("\n")


@dataclass(frozen=True)
class PdfFont:
    name: str
    type: str
    embedded: bool


def pdffonts(pdf: bytes, tmp: Path) -> list[PdfFont]:
    """poppler's own listing; the columns are read from the right (a type may hold spaces)."""
    path = tmp / "fonts-check.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=60).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        fonts.append(PdfFont(cols[0], " ".join(cols[1:-6]), cols[-5] == "yes"))
    return fonts


def save_pngs(pdf: bytes, name: str, dpi: int = 100) -> list[Path]:
    """Every page as a PNG under test-artifacts/documents/, for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(ARTIFACTS / name)], check=True,
                   timeout=120)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def without_spaces(text: str) -> str:
    return re.sub(r"\s+", "", text)
