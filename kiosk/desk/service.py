"""The counter desk as plain Python: scan a slip, show the application, act on it.

The Kivy clerk screen, the `kiosk desk` commands and the tests drive this one class; it never
imports Kivy. Its collaborators come in by keyword from the wiring (kiosk/desk/wiring.py).

A scan is a check-in in pretix's sense: verify and open the slip (printouts.payload), then find
the application by the slip id in the store, locked, and note the scan in the audit trail in the
same transaction (`Store.open_by_slip`). A desk that shares the city's PostgreSQL with the kiosks
finds the kiosk's own row. A desk on another network finds nothing, because the slip is the only
bridge: it then stores the application from the slip under the kiosk's ticket
(`Store.record_scanned`) and opens that. Either way a second scan of the same slip is harmless:
it shows the application again with the warning `already_scanned` (when, where, status), and a
completed or cancelled one says so.

Personal data leaves the store only through audited calls (a scan, `open_for_clerk`, an
export), each with the clerk's id. Logs get ids and codes, never a value, and a scan refused as
the QR code of a My Number card is logged by its code alone.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from drivers.card.errors import CardError
from drivers.printer.base import Printer
from drivers.printer.errors import PrinterError
from drivers.printer.file import FileSink
from forms.loader import Library
from forms.model import Form
from kiosk.application import ProcedureAnswers, Submission
from kiosk.config import OfficeConfig
from kiosk.desk.card import MyNumber, MyNumberReader
from kiosk.desk.errors import (
    Cancelled,
    ClerkRequired,
    DeskError,
    DeskMessage,
    FormVersionMissing,
    MyNumberNotNeeded,
    MyNumberNotRead,
    NoSuchProcedure,
    NotFound,
    NumberInFile,
    ReprintWithoutQr,
    desk_error,
)
from kiosk.desk.export import csv_paths, export_csv, export_json, write_private
from kiosk.desk.scan_input import (
    codes_in_image,
    looks_like_image_path,
    pick_slip_code,
    refuse_card_number,
    wedge_line,
)
from kiosk.desk.view import JST, DeskView, build_view, loaded_form
from kiosk.store.errors import DuplicateSlipError, NotFoundError, StoreError
from kiosk.store.repository import AuditEvent, OpenedApplication, Status, Store, StoredApplication
from printouts.document import Document
from printouts.layout import Fonts
from printouts.official_form import render_official_form
from printouts.payload import (
    Application,
    DeskKeys,
    KioskKeys,
    PayloadError,
    ProcedureEntry,
    SlipEncodeError,
    decode,
    encode,
)
from printouts.slip import A5, Procedure, SlipPaper, render_slip

log = logging.getLogger("kiosk.desk")

ExportFormat = Literal["json", "csv"]
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


@dataclass(frozen=True)
class ExportResult:
    paths: tuple[Path, ...]
    applications: int


@dataclass
class _Current:
    """The application on screen: kept so that printing it does not open it again."""

    opened: OpenedApplication
    view: DeskView


def submission_from_slip(app: Application) -> Submission:
    """The Submission a desk stores for an application that reached it on a slip.

    The slip does not say whether staff helped or which language the resident used; the
    identity came from the card if any answer is marked `from_card`.
    """
    marks = {m for p in app.procedures for ms in p.flags.values() for m in ms}
    return Submission(
        procedures=tuple(
            ProcedureAnswers(p.form_id, p.form_version, dict(p.answers),
                             {path: list(ms) for path, ms in p.flags.items()})
            for p in app.procedures),
        identity_source="card" if "from_card" in marks else "manual",
        staff_assisted=False,
        lang="ja",
        created_at=app.issued_at,
    )


class Desk:
    """One counter desk, for one clerk at a time (`clerk` is None until someone signs in)."""

    def __init__(
        self,
        *,
        store: Store,
        keys: DeskKeys,
        library: Library,
        printer: Printer,
        printer_label: str,
        office: OfficeConfig,
        counters: Mapping[str, str],
        clock: Callable[[], dt.datetime],
        clerk: str | None,
        desk_id: str | None = None,
        fonts: Fonts | None = None,
        kiosk_keys: KioskKeys | None = None,
        slip_paper: SlipPaper = A5,
    ) -> None:
        self._store = store
        self._keys = keys
        self._library = library
        self._printer = printer
        self._printer_label = printer_label
        self._office = office
        self._counters = dict(counters)
        self._clock = clock
        self.clerk = clerk or None
        self.desk_id = desk_id
        self._fonts = fonts
        self._kiosk_keys = kiosk_keys
        self._slip_paper = slip_paper
        self._current: _Current | None = None

    # --- who -------------------------------------------------------------------------------

    def _need_clerk(self) -> str:
        if not self.clerk:
            raise ClerkRequired()
        return self.clerk

    @property
    def office_name(self) -> str:
        return self._office.name

    @property
    def office_code(self) -> str:
        return self._office.code

    @property
    def current(self) -> DeskView | None:
        return self._current.view if self._current else None

    def forget(self) -> None:
        """Drop the application on screen (next resident, sign-out, idle)."""
        self._current = None

    # --- scanning ----------------------------------------------------------------------------

    def scan(self, scanned: str | Path) -> DeskView:
        """A keyboard-wedge line (Enter stripped) or the path of an image or PDF of a slip."""
        if looks_like_image_path(scanned):
            return self.scan_image(Path(scanned))
        return self.scan_text(str(scanned))

    def scan_text(self, text: str) -> DeskView:
        try:
            return self._check_in(wedge_line(text))
        except DeskError as exc:
            log.info("scan refused: %s", exc.code)  # the code only: never the text
            raise

    def scan_image(self, path: Path) -> DeskView:
        try:
            text = pick_slip_code(codes_in_image(path))
            return self._check_in(text)
        except DeskError as exc:
            log.info("image scan refused: %s", exc.code)
            raise

    def _check_in(self, text: str) -> DeskView:
        refuse_card_number(text)  # before anything else looks at it (DESIGN.md)
        clerk = self._need_clerk()
        try:
            opened = decode(text, self._keys, office_code=self._office.code)
        except PayloadError as exc:
            raise desk_error(exc) from None
        del text
        recorded = False
        try:
            check = self._store.open_by_slip(opened.slip_id, clerk, desk=self.desk_id)
            if check is None:
                recorded = self._record(opened.application)
                check = self._store.open_by_slip(opened.slip_id, clerk, desk=self.desk_id)
        except StoreError as exc:
            raise desk_error(exc) from None
        if check is None:  # purged between the two calls: nothing left to show
            raise NotFound(f"slip {opened.slip_id.hex()}")
        view = self._show(check.opened, earlier=check.earlier, recorded=recorded)
        log.info("scan: application %d, status %s%s", view.application_id, view.status,
                 ", recorded from the slip" if recorded else "")
        return view

    def _record(self, app: Application) -> bool:
        """Store an application that reached this desk on a slip; False if a desk beat us."""
        try:
            self._store.record_scanned(
                submission_from_slip(app), office_code=app.office_code,
                kiosk_id=app.kiosk_id, slip_id=app.slip_id, ticket=app.ticket,
                issued_at=app.issued_at)
        except DuplicateSlipError:
            return False
        return True

    def _show(self, opened: OpenedApplication, *, earlier: AuditEvent | None = None,
              recorded: bool = False) -> DeskView:
        view = build_view(stored=opened.application, submission=opened.submission,
                          library=self._library, office_name=self._office.name,
                          earlier=earlier, recorded_from_slip=recorded)
        self._current = _Current(opened, view)
        return view

    # --- opening by number -----------------------------------------------------------------

    def open(self, application_id: int) -> DeskView:
        """An application by its id (the CLI, a reprint): audited as `viewed`."""
        return self._show(self._opened(application_id))

    def _opened(self, application_id: int) -> OpenedApplication:
        current = self._current
        if current is not None and current.opened.application.id == application_id:
            return current.opened
        clerk = self._need_clerk()
        try:
            return self._store.open_for_clerk(application_id, clerk, desk=self.desk_id)
        except NotFoundError:
            raise NotFound(f"id {application_id}") from None
        except StoreError as exc:
            raise desk_error(exc) from None

    def resolve(self, ref: str) -> int:
        """An application id from what the clerk typed: its id, or today's ticket ("A-023")."""
        refuse_card_number(ref)  # a card scanned into the wrong field is not echoed anywhere
        text = ref.strip().upper()
        if text.isdigit():
            return int(text)
        today = self._clock().astimezone(JST).date()
        try:
            found = self._store.find_by_ticket(self._office.code, text, today)
        except StoreError:  # not even the shape of a ticket
            raise NotFound("neither an application id nor a ticket number") from None
        if not found:
            raise NotFound(f"ticket {text} today")
        if len(found) > 1:
            raise NotFound(f"{len(found)} applications with ticket {text} today: use the id")
        return found[0].id

    # --- status ----------------------------------------------------------------------------

    def set_status(self, application_id: int, new: Status) -> StoredApplication:
        """received / completed / cancelled, through the store's checked transitions."""
        clerk = self._need_clerk()
        try:
            stored = self._store.set_status(application_id, new, clerk, desk=self.desk_id)
        except StoreError as exc:
            raise desk_error(exc) from None
        log.info("status: application %d -> %s", application_id, new)
        current = self._current
        if current is not None and current.opened.application.id == application_id:
            self._show(OpenedApplication(stored, current.opened.submission))
        return stored

    # --- the official form and the 12-digit number ---------------------------------------------

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
        self._need_clerk()
        opened = self._opened(application_id)
        _proc, form = self._procedure(opened, procedure)
        if not form.my_number_required or not any(
                f.type == "my_number" for f in form.all_fields()):
            raise MyNumberNotNeeded(form.id)
        if opened.application.status == "cancelled":
            raise Cancelled()
        try:
            digits = reader.read_my_number(pin, allow_last_try=allow_last_try)
        except CardError as exc:
            log.info("My Number read failed: %s", exc.code)
            raise desk_error(exc) from None
        number = MyNumber(digits)
        del digits
        log.info("My Number read for application %d, procedure %d", application_id, procedure)
        return number

    def official_form(self, application_id: int, procedure: int, *,
                      my_number: MyNumber | None = None) -> Document:
        """The completed A4 form of one procedure, the number in its boxes if one is given."""
        opened = self._opened(application_id)
        proc, form = self._procedure(opened, procedure)
        answers = dict(proc.values)
        if my_number is not None:
            if not form.my_number_required:
                raise MyNumberNotNeeded(form.id)
            for field in form.all_fields():
                if field.type == "my_number":
                    answers[field.id] = my_number.reveal()
        today = self._clock().astimezone(JST).date()
        try:
            return render_official_form(
                form=form, answers=answers, today=today, office_name=self._office.name,
                fonts=self._need_fonts(), flags={k: list(v) for k, v in proc.flags.items()},
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
        self._need_clerk()
        try:
            opened = self._opened(application_id)
            if opened.application.status == "cancelled":
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
        return self._print(application_id, document, title=title, kind="form",
                           paper=document.paper, warnings=warnings,
                           names=(form.title.ja, form.title.get("en")))

    def _print(self, application_id: int, document: Document, *, title: str,
               kind: Literal["form", "slip"], paper: str, names: tuple[str, str],
               warnings: tuple[DeskMessage, ...] = ()) -> PrintResult:
        clerk = self._need_clerk()
        try:
            job = self._printer.print_pdf(document.data, title=title, paper=paper)
        except PrinterError as exc:
            self._store.record_print(application_id, kind=kind, printer=self._printer_label,
                                     ok=False, error=f"{exc.code}: {exc.message_en}",
                                     clerk=clerk, desk=self.desk_id)
            log.warning("print failed: application %d, %s: %s", application_id, kind, exc.code)
            raise desk_error(exc) from None
        self._store.record_print(application_id, kind=kind, printer=self._printer_label, ok=True,
                                 clerk=clerk, desk=self.desk_id)
        log.info("printed: application %d, %s", application_id, kind)
        return PrintResult(job.job_id, job.where, title, *names, warnings)

    def _need_fonts(self) -> Fonts:
        if self._fonts is None:
            self._fonts = Fonts.for_pdf()  # ~0.6 s once: the font chain reads its cmaps
        return self._fonts

    # --- the slip ----------------------------------------------------------------------------

    def reprint_slip(self, application_id: int) -> PrintResult:
        """The slip again, from the stored application.

        The code is re-made from the stored answers with the same slip id (so this desk's
        replay check knows it), signed with the issuing kiosk's key, which only a desk set up
        beside that kiosk holds. Without it the slip is printed without a code and the result
        says `reprint_without_qr`: the application is registered at this desk already.
        """
        opened = self._opened(application_id)
        stored, submission = opened.application, opened.submission
        forms = [loaded_form(self._library, p.form_id, p.form_version)
                 for p in submission.procedures]
        usable = [(f, p) for f, p in zip(forms, submission.procedures, strict=True) if f]
        if not usable:
            first = submission.procedures[0]
            raise FormVersionMissing(f"{first.form_id} version {first.form_version}")
        ticket = stored.ticket.split("/", 1)[0]  # a ticket told apart by kiosk id at this desk
        issued_at = stored.created_at.astimezone(JST).replace(microsecond=0)
        qr_text = self._slip_code(stored, submission, ticket, issued_at, forms)
        document = render_slip(
            ticket=ticket,
            procedures=[Procedure(f, p.values, self._counters.get(f.counter, f.counter))
                        for f, p in usable],
            qr_text=qr_text, office_name=self._office.name, issued_at=issued_at,
            fonts=self._need_fonts(), paper=self._slip_paper)
        warnings = () if qr_text else (ReprintWithoutQr.warning(stored.kiosk_id),)
        return self._print(application_id, document, title=f"slip {ticket} reprint", kind="slip",
                           paper=REPRINT_SHEET, warnings=warnings,
                           names=(f"受付控え {ticket}（再発行）", f"slip {ticket} (reprint)"))

    def _slip_code(self, stored: StoredApplication, submission: Submission, ticket: str,
                   issued_at: dt.datetime, forms: list[Form | None]) -> str | None:
        keys = self._kiosk_keys
        if keys is None or (keys.kiosk.kiosk_id, keys.kiosk.office_code) != (
                stored.kiosk_id, stored.office_code):
            return None
        never = [f.id for form in forms if form for f in form.all_fields()
                 if f.type == "my_number"]
        app = Application(
            office_code=stored.office_code, kiosk_id=stored.kiosk_id, issued_at=issued_at,
            ticket=ticket, slip_id=bytes.fromhex(stored.slip_id),
            procedures=[ProcedureEntry(p.form_id, p.form_version, p.values, p.flags)
                        for p in submission.procedures])
        try:
            return encode(app, keys, forbidden_keys=never)
        except SlipEncodeError as exc:
            log.warning("reprint without a code: %s", exc.code)
            return None

    # --- export ------------------------------------------------------------------------------

    def export(self, fmt: ExportFormat, out: Path, *, since: dt.date | None = None) -> ExportResult:
        """Every application of this office (created on or after `since`, a day in Japan).

        Audited: one `exported` event per application, with the format. JSON goes to `out`;
        CSV to one file per form beside it (export.csv -> export.juminhyo.csv ...).
        """
        clerk = self._need_clerk()
        start = dt.datetime.combine(since, dt.time(0), JST) if since else None
        try:
            apps = self._store.open_for_export(clerk, since=start, office_code=self._office.code,
                                               desk=self.desk_id, detail=fmt)
        except StoreError as exc:
            raise desk_error(exc) from None
        if fmt == "json":
            data = export_json(apps, self._library, office_code=self._office.code,
                               exported_at=self._clock())
            write_private(out, data)
            paths: tuple[Path, ...] = (out,)
        else:
            tables = export_csv(apps, self._library)
            targets = csv_paths(out, tables)
            for form_id, data in tables.items():
                write_private(targets[form_id], data)
            paths = tuple(targets.values())
        log.info("export: %d application(s) as %s", len(apps), fmt)
        return ExportResult(paths, len(apps))
