"""QR codes in a picture (PNG, JPEG, ... or each page of a PDF), read with zxing-cpp.

Only QR codes are looked for: the large digits of a ticket number can pass for a 1-D barcode,
and a desk has no use for those.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, UnidentifiedImageError

from drivers.scanner.errors import ImageUnreadableError

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp",
                            ".pdf"})
# The kiosk's thermal printer prints at 203 dpi, so a slip PDF is read at that grid.
PDF_DPI = 203
MAX_PDF_PAGES = 4


def codes_in_image(path: Path) -> list[str]:
    """The text of every QR code in the picture (or in each of the PDF's first pages)."""
    texts: list[str] = []
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    for image in _images(path):
        found = zxingcpp.read_barcodes(image, formats=qr_only)
        texts.extend(code.text for code in found if code.valid and code.text)
    return texts


def _images(path: Path) -> list[Image.Image]:
    try:
        if path.suffix.lower() == ".pdf":
            document = pdfium.PdfDocument(path)
            try:
                return [document[i].render(scale=PDF_DPI / 72).to_pil()
                        for i in range(min(len(document), MAX_PDF_PAGES))]
            finally:
                document.close()
        with Image.open(path) as image:
            image.load()
            return [image.copy()]
    except (OSError, UnidentifiedImageError, pdfium.PdfiumError, ValueError) as exc:
        raise ImageUnreadableError(path.name, type(exc).__name__) from None
