"""A real kiosk slip through the real CUPS queue: the PDF cups-pdf writes still carries the
QR that went in, at the slip's own paper size."""

from __future__ import annotations

import datetime as dt

import pypdfium2
import pytest
import zxingcpp

from forms.loader import load_library
from printouts.layout import Fonts
from printouts.samples import sample_answers, sample_qr_text
from printouts.slip import Procedure, render_slip
from tests.support.cupsd import PdfQueue

pytestmark = pytest.mark.integration


def test_a_kiosk_slip_prints_through_cups(pdf_queue: PdfQueue) -> None:
    form = load_library().get("juminhyo")
    issued = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    qr_text = sample_qr_text()
    slip = render_slip(ticket="A-007", procedures=[Procedure(form, sample_answers(form, issued.date()), "市民課")],
                       qr_text=qr_text, office_name="みほん市役所", issued_at=issued, fonts=Fonts.for_pdf())

    job = pdf_queue.printer(wait=True).print_pdf(slip.data, title="slip A-007", paper=slip.paper)

    out = pdf_queue.output_of(job.job_id)
    document = pypdfium2.PdfDocument(out)
    try:
        page = document[0]
        width_mm = page.get_size()[0] / 72 * 25.4
        image = page.render(scale=300 / 72, grayscale=True).to_pil()
    finally:
        document.close()
    assert width_mm == pytest.approx(80, abs=2)  # the roll's width, not A4
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in zxingcpp.read_barcodes(image, formats=qr_only)] == [qr_text]
