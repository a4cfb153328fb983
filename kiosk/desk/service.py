"""The counter desk as plain Python: scan a slip, show the application, act on it.

The Kivy clerk screen, the `kiosk desk` commands and the tests drive this one class; it never
imports Kivy. Its collaborators come in by keyword from the wiring (kiosk/wiring.py).

A scan is a check-in in pretix's sense: verify and open the slip (printouts.payload), refuse it
outside its validity window, then find the application by the slip id in the store, locked, and
note the scan in the audit trail in the same transaction (`Store.open_by_slip`). What is shown is
the stored record a trusted kiosk signed, once it agrees with the scanned code (signed.py); every
refusal is an audit event of its own (`refused`, its code). A desk that shares the city's PostgreSQL with the kiosks
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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from common.clock import JST
from kiosk.application import Status
from kiosk.desk.errors import DeskError, NotFound, OtherCounter, desk_error
from kiosk.desk.export import csv_paths, export_csv, export_json, write_private
from kiosk.desk.printing import REPRINT_SHEET, DeskPrinting, PrintResult
from kiosk.desk.scan_input import (
    codes_in_image,
    looks_like_image_path,
    refuse_card_number,
    slip_codes_of,
    wedge_line,
)
from kiosk.desk.signed import (
    SlipSpent,
    check_agrees,
    check_fresh,
    submission_from_slip,
)
from kiosk.desk.view import DeskView
from kiosk.store.errors import DuplicateSlipError, StoreError
from kiosk.store.repository import OpenedApplication, SlipScan, StoredApplication
from printouts.payload import Application, FormDefinitionDiffersError, PayloadError, decode

__all__ = ["REPRINT_SHEET", "Desk", "ExportFormat", "ExportResult", "PrintResult"]

log = logging.getLogger("kiosk.desk")

ExportFormat = Literal["json", "csv"]


@dataclass(frozen=True)
class ExportResult:
    paths: tuple[Path, ...]
    applications: int


class Desk(DeskPrinting):
    """One counter desk, for one clerk at a time (`clerk` is None until someone signs in).

    Built by keyword (see DeskBase); printing the official form and the slip again is
    DeskPrinting's (kiosk/desk/printing.py).
    """

    # --- scanning ----------------------------------------------------------------------------

    def scan(self, scanned: str | Path) -> DeskView:
        """A keyboard-wedge line (Enter stripped) or the path of an image or PDF of a slip."""
        if looks_like_image_path(scanned):
            return self.scan_image(Path(scanned))
        return self.scan_text(str(scanned))

    def scan_text(self, text: str) -> DeskView:
        self._refuse_while_locked()
        self.forget()  # a new scan, good or refused, never leaves the last resident on screen
        try:
            return self._check_in([wedge_line(text)])
        except DeskError as exc:
            log.info("scan refused: %s", exc.code)  # the code only: never the text
            self._audit_refusal(exc)
            raise

    def scan_image(self, path: Path) -> DeskView:
        """A picture of the slip: every code of it this desk serves, shown as one."""
        self._refuse_while_locked()
        self.forget()
        try:
            return self._check_in(slip_codes_of(codes_in_image(path)))
        except DeskError as exc:
            log.info("image scan refused: %s", exc.code)
            self._audit_refusal(exc)
            raise

    def _check_in(self, texts: list[str]) -> DeskView:
        for text in texts:
            refuse_card_number(text)  # before anything else looks at it (DESIGN.md)
        clerk = self._need_clerk()
        try:
            apps = [decode(text, self._keys, office_code=self._office.code,
                           forms=self._library.form_version).application for text in texts]
        except PayloadError as exc:
            raise desk_error(self._with_our_version(exc)) from None
        now = self._clock()
        for app in apps:
            check_fresh(app.issued_at, now, self._slip_valid)
        ours = [(text, app) for text, app in zip(texts, apps, strict=True)
                if app.counter is None or not self._serves or app.counter in self._serves]
        if not ours:
            counter = apps[0].counter or ""
            raise OtherCounter.to(self._counters.get(counter, counter))
        try:
            opened = [self._open_code(text, app, clerk) for text, app in ours]
            for (_, app), (scan, _) in zip(ours, opened, strict=True):
                check_agrees(app, scan.opened)
        except StoreError as exc:
            error = desk_error(exc)
            error.application_id = getattr(exc, "application_id", None)
            raise error from None
        codes = [app for _, app in ours]
        (first, _), (last, _) = opened[0], opened[-1]
        code = codes[-1] if len(codes) == 1 else replace(
            codes[-1], procedures=tuple(p for app in codes for p in app.procedures))
        view = self._show(last.opened, earlier=first.earlier,
                          recorded=any(recorded for _, recorded in opened),
                          code=code if code.counter is not None else None)
        log.info("scan: application %d, status %s%s", view.application_id, view.status,
                 ", recorded from the slip" if view.recorded_from_slip else "")
        return view

    def _with_our_version(self, exc: PayloadError) -> PayloadError:
        """A code refused for its form names the version this desk has, as IT staff need it:
        the codec asks the library by the slip's version only, so it cannot say."""
        if isinstance(exc, FormDefinitionDiffersError) and exc.desk_version is None:
            have = self._library.current(exc.form_id)
            if have is not None:
                return FormDefinitionDiffersError.of(exc.form_id, exc.form_version,
                                                     desk_version=have.form.version)
        return exc

    def _open_code(self, text: str, app: Application, clerk: str) -> tuple[SlipScan, bool]:
        """The stored application of a scanned code (audited), and whether this desk took it
        (or this code's procedures) from the slip just now. A slip's codes (one a counter)
        share its slip id: each is told apart by its forms. On a separate network, a later
        counter's code of a slip recorded from an earlier one adds its procedures first; a
        slip whose application was purged is never recorded again."""
        forms = [p.form_id for p in app.procedures] if len(app.route) > 1 else []
        added = self._store.add_scanned_procedures(
            app.slip_id, text, submission_from_slip(app).procedures)
        check = self._store.open_by_slip(app.slip_id, clerk, desk=self.desk_id, forms=forms)
        recorded = False
        if check is None:
            if self._store.is_spent(app.slip_id):
                raise SlipSpent(f"slip {app.slip_id.hex()}")
            recorded = self._record(text, app)
            check = self._store.open_by_slip(app.slip_id, clerk, desk=self.desk_id, forms=forms)
        if check is None:  # purged between the two calls: nothing left to show
            raise NotFound(f"slip {app.slip_id.hex()}")
        return check, recorded or added

    def _record(self, text: str, app: Application) -> bool:
        """Store an application that reached this desk on a slip; False if a desk beat us."""
        try:
            self._store.record_scanned(
                submission_from_slip(app), codes=[text], office_code=app.office_code,
                kiosk_id=app.kiosk_id, slip_id=app.slip_id, ticket=app.ticket,
                issued_at=app.issued_at)
        except DuplicateSlipError:
            return False
        return True

    # --- opening by number -----------------------------------------------------------------

    def open(self, application_id: int) -> DeskView:
        """An application by its id (the CLI, a reprint): audited as `viewed`. A supervisor's,
        or a clerk's when its slip was scanned at a desk (`_may_open`)."""
        return self._show(self._opened(application_id))

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

    def set_status(self, application_id: int, new: Status | str) -> StoredApplication:
        """received / completed / cancelled, through the store's checked transitions."""
        clerk = self._need_role("set_status")
        try:
            stored = self._store.set_status(application_id, new, clerk, desk=self.desk_id)
        except StoreError as exc:
            raise desk_error(exc) from None
        log.info("status: application %d -> %s", application_id, new)
        current = self._current
        if current is not None and current.opened.application.id == application_id:
            self._show(OpenedApplication(stored, current.opened.submission))
        return stored

    # --- export ------------------------------------------------------------------------------

    def export(self, fmt: ExportFormat, out: Path, *, since: dt.date | None = None) -> ExportResult:
        """Every application of this office (created on or after `since`, a day in Japan).

        Audited: one `exported` event per application, with the format. JSON goes to `out`;
        CSV to one file per form beside it (export.csv -> export.juminhyo.csv ...).
        """
        clerk = self._need_role("export")
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
