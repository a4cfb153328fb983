"""What the desk prints: the official form of a procedure (with the 12-digit number read from
the card, when the form is one the My Number Act names) and the slip again.

Every print is recorded in the store and audited as `printed` with the clerk's id; a failed one
too, with the printer's code, and then raised as a DeskError. Every read of the number from the
card is audited as `number_read` with the form's id; a card that refused as `refused`
(`number_read:<card code>`). No audit detail or log line holds the number.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any, Literal

from common.clock import JST
from drivers.card.errors import CardError
from drivers.printer.errors import PrinterError
from drivers.printer.file import FileSink
from forms.model import Form
from kiosk.application import (
    ProcedureAnswers,
    SlipCodes,
    SlipOrigin,
    Status,
    build_slip,
    split_marks,
)
from kiosk.desk.base import DeskBase, Printed
from kiosk.desk.card import MyNumber, MyNumberReader
from kiosk.desk.errors import (
    Cancelled,
    DeskMessage,
    FormVersionMissing,
    MyNumberNotNeeded,
    MyNumberNotRead,
    NoSuchProcedure,
    NumberInFile,
    ReprintWithoutQr,
    desk_error,
)
from kiosk.desk.view import loaded_form
from kiosk.store.errors import StoreError
from kiosk.store.repository import OpenedApplication
from printouts.document import Document
from printouts.official_form import render_official_form
from printouts.slip import SlipCode

log = logging.getLogger("kiosk.desk")

# A5 slip on the counter's A4 queue: the page is centred on the sheet at its true size, so the
# code keeps the module size the scanners were tested with.
REPRINT_SHEET = "A4"


@dataclass(frozen=True)
class PrintResult:
    """What was printed, where; `warnings` say what the clerk must do about it."""

    job_id: str
    where: str
    title: str  # the print job's title: ids only, as queues and logs show it
    name_ja: str  # what was printed, for the clerk
    name_en: str
    warnings: tuple[DeskMessage, ...] = ()
    procedure: int | None = None  # the official form's procedure; None for the slip
    with_number: bool = False


class DeskPrinting(DeskBase):
    def _procedure(self, opened: OpenedApplication, index: int) -> tuple[ProcedureAnswers, Form]:
        procedures = opened.submission.procedures
        if not 0 <= index < len(procedures):
            raise NoSuchProcedure(f"{index} of {len(procedures)}")
        proc = procedures[index]
        form = loaded_form(self._library, proc.form_id, proc.form_version)
        if form is None:
            raise FormVersionMissing(f"{proc.form_id} version {proc.form_version}")
        return proc, form

    def read_my_number(self, reader: MyNumberReader, pin: str, *, application_id: int,
                       procedure: int, allow_last_try: bool = False) -> MyNumber:
        """The number from the card on the counter's reader, for this procedure's form only.

        Refused (my_number_not_needed) unless the form says `my_number_required`: the Act
        names the procedures the number may be used for. Card errors come as DeskErrors with
        the card's code (wrong_pin, no_card, last_pin_try ...).
        """
        clerk = self._need_role("read_my_number")
        opened = self._opened(application_id)
        _proc, form = self._procedure(opened, procedure)
        if not form.my_number_required or not form.counter_only_ids():
            raise MyNumberNotNeeded(form.id)
        if opened.application.status == Status.CANCELLED:
            raise Cancelled()
        try:
            number = MyNumber(reader.read_my_number(pin, allow_last_try=allow_last_try))
        except CardError as exc:
            log.info("My Number read failed: %s", exc.code)
            self._audit_failed_read(clerk, application_id, exc.code)
            raise desk_error(exc) from None
        try:
            # A read of the number is its own event, naming the form it is read for (the
            # procedure the Act allows it for): the clerk's use of it can be accounted for.
            self._store.audit(clerk, "number_read", application_id, desk=self.desk_id,
                              detail=form.id)
        except StoreError as exc:
            number.forget()  # not audited, not printed
            raise desk_error(exc) from None
        log.info("My Number read for application %d, procedure %d", application_id, procedure)
        return number

    def _audit_failed_read(self, clerk: str, application_id: int, code: str) -> None:
        """A card that refused (wrong PIN, no card...) read nothing, so it is no `number_read`;
        it is kept as `refused` with the card's code. A store that fails here is logged and the
        card's error stays what the clerk reads: it says what to do next."""
        try:
            self._store.audit(clerk, "refused", application_id, desk=self.desk_id,
                              detail=f"number_read:{code}")
        except StoreError as exc:
            log.warning("the failed My Number read was not audited: %s", exc.code)

    def official_form(self, application_id: int, procedure: int, *,
                      my_number: MyNumber | None = None) -> Document:
        """The completed A4 form of one procedure, the number in its boxes if one is given."""
        opened = self._opened(application_id)
        proc, form = self._procedure(opened, procedure)
        answers = dict(proc.values)
        if my_number is not None:
            if not form.my_number_required:
                raise MyNumberNotNeeded(form.id)
            for field_id in form.counter_only_ids():
                answers[field_id] = my_number.reveal()
        today = self._clock().astimezone(JST).date()
        try:
            return render_official_form(
                form=form, answers=answers, today=today, office_name=self._office.name,
                fonts=self._need_fonts(), flags={k: split_marks(v)[0] for k, v in proc.flags.items()},
                ticket=opened.application.ticket)
        finally:
            answers.clear()

    def print_form(self, application_id: int, procedure: int, *,
                   my_number: MyNumber | None = None) -> PrintResult:
        """Print the official form for the resident to check and sign; recorded and audited.

        With `my_number` the number is printed in the form's boxes and then forgotten (the
        caller's object is emptied); without it a form that needs one prints empty boxes and
        says `my_number_not_read`.
        """
        self._need_role("print_form")
        try:
            opened = self._opened(application_id)
            if opened.application.status == Status.CANCELLED:
                raise Cancelled()
            _proc, form = self._procedure(opened, procedure)
            document = self.official_form(application_id, procedure, my_number=my_number)
        finally:
            if my_number is not None:
                my_number.forget()
        warnings: tuple[DeskMessage, ...] = ()
        if form.my_number_required and my_number is None:
            warnings = (MyNumberNotRead.warning(form.id),)
        elif my_number is not None and isinstance(self._printer, FileSink):
            warnings = (NumberInFile.warning(),)
        title = f"form {form.id} {opened.application.ticket}"
        result = self._print(application_id, document, title=title, kind="form",
                             paper=document.paper, warnings=warnings,
                             names=(form.title.ja, form.title.get("en")))
        with_number = my_number is not None
        current = self._current
        if current is not None and current.opened.application.id == application_id:
            current.printed[procedure] = Printed(self._clock(), with_number)
        return replace(result, procedure=procedure, with_number=with_number)

    def _print(self, application_id: int, document: Document, *, title: str,
               kind: Literal["form", "slip"], paper: str, names: tuple[str, str],
               warnings: tuple[DeskMessage, ...] = ()) -> PrintResult:
        clerk = self._need_clerk()
        try:
            job = self._printer.print_pdf(document.data, title=title, paper=paper)
        except PrinterError as exc:
            self._record_print(application_id, kind, clerk, f"{exc.code}: {exc.message_en}")
            log.warning("print failed: application %d, %s: %s", application_id, kind, exc.code)
            raise desk_error(exc) from None
        self._record_print(application_id, kind, clerk, None)
        log.info("printed: application %d, %s", application_id, kind)
        return PrintResult(job.job_id, job.where, title, *names, warnings)

    def _record_print(self, application_id: int, kind: Literal["form", "slip"], clerk: str,
                      error: str | None) -> None:
        """The print in the audit trail; a store that refuses it is the clerk's error in words
        (the paper may be out already: the message says the store failed, not the print)."""
        try:
            self._store.record_print(application_id, kind=kind, printer=self._printer_label,
                                     ok=error is None, error=error, clerk=clerk,
                                     desk=self.desk_id)
        except StoreError as exc:
            raise desk_error(exc) from None

    def reprint_slip(self, application_id: int) -> PrintResult:
        """The slip again, from the stored application, with the codes the kiosk printed.

        A desk never signs: the codes are the kiosk's own, stored beside the application when
        it printed them (`Store.add_slip_codes`). An application this desk recorded from its
        slip has none stored: the slip is printed without codes and the result says
        `reprint_without_qr` (the application is registered at this desk already).
        """
        self._need_role("reprint")
        opened = self._opened(application_id)
        stored, submission = opened.application, opened.submission
        forms = [loaded_form(self._library, p.form_id, p.form_version)
                 for p in submission.procedures]
        if all(form is None for form in forms):
            first = submission.procedures[0]
            raise FormVersionMissing(f"{first.form_id} version {first.form_version}")
        ticket = stored.ticket.split("/", 1)[0]  # a ticket told apart by kiosk id at this desk
        origin = SlipOrigin(office_code=stored.office_code, office_name=self._office.name,
                            kiosk_id=stored.kiosk_id, ticket=ticket,
                            slip_id=bytes.fromhex(stored.slip_id), issued_at=stored.created_at)
        try:
            codes = stored_codes(self._store.slip_codes_of(stored.slip_id))
        except StoreError as exc:
            raise desk_error(exc) from None
        document = build_slip(submission, forms, origin, keys=None, counters=self._counters,
                              fonts=self._need_fonts(), paper=self._slip_paper, codes=codes)
        warnings = () if codes else (ReprintWithoutQr.warning(stored.kiosk_id),)
        return self._print(application_id, document, title=f"slip {ticket} reprint", kind="slip",
                           paper=REPRINT_SHEET, warnings=warnings,
                           names=(f"受付控え {ticket}（再発行）", f"slip {ticket} (reprint)"))


def stored_codes(rows: list[dict[str, Any]] | None) -> SlipCodes | None:
    """The kiosk's codes as stored ({"counter", "titles", "text"}), or None."""
    if not rows:
        return None
    return SlipCodes(tuple(SlipCode(str(r["counter"]), tuple(str(t) for t in r["titles"]),
                                    None if r["text"] is None else str(r["text"])) for r in rows))
