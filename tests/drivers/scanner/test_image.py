"""QR codes read from pictures: a PNG, a photo-like JPEG, each page of a PDF, and files that are
not pictures at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import qrcode
from PIL import Image, ImageDraw
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from drivers.scanner.errors import ImageUnreadableError, ScannerError
from drivers.scanner.image import codes_in_image


def qr_image(text: str, *, box: int = 6) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=4)
    code.add_data(text)
    image: Image.Image = code.make_image().get_image().convert("L")
    return image


def test_a_png_gives_its_code(tmp_path: Path) -> None:
    path = tmp_path / "slip.png"
    qr_image("KS1-HELLO").save(path)
    assert codes_in_image(path) == ["KS1-HELLO"]


def test_two_codes_side_by_side_and_large_digits_are_not_a_barcode(tmp_path: Path) -> None:
    left, right = qr_image("KS1-SLIP"), qr_image("123456789018")
    sheet = Image.new("L", (left.width + right.width + 400, max(left.height, right.height) + 200), 255)
    sheet.paste(left, (0, 0))
    sheet.paste(right, (left.width + 400, 0))
    ImageDraw.Draw(sheet).text((10, sheet.height - 150), "A-023 A-023 A-023", fill=0, font_size=120)
    path = tmp_path / "desk.jpg"
    sheet.save(path, quality=85)  # a photo's compression
    assert sorted(codes_in_image(path)) == ["123456789018", "KS1-SLIP"]


def test_each_page_of_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "slips.pdf"
    pdf = Canvas(str(path), pagesize=(80 * mm, 80 * mm))
    for text in ("KS1-PAGE-ONE", "KS1-PAGE-TWO"):
        pdf.drawImage(ImageReader(qr_image(text)), 10 * mm, 10 * mm, 60 * mm, 60 * mm)
        pdf.showPage()
    pdf.save()
    assert codes_in_image(path) == ["KS1-PAGE-ONE", "KS1-PAGE-TWO"]


def test_a_blank_picture_has_no_code(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (400, 400), 255).save(path)
    assert codes_in_image(path) == []


@pytest.mark.parametrize(("name", "content"), [
    ("missing.png", None),
    ("notes.png", b"this is a text file"),
    ("broken.pdf", b"%PDF-1.4 torn"),
])
def test_what_is_not_a_picture_is_refused_by_name(tmp_path: Path, name: str, content: bytes | None) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImageUnreadableError) as caught:
        codes_in_image(path)
    assert isinstance(caught.value, ScannerError) and caught.value.code == "image_unreadable"
    assert name in caught.value.message_ja and "PNG・JPEG・PDF" in caught.value.message_ja
    assert name in caught.value.message_en


def test_the_scanner_driver_imports_nothing_of_the_app() -> None:
    code = ("import sys, drivers.scanner.image\n"
            "print([m for m in sys.modules if m.split('.')[0] in ('kiosk', 'forms', 'printouts')"
            " or m.startswith('kivy')])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            timeout=60)
    assert result.stdout.strip() == "[]"
