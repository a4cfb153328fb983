"""Hostile files given to the scanner: each is refused with a code a clerk can act on, before
anything large is decoded or, for the bombs no cap can see, once the decoding child reaches its
memory or time limit; nothing else escapes (no MemoryError, no decoder's error, no crash).

The corpus is built in tmp_path by `hostile_file`, which the desk's tests use too
(tests/kiosk/desk/test_hostile_files.py). Every file is tiny or sparse, the bombs 1 or 2 MB.
"""

from __future__ import annotations

import errno
import io
import os
import random
import resource
import struct
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import qrcode
from PIL import Image

from drivers.scanner import sandbox
from drivers.scanner.decoding import decode
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


def flate_run(prefix: bytes, unit: bytes, times: int) -> bytes:
    """zlib data of `prefix` then `unit` repeated `times` over, built in milliseconds.

    A full flush resets the compressor, so every later unit compresses to the same bytes: the
    block is repeated instead of compressed again, then the stream is closed by hand (an empty
    final block, RFC 1951 3.2.6, and the Adler-32 of everything, RFC 1950).
    """
    compressor = zlib.compressobj(9)
    first = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = zlib.adler32(prefix)
    for _ in range(times):
        checksum = zlib.adler32(unit, checksum)
    return first + block * times + b"\x03\x00" + struct.pack(">I", checksum)


def content_bomb_pdf(megabytes: int) -> bytes:
    """A 200 pt page whose content draws a 1 pt square 80000 times a megabyte: 2 KB a megabyte.

    pdfium inflates the whole stream and makes an object of each square to load the page: a
    100 KB file of this took 1.4 GB and 3 s, one of 400 KB 5.5 GB and 20 s.
    """
    content = flate_run(b"", b"0 0 1 1 re f\n" * 80_000, megabytes)
    return pdf_of_pages(
        b"3 0 R", 1, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(content), content))


