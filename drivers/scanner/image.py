"""QR codes in a picture (PNG, JPEG, ... or each page of a PDF), read with zxing-cpp.

Only QR codes are looked for: the large digits of a ticket number can pass for a 1-D barcode,
and a desk has no use for those.

The file comes from anyone (a USB stick, a mail attachment), and the decoders behind it are
native code that allocates what the file asks for: a 551-byte PDF with one 5000 pt page once
took 1.9 GB. So every cap is checked from what is cheap to read (the file's size here, a
picture's header here too, the PDF's page count, page sizes and pictures before a page is
rendered), and the decoding itself runs in a child process with a memory and a time limit
(drivers/scanner/sandbox.py), since some bombs cannot be seen before they go off: pdfium parses
a page's whole content to load it, and a PDF's object streams to count its pages. Whatever a
decoder still raises on a hostile file, and a child killed by a limit, becomes a coded refusal
(`FileTooLargeError`, `ImageUnreadableError`) rather than a traceback. A slip's own picture or
PDF is far below every cap and limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from PIL import Image

from drivers.scanner.decoding import (
    MAX_PAGE_POINTS,
    MAX_PDF_PAGES,
    MAX_PIXELS,
    PDF_DPI,
    PILLOW_FORMATS,
    READ_PDF_PAGES,
    Answer,
    OverCap,
    open_picture,
    reason,
)
from drivers.scanner.errors import FileTooLargeError, ImageUnreadableError, ScannerError
from drivers.scanner.sandbox import MEMORY_LIMIT, TIME_LIMIT, decode_isolated

# The caps, for whoever names them (docs/security.md), wherever they are checked.
__all__ = ["IMAGE_SUFFIXES", "MAX_FILE_BYTES", "MAX_PAGE_POINTS", "MAX_PDF_PAGES", "MAX_PIXELS",
           "MEMORY_LIMIT", "PDF_DPI", "PILLOW_FORMATS", "READ_PDF_PAGES", "TIME_LIMIT",
           "codes_in_image", "read_capped"]

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp",
                            ".pdf"})
# A slip's PDF or photo is well under 1 MB; a phone photo under 10 MB.
MAX_FILE_BYTES = 20 * 2**20


def codes_in_image(path: Path) -> list[str]:
    """The text of every QR code in the picture (or in each of the PDF's first pages)."""
    data = read_capped(path)
    kind = "pdf" if path.suffix.lower() == ".pdf" else "picture"
    if kind == "picture":
        _check_header(path.name, data)
    return _texts(path.name, decode_isolated(path.name, kind, data))


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


def _check_header(name: str, data: bytes) -> None:
    """Refuse a picture over the pixel cap, or not a picture at all, without starting a child.

    Only the header is read (Pillow's readers cap what they inflate of it), so this is as safe
    here as in the child, which checks it again, and it answers at once.
    """
    try:
        open_picture(data)
    except OverCap as over:
        raise FileTooLargeError(name, over.limit, over.cap, over.found) from None
    except MemoryError:
        raise FileTooLargeError(name, "memory") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, which fires (above 89 Mpx) before our header check can.
        raise FileTooLargeError(name, "pixels", MAX_PIXELS) from None
    except Exception as exc:
        # A short header is a struct.error, an unknown one UnidentifiedImageError: each is the
        # file's fault, and the clerk needs a code, not a traceback.
        raise ImageUnreadableError(name, reason(exc)) from None


def _texts(name: str, answer: Answer) -> list[str]:
    """The child's answer (checked by the sandbox) as the codes' texts or the refusal."""
    match answer:
        case {"codes": list(texts)}:
            return [str(text) for text in texts]
        case {"refused": "file_too_large", "limit": str(limit), "cap": int(cap), "found": list(found)}:
            raise FileTooLargeError(name, limit, cap, tuple(int(number) for number in found))
        case {"refused": "image_unreadable", "reason": str(why)}:
            raise ImageUnreadableError(name, why)
    raise ScannerError("the decoder's answer was not understood")


def _reason(exc: BaseException) -> str:
    """Why the file cannot be opened, in words a clerk can act on."""
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    return reason(exc)


_OS_REASONS = {
    errno.ENOENT: "no such file",
    errno.EACCES: "no permission to read it",
    errno.EPERM: "no permission to read it",
    errno.EISDIR: "a folder, not a file",
    errno.ELOOP: "a link that loops",
    errno.ENAMETOOLONG: "the name is too long",
}
