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



def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size % 2**20 else f"{size // 2**20} MB"


def _over(limit: str, cap: int, found: tuple[int, ...]) -> tuple[str, str]:
    """Which cap the file went over, in Japanese and English, and what it has if that is known."""
    has: tuple[str, str] | None = None
    match limit, found:
        case "file_size", (size,):
            has = (_mb(size),) * 2
        case "pdf_pages", (pages,):
            has = f"{pages} ページ", f"{pages} pages"
        case "page_size" | "pixels", (width, height):
            has = f"{width}×{height}", f"{width} x {height}"
    match limit:
        case "file_size":
            ja, en = f"ファイルの大きさが上限 {_mb(cap)} を超えています", f"the file is over the {_mb(cap)} limit"
        case "pdf_pages":
            ja, en = f"PDF のページ数が上限 {cap} ページを超えています", f"the PDF has more than {cap} pages"
        case "page_size":
            ja, en = f"PDF のページの 1 辺が上限 {cap} pt を超えています", f"a PDF page side is over the {cap} pt limit"
            has = has and (f"{has[0]} pt", f"{has[1]} pt")
        case "pixels":
            ja = f"画像の画素数が上限 {cap // 10_000} 万画素を超えています"
            en = f"the image is over the {cap / 1e6:g} megapixel limit"
        case "time":
            ja, en = f"読み込みが上限の {cap} 秒で終わりません", f"reading it takes longer than the {cap} s limit"
        case _:
            ja, en = "読み込むためのメモリーが足りません", "reading it needs more memory than there is"
    return (f"{ja}：{has[0]}", f"{en}: {has[1]}") if has else (ja, en)


class FileTooLargeError(ScannerError):
    """The file, a page of it or its picture is over a cap, so it is not decoded at all; or
    decoding it went over the child process's memory or time limit, and was stopped there.

    A slip's picture or PDF is far below every cap; a file over one is a mistake or an attack,
    and decoding it anyway could take the desk's memory (a 551-byte PDF once asked for 1.9 GB).
    The clerk scans the paper slip instead. `limit` names the cap (file_size, pdf_pages,
    page_size, pixels, or memory and time: the limits of the child process that decodes it) for
    the desk and the tests; `found` is what the file has, when it is known before anything is
    decoded.
    """

    code = "file_too_large"

    def __init__(self, name: str, limit: str, cap: int = 0, found: tuple[int, ...] = ()) -> None:
        ja, en = _over(limit, cap, found)
        super().__init__(
            ja=f"ファイル「{name}」は読み取りません（{ja}）。"
               "紙の控えの QR コードを QR スキャナーで読み取ってください。",
            en=f"The file '{name}' is not read ({en}). Scan the QR code on the paper slip with the QR "
               "scanner instead.",
        )
        self.name = name
        self.limit = limit
        self.reason = en
