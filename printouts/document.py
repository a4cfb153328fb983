"""What every document generator hands back (pretix's `(filename, mime type, bytes)`).

A generator knows nothing of where its bytes go: the kiosk prints them, the desk shows or
prints them, `kiosk forms preview` writes them to a folder, the tests rasterise them.
"""

from __future__ import annotations

from dataclasses import dataclass

PDF = "application/pdf"


@dataclass(frozen=True)
class Document:
    filename: str
    mime_type: str
    data: bytes
    # The paper it is laid out for, as a printer queue takes it: "A4", "A5", "80x153mm".
    paper: str = "A4"
