"""Decoding an untrusted picture or PDF into QR texts: the part that runs in a child process.

The decoders (Pillow, pdfium, zxing-cpp) are native code that allocates what the file asks
for, and not every request can be seen before it is made: a 100 KB PDF whose page content is a
Flate-compressed run of tiny rectangles took 1.4 GB and 3 s in pdfium's page loading, a 1 MB
one whose object stream inflates to 1 GB of blanks took 2 GB just to count its pages. So the
caps below are checked here, from what is cheap to read, before a page is loaded or a picture
decoded, and all of it runs under the limits `main` sets (drivers/scanner/sandbox.py starts it
and words what it answers or how it died).

Run as a script (`python -I decoding.py KIND MEMORY SECONDS`, the file on stdin, a JSON answer
on stdout), it imports only the standard library, pypdfium2, zxing-cpp and Pillow: nothing of
the project, no Kivy, no key. JSON, not pickle: the parent must not run what a child that a
hostile file subverted could write.
"""

from __future__ import annotations

import io
import json
import resource
import sys
from collections.abc import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import zxingcpp
from PIL import Image, UnidentifiedImageError

# The kiosk's thermal printer prints at 203 dpi, so a slip PDF is read at that grid.
PDF_DPI = 203
# A slip is one page; a PDF of a few slips is read up to here, one of more than MAX_PDF_PAGES
# is refused (it is not a stack of slips).
READ_PDF_PAGES = 4
MAX_PDF_PAGES = 8
# A3 is 842 x 1191 pt; half again on its long side. At PDF_DPI a page this size renders to at
# most 5075 x 5075 dots (26 Mpx, one byte each in grey), under MAX_PIXELS.
MAX_PAGE_POINTS = 1800
# A 40 Mpx photo decodes to 160 MB in RGBA; a slip photographed by a phone is 12 Mpx.
MAX_PIXELS = 40_000_000
# The formats a desk reads, found by content. Pillow otherwise tries all of its readers on an
# unknown file, EPS among them, which runs Ghostscript.
PILLOW_FORMATS = ("PNG", "JPEG", "BMP", "GIF", "TIFF", "WEBP")

# What `decode` answers: {"codes": [text, ...]}, or {"refused": "file_too_large", "limit": ...,
# "cap": ..., "found": [...]}, or {"refused": "image_unreadable", "reason": ...}.
Answer = dict[str, object]


class OverCap(Exception):
    """The file is over a cap: FileTooLargeError's arguments, without the file's name."""

    def __init__(self, limit: str, cap: int = 0, found: tuple[int, ...] = ()) -> None:
        super().__init__(limit)
        self.limit = limit
        self.cap = cap
        self.found = found


class Unreadable(Exception):
    """The file is not one this desk reads; the message says why, in a clerk's words."""


def decode(kind: str, data: bytes) -> Answer:
    """The QR texts in `data` ("pdf": its first pages, "picture": its first frame), or why not.

    Whatever a decoder raises on a hostile file is an answer too: the parent words it.
    """
    try:
        return {"codes": list(_codes(kind, data))}
    except OverCap as over:
        return too_large(over.limit, over.cap, over.found)
    except MemoryError:
        return too_large("memory")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, which fires (above 89 Mpx) before our header check can.
        return too_large("pixels", MAX_PIXELS)
    except Unreadable as exc:
        return {"refused": "image_unreadable", "reason": str(exc)}
    except Exception as exc:
        # Pillow's and pdfium's readers raise what they like on a torn or hostile file (a
        # truncated PNG is a SyntaxError, a bad TIFF tag a KeyError, a short header a
        # struct.error): each is the file's fault, and the clerk needs a code.
        return {"refused": "image_unreadable", "reason": reason(exc)}


def too_large(limit: str, cap: int = 0, found: tuple[int, ...] = ()) -> Answer:
    return {"refused": "file_too_large", "limit": limit, "cap": cap, "found": list(found)}


def _codes(kind: str, data: bytes) -> Iterator[str]:
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    images = _pdf_pages(data) if kind == "pdf" else iter([_picture(data)])
    for image in images:  # one bitmap alive at a time
        found = zxingcpp.read_barcodes(_grey(image), formats=qr_only)
        yield from (code.text for code in found if code.valid and code.text)


