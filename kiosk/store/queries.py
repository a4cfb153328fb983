"""The desk's side of the store: find an application, open it for a clerk, change its status.

Personal data leaves the store only through `open_for_clerk`, `open_by_slip` (a `viewed`
audit event) and `open_for_export` (an `exported` event per application), each writing its
audit event in the same transaction as the read. Each record is opened only after its signature
is checked against the row (sealing.py): what a desk shows is what a trusted kiosk signed, and
anything else is `tampered`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, Row, select, update

from kiosk.application import Status
from kiosk.store.audit import MAX_DETAIL, insert_audit
from kiosk.store.errors import InvalidValueError, NotFoundError, StatusError, TamperedError
from kiosk.store.models import applications, audit_events, slip_codes, spent_slips
from kiosk.store.records import (
    OFFICE,
    STAFF_ID,
    TICKET,
    OpenedApplication,
    SlipScan,
    StoredApplication,
    check,
    event_of,
    slip_hex,
    stored_of,
)
from kiosk.store.sealing import meta_of
from kiosk.store.status import check_transition
from kiosk.store.transactions import StoreBase

# The audit detail of the `viewed` event a desk's scan writes: a later scan finds it (replay).
SCAN_DETAIL = "scan"


class DeskQueries(StoreBase):
    def get(self, application_id: int) -> StoredApplication:
        """The application without personal data; NotFoundError when absent (or purged)."""
        row = self._read(lambda conn: conn.execute(
            select(applications).where(applications.c.id == application_id)).first())
        if row is None:
            raise NotFoundError(f"id {application_id}")
        return stored_of(row)

    def find_by_slip(self, slip_id: bytes | str) -> StoredApplication | None:
        """The application a slip was printed for, or None: the desk's replay check."""
        slip = slip_hex(slip_id)
        row = self._read(lambda conn: conn.execute(
            select(applications).where(applications.c.slip_id == slip)).first())
        return None if row is None else stored_of(row)

    def find_by_ticket(
        self, office_code: str, ticket: str, day: dt.date
    ) -> list[StoredApplication]:
        """The applications of an office and day with this ticket ("A-023"), including those
        kept as "A-023/K02" (see `record_scanned`): usually one. No personal data."""
        check(OFFICE, office_code, "office_code")
        check(TICKET, ticket, "ticket")
        rows = self._read(lambda conn: conn.execute(
            select(applications).where(
                applications.c.office_code == office_code, applications.c.ticket_day == day,
                (applications.c.ticket == ticket) | applications.c.ticket.startswith(f"{ticket}/"),
            ).order_by(applications.c.id)).all())
        return [stored_of(r) for r in rows]

    def slip_codes_of(self, slip_id: bytes | str) -> list[dict[str, Any]] | None:
        """The codes the kiosk printed on the slip (for a reprint), or None."""
        slip = slip_hex(slip_id)
        codes = self._read(lambda conn: conn.execute(
            select(slip_codes.c.codes).where(slip_codes.c.slip_id == slip)).scalar())
        return None if codes is None else list(codes)

    def was_scanned(self, application_id: int) -> bool:
        """Whether a desk has checked the application in from its slip (a `viewed` event of a
        scan): the resident came to the counter with it."""
        return self._read(lambda conn: conn.execute(
            select(audit_events.c.id).where(
                audit_events.c.application_id == application_id,
                audit_events.c.action == "viewed",
                audit_events.c.detail.startswith(SCAN_DETAIL, autoescape=True)).limit(1)).first()
        ) is not None

    def is_spent(self, slip_id: bytes | str) -> bool:
        """Whether the slip's application was purged while the slip is still within its
        validity window: such a slip must not register again."""
        slip = slip_hex(slip_id)
        return self._read(lambda conn: conn.execute(
            select(spent_slips.c.slip_id).where(spent_slips.c.slip_id == slip)).first()
        ) is not None

    def _opened(self, row: Row[Any]) -> OpenedApplication:
        try:
            submission = self._need_opener().open(row.payload, meta_of(row))
        except TamperedError as exc:
            exc.application_id = row.id  # for the desk's `refused` audit event
            raise
        return OpenedApplication(stored_of(row), submission)

    def open_for_clerk(
        self, application_id: int, clerk: str, *, desk: str | None = None
    ) -> OpenedApplication:
        """Decrypt an application for a clerk; the `viewed` audit event commits with the read."""
        check(STAFF_ID, clerk, "clerk")
        self._need_opener()
        now = self._now()

        def write(conn: Connection) -> OpenedApplication:
            wanted = select(applications).where(applications.c.id == application_id)
            row = conn.execute(wanted).first()
            if row is None:
                raise NotFoundError(f"id {application_id}")
            opened = self._opened(row)
            insert_audit(conn, clerk=clerk, action="viewed", application_id=application_id,
                         desk=desk, detail=None, at=now)
            return opened

        return self._write(write)

    def open_by_slip(
        self, slip_id: bytes | str, clerk: str, *, desk: str | None = None,
        forms: Sequence[str] = (),
    ) -> SlipScan | None:
        """The desk's scan, as one transaction: find the slip's row (locked), read the first
        earlier scan, decrypt, and write a `viewed` event with detail "scan". None when no row
        has this slip id (the desk then records it from the slip: `record_scanned`).

        `forms`: the form ids of the code scanned, when it is one of several codes of its slip
        (one a counter, under one slip id). Each is its own scan ("scan tennyu,inkan_toroku"),
        so the next counter's code is not taken for a replay of the first; a slip of one code
        is "scan", as ever.

        The row lock (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE locks the file) makes
        two desks scanning the same slip at once take turns, so exactly one sees no earlier scan.
        """
        check(STAFF_ID, clerk, "clerk")
        slip = slip_hex(slip_id)
        self._need_opener()
        now = self._now()

        def write(conn: Connection) -> SlipScan | None:
            row = conn.execute(
                select(applications).where(applications.c.slip_id == slip).with_for_update()
            ).first()
            if row is None:
                return None
            opened = self._opened(row)
            detail = f"{SCAN_DETAIL} {','.join(forms)}"[:MAX_DETAIL] if forms else SCAN_DETAIL
            earlier = conn.execute(
                select(audit_events).where(
                    audit_events.c.application_id == row.id, audit_events.c.action == "viewed",
                    audit_events.c.detail.in_({SCAN_DETAIL, detail}),
                ).order_by(audit_events.c.id).limit(1)
            ).first()
            insert_audit(conn, clerk=clerk, action="viewed", application_id=row.id, desk=desk,
                         detail=detail, at=now)
            return SlipScan(opened, None if earlier is None else event_of(earlier))

        return self._write(write)

    def set_status(
        self, application_id: int, new: Status | str, clerk: str, *, desk: str | None = None
    ) -> StoredApplication:
        """A move of kiosk.application.NEXT_STATUS (issued -> received -> completed;
        issued/received -> cancelled), audited as `status_changed` "old->new".

        Errors (nothing changed): already_received, already_completed, already_cancelled,
        not_received (completing what was never received), invalid_transition, not_found.
        """
        check(STAFF_ID, clerk, "clerk")
        try:
            wanted = Status(new)
        except ValueError:
            raise StatusError(f"unknown status {new}") from None
        now = self._now()

        def write(conn: Connection) -> StoredApplication:
            row = conn.execute(
                select(applications).where(applications.c.id == application_id).with_for_update()
            ).first()
            if row is None:
                raise NotFoundError(f"id {application_id}")
            check_transition(row.status, wanted)
            conn.execute(
                update(applications).where(applications.c.id == application_id)
                .values(status=wanted.value, updated_at=now)
            )
            insert_audit(conn, clerk=clerk, action="status_changed",
                         application_id=application_id, desk=desk,
                         detail=f"{row.status}->{wanted.value}", at=now)
            return stored_of(row)

        before = self._write(write)
        return replace(before, status=wanted, updated_at=now)

    def open_for_export(
        self,
        clerk: str,
        *,
        since: dt.datetime | None = None,
        office_code: str | None = None,
        desk: str | None = None,
        detail: str | None = None,
    ) -> list[OpenedApplication]:
        """Decrypt every application created at or after `since` (of one office), for an
        export: one `exported` audit event per application, in the same transaction."""
        check(STAFF_ID, clerk, "clerk")
        if office_code is not None:
            check(OFFICE, office_code, "office_code")
        if since is not None and since.utcoffset() is None:
            raise InvalidValueError("since must be an aware datetime")
        self._need_opener()
        now = self._now()
        query = select(applications).order_by(applications.c.id)
        if since is not None:
            query = query.where(applications.c.created_at >= since)
        if office_code is not None:
            query = query.where(applications.c.office_code == office_code)

        def write(conn: Connection) -> list[OpenedApplication]:
            out: list[OpenedApplication] = []
            for row in conn.execute(query).all():
                out.append(self._opened(row))
                insert_audit(conn, clerk=clerk, action="exported", application_id=row.id,
                             desk=desk, detail=detail, at=now)
            return out

        return self._write(write)