def object_stream_bomb_pdf(megabytes: int) -> bytes:
    """A PDF 1.5 whose catalog, page tree and page sit in an object stream padded with blanks.

    pdfium inflates the whole object stream to find the page tree, so merely counting the pages
    of this 1 MB file (1000 MB of blanks) took 2 GB and 4 s.
    """
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    offsets = [sum(len(body) + 1 for body in bodies[:index]) for index in range(len(bodies))]
    header = b" ".join(b"%d %d" % (number, offset) for number, offset in enumerate(offsets, 1)) + b" "
    objects = flate_run(header + b" ".join(bodies) + b" ", b" " * 2**20, megabytes)
    out = bytearray(b"%PDF-1.5\n")
    stream_at = len(out)
    out += b"4 0 obj\n<< /Type /ObjStm /N 3 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s" \
           b"\nendstream\nendobj\n" % (len(header), len(objects), objects)
    xref_at = len(out)
    # A cross-reference stream (PDF 32000-1 7.5.8), fields of 1, 4 and 2 bytes: type 2 rows
    # point into the object stream.
    rows = [(0, 0, 65535), (2, 4, 0), (2, 4, 1), (2, 4, 2), (1, stream_at, 0), (1, xref_at, 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%s" \
           b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % (len(table), table, xref_at)
    return bytes(out)


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
    "content-bomb.pdf": (_write(content_bomb_pdf, 1000), "file_too_large", "memory"),
    "object-stream-bomb.pdf": (_write(object_stream_bomb_pdf, 1000), "file_too_large", "memory"),
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
    """The 551-byte PDF that once took 1.9 GB and 6 s: pdfium renders no page of it.

    The child's code is run here, where the spy sees it; the desk's own call is timed.
    """
    path = tmp_path / "slip.pdf"
    path.write_bytes(huge_page_pdf(14400))
    rendered: list[object] = []
    real_render = pdfium.PdfPage.render

    def spy(self: object, *args: object, **kwargs: object) -> object:
        rendered.append(self)
        return real_render(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdfium.PdfPage, "render", spy)
        assert decode("pdf", path.read_bytes()) == {
            "refused": "file_too_large", "limit": "page_size", "cap": 1800, "found": [14400, 14400]}
    assert rendered == []
    started = time.perf_counter()
    with pytest.raises(FileTooLargeError) as caught:
        codes_in_image(path)
    elapsed = time.perf_counter() - started
    assert caught.value.limit == "page_size"
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
    """A decoder that still runs out of memory (a case no cap foresaw) ends as file_too_large.

    A 6000 x 6000 picture is under the pixel cap but needs 144 MB decoded: under a 160 MB
    limit, Pillow's MemoryError in the child is the refusal.
    """
    path = tmp_path / "slip.png"
    path.write_bytes(encoded(Image.new("RGB", (6000, 6000), "white"), "PNG"))
    monkeypatch.setattr(sandbox, "MEMORY_LIMIT", 160 * 2**20)
    with pytest.raises(FileTooLargeError) as caught:
        codes_in_image(path)
    assert caught.value.limit == "memory" and "メモリー" in caught.value.message_ja


def test_a_content_bomb_costs_the_child_not_the_desk(tmp_path: Path) -> None:
    """A 2 MB PDF whose page content inflates to 1 GB of squares: in the desk's own process it
    would take all the memory there is; the child dies at its limit and the desk grows little."""
    path = tmp_path / "slip.pdf"
    path.write_bytes(content_bomb_pdf(1000))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(FileTooLargeError) as caught:
        codes_in_image(path)
    elapsed = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024  # KB on Linux
    assert caught.value.limit in ("memory", "time") and "slip.pdf" in caught.value.message_ja
    assert grown < 300, f"the desk's own peak grew by {grown:.0f} MB"
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"content bomb refused ({caught.value.limit}) in {elapsed:.2f} s; desk +{grown:.0f} MB,"
          f" largest child {child:.0f} MB")  # reported, not asserted


@pytest.mark.timeout(30)
def test_a_decoder_that_takes_too_long_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """1.6 million squares (40 KB) fit in memory and take about 7 s to read: at a 1 s limit the
    child is killed and the clerk told so, at once."""
    path = tmp_path / "slow.pdf"
    path.write_bytes(content_bomb_pdf(20))
    monkeypatch.setattr(sandbox, "TIME_LIMIT", 1.0)
    started = time.perf_counter()
    with pytest.raises(FileTooLargeError) as caught:
        codes_in_image(path)
    assert time.perf_counter() - started < 4
    assert caught.value.limit == "time"
    assert "上限の 1 秒" in caught.value.message_ja and "the 1 s limit" in caught.value.message_en


@pytest.mark.parametrize("answer", [
    "not JSON", '{"codes": [1]}', '{"codes": "KS1-X"}', '{"refused": "file_too_large", "limit": "disk",'
    ' "cap": 1, "found": []}', '{"refused": "image_unreadable"}', "[]",
])
def test_a_child_answer_of_the_wrong_shape_is_not_believed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          answer: str) -> None:
    """What a child that a hostile file took over could write: never shown, never a traceback."""
    child = tmp_path / "child.py"
    child.write_text(f"import sys; sys.stdin.buffer.read(); sys.stdout.write({answer!r})\n")
    monkeypatch.setattr(sandbox, "_CHILD", child)
    path = tmp_path / "slip.pdf"
    path.write_bytes(many_pages_pdf(1))
    with pytest.raises(ScannerError) as caught:
        codes_in_image(path)
    assert type(caught.value) is ScannerError and caught.value.code == "scanner_error"
    assert "staff" in caught.value.message_en


def test_a_decoder_that_cannot_start_calls_staff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "slip.png"
    path.write_bytes(encoded(qr_image("KS1-NO-CHILD"), "PNG"))
    monkeypatch.setattr(sandbox, "_CHILD", tmp_path / "missing.py")
    with pytest.raises(ScannerError) as caught:
        codes_in_image(path)
    assert caught.value.code == "scanner_error" and "係員" in caught.value.message_ja
    assert "the decoder process failed (status 2)" in caplog.text  # python: no such script
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(ScannerError) as caught:
        codes_in_image(path)
    assert caught.value.code == "scanner_error" and "could not start" in caplog.text
