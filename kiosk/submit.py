"""The kiosk's SubmitPort: store the application first, then print the slip.

The order is the point. A stored application has its ticket and can be reprinted by staff;
a printer that is out of paper costs the resident a wait, never their application.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from drivers.printer.base import Printer
from drivers.printer.errors import PrinterError
from forms.loader import Library
from kiosk.application import Receipt, Submission
from kiosk.store.repository import Store
from printouts.assisted_form import render_assisted_form
from printouts.layout import Fonts
from printouts.payload import Application, KioskKeys, ProcedureEntry, encode, new_slip_id
from printouts.slip import Procedure, render_slip

JST = dt.timezone(dt.timedelta(hours=9), "JST")


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

    def submit(self, submission: Submission) -> Receipt:
        slip_id = new_slip_id()
        stored = self.store.add_application(
            submission, office_code=self.office_code, kiosk_id=self.kiosk_id, slip_id=slip_id)
        forms = [self.library.get(p.form_id) for p in submission.procedures]
        first, *then = dict.fromkeys(f.counter for f in forms)
        try:
            self._print_slip(submission, stored.ticket, slip_id)
        except PrinterError as exc:
            self.store.record_print(stored.id, kind="slip", printer=self.printer_label, ok=False,
                                   error=f"{exc.code}: {exc.message_en}")
            return Receipt(stored.ticket, first, printed=False, print_error=exc.code, then=tuple(then))
        self.store.record_print(stored.id, kind="slip", printer=self.printer_label, ok=True)
        return Receipt(stored.ticket, first, printed=True, then=tuple(then))

    def _print_slip(self, submission: Submission, ticket: str, slip_id: bytes) -> None:
        issued_at = self.clock().astimezone(JST).replace(microsecond=0)
        forms = [self.library.get(p.form_id) for p in submission.procedures]
        never = [f.id for form in forms for f in form.all_fields() if f.type == "my_number"]
        app = Application(
            office_code=self.office_code, kiosk_id=self.kiosk_id, issued_at=issued_at, ticket=ticket,
            procedures=[ProcedureEntry(p.form_id, p.form_version, p.values, p.flags) for p in submission.procedures],
            slip_id=slip_id,
        )
        qr_text = encode(app, self.keys, forbidden_keys=never)
        slip = render_slip(
            ticket=ticket,
            procedures=[Procedure(f, p.values, self.counters.get(f.counter, f.counter))
                        for f, p in zip(forms, submission.procedures, strict=True)],
            qr_text=qr_text, office_name=self.office_name, issued_at=issued_at, fonts=self.fonts)
        self.printer.print_pdf(slip.data, title=f"slip {ticket}", paper=slip.paper)

    def print_paper_form(self, form_id: str, lang: str) -> bool:
        form = self.library.get(form_id)
        doc = render_assisted_form(form=form, today=self.clock().astimezone(JST).date(),
                                   office_name=self.office_name, fonts=self.fonts)
        try:
            self.printer.print_pdf(doc.data, title=f"paper form {form_id}", paper=doc.paper)
        except PrinterError as exc:
            self.store.record_print(None, kind="assisted", printer=self.printer_label, ok=False,
                                   error=f"{exc.code}: {exc.message_en}")
            return False
        self.store.record_print(None, kind="assisted", printer=self.printer_label, ok=True)
        return True
