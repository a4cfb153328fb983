"""Printing through a real cupsd into a cups-pdf queue, and each way it can go wrong."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pypdfium2
import pytest
from reportlab.lib.units import mm

from drivers.printer.cups import CupsPrinter
from drivers.printer.errors import (
    PrinterNotAccepting,
    PrinterNotFound,
    PrinterStopped,
    PrintJobFailed,
    PrintJobTimeout,
    PrintServiceDown,
)
from tests.drivers.printer.pdfs import SLIP_HEIGHT_MM, SLIP_WIDTH_MM
from tests.support.cupsd import PdfQueue

pytestmark = [pytest.mark.integration, pytest.mark.timeout(90)]


def _cups(*command: str) -> str:
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=15, check=True
    )
    return result.stdout


def _dark_fraction(pdf: Path) -> float:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=203 / 72).to_pil().convert("L")
    finally:
        document.close()
    histogram: list[int] = image.histogram()
    return sum(histogram[:128]) / sum(histogram)


def test_a_slip_comes_out_of_the_queue(pdf_queue: PdfQueue, small_pdf: bytes) -> None:
    printer = pdf_queue.printer(wait=True)
    assert printer.is_usable()

    job = printer.print_pdf(small_pdf, title="slip A-0012", paper="80x120mm")

    assert job.finished
    assert job.job_id.startswith(f"{pdf_queue.name}-")
    paper = pdf_queue.output_of(job.job_id)
    document = pypdfium2.PdfDocument(paper)
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    # PageSize=Custom.80x120mm reached the device: the page is not centred on A4.
    assert width == pytest.approx(SLIP_WIDTH_MM * mm, abs=2)
    assert height == pytest.approx(SLIP_HEIGHT_MM * mm, abs=2)
    # The filled box covers a fifth of the page; a blank page would be ~0.
    assert 0.1 < _dark_fraction(paper) < 0.6


def test_without_waiting_the_job_is_returned_at_once(pdf_queue: PdfQueue, small_pdf: bytes) -> None:
    job = pdf_queue.printer(wait=False).print_pdf(small_pdf, title="form", paper="A4")

    assert not job.finished
    assert pdf_queue.output_of(job.job_id).stat().st_size > 0


def test_a_missing_queue(cupsd: object, small_pdf: bytes) -> None:
    printer = CupsPrinter("kiosk-test-no-such-queue")

    assert not printer.is_usable()
    with pytest.raises(PrinterNotFound) as caught:
        printer.print_pdf(small_pdf, title="slip", paper="A4")
    assert "kiosk-test-no-such-queue" in caught.value.message_ja


def test_a_disabled_queue_gives_the_reason_and_takes_no_job(
    pdf_queue: PdfQueue, small_pdf: bytes
) -> None:
    _cups("cupsdisable", "-r", "用紙切れ (paper out)", pdf_queue.name)
    printer = pdf_queue.printer()

    with pytest.raises(PrinterStopped) as caught:
        printer.print_pdf(small_pdf, title="slip", paper="A4")

    assert caught.value.reason == "用紙切れ (paper out)"
    assert f"プリンター「{pdf_queue.name}」が停止しています（理由: 用紙切れ (paper out)）" in str(
        caught.value
    )
    # Nothing was left in the queue to print later, for the next resident.
    assert printer.state().pending_jobs == ()


def test_a_rejecting_queue_gives_the_reason(pdf_queue: PdfQueue, small_pdf: bytes) -> None:
    _cups("cupsreject", "-r", "maintenance", pdf_queue.name)

    with pytest.raises(PrinterNotAccepting) as caught:
        pdf_queue.printer().print_pdf(small_pdf, title="slip", paper="A4")

    assert caught.value.reason == "maintenance"
    assert caught.value.code == "printer_not_accepting"


def test_cupsd_down(cupsd: object, tmp_path: Path, small_pdf: bytes) -> None:
    # A server address where no cupsd listens is what a stopped cupsd looks like to lp.
    printer = CupsPrinter("kiosk-slip", server=str(tmp_path / "cups.sock"))

    assert not printer.scheduler_running()
    with pytest.raises(PrintServiceDown):
        printer.print_pdf(small_pdf, title="slip", paper="A4")


def test_a_job_the_backend_cancels_is_a_failure(
    pdf_queue: PdfQueue, tmp_path: Path, small_pdf: bytes
) -> None:
    # cups-pdf cannot create its output under a regular file, and cancels the job.
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a directory")
    Path(f"/etc/cups/cups-pdf-{pdf_queue.name}.conf").write_text(f"Out {blocker}/out\n")

    with pytest.raises(PrintJobFailed) as caught:
        pdf_queue.printer(wait=True).print_pdf(small_pdf, title="slip", paper="A4")

    assert "canceled" in caught.value.detail or "aborted" in caught.value.detail


def test_a_queue_stopped_while_waiting_cancels_the_held_job(
    pdf_queue: PdfQueue, tmp_path: Path, small_pdf: bytes
) -> None:
    _cups("cupsdisable", "-r", "cover open", pdf_queue.name)
    document = tmp_path / "slip.pdf"
    document.write_bytes(small_pdf)
    # Submitted behind the driver's back: a disabled queue still takes and holds jobs.
    job_id = _cups("lp", "-d", pdf_queue.name, str(document)).split()[3]
    printer = pdf_queue.printer(wait=True)

    with pytest.raises(PrinterStopped) as caught:
        printer.wait_for(job_id)

    assert caught.value.reason == "cover open"
    assert caught.value.job_cancelled == job_id
    assert printer.state().pending_jobs == ()
    _cups("cupsenable", pdf_queue.name)
    assert list(pdf_queue.out_dir.glob("*.pdf")) == []


def test_a_job_that_never_finishes_times_out_and_is_cancelled(
    pdf_queue: PdfQueue, tmp_path: Path, small_pdf: bytes
) -> None:
    document = tmp_path / "slip.pdf"
    document.write_bytes(small_pdf)
    job_id = _cups("lp", "-d", pdf_queue.name, "-H", "hold", str(document)).split()[3]
    printer = pdf_queue.printer(wait=True)

    with pytest.raises(PrintJobTimeout) as caught:
        printer.wait_for(job_id, timeout=0.5)

    assert caught.value.cancelled
    assert printer.state().pending_jobs == ()
    state, _ = printer.job_state(job_id)
    assert state == "canceled"
