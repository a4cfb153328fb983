"""What can stop a picture from being read, with messages a clerk can act on.

`ScannerError` is a `common.errors.BilingualError` (code, message_ja, message_en, detail), so
the desk words it the way it words every other layer's errors.
"""

from __future__ import annotations

from common.errors import BilingualError


class ScannerError(BilingualError):
    """A picture could not be read; the message says what a person can do."""

    code = "scanner_error"
    message_ja = "画像を読み取れませんでした。係員に連絡してください。"
    message_en = "The picture could not be read. Call staff."


class ImageUnreadableError(ScannerError):
    """The file is missing, or not an image or PDF this reader opens.

    The texts name the file and the reason already, so `detail` stays empty rather than say
    them twice; `name` and `reason` are kept for the desk, which words it in its own way.
    """

    code = "image_unreadable"

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(
            ja=f"画像ファイル「{name}」を開けません（{reason}）。PNG・JPEG・PDF のファイルを指定してください。",
            en=f"The image file '{name}' cannot be opened ({reason}). Choose a PNG, JPEG or PDF file.",
        )
        self.name = name
        self.reason = reason
