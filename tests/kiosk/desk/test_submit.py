"""The kiosk's submitter (kiosk/submit.py) with a printer that works and one that does not: what
the resident's receipt says and what the store holds for staff, who reprint what failed.

The failing printer goes through the real `Printer.print_pdf` and raises the real
`PrinterStopped` a CUPS queue out of paper gives (a real stopped CUPS queue is
tests/drivers/printer's)."""

from __future__ import annotations

from dataclasses import replace

from drivers.printer.base import PaperSize, Printer, PrintJob
from drivers.printer.errors import PrinterStopped
from kiosk.submit import KioskSubmitter
from tests.kiosk.desk.conftest import SiteFactory
from tests.kiosk.desk.world import OFFICE, Site
from tests.printouts.documents_helpers import text_of, without_spaces

QUEUE = "kiosk-slip"


class StoppedPrinter(Printer):
    """A queue CUPS has stopped: every job is refused with the reason CUPS gives."""

    def _submit(self, pdf: bytes, *, title: str, paper: PaperSize) -> PrintJob:
        raise PrinterStopped(QUEUE, "media-empty")


def stopped(site: Site) -> KioskSubmitter:
    return replace(site.kiosk.submitter, printer=StoppedPrinter(), printer_label=QUEUE)


def test_a_slip_that_did_not_print_is_stored_and_said(make_site: SiteFactory) -> None:
    site = make_site()
    receipt = stopped(site).submit(site.submission("juminhyo", "kokuho"))
    assert receipt.printed is False and receipt.print_error == "printer_stopped"
    assert (receipt.counter, receipt.then) == ("resident", ("insurance",))
    (stored,) = site.kiosk.store.find_by_ticket(OFFICE.code, receipt.ticket, site.today())
    assert stored.status == "issued"  # the application is kept: staff reprint its slip
    (job,) = site.kiosk.store.print_jobs_of(stored.id)
    assert (job.kind, job.printer, job.ok) == ("slip", QUEUE, False)
    assert job.error is not None and job.error.startswith("printer_stopped: ")
    assert "media-empty" in job.error
    assert site.kiosk.store.stats().prints_failed == 1


def test_a_printed_slip_is_recorded_as_printed(make_site: SiteFactory) -> None:
    site = make_site()
    receipt, slip = site.kiosk.submit(site.submission("juminhyo"))
    assert receipt.printed is True and receipt.print_error is None
    assert slip.read_bytes().startswith(b"%PDF-")
    (stored,) = site.kiosk.store.find_by_ticket(OFFICE.code, receipt.ticket, site.today())
    (job,) = site.kiosk.store.print_jobs_of(stored.id)
    assert (job.kind, job.printer, job.ok, job.error) == ("slip", "file", True, None)


def test_a_paper_form_that_did_not_print_is_said_and_recorded(make_site: SiteFactory) -> None:
    """The ticket is drawn before the printer is tried: the resident keeps their number."""
    site = make_site()
    receipt = stopped(site).print_paper_forms(["juminhyo", "kokuho"], "ja")
    assert (receipt.ticket, receipt.counter, receipt.then) == ("A-001", "resident", ("insurance",))
    assert receipt.printed is False and receipt.print_error == "printer_stopped"
    (given,) = site.kiosk.store.paper_tickets(OFFICE.code, site.today())
    assert (given.ticket, given.form_ids) == ("A-001", ("juminhyo", "kokuho"))
    (job,) = site.kiosk.store.print_jobs_of(None)  # a paper form belongs to no application
    assert (job.kind, job.printer, job.ok) == ("assisted", QUEUE, False)
    assert job.error is not None and job.error.startswith("printer_stopped: ")


def test_a_printed_paper_form_carries_the_next_ticket(make_site: SiteFactory) -> None:
    site = make_site()
    first, _slip = site.kiosk.submit(site.submission("juminhyo"))
    receipt = site.kiosk.submitter.print_paper_forms(["juminhyo"], "ja")
    assert (first.ticket, receipt.ticket, receipt.printed) == ("A-001", "A-002", True)
    form = site.kiosk.sink.output[-1].path.read_bytes()
    assert form.startswith(b"%PDF-")
    assert "番号札A-002市民課住民記録係の窓口へ" in without_spaces(text_of(form))
    (job,) = site.kiosk.store.print_jobs_of(None)
    assert (job.kind, job.printer, job.ok, job.error) == ("assisted", "file", True, None)
    again = site.kiosk.submitter.print_paper_forms(["juminhyo"], "ja", ticket=receipt.ticket)
    assert again.ticket == "A-002"  # printed again under the same number: none drawn
    assert [t.ticket for t in site.kiosk.store.paper_tickets(OFFICE.code, site.today())] == [
        "A-002"]
    later, _slip = site.kiosk.submit(site.submission("juminhyo"))
    assert later.ticket == "A-003"