def _grey(image: Image.Image) -> memoryview:
    """The picture as 8-bit grey rows, the form zxing reads without a copy of its own.

    zxing reads luminance anyway; given a Pillow image it copies it whole inside its own call,
    where running out of memory surfaces as a TypeError instead of a MemoryError. Palette
    indices or 16-bit values would be misread as grey; converting maps them to grey first.
    """
    grey = image if image.mode == "L" else image.convert("L")
    return memoryview(grey.tobytes()).cast("B", (grey.height, grey.width))


def open_picture(data: bytes) -> Image.Image:
    """The picture, its header read and checked against MAX_PIXELS, nothing decoded yet.

    Image.open reads the header alone, so the parent calls this too, to refuse a picture over
    the cap before it starts a child. The cap is ours, not Pillow's global MAX_IMAGE_PIXELS,
    which other code in the process may rely on.
    """
    image = Image.open(io.BytesIO(data), formats=PILLOW_FORMATS)
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise OverCap("pixels", MAX_PIXELS, (width, height))
    return image


def _picture(data: bytes) -> Image.Image:
    """The first frame: load() decodes the frame the file opened at, never a GIF's or TIFF's
    later ones."""
    image = open_picture(data)
    image.load()
    return image


def _pdf_pages(data: bytes) -> Iterator[Image.Image]:
    """The first pages, rendered in grey once the page count and every page's size are checked.

    Counting pages and reading a page's box parse no page content (FPDF_GetPageSizeByIndexF);
    loading a page parses all of it, which is where a content bomb goes off, under the limits.
    """
    document = pdfium.PdfDocument(data)
    try:
        count = len(document)
        if count > MAX_PDF_PAGES:
            raise OverCap("pdf_pages", MAX_PDF_PAGES, (count,))
        for index in range(min(count, READ_PDF_PAGES)):
            _check_page_size(*document.get_page_size(index))
        for index in range(min(count, READ_PDF_PAGES)):
            page = document[index]
            try:
                _check_pictures(page)
                # Grey: zxing reads luminance anyway, and the bitmap is a third of RGB's.
                yield page.render(scale=PDF_DPI / 72, grayscale=True).to_pil()
            finally:
                page.close()
    finally:
        document.close()


def _check_page_size(width: float, height: float) -> None:
    if not (width > 0 and height > 0):
        raise Unreadable("a PDF page without a size")
    if max(width, height) > MAX_PAGE_POINTS:
        raise OverCap("page_size", MAX_PAGE_POINTS, (round(width), round(height)))


def _check_pictures(page: pdfium.PdfPage) -> None:
    """Refuse a page whose pictures would decode too large.

    pdfium decodes an embedded picture whole whatever size it is drawn at (a 30000 x 30000 grey
    picture on a 200 pt page took 0.9 GB), so the pictures' own sizes count, from their
    dictionaries, before anything is rendered.
    """
    pixels = 0
    for picture in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        width, height = picture.get_px_size()
        pixels += width * height
        if pixels > MAX_PIXELS:
            raise OverCap("pixels", MAX_PIXELS, (width, height))


def reason(exc: BaseException) -> str:
    """Why the file cannot be decoded, in words a clerk can act on (the exception's name else)."""
    if isinstance(exc, EOFError) or "truncated" in str(exc):
        return "the file is cut short"
    if isinstance(exc, UnidentifiedImageError | pdfium.PdfiumError):
        return "not a picture or PDF this desk reads"
    return type(exc).__name__


def limit_self(memory: int, seconds: int) -> None:
    """Hard limits on this process, set before the file is read (and never raised again).

    RLIMIT_AS makes an allocation over `memory` fail (pdfium then aborts, Pillow raises
    MemoryError); RLIMIT_CPU ends a decoder that spins (SIGXCPU); no core file is written (an
    aborted child would dump its 1.5 GB), and no file at all.
    """
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def main(argv: list[str]) -> int:
    kind, memory, seconds = argv[1], int(argv[2]), int(argv[3])
    limit_self(memory, seconds)
    answer = decode(kind, sys.stdin.buffer.read())
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
