"""What happened to an application: the audit trail (who opened, printed, changed, exported
it) and the print jobs; and the tickets handed out with paper forms, which belong to no
application. Neither holds personal data: details are codes, a printer's message is cut short
and dropped if it holds a 12-digit number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Connection, insert, select

from common.clock import JST
from kiosk.store.audit_chain import advance, event_hash, next_link
from kiosk.store.errors import InvalidValueError
from kiosk.store.models import AUDIT_ACTIONS, PRINT_KINDS, audit_events, print_jobs
from kiosk.store.records import (
    OFFICE,
    STAFF_ID,
    AuditAction,
    AuditEvent,
    PaperTicket,
    PrintJob,
    PrintKind,
    check,
    clean_error,
    event_of,
)
from kiosk.store.sealing import refuse_my_number
from kiosk.store.transactions import StoreBase

MAX_DETAIL = 200
# A paper ticket's audit event: no clerk acted (the kiosk did; its id is the event's desk),
# and the detail reads "paper_ticket 131016 A-012 juminhyo,kokuho".
PAPER_CLERK = "kiosk"
PAPER_TICKET = "paper_ticket"


def paper_detail(office_code: str, ticket: str, form_ids: Sequence[str]) -> str:
    """The detail of a paper ticket's event; forms that do not fit the column are counted
    ("+2"), since the office and the ticket are what a clerk looks it up by."""
    head = f"{PAPER_TICKET} {office_code} {ticket} "
    kept = len(form_ids)
    while len(head + _forms(form_ids, kept)) > MAX_DETAIL:
        kept -= 1
    return head + _forms(form_ids, kept)


def _forms(form_ids: Sequence[str], kept: int) -> str:
    left = len(form_ids) - kept
    return ",".join([*form_ids[:kept], f"+{left}"] if left else form_ids)


def _paper_ticket_of(detail: str, kiosk_id: str | None, at: dt.datetime) -> PaperTicket:
    _kind, office_code, ticket, forms = [*detail.split(" ", 3), ""][:4]
    return PaperTicket(ticket=ticket, ticket_day=at.astimezone(JST).date(),
                       office_code=office_code, kiosk_id=kiosk_id or "",
                       form_ids=tuple(f for f in forms.split(",") if f and f[0] != "+"), at=at)


def insert_audit(conn: Connection, *, clerk: str, action: str, application_id: int | None,
                 desk: str | None, detail: str | None, at: dt.datetime) -> int:
    """One audit event, inside the caller's transaction (so it commits with what it records),
    chained to the one before (audit_chain.py)."""
    if action not in AUDIT_ACTIONS:
        raise InvalidValueError(f"audit action must be one of {', '.join(AUDIT_ACTIONS)}")
    if desk is not None:
        check(STAFF_ID, desk, "desk")
    if detail is not None:
        if len(detail) > MAX_DETAIL:
            raise InvalidValueError(f"audit detail: at most {MAX_DETAIL} characters")
        refuse_my_number(detail, "audit detail")
    seq, prev = next_link(conn)
    digest = event_hash(prev, seq, clerk=clerk, action=action, application_id=application_id,
                        desk=desk, detail=detail, at=at)
    event_id = conn.execute(
        insert(audit_events).values(
            clerk_id=clerk, action=action, application_id=application_id, desk_id=desk,
            detail=detail, at=at, seq=seq, prev_hash=prev, hash=digest,
        ).returning(audit_events.c.id)
    ).scalar_one()
    advance(conn, seq, digest)
    return int(event_id)


class AuditLog(StoreBase):
    def record_print(
        self,
        application_id: int | None,
        *,
        kind: PrintKind,
        printer: str,
        ok: bool,
        error: str | None = None,
        clerk: str | None = None,
        desk: str | None = None,
    ) -> int:
        """Record one print; with `clerk` (a desk printing a form) it is audited as `printed`.

        `error` is the printer's message (queue stopped, out of paper); it is cut to 500
        characters and dropped if it holds a My Number. Never pass document content.
        """
        if kind not in PRINT_KINDS:
            raise InvalidValueError(f"kind must be one of {', '.join(PRINT_KINDS)}")
        check(STAFF_ID, printer, "printer")
        if clerk is not None:
            check(STAFF_ID, clerk, "clerk")
        error_text = clean_error(error) if not ok else None
        now = self._now()

        def write(conn: Connection) -> int:
            job_id = conn.execute(
                insert(print_jobs).values(
                    application_id=application_id, kind=kind, printer=printer,
                    status="ok" if ok else "failed", error=error_text, at=now,
                ).returning(print_jobs.c.id)
            ).scalar_one()
            if clerk is not None:
                insert_audit(conn, clerk=clerk, action="printed", application_id=application_id,
                             desk=desk, detail=kind, at=now)
            return int(job_id)

        return self._write(write)

    def audit(
        self,
        clerk: str,
        action: AuditAction,
        application_id: int | None = None,
        *,
        desk: str | None = None,
        detail: str | None = None,
    ) -> int:
        """Record what a clerk did (e.g. `exported`). `detail` is a code, never personal data."""
        check(STAFF_ID, clerk, "clerk")
        now = self._now()
        return self._write(lambda conn: insert_audit(
            conn, clerk=clerk, action=action, application_id=application_id, desk=desk,
            detail=detail, at=now))

    def audit_trail(self, application_id: int) -> list[AuditEvent]:
        rows = self._read(lambda conn: conn.execute(
            select(audit_events).where(audit_events.c.application_id == application_id)
            .order_by(audit_events.c.id)).all())
        return [event_of(r) for r in rows]

    def paper_tickets(self, office_code: str, day: dt.date) -> list[PaperTicket]:
        """The tickets the office's kiosks handed out with paper forms on `day` (in Japan),
        oldest first: numbers no application holds, that a resident brings to the counter."""
        check(OFFICE, office_code, "office_code")
        start = dt.datetime.combine(day, dt.time(), JST)
        events = audit_events.c
        rows = self._read(lambda conn: conn.execute(
            select(events.detail, events.desk_id, events.at).where(
                events.action == "printed", events.application_id.is_(None),
                events.detail.startswith(f"{PAPER_TICKET} {office_code} ", autoescape=True),
                events.at >= start, events.at < start + dt.timedelta(days=1),
            ).order_by(events.id)).all())
        return [_paper_ticket_of(r.detail, r.desk_id, r.at) for r in rows]

    def print_jobs_of(self, application_id: int | None) -> list[PrintJob]:
        """The prints of an application, oldest first; None: the paper forms printed blank
        at the kiosk (no application exists for those)."""
        column = print_jobs.c.application_id
        wanted = column.is_(None) if application_id is None else column == application_id
        rows = self._read(lambda conn: conn.execute(
            select(print_jobs).where(wanted).order_by(print_jobs.c.id)).all())
        return [
            PrintJob(r.id, r.application_id, cast(PrintKind, r.kind), r.printer, r.status == "ok",
                     r.error, r.at)
            for r in rows
        ]
