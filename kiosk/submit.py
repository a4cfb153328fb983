"""The kiosk's SubmitPort: store the application first, then print the slip.

The order is the point. A stored application has its ticket and can be reprinted by staff;
a printer that is out of paper costs the resident a wait, never their application. Every
print, done or failed, is recorded in the store with the printer's code, so staff see which
slips to reprint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from common.clock import JST
from drivers.printer.base import Printer
from drivers.printer.errors import PrinterError
from forms.loader import Library
from kiosk.application import Receipt, SlipOrigin, Submission, build_slip
from kiosk.store.repository import PrintKind, Store
from printouts.assisted_form import render_assisted_form
from printouts.document import Document
from printouts.layout import Fonts
from printouts.payload import KioskKeys, new_slip_id
from printouts.slip import RECEIPT_80, SlipPaper


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

    def submit(self, submission: Submission) -> Receipt:
        slip_id = new_slip_id()
        stored = self.store.add_application(
            submission, office_code=self.office_code, kiosk_id=self.kiosk_id, slip_id=slip_id)
        forms = [self.library.get(p.form_id) for p in submission.procedures]
        first, *then = dict.fromkeys(f.counter for f in forms)
        origin = SlipOrigin(office_code=self.office_code, office_name=self.office_name,
                            kiosk_id=self.kiosk_id, ticket=stored.ticket, slip_id=slip_id,
                            issued_at=self.clock())
        slip = build_slip(submission, forms, origin, keys=self.keys, counters=self.counters,
                          fonts=self.fonts, paper=self.slip_paper)
        error = self._print(slip, f"slip {stored.ticket}", kind="slip",
                            application_id=stored.id)
        return Receipt(stored.ticket, first, printed=error is None, print_error=error,
                       then=tuple(then))

    def print_paper_form(self, form_id: str, lang: str) -> bool:
        """The blank form for a resident who writes by hand; False (recorded) if it failed."""
        form = self.library.get(form_id)
        doc = render_assisted_form(form=form, today=self.clock().astimezone(JST).date(),
                                   office_name=self.office_name, fonts=self.fonts)
        return self._print(doc, f"paper form {form_id}", kind="assisted") is None

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
