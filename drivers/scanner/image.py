"""QR codes in a picture (PNG, JPEG, ... or each page of a PDF), read with zxing-cpp.

Only QR codes are looked for: the large digits of a ticket number can pass for a 1-D barcode,
and a desk has no use for those.

The file comes from anyone (a USB stick, a mail attachment), and the decoders behind it are
native code that allocates what the file asks for: a 551-byte PDF with one 5000 pt page once
took 1.9 GB. So every cap below is checked from what is cheap to read (the file's size, the
PDF's page count and page sizes, the picture's header) before a page is rendered or a picture
decoded, and whatever a decoder still raises on a hostile file becomes a coded refusal
(`FileTooLargeError`, `ImageUnreadableError`) rather than a traceback. A slip's own picture or
PDF is far below every cap.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import zxingcpp
from PIL import Image, UnidentifiedImageError

from drivers.scanner.errors import FileTooLargeError, ImageUnreadableError, ScannerError

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp",
                            ".pdf"})
# The kiosk's thermal printer prints at 203 dpi, so a slip PDF is read at that grid.
PDF_DPI = 203
# A slip is one page; a PDF of a few slips is read up to here, one of more than MAX_PDF_PAGES
# is refused (it is not a stack of slips).
READ_PDF_PAGES = 4
MAX_PDF_PAGES = 8
# A slip's PDF or photo is well under 1 MB; a phone photo under 10 MB.
MAX_FILE_BYTES = 20 * 2**20
# A3 is 842 x 1191 pt; half again on its long side. At PDF_DPI a page this size renders to at
# most 5075 x 5075 dots (26 Mpx, one byte each in grey), under MAX_PIXELS.
MAX_PAGE_POINTS = 1800
# A 40 Mpx photo decodes to 160 MB in RGBA; a slip photographed by a phone is 12 Mpx.
MAX_PIXELS = 40_000_000
# The formats of IMAGE_SUFFIXES, found by content. Pillow otherwise tries all of its readers on
# an unknown file, EPS among them, which runs Ghostscript.
PILLOW_FORMATS = ("PNG", "JPEG", "BMP", "GIF", "TIFF", "WEBP")


def codes_in_image(path: Path) -> list[str]:
    """The text of every QR code in the picture (or in each of the PDF's first pages)."""
    texts: list[str] = []
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    try:
        for image in _images(path, read_capped(path)):
            found = zxingcpp.read_barcodes(image, formats=qr_only)
            texts.extend(code.text for code in found if code.valid and code.text)
    except ScannerError:
        raise
    except MemoryError:
        raise FileTooLargeError(path.name, "memory") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, which fires (above 89 Mpx) before our header check can.
        raise FileTooLargeError(path.name, "pixels", MAX_PIXELS) from None
    except Exception as exc:
        # Pillow's and pdfium's readers raise what they like on a torn or hostile file (a
        # truncated PNG is a SyntaxError, a bad TIFF tag a KeyError, a short header a
        # struct.error): each is the file's fault, and the clerk needs a code, not a traceback.
        raise ImageUnreadableError(path.name, _reason(exc)) from None
    return texts


def read_capped(path: Path) -> bytes:
    """The file's bytes, once it is known to be a regular file under MAX_FILE_BYTES.

    A FIFO would block the read for ever and /dev/zero would never end, so the file is looked
    at before it is opened, and again (fstat) once open, in case it was swapped in between; the
    open does not block (O_NONBLOCK) and takes no terminal (O_NOCTTY). The bytes are read once
    and decoded from memory, so what was checked is what is decoded.
    """
    try:
        _check_file(path, os.stat(path))
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise ImageUnreadableError(path.name, _reason(exc)) from None
    try:
        _check_file(path, os.fstat(fd))
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES and (chunk := os.read(fd, 2**20)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ImageUnreadableError(path.name, _reason(exc)) from None
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:  # it grew after the check
        raise FileTooLargeError(path.name, "file_size", MAX_FILE_BYTES, (size,))
    if not size:
        raise ImageUnreadableError(path.name, "empty file")
    return b"".join(chunks)


def _check_file(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe or device"
        raise ImageUnreadableError(path.name, f"{kind}, not a file")
    if info.st_size > MAX_FILE_BYTES:
        raise FileTooLargeError(path.name, "file_size", MAX_FILE_BYTES, (info.st_size,))


def _images(path: Path, data: bytes) -> Iterator[Image.Image]:
    """The picture, or the PDF's first pages one at a time (one bitmap alive at once)."""
    if path.suffix.lower() == ".pdf":
        yield from _pdf_pages(path.name, data)
    else:
        yield _picture(path.name, data)


def _picture(name: str, data: bytes) -> Image.Image:
    """The first frame of the picture, decoded only once its header says it is under the cap.

    Image.open reads the header alone. The cap is ours, not Pillow's global MAX_IMAGE_PIXELS,
    which other code in the process may rely on. A GIF's or TIFF's later frames are never
    decoded: load() decodes the frame the file opened at.
    """
    image = Image.open(io.BytesIO(data), formats=PILLOW_FORMATS)
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise FileTooLargeError(name, "pixels", MAX_PIXELS, (width, height))
    image.load()
    # zxing reads 8-bit grey or colour; palette indices or 16-bit values would be misread.
    return image if image.mode in ("L", "RGB", "RGBA") else image.convert("L")


def _pdf_pages(name: str, data: bytes) -> Iterator[Image.Image]:
    document = pdfium.PdfDocument(data)
    try:
        count = len(document)
        if count > MAX_PDF_PAGES:
            raise FileTooLargeError(name, "pdf_pages", MAX_PDF_PAGES, (count,))
        for index in range(min(count, READ_PDF_PAGES)):
            page = document[index]
            try:
                _check_page(name, page)
                # Grey: zxing reads luminance anyway, and the bitmap is a third of RGB's.
                yield page.render(scale=PDF_DPI / 72, grayscale=True).to_pil()
            finally:
                page.close()
    finally:
        document.close()


def _check_page(name: str, page: pdfium.PdfPage) -> None:
    """Refuse a page too large to render, or whose pictures would decode too large.

    pdfium decodes an embedded picture whole whatever size it is drawn at (a 30000 x 30000 grey
    picture on a 200 pt page took 0.9 GB), so the pictures' own sizes count, from their
    dictionaries, before anything is decoded.
    """
    width, height = page.get_size()
    if not (width > 0 and height > 0):
        raise ImageUnreadableError(name, "a PDF page without a size")
    if max(width, height) > MAX_PAGE_POINTS:
        raise FileTooLargeError(name, "page_size", MAX_PAGE_POINTS, (round(width), round(height)))
    pixels = 0
    for picture in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        picture_width, picture_height = picture.get_px_size()
        pixels += picture_width * picture_height
        if pixels > MAX_PIXELS:
            raise FileTooLargeError(name, "pixels", MAX_PIXELS, (picture_width, picture_height))


def _reason(exc: BaseException) -> str:
    """Why the file cannot be opened, in words a clerk can act on (the exception's name else)."""
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    if isinstance(exc, EOFError) or "truncated" in str(exc):
        return "the file is cut short"
    if isinstance(exc, UnidentifiedImageError | pdfium.PdfiumError):
        return "not a picture or PDF this desk reads"
    return type(exc).__name__


_OS_REASONS = {
    errno.ENOENT: "no such file",
    errno.EACCES: "no permission to read it",
    errno.EPERM: "no permission to read it",
    errno.EISDIR: "a folder, not a file",
    errno.ELOOP: "a link that loops",
    errno.ENAMETOOLONG: "the name is too long",
}
