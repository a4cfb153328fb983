"""The kiosk's SubmitPort: store the application first, then print the slip; for the paper
forms, draw the ticket first, then print them.

The slip has one code a counter (kiosk/application.py `slip_codes`); a procedure too large for
any code gets its pre-filled paper form, printed after the slip under the same ticket. The
resident always leaves with a number, a slip and everything the counters need.

The order is the point. A stored application has its ticket and can be reprinted by staff;
a printer that is out of paper costs the resident a wait, never their application or their
number. Every print, done or failed, is recorded in the store with the printer's code, so
staff see which slips and forms to print again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from common.clock import JST
from drivers.printer.base import Printer
from drivers.printer.errors import PrinterError
from forms.loader import Library
from forms.model import Form
from kiosk.application import Receipt, SlipCodes, SlipOrigin, Submission, build_slip, slip_codes
from kiosk.store.errors import StoreError
from kiosk.store.repository import PrintKind, Store
from printouts.assisted_form import render_assisted_form
from printouts.document import Document
from printouts.layout import Fonts
from printouts.payload import QR_V25_M_CHARS, KioskKeys, new_slip_id
from printouts.slip import RECEIPT_80, SlipPaper

log = logging.getLogger("kiosk.submit")


@dataclass
class KioskSubmitter:
    store: Store
    printer: Printer
    printer_label: str  # the queue name, or "file": recorded with each print
    keys: KioskKeys
    fonts: Fonts
    library: Library
    office_code: str
    office_name: str
    kiosk_id: str
    counters: dict[str, str]
    clock: Callable[[], dt.datetime]
    slip_paper: SlipPaper = RECEIPT_80
    code_chars: int = QR_V25_M_CHARS  # the largest code the slip's paper prints readably

    def submit(self, submission: Submission) -> Receipt:
        slip_id = new_slip_id()
        stored = self.store.add_application(
            submission, office_code=self.office_code, kiosk_id=self.kiosk_id, slip_id=slip_id)
        forms = [self.library.get(p.form_id) for p in submission.procedures]
        first, *then = dict.fromkeys(f.counter for f in forms)
        origin = SlipOrigin(office_code=self.office_code, office_name=self.office_name,
                            kiosk_id=self.kiosk_id, ticket=stored.ticket, slip_id=slip_id,
                            issued_at=self.clock())
        codes = slip_codes(submission, forms, origin, keys=self.keys, counters=self.counters,
                           max_chars=self.code_chars)
        self._keep_codes(slip_id, codes)
        slip = build_slip(submission, forms, origin, keys=self.keys, counters=self.counters,
                          fonts=self.fonts, paper=self.slip_paper, codes=codes)
        error = self._print(slip, f"slip {stored.ticket}", kind="slip",
                            application_id=stored.id)
        paper = [(forms[i], submission.procedures[i].values) for i in codes.on_paper]
        if error is None:
            error = self._print_filled(paper, stored.ticket, application_id=stored.id)
        return Receipt(stored.ticket, first, printed=error is None, print_error=error,
                       then=tuple(then), paper_forms=tuple(form.id for form, _ in paper))

    def _keep_codes(self, slip_id: bytes, codes: SlipCodes) -> None:
        """The codes beside the application, for a desk's reprint (a desk never signs). Not
        kept is not lost: the slip prints, and a reprint then comes without codes."""
        try:
            self.store.add_slip_codes(slip_id, [
                {"counter": c.counter, "titles": list(c.titles), "text": c.text}
                for c in codes.codes])
        except StoreError as exc:
            log.warning("slip codes not stored: %s", exc.code)

    def _print_filled(self, forms: Sequence[tuple[Form, Mapping[str, Any]]], ticket: str, *,
                      application_id: int) -> str | None:
        """The pre-filled paper forms of procedures no code could hold, under the slip's
        ticket; stops at the first failure (recorded with the application, for staff)."""
        today = self.clock().astimezone(JST).date()
        for form, answers in forms:
            doc = render_assisted_form(form=form, today=today, office_name=self.office_name,
                                       fonts=self.fonts, answers=answers, ticket=ticket,
                                       counter=self._counter_name(form))
            error = self._print(doc, f"paper form {form.id} {ticket}", kind="assisted",
                                application_id=application_id)
            if error is not None:
                return error
        return None

    def _counter_name(self, form: Form) -> str:
        """The office's name of the form's counter, in Japanese (the paper is Japanese)."""
        return self.counters.get(form.counter, form.counter).partition(" / ")[0]

    def print_paper_forms(self, form_ids: Sequence[str], lang: str, *,
                          ticket: str | None = None) -> Receipt:
        """The paper forms of a resident who writes by hand, under a ticket of the same counter
        as the applications'. The ticket is drawn (and recorded) before anything prints, so a
        failed print costs the resident a wait at the counter, never their place in the queue;
        the forms stop at the first failure (recorded), which staff print again."""
        forms = [self.library.get(form_id) for form_id in form_ids]
        if ticket is None:
            ticket = self.store.draw_paper_ticket(office_code=self.office_code,
                                                  kiosk_id=self.kiosk_id, form_ids=form_ids).ticket
        today = self.clock().astimezone(JST).date()
        error = None
        for form in forms:
            doc = render_assisted_form(form=form, today=today, office_name=self.office_name,
                                       fonts=self.fonts, ticket=ticket,
                                       counter=self._counter_name(form))
            error = self._print(doc, f"paper form {form.id} {ticket}", kind="assisted")
            if error is not None:
                break
        first, *then = dict.fromkeys(f.counter for f in forms)
        return Receipt(ticket, first, printed=error is None, print_error=error, then=tuple(then))

    def _print(self, document: Document, title: str, *, kind: PrintKind,
               application_id: int | None = None) -> str | None:
        """Print and record it; the printer's code when it failed, None when it printed."""
        try:
            self.printer.print_pdf(document.data, title=title, paper=document.paper)
        except PrinterError as exc:
            self.store.record_print(application_id, kind=kind, printer=self.printer_label,
                                    ok=False, error=f"{exc.code}: {exc.message_en}")
            return exc.code
        self.store.record_print(application_id, kind=kind, printer=self.printer_label, ok=True)
        return None
