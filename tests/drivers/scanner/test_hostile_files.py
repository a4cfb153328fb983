"""Hostile files given to the scanner: each is refused with a code a clerk can act on, before
anything large is decoded, and nothing else escapes (no MemoryError, no decoder's error).

The corpus is built in tmp_path by `hostile_file`, which the desk's tests use too
(tests/kiosk/desk/test_hostile_files.py). Every file is tiny or sparse: a file that asked for
gigabytes would only be refused, never decoded.
"""

from __future__ import annotations

import errno
import io
import os
import random
import struct
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import qrcode
from PIL import Image, ImageFile

from drivers.scanner.errors import FileTooLargeError, ImageUnreadableError, ScannerError
from drivers.scanner.image import MAX_FILE_BYTES, codes_in_image


def qr_image(text: str) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=4)
    code.add_data(text)
    image: Image.Image = code.make_image().get_image().convert("L")
    return image


def tiny_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand: the objects numbered from 1 (1 the catalog), an xref, a trailer."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_of_pages(kids: bytes, count: int, page: bytes, *more: bytes) -> bytes:
    return tiny_pdf(b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count), page, *more)


def huge_page_pdf(side: int) -> bytes:
    return pdf_of_pages(b"3 0 R", 1, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>" % (side, side))


def many_pages_pdf(pages: int) -> bytes:
    """One A6 page referenced `pages` times: 60 KB for 10000 pages."""
    return pdf_of_pages(b" ".join([b"3 0 R"] * pages), pages,
                        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] >>")


def picture_bomb_pdf(side: int) -> bytes:
    """A small page drawing a side x side grey picture; the stream is a stub, never decoded."""
    draw = b"q 200 0 0 200 0 0 cm /Im0 Do Q"
    stub = zlib.compress(bytes(64))
    return pdf_of_pages(
        b"3 0 R", 1,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << /Im0 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (side, side, len(stub), stub))


def png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose IHDR says width x height (one grey byte a pixel) and whose data is a stub."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(64)))
            + chunk(b"IEND", b""))


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def zero_bomb_png() -> bytes:
    """8000 x 8000 all-zero pixels (64 Mpx, 8 MB as one bit each): a few KB as a PNG."""
    return encoded(Image.new("1", (8000, 8000)), "PNG")


def many_frames_gif(text: str, frames: int) -> bytes:
    """The slip's code in the first frame, then `frames - 1` blank frames."""
    first = qr_image(text).convert("P")
    blank = Image.new("P", first.size, 255)
    return encoded(first, "GIF", save_all=True, append_images=[blank] * (frames - 1))


# name -> (how to make it at that path, the code refused with, the cap for file_too_large).
# The makers build their bytes when called, so a test builds only the file it needs.
Maker = Callable[[Path], object]


def _write(build: Callable[..., bytes], *args: object) -> Maker:
    return lambda path: path.write_bytes(build(*args))


def _sparse(size: int) -> Maker:
    def make(path: Path) -> None:
        with path.open("wb") as out:
            out.truncate(size)  # a hole: no disk used, and never read
    return make


