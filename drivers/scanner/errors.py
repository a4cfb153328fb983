"""What can stop a picture from being read, with messages a clerk can act on."""

from __future__ import annotations

from typing import ClassVar


class ScannerError(Exception):
    """A picture could not be read; the message says what a person can do."""

    code: ClassVar[str] = "scanner_error"

    def __init__(self, message_ja: str, message_en: str) -> None:
        super().__init__(f"{message_ja} / {message_en}")
        self.message_ja = message_ja
        self.message_en = message_en


class ImageUnreadableError(ScannerError):
    """The file is missing, or not an image or PDF this reader opens."""

    code = "image_unreadable"

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(
            f"画像ファイル「{name}」を開けません（{reason}）。PNG・JPEG・PDF のファイルを指定してください。",
            f"The image file '{name}' cannot be opened ({reason}). Choose a PNG, JPEG or PDF file.",
        )
        self.name = name
        self.reason = reason
