"""The kiosk's submitter against a real CUPS queue that fails.

What a resident must never lose is the application: with the slip printer stopped (paper out)
or its device failing, the application is stored with its ticket, the kiosk is told the slip
did not come out (and the printer's reason is kept for staff), no job waits in the queue to
come out later for someone else, and staff can reprint the slip once the printer works.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from forms.loader import Library, load_library
from kiosk.application import Receipt
from kiosk.submit import KioskSubmitter
from printouts.layout import Fonts
from printouts.payload import load_kiosk_keys
from tests.drivers.printer.conftest import pdf_queue
from tests.kiosk.desk.world import COUNTERS, OFFICE, Site, build_site, decode_image, rasterise
from tests.support.cupsd import PdfQueue

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

__all__ = ["pdf_queue"]  # the printer tests' queue fixture, reused here (cupsd is the root conftest's)

NOW = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)  # 10:00 in Japan


def _cups(*command: str) -> None:
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    subprocess.run(command, capture_output=True, text=True, env=env, timeout=15, check=True)


# Each fault returns what the printer's message, as recorded for staff, must say.
def _stop_with_paper_out(queue: PdfQueue) -> str:
    reason = "用紙切れ (paper out)"
    _cups("cupsdisable", "-r", reason, queue.name)
    return reason


def _break_the_device(queue: PdfQueue) -> str:
    # cups-pdf cannot create its output under a regular file and aborts the job: a device
    # that takes the job and never prints it (the backend's failure, not the queue's state).
    blocker = queue.out_dir.parent / "blocker"
    blocker.write_text("a file, not a directory", encoding="utf-8")
    Path(f"/etc/cups/cups-pdf-{queue.name}.conf").write_text(f"Out {blocker}/out\n", encoding="utf-8")
    return f'Printing failed (printer "{queue.name}"'


def _repair(queue: PdfQueue) -> None:
    Path(f"/etc/cups/cups-pdf-{queue.name}.conf").write_text(f"Out {queue.out_dir}\n", encoding="utf-8")
    _cups("cupsenable", queue.name)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    return Fonts.for_pdf()


@pytest.fixture
def site(tmp_path: Path, library: Library, fonts: Fonts, pdf_queue: PdfQueue) -> Site:
    (tmp_path / "db").mkdir()

    def url(name: str) -> str:
        return f"sqlite:///{tmp_path / 'db' / name}.sqlite3"

    # One shared database: the kiosk stores its codes there, so a reprint carries them.
    return build_site(tmp_path / "site", url=url, shared=True, library=library, fonts=fonts,
                      clock=lambda: NOW,
                      desk_printer=(pdf_queue.printer(), pdf_queue.name))


def _kiosk_on_cups(site: Site, queue: PdfQueue) -> KioskSubmitter:
    """The kiosk's own submitter, built as kiosk/wiring.py builds it, printing to the real queue."""
    return KioskSubmitter(
        store=site.kiosk.store, printer=queue.printer(), printer_label=queue.name,
        keys=load_kiosk_keys(site.kiosk.keys_dir), fonts=site.fonts, library=site.library,
        office_code=OFFICE.code, office_name=OFFICE.name, kiosk_id="K01", counters=COUNTERS,
        clock=site.clock)


@pytest.mark.parametrize(("fault", "code"), [(_stop_with_paper_out, "printer_stopped"),
                                             (_break_the_device, "job_failed")],
                         ids=["queue stopped", "device fails"])
def test_a_failed_slip_keeps_the_application_and_can_be_reprinted(
        site: Site, pdf_queue: PdfQueue, fault: Callable[[PdfQueue], str], code: str) -> None:
    message = fault(pdf_queue)
    kiosk = _kiosk_on_cups(site, pdf_queue)

    receipt: Receipt = kiosk.submit(site.submission("juminhyo"))

    # The resident is told the slip did not come out, with the kind of fault for the screen.
    assert receipt.printed is False
    assert receipt.print_error == code
    assert receipt.ticket == "A-001"
    # The application is stored under that ticket, and the failed print is recorded with the
    # printer's own reason for staff.
    stored = site.kiosk.store.find_by_ticket(OFFICE.code, receipt.ticket, site.today())
    assert [s.ticket for s in stored] == ["A-001"]
    jobs = site.kiosk.store.print_jobs_of(stored[0].id)
    assert [(j.kind, j.printer, j.ok) for j in jobs] == [("slip", pdf_queue.name, False)]
    assert jobs[0].error is not None and jobs[0].error.startswith(f"{code}: ")
    assert message in jobs[0].error
    # Nothing is left in the queue to come out later, in the next resident's hands.
    assert pdf_queue.printer().state().pending_jobs == ()
    assert list(pdf_queue.out_dir.glob("*.pdf")) == []

    _repair(pdf_queue)
    result = site.desk.reprint_slip(stored[0].id)

    paper = pdf_queue.output_of(result.job_id)
    codes = decode_image(rasterise(paper, dpi=300))
    assert len(codes) == 1
    assert result.warnings == ()  # the code is the kiosk's, not a slip without one
    # The reprinted code opens the same application at the counter.
    assert site.desk.scan(codes[0]).application_id == stored[0].id
    assert [j.ok for j in site.kiosk.store.print_jobs_of(stored[0].id)] == [False, True]