def _torn(fmt: str) -> bytes:
    data = encoded(qr_image("KS1-TORN").convert("RGB"), fmt)
    return data[: len(data) // 2]


HOSTILE: dict[str, tuple[Maker, str, str]] = {
    "huge-page.pdf": (_write(huge_page_pdf, 5000), "file_too_large", "page_size"),
    "huger-page.pdf": (_write(huge_page_pdf, 14400), "file_too_large", "page_size"),
    "10000-pages.pdf": (_write(many_pages_pdf, 10000), "file_too_large", "pdf_pages"),
    "picture-bomb.pdf": (_write(picture_bomb_pdf, 30000), "file_too_large", "pixels"),
    "header-100000.png": (_write(png_header_claiming, 100_000, 100_000), "file_too_large", "pixels"),
    "header-10000.png": (_write(png_header_claiming, 10_000, 10_000), "file_too_large", "pixels"),
    "header-7000.png": (_write(png_header_claiming, 7000, 7000), "file_too_large", "pixels"),
    "zero-bomb.png": (_write(zero_bomb_png), "file_too_large", "pixels"),
    "over-the-cap.png": (_sparse(MAX_FILE_BYTES + 1), "file_too_large", "file_size"),
    "torn.png": (_write(_torn, "PNG"), "image_unreadable", ""),
    "torn.jpg": (_write(_torn, "JPEG"), "image_unreadable", ""),
    "empty.png": (_write(bytes), "image_unreadable", ""),
    "random.pdf": (_write(random.Random(15).randbytes, 4096), "image_unreadable", ""),
    "random.png": (_write(random.Random(16).randbytes, 4096), "image_unreadable", ""),
    "eps-as.png": (_write(bytes, b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"),
                   "image_unreadable", ""),
    "folder.png": (Path.mkdir, "image_unreadable", ""),
    "fifo.png": (os.mkfifo, "image_unreadable", ""),
    "dev-zero.png": (lambda path: path.symlink_to("/dev/zero"), "image_unreadable", ""),
    "loop.png": (lambda path: path.symlink_to(path.name), "image_unreadable", ""),
    "missing.pdf": (lambda path: None, "image_unreadable", ""),
}


def hostile_file(folder: Path, name: str) -> Path:
    """The file `name` of HOSTILE, made in `folder`."""
    HOSTILE[name][0](folder / name)
    return folder / name


@pytest.mark.timeout(10)  # the FIFO: a read of it would block for ever
@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_with_a_code(tmp_path: Path, name: str) -> None:
    path = hostile_file(tmp_path, name)
    _, code, limit = HOSTILE[name]
    with pytest.raises(ScannerError) as caught:
        codes_in_image(path)
    assert type(caught.value) is (FileTooLargeError if code == "file_too_large" else ImageUnreadableError)
    assert caught.value.code == code
    assert getattr(caught.value, "limit", "") == limit
    assert name in caught.value.message_ja and name in caught.value.message_en
    refused = caught.value  # and no decoder's error chained to it, to be printed as a traceback
    assert refused.__cause__ is None and (refused.__context__ is None or refused.__suppress_context__)


def test_the_refusal_says_which_cap_and_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(huge_page_pdf(5000))
    with pytest.raises(FileTooLargeError) as caught:
        codes_in_image(path)
    assert "1800 pt" in caught.value.message_ja and "5000×5000 pt" in caught.value.message_ja
    assert "QR スキャナー" in caught.value.message_ja
    assert "5000 x 5000 pt" in caught.value.message_en and "QR scanner" in caught.value.message_en
    path = tmp_path / "photo.png"
    path.write_bytes(png_header_claiming(7000, 7000))
    with pytest.raises(FileTooLargeError) as caught:
        codes_in_image(path)
    assert "4000 万画素" in caught.value.message_ja and "7000 x 7000" in caught.value.message_en


def test_the_huge_page_is_refused_before_it_is_rendered(tmp_path: Path) -> None:
    """The 551-byte PDF that once took 1.9 GB and 6 s: pdfium renders no page of it."""
    path = tmp_path / "slip.pdf"
    path.write_bytes(huge_page_pdf(14400))
    rendered: list[object] = []
    real_render = pdfium.PdfPage.render

    def spy(self: object, *args: object, **kwargs: object) -> object:
        rendered.append(self)
        return real_render(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdfium.PdfPage, "render", spy)
        started = time.perf_counter()
        with pytest.raises(FileTooLargeError):
            codes_in_image(path)
        elapsed = time.perf_counter() - started
    assert rendered == []
    print(f"huge-page PDF refused in {elapsed * 1000:.1f} ms")  # reported, not asserted


def test_a_gif_is_read_at_its_first_frame_only(tmp_path: Path) -> None:
    path = tmp_path / "slip.gif"
    path.write_bytes(many_frames_gif("KS1-FIRST-FRAME", 2000))
    assert codes_in_image(path) == ["KS1-FIRST-FRAME"]


def test_a_pdf_under_the_page_cap_is_read_at_its_first_pages(tmp_path: Path) -> None:
    path = tmp_path / "eight.pdf"
    path.write_bytes(many_pages_pdf(8))
    assert codes_in_image(path) == []  # blank pages: read, no code, no refusal


def test_a_file_that_cannot_be_read_for_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.png"
    path.write_bytes(encoded(qr_image("KS1-LOCKED"), "PNG"))
    path.chmod(0)
    if os.geteuid() == 0:  # root reads it anyway: the refusal of the open is what is tested

        def refuse(*_: object) -> int:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(ImageUnreadableError) as caught:
        codes_in_image(path)
    assert caught.value.reason == "no permission to read it"
    assert "locked.png" in caught.value.message_ja


def test_memory_running_out_while_decoding_is_a_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A decoder that still runs out of memory (a case no cap foresaw) ends as file_too_large."""
    path = tmp_path / "slip.png"
    path.write_bytes(encoded(qr_image("KS1-MEMORY"), "PNG"))

    def out_of_memory(self: ImageFile.ImageFile) -> None:
        raise MemoryError

    monkeypatch.setattr(ImageFile.ImageFile, "load", out_of_memory)
    with pytest.raises(FileTooLargeError) as caught:
        codes_in_image(path)
    assert caught.value.limit == "memory" and "メモリー" in caught.value.message_ja
