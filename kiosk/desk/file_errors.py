"""The desk's refusal of a file too large to read (an image or PDF given to `Desk.scan`).

Apart from kiosk/desk/errors.py, which is near the size cap; it is a ScanRefused like every
other scan refusal, so a caller that catches DeskError or ScanRefused catches it too.
"""

from __future__ import annotations

from drivers.scanner.errors import FileTooLargeError
from kiosk.desk.errors import ScanRefused


class FileTooLarge(ScanRefused):
    """Over a cap of drivers/scanner/image.py: the file, a PDF's pages or page size, the pixels.

    The instance carries the scanner's texts, which name the file and the cap it went over in
    the clerk's language; `limit` names the cap for scripts and tests. Nothing was decoded.
    """

    code = "file_too_large"
    message_ja = "ファイルが大きすぎるため読み取りません。紙の控えの QR コードを QR スキャナーで読み取ってください。"
    message_en = "The file is too large to read. Scan the QR code on the paper slip with the QR scanner instead."
    # file_size, pdf_pages, page_size, pixels, memory or time (FileTooLargeError.limit).
    limit: str = ""

    @classmethod
    def of(cls, exc: FileTooLargeError) -> FileTooLarge:
        refused = cls(ja=exc.message_ja, en=exc.message_en, source="scanner")
        refused.limit = exc.limit
        return refused
