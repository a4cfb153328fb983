"""The counter desk as plain Python: scan a slip, show the application, act on it.

The Kivy clerk screen, the `kiosk desk` commands and the tests drive this one class; it never
imports Kivy. Its collaborators come in by keyword from the wiring (kiosk/wiring.py).

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from common.clock import JST
from kiosk.application import FlagCode, ProcedureAnswers, Status, Submission
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
from kiosk.desk.view import DeskView
from kiosk.store.errors import DuplicateSlipError, StoreError
from kiosk.store.repository import OpenedApplication, SlipScan, StoredApplication
from printouts.payload import Application, PayloadError, decode

__all__ = ["REPRINT_SHEET", "Desk", "ExportFormat", "ExportResult", "PrintResult",
           "submission_from_slip"]

log = logging.getLogger("kiosk.desk")

ExportFormat = Literal["json", "csv"]


@dataclass(frozen=True)
class ExportResult:
    paths: tuple[Path, ...]
    applications: int


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
        identity_source="card" if FlagCode.FROM_CARD in marks else "manual",
        staff_assisted=False,
        lang="ja",
        created_at=app.issued_at,
    )


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
        self.forget()  # a new scan, good or refused, never leaves the last resident on screen
        try:
            return self._check_in([wedge_line(text)])
        except DeskError as exc:
            log.info("scan refused: %s", exc.code)  # the code only: never the text
            raise

    def scan_image(self, path: Path) -> DeskView:
        """A picture of the slip: every code of it this desk serves, shown as one."""
        self.forget()
        try:
            return self._check_in(slip_codes_of(codes_in_image(path)))
        except DeskError as exc:
            log.info("image scan refused: %s", exc.code)
            raise

    def _check_in(self, texts: list[str]) -> DeskView:
        for text in texts:
            refuse_card_number(text)  # before anything else looks at it (DESIGN.md)
        clerk = self._need_clerk()
        try:
            apps = [decode(text, self._keys, office_code=self._office.code,
                           forms=self._library.get).application for text in texts]
        except PayloadError as exc:
            raise desk_error(exc) from None
        del texts
        ours = [app for app in apps if app.counter is None or not self._serves
                or app.counter in self._serves]
        if not ours:
            counter = apps[0].counter or ""
            raise OtherCounter.to(self._counters.get(counter, counter))
        try:
            opened = [self._open_code(app, clerk) for app in ours]
        except StoreError as exc:
            raise desk_error(exc) from None
        (first, _), (last, _) = opened[0], opened[-1]
        code = ours[-1] if len(ours) == 1 else replace(
            ours[-1], procedures=tuple(p for app in ours for p in app.procedures))
        view = self._show(last.opened, earlier=first.earlier,
                          recorded=any(recorded for _, recorded in opened),
                          code=code if code.counter is not None else None)
        log.info("scan: application %d, status %s%s", view.application_id, view.status,
                 ", recorded from the slip" if view.recorded_from_slip else "")
        return view

    def _open_code(self, app: Application, clerk: str) -> tuple[SlipScan, bool]:
        """The stored application of a scanned code (audited), and whether this desk took it
        (or this code's procedures) from the slip just now. A slip's codes (one a counter)
        share its slip id: each is told apart by its forms. On a separate network, a later
        counter's code of a slip recorded from an earlier one adds its procedures first."""
        forms = [p.form_id for p in app.procedures] if len(app.route) > 1 else []
        added = self._store.add_scanned_procedures(
            app.slip_id, submission_from_slip(app).procedures)
        check = self._store.open_by_slip(app.slip_id, clerk, desk=self.desk_id, forms=forms)
        recorded = False
        if check is None:
            recorded = self._record(app)
            check = self._store.open_by_slip(app.slip_id, clerk, desk=self.desk_id, forms=forms)
        if check is None:  # purged between the two calls: nothing left to show
            raise NotFound(f"slip {app.slip_id.hex()}")
        return check, recorded or added

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

    # --- opening by number -----------------------------------------------------------------

    def open(self, application_id: int) -> DeskView:
        """An application by its id (the CLI, a reprint): audited as `viewed`."""
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
