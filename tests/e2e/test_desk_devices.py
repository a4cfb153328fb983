"""The desk with its real devices: the official form through a real CUPS cups-pdf queue, and the
12-digit number read from the emulated card through real pcscd, printed on the form and found
nowhere else: not in the database files (SQLite's, or PostgreSQL's data directory), not in the
exports, not in the logs."""

from __future__ import annotations

import logging
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat
from sqlalchemy import text

from drivers.card.reader import PcscReaders
from drivers.printer.base import Printer
from kiosk.desk.card import PcscMyNumberReader
from tests.conftest import PlaceCard
from tests.kiosk.desk.conftest import SiteFactory
from tests.kiosk.desk.test_scan import slip_text
from tests.kiosk.desk.world import MY_NUMBER, Site, my_number_spellings
from tests.printouts.documents_helpers import text_of as pdf_text
from tests.support.cupsd import PdfQueue
from tests.support.pgserver import PgServer

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


def on_cups(queue: PdfQueue) -> tuple[Printer, str]:
    return queue.printer(wait=True), queue.name


def page(pdf: Path | bytes, n: int = 0, dpi: int = 60) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        image: Image.Image = document[n].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        return image
    finally:
        document.close()


def test_the_official_form_comes_out_of_cups(make_site: SiteFactory, pdf_queue: PdfQueue) -> None:
    site = make_site(desk_printer=on_cups(pdf_queue))
    _, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    view = site.desk.scan(slip_text(slip, 2))  # the 住民票 counter's code, the first of two

    result = site.desk.print_form(view.application_id, 0)

    paper = pdf_queue.output_of(result.job_id)
    # Ghostscript keeps ASCII text only (shared/specs/environment.md); the rest is checked as
    # ink: the page that came out is the page the desk rendered.
    out_text = "".join(pdf_text(paper).split())
    assert "A-001" in out_text and "090-1234-5678" in out_text
    rendered = site.desk.official_form(view.application_id, 0).data
    ours, theirs = page(rendered), page(paper)
    assert abs(ours.width - theirs.width) <= 1  # A4 is 595.28 pt; Ghostscript writes 595
    # Blurred a little, so that anti-aliasing does not count: the same page differs by about 1.2
    # on average, another form by 15.
    soft = [im.resize(ours.size).filter(ImageFilter.GaussianBlur(1.5)) for im in (ours, theirs)]
    assert ImageStat.Stat(ImageChops.difference(*soft)).mean[0] < 3.0
    job = site.desk_store.print_jobs_of(view.application_id)[-1]
    assert (job.kind, job.printer, job.ok) == ("form", pdf_queue.name, True)


def _stored_bytes(site: Site, backend: str, request: pytest.FixtureRequest) -> bytes:
    """Every byte the database keeps on disk, after a checkpoint."""
    if backend == "sqlite":
        for engine in site.engines:
            engine.dispose()
        files = [p for p in (site.root.parent / "db").glob("*") if p.is_file()]
    else:
        with site.engines[0].connect() as conn:
            conn.execute(text("CHECKPOINT"))
        server: PgServer = request.getfixturevalue("postgres")
        files = [p for p in server.directory.rglob("*") if p.is_file()]
    assert files
    return b"".join(p.read_bytes() for p in files)


@pytest.mark.vpcd
def test_the_number_from_the_card_is_on_the_form_and_nowhere_else(
        make_site: SiteFactory, backend: str, place_card: PlaceCard, *, pdf_queue: PdfQueue,
        tmp_path: Path, caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest) -> None:
    caplog.set_level(logging.DEBUG)
    site = make_site(shared=True, desk_printer=on_cups(pdf_queue))
    _, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    view = site.desk.scan(slip_text(slip, 2))  # the 住民票 counter's code, the first of two
    site.desk.set_status(view.application_id, "received")
    card = place_card()  # the sample resident: PIN 1234, number 123456789018
    reader = PcscMyNumberReader(PcscReaders(reader_name=card.reader_name), wait_s=5.0)

    number = site.desk.read_my_number(reader, "1234", application_id=view.application_id,
                                      procedure=1)
    result = site.desk.print_form(view.application_id, 1, my_number=number)

    assert number.forgotten and result.warnings == ()
    printed = pdf_queue.output_of(result.job_id)
    assert MY_NUMBER in "".join(pdf_text(printed).split())
    assert card.tries_left == 3
    site.desk.set_status(view.application_id, "completed")
    exports = [site.desk.export("json", tmp_path / "out.json").paths,
               site.desk.export("csv", tmp_path / "out.csv").paths]
    exported = b"".join(p.read_bytes() for paths in exports for p in paths)
    shown = site.desk.open(view.application_id).to_json_text().encode()
    stored = _stored_bytes(site, backend, request)
    for spelling in my_number_spellings():
        assert spelling not in stored
        assert spelling not in exported
        assert spelling not in shown
    assert MY_NUMBER not in caplog.text
    assert "My Number read for application" in caplog.text


@pytest.mark.vpcd
def test_a_wrong_pin_at_the_desk(make_site: SiteFactory, place_card: PlaceCard) -> None:
    site = make_site()
    _, slip = site.kiosk.submit(site.submission("kokuho"))
    view = site.desk.scan(slip_text(slip))
    card = place_card(tries_left=2)
    reader = PcscMyNumberReader(PcscReaders(reader_name=card.reader_name), wait_s=5.0)
    from kiosk.desk.errors import DeskError  # noqa: PLC0415

    with pytest.raises(DeskError) as caught:
        site.desk.read_my_number(reader, "9999", application_id=view.application_id, procedure=0)
    assert (caught.value.code, caught.value.source) == ("wrong_pin", "card")
    with pytest.raises(DeskError) as caught:
        site.desk.read_my_number(reader, "1234", application_id=view.application_id, procedure=0)
    assert caught.value.code == "last_pin_try" and card.tries_left == 1
    number = site.desk.read_my_number(reader, "1234", application_id=view.application_id,
                                      procedure=0, allow_last_try=True)
    assert number.reveal() == MY_NUMBER and card.tries_left == 3
    number.forget()
    # Each read is audited with its form, each refusal with the card's code; never the number.
    trail = [(e.action, e.detail) for e in site.desk_store.audit_trail(view.application_id)
             if e.action in ("number_read", "refused")]
    assert trail == [("refused", "number_read:wrong_pin"), ("refused", "number_read:last_pin_try"),
                     ("number_read", "kokuho")]
