"""The store: applications, their status, print jobs and the audit trail, on SQLAlchemy Core.

Wiring builds one `Store` per process with `open_store(engine, key_file)`; nothing here is
global. Every write is one short transaction that takes its lock first (SQLite: BEGIN
IMMEDIATE; PostgreSQL: the row lock of an upsert or SELECT ... FOR UPDATE) and is retried on a
lock timeout, a serialization failure or a deadlock. Encryption happens before the transaction
opens, so the lock is held for a few statements only.

Tickets: ``ticket_counters`` holds the last number per office and day in Japan. The upsert
``INSERT ... ON CONFLICT (office_code, day) DO UPDATE SET last_number = last_number + 1
RETURNING last_number`` locks that one row until the application row is in and the transaction
has committed, so concurrent kiosks queue on it and each gets the next number; a rollback gives
the number back. UNIQUE(office_code, ticket_day, ticket) is the last line of defence: should the
counter ever lag (a restored backup), the clash moves the counter past the highest number in use
and the write is retried.

Personal data leaves the store only through `open_for_clerk` and the desk's `open_by_slip` (a
`viewed` audit event) and `open_for_export` (an `exported` event per application), each writing
its audit event in the same transaction as the read.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    Text,
    case,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy import cast as sa_cast
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from kiosk.application import Submission
from kiosk.store.crypto import DataKeys, load_or_create_key, refuse_my_number, seal, unseal
from kiosk.store.db import IMMEDIATE, is_sqlite
from kiosk.store.errors import (
    AlreadyCancelledError,
    AlreadyCompletedError,
    AlreadyReceivedError,
    DatabaseBusyError,
    DatabaseUnavailableError,
    DuplicateSlipError,
    InvalidValueError,
    KeyMismatchError,
    KeyMissingError,
    NotFoundError,
    NotReceivedError,
    StatusError,
    StoreError,
)
from kiosk.store.migrate import check_schema
from kiosk.store.models import (
    AUDIT_ACTIONS,
    PRINT_KINDS,
    STATUSES,
    UtcDateTime,
    applications,
    audit_events,
    data_keys,
    print_jobs,
    ticket_counters,
)
from kiosk.store.payload import from_payload, to_payload

Status = Literal["issued", "received", "completed", "cancelled"]
AuditAction = Literal["viewed", "printed", "status_changed", "exported", "purged"]
PrintKind = Literal["slip", "form", "assisted"]

# Japan has one time zone and no daylight saving: the ticket day is the day in JST.
JST = dt.timezone(dt.timedelta(hours=9), "JST")
SYSTEM_CLERK = "system"
SLIP_ID_BYTES = 12
MAX_ERROR_TEXT = 500

_NEXT: dict[str, frozenset[str]] = {
    "issued": frozenset({"received", "cancelled"}),
    "received": frozenset({"completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
_OFFICE = re.compile(r"[0-9]{6}")
_KIOSK = re.compile(r"[A-Z0-9]{1,8}")  # kiosk.toml's kiosk_id rule
_STAFF_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,63}")  # clerk, desk, printer
_PREFIX = re.compile(r"[A-Z0-9]{1,4}")
_HEX24 = re.compile(r"[0-9a-f]{24}")
_TICKET = re.compile(r"[A-Z0-9](?:[A-Z0-9-]{0,14}[A-Z0-9])?")  # the slip's rule: "A-023"
_TRAILING_NUMBER = re.compile(r"([0-9]+)$")
# The audit detail of the `viewed` event a desk's scan writes: a later scan finds it (replay).
SCAN_DETAIL = "scan"
_RETRY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})  # serialization, deadlock, lock wait

T = TypeVar("T")


@dataclass(frozen=True)
class FormRef:
    form_id: str
    version: int


@dataclass(frozen=True)
class StoredApplication:
    """An application as the counter finds and routes it: no personal data."""

    id: int
    ticket: str
    ticket_day: dt.date
    office_code: str
    kiosk_id: str
    slip_id: str  # 24 hex digits
    status: Status
    created_at: dt.datetime
    updated_at: dt.datetime
    forms: tuple[FormRef, ...]
    key_id: str


@dataclass(frozen=True)
class OpenedApplication:
    """What `open_for_clerk` hands the desk: the row and the decrypted submission."""

    application: StoredApplication
    submission: Submission


@dataclass(frozen=True)
class SlipScan:
    """What `open_by_slip` hands the desk: the opened application and the first earlier scan
    of the same slip (None on the first), so a replay is told and still shown."""

    opened: OpenedApplication
    earlier: AuditEvent | None


@dataclass(frozen=True)
class AuditEvent:
    id: int
    clerk_id: str
    action: AuditAction
    application_id: int | None
    desk_id: str | None
    detail: str | None
    at: dt.datetime


@dataclass(frozen=True)
class PrintJob:
    id: int
    application_id: int | None
    kind: PrintKind
    printer: str
    ok: bool
    error: str | None
    at: dt.datetime


@dataclass(frozen=True)
class StoreStats:
    """Counts only: what `kiosk db stats` prints."""

    by_status: dict[str, int]
    prints_ok: int
    prints_failed: int
    audit_events: int
    oldest_created_at: dt.datetime | None
    by_key_id: dict[str, int]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    """The kiosk's and the desk's one door to the database.

    `keys` may be None for maintenance (purge, stats): those never read personal data, and a
    purge job then needs no access to the key file.
    """

    def __init__(
        self,
        engine: Engine,
        keys: DataKeys | None,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        ticket_prefix: str = "A",
        retries: int = 8,
    ) -> None:
        if not _PREFIX.fullmatch(ticket_prefix):
            raise InvalidValueError("ticket_prefix: 1 to 4 capital letters or digits, e.g. A")
        self._engine = engine
        self._keys = keys
        self._clock = clock
        self._prefix = ticket_prefix
        self._retries = retries

    # --- the kiosk --------------------------------------------------------------------------

    def add_application(
        self, submission: Submission, *, office_code: str, kiosk_id: str, slip_id: bytes | str
    ) -> StoredApplication:
        """Store a submission with the next ticket number of its office and day, in one transaction.

        Raises MyNumberRefusedError (nothing stored) when an answer holds a My Number, and
        DuplicateSlipError when the slip id is already stored.
        """
        _check(_OFFICE, office_code, "office_code")
        _check(_KIOSK, kiosk_id, "kiosk_id")
        slip = slip_hex(slip_id)
        forms: list[dict[str, Any]] = [
            {"id": p.form_id, "version": p.form_version} for p in submission.procedures
        ]
        key_id, blob = seal(self._need_keys(), to_payload(submission), aad=_aad(slip))
        now = self._now()
        day = now.astimezone(JST).date()

        row = {
            "ticket_day": day, "office_code": office_code, "kiosk_id": kiosk_id, "slip_id": slip,
            "status": "issued", "created_at": now, "updated_at": now, "forms": forms,
            "key_id": key_id, "payload": blob,
        }

        def write(conn: Connection) -> tuple[int, str]:
            if conn.dialect.name == "postgresql":
                return self._insert_pg(conn, row)
            number = int(conn.execute(self._counter_upsert(sqlite_insert, office_code, day))
                         .scalar_one())
            ticket = f"{self._prefix}-{number:03d}"
            new_id = conn.execute(
                insert(applications).values(ticket=ticket, ticket_no=number, **row)
                .returning(applications.c.id)
            ).scalar_one()
            return int(new_id), ticket

        new_id, ticket = self._write(write, on_ticket_clash=(office_code, day), one_statement=True)
        return StoredApplication(
            id=new_id, ticket=ticket, ticket_day=day, office_code=office_code, kiosk_id=kiosk_id,
            slip_id=slip, status="issued", created_at=now, updated_at=now,
            forms=tuple(FormRef(f["id"], f["version"]) for f in forms), key_id=key_id,
        )

    @staticmethod
    def _counter_upsert(upsert: Any, office_code: str, day: dt.date) -> Any:
        """INSERT ... ON CONFLICT DO UPDATE ... RETURNING: the next number, row locked till commit."""
        return (
            upsert(ticket_counters)
            .values(office_code=office_code, day=day, last_number=1)
            .on_conflict_do_update(
                index_elements=[ticket_counters.c.office_code, ticket_counters.c.day],
                set_={"last_number": ticket_counters.c.last_number + 1},
            )
            .returning(ticket_counters.c.last_number)
        )

    def _insert_pg(self, conn: Connection, row: dict[str, Any]) -> tuple[int, str]:
        """Counter and application in one statement, run as its own transaction.

        The counter row is then locked only while the server executes and commits it, never
        while a kiosk process waits for the CPU between statements: with BEGIN, upsert, insert,
        COMMIT as separate round trips, 32 kiosks on a 2-core host queued on that row.
        """
        counter = self._counter_upsert(pg_insert, row["office_code"], row["ticket_day"]).cte("n")
        number = select(counter.c.last_number).scalar_subquery()
        digits = sa_cast(number, Text)
        ticket = literal(f"{self._prefix}-") + case(
            (number < 1000, func.lpad(digits, 3, "0")), else_=digits)  # f"{n:03d}"
        stmt = (
            insert(applications).add_cte(counter)
            .values(ticket=ticket, ticket_no=number, **row)
            .returning(applications.c.id, applications.c.ticket)
        )
        new_id, made = conn.execute(stmt).one()
        return int(new_id), str(made)

    def _repair_counter(self, office_code: str, day: dt.date) -> None:
        """Move a lagging counter past the highest ticket number in use (after a clash)."""
        highest = (
            select(func.max(applications.c.ticket_no))
            .where(applications.c.office_code == office_code, applications.c.ticket_day == day)
            .scalar_subquery()
        )

        def write(conn: Connection) -> None:
            conn.execute(
                update(ticket_counters)
                .where(ticket_counters.c.office_code == office_code, ticket_counters.c.day == day)
                .values(last_number=func.coalesce(highest, 0))
            )

        self._write(write)

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
        _check(_STAFF_ID, printer, "printer")
        if clerk is not None:
            _check(_STAFF_ID, clerk, "clerk")
        error_text = _clean_error(error) if not ok else None
        now = self._now()

        def write(conn: Connection) -> int:
            job_id = conn.execute(
                insert(print_jobs).values(
                    application_id=application_id, kind=kind, printer=printer,
                    status="ok" if ok else "failed", error=error_text, at=now,
                ).returning(print_jobs.c.id)
            ).scalar_one()
            if clerk is not None:
                self._audit(conn, clerk=clerk, action="printed", application_id=application_id,
                            desk=desk, detail=kind, at=now)
            return int(job_id)

        return self._write(write)

    # --- the desk ---------------------------------------------------------------------------

    def get(self, application_id: int) -> StoredApplication:
        """The application without personal data; NotFoundError when absent (or purged)."""
        row = self._read(lambda conn: conn.execute(
            select(applications).where(applications.c.id == application_id)).first())
        if row is None:
            raise NotFoundError(f"id {application_id}")
        return _stored(row)

    def find_by_slip(self, slip_id: bytes | str) -> StoredApplication | None:
        """The application a slip was printed for, or None: the desk's replay check."""
        slip = slip_hex(slip_id)
        row = self._read(lambda conn: conn.execute(
            select(applications).where(applications.c.slip_id == slip)).first())
        return None if row is None else _stored(row)

    def open_for_clerk(
        self, application_id: int, clerk: str, *, desk: str | None = None
    ) -> OpenedApplication:
        """Decrypt an application for a clerk; the `viewed` audit event commits with the read."""
        _check(_STAFF_ID, clerk, "clerk")
        keys = self._need_keys()
        now = self._now()

        def write(conn: Connection) -> OpenedApplication:
            wanted = select(applications).where(applications.c.id == application_id)
            row = conn.execute(wanted).first()
            if row is None:
                raise NotFoundError(f"id {application_id}")
            stored = _stored(row)
            submission = from_payload(unseal(keys, row.payload, aad=_aad(stored.slip_id)))
            self._audit(conn, clerk=clerk, action="viewed", application_id=application_id,
                        desk=desk, detail=None, at=now)
            return OpenedApplication(stored, submission)

        return self._write(write)

    def set_status(
        self, application_id: int, new: Status, clerk: str, *, desk: str | None = None
    ) -> StoredApplication:
        """issued -> received -> completed; issued/received -> cancelled. Audited.

        Errors (nothing changed): already_received, already_completed, already_cancelled,
        not_received (completing what was never received), invalid_transition, not_found.
        """
        _check(_STAFF_ID, clerk, "clerk")
        if new not in STATUSES:
            raise StatusError(f"unknown status {new}")
        now = self._now()

        def write(conn: Connection) -> StoredApplication:
            row = conn.execute(
                select(applications).where(applications.c.id == application_id).with_for_update()
            ).first()
            if row is None:
                raise NotFoundError(f"id {application_id}")
            check_transition(row.status, new)
            conn.execute(
                update(applications).where(applications.c.id == application_id)
                .values(status=new, updated_at=now)
            )
            self._audit(conn, clerk=clerk, action="status_changed",
                        application_id=application_id, desk=desk,
                        detail=f"{row.status}->{new}", at=now)
            return _stored(row)

        before = self._write(write)
        return replace(before, status=new, updated_at=now)

    def open_by_slip(
        self, slip_id: bytes | str, clerk: str, *, desk: str | None = None
    ) -> SlipScan | None:
        """The desk's scan, as one transaction: find the slip's row (locked), read the first
        earlier scan, decrypt, and write a `viewed` event with detail "scan". None when no row
        has this slip id (the desk then records it from the slip: `record_scanned`).

        The row lock (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE locks the file) makes
        two desks scanning the same slip at once take turns, so exactly one sees no earlier scan.
        """
        _check(_STAFF_ID, clerk, "clerk")
        slip = slip_hex(slip_id)
        keys = self._need_keys()
        now = self._now()

        def write(conn: Connection) -> SlipScan | None:
            row = conn.execute(
                select(applications).where(applications.c.slip_id == slip).with_for_update()
            ).first()
            if row is None:
                return None
            earlier = conn.execute(
                select(audit_events).where(
                    audit_events.c.application_id == row.id, audit_events.c.action == "viewed",
                    audit_events.c.detail == SCAN_DETAIL,
                ).order_by(audit_events.c.id).limit(1)
            ).first()
            stored = _stored(row)
            submission = from_payload(unseal(keys, row.payload, aad=_aad(stored.slip_id)))
            self._audit(conn, clerk=clerk, action="viewed", application_id=stored.id, desk=desk,
                        detail=SCAN_DETAIL, at=now)
            return SlipScan(OpenedApplication(stored, submission),
                            None if earlier is None else _event(earlier))

        return self._write(write)

    def record_scanned(
        self,
        submission: Submission,
        *,
        office_code: str,
        kiosk_id: str,
        slip_id: bytes | str,
        ticket: str,
        issued_at: dt.datetime,
    ) -> StoredApplication:
        """Store an application that reached a desk on its slip (kiosk and desk on separate
        networks): under the kiosk's own ticket and issue day, status `issued`.

        No ticket number is drawn: the resident holds the kiosk's. `created_at` is the issue
        time, so the retention purge counts from the same moment as on the kiosk. Should two
        kiosks with separate databases have issued the same ticket today, the second is kept
        as "A-007/K02" (UNIQUE per office, day and ticket). Raises DuplicateSlipError when the
        slip is stored already (another desk recorded it a moment ago) and MyNumberRefusedError
        like `add_application`.
        """
        _check(_OFFICE, office_code, "office_code")
        _check(_KIOSK, kiosk_id, "kiosk_id")
        _check(_TICKET, ticket, "ticket")
        if issued_at.tzinfo is None or issued_at.utcoffset() is None:
            raise InvalidValueError("issued_at must be an aware datetime")
        slip = slip_hex(slip_id)
        forms: list[dict[str, Any]] = [
            {"id": p.form_id, "version": p.form_version} for p in submission.procedures
        ]
        key_id, blob = seal(self._need_keys(), to_payload(submission), aad=_aad(slip))
        created = issued_at.astimezone(dt.UTC)
        now = self._now()
        day = issued_at.astimezone(JST).date()
        digits = _TRAILING_NUMBER.search(ticket)
        ticket_no = max(1, int(digits.group(1))) if digits else 1

        def write(conn: Connection) -> StoredApplication:
            taken = conn.execute(select(applications.c.id).where(
                applications.c.office_code == office_code, applications.c.ticket_day == day,
                applications.c.ticket == ticket)).first()
            kept = ticket if taken is None else f"{ticket[:15 - len(kiosk_id)]}/{kiosk_id}"
            new_id = conn.execute(
                insert(applications).values(
                    ticket=kept, ticket_no=ticket_no, ticket_day=day, office_code=office_code,
                    kiosk_id=kiosk_id, slip_id=slip, status="issued", created_at=created,
                    updated_at=now, forms=forms, key_id=key_id, payload=blob,
                ).returning(applications.c.id)
            ).scalar_one()
            return StoredApplication(
                id=int(new_id), ticket=kept, ticket_day=day, office_code=office_code,
                kiosk_id=kiosk_id, slip_id=slip, status="issued", created_at=created,
                updated_at=now, forms=tuple(FormRef(f["id"], f["version"]) for f in forms),
                key_id=key_id,
            )

        return self._write(write)

    def find_by_ticket(
        self, office_code: str, ticket: str, day: dt.date
    ) -> list[StoredApplication]:
        """The applications of an office and day with this ticket ("A-023"), including those
        kept as "A-023/K02" (see `record_scanned`): usually one. No personal data."""
        _check(_OFFICE, office_code, "office_code")
        _check(_TICKET, ticket, "ticket")
        rows = self._read(lambda conn: conn.execute(
            select(applications).where(
                applications.c.office_code == office_code, applications.c.ticket_day == day,
                (applications.c.ticket == ticket) | applications.c.ticket.startswith(f"{ticket}/"),
            ).order_by(applications.c.id)).all())
        return [_stored(r) for r in rows]

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
        _check(_STAFF_ID, clerk, "clerk")
        if office_code is not None:
            _check(_OFFICE, office_code, "office_code")
        if since is not None and since.utcoffset() is None:
            raise InvalidValueError("since must be an aware datetime")
        keys = self._need_keys()
        now = self._now()
        query = select(applications).order_by(applications.c.id)
        if since is not None:
            query = query.where(applications.c.created_at >= since)
        if office_code is not None:
            query = query.where(applications.c.office_code == office_code)

        def write(conn: Connection) -> list[OpenedApplication]:
            out: list[OpenedApplication] = []
            for row in conn.execute(query).all():
                stored = _stored(row)
                submission = from_payload(unseal(keys, row.payload, aad=_aad(stored.slip_id)))
                self._audit(conn, clerk=clerk, action="exported", application_id=stored.id,
                            desk=desk, detail=detail, at=now)
                out.append(OpenedApplication(stored, submission))
            return out

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
        _check(_STAFF_ID, clerk, "clerk")
        now = self._now()
        return self._write(lambda conn: self._audit(
            conn, clerk=clerk, action=action, application_id=application_id, desk=desk,
            detail=detail, at=now))

    def _audit(
        self,
        conn: Connection,
        *,
        clerk: str,
        action: str,
        application_id: int | None,
        desk: str | None,
        detail: str | None,
        at: dt.datetime,
    ) -> int:
        if action not in AUDIT_ACTIONS:
            raise InvalidValueError(f"audit action must be one of {', '.join(AUDIT_ACTIONS)}")
        if desk is not None:
            _check(_STAFF_ID, desk, "desk")
        if detail is not None:
            if len(detail) > 200:
                raise InvalidValueError("audit detail: at most 200 characters")
            refuse_my_number(detail, "audit detail")
        event_id = conn.execute(
            insert(audit_events).values(
                clerk_id=clerk, action=action, application_id=application_id, desk_id=desk,
                detail=detail, at=at,
            ).returning(audit_events.c.id)
        ).scalar_one()
        return int(event_id)

    def audit_trail(self, application_id: int) -> list[AuditEvent]:
        rows = self._read(lambda conn: conn.execute(
            select(audit_events).where(audit_events.c.application_id == application_id)
            .order_by(audit_events.c.id)).all())
        return [_event(r) for r in rows]

    def print_jobs_of(self, application_id: int) -> list[PrintJob]:
        rows = self._read(lambda conn: conn.execute(
            select(print_jobs).where(print_jobs.c.application_id == application_id)
            .order_by(print_jobs.c.id)).all())
        return [
            PrintJob(r.id, r.application_id, cast(PrintKind, r.kind), r.printer, r.status == "ok",
                     r.error, r.at)
            for r in rows
        ]

    # --- maintenance ------------------------------------------------------------------------

    def purge(self, older_than: dt.timedelta, *, clerk: str = SYSTEM_CLERK) -> int:
        """Remove applications created more than `older_than` ago, with their print jobs.

        Each removed application leaves a `purged` audit event; its earlier audit events stay
        (they hold no personal data). Returns how many applications were removed. On SQLite the
        WAL is checkpointed after, so the removed blobs leave the -wal file too (secure_delete
        overwrites them in the main file).
        """
        if older_than <= dt.timedelta(0):
            raise InvalidValueError("older_than must be positive")
        _check(_STAFF_ID, clerk, "clerk")
        now = self._now()
        cutoff = now - older_than
        due = select(applications.c.id).where(applications.c.created_at < cutoff)

        def write(conn: Connection) -> int:
            conn.execute(
                insert(audit_events).from_select(
                    ["clerk_id", "action", "application_id", "at"],
                    select(literal(clerk), literal("purged"), applications.c.id,
                           literal(now, UtcDateTime())).where(applications.c.created_at < cutoff),
                )
            )
            conn.execute(print_jobs.delete().where(print_jobs.c.application_id.in_(due)))
            removed = conn.execute(applications.delete().where(applications.c.created_at < cutoff))
            conn.execute(ticket_counters.delete().where(
                ticket_counters.c.day < cutoff.astimezone(JST).date()))
            return int(removed.rowcount)

        count = self._write(write)
        if count and is_sqlite(self._engine):
            self._checkpoint()
        return count

    def due_for_purge(self, older_than: dt.timedelta) -> int:
        """How many applications `purge(older_than)` would remove now (for a dry run)."""
        cutoff = self._now() - older_than
        return int(self._read(lambda conn: conn.execute(
            select(func.count()).select_from(applications)
            .where(applications.c.created_at < cutoff)).scalar_one()))

    def _checkpoint(self) -> None:
        raw = self._engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            raw.close()

    def stats(self) -> StoreStats:
        def read(conn: Connection) -> StoreStats:
            by_status = dict.fromkeys(STATUSES, 0)
            for status, count in conn.execute(
                select(applications.c.status, func.count()).group_by(applications.c.status)
            ):
                by_status[status] = count
            prints: dict[str, int] = {
                str(status): int(count) for status, count in conn.execute(
                    select(print_jobs.c.status, func.count()).group_by(print_jobs.c.status))
            }
            keys: dict[str, int] = {
                str(key_id): int(count) for key_id, count in conn.execute(
                    select(applications.c.key_id, func.count()).group_by(applications.c.key_id))
            }
            oldest = conn.execute(select(func.min(applications.c.created_at))).scalar_one()
            return StoreStats(
                by_status=by_status,
                prints_ok=prints.get("ok", 0),
                prints_failed=prints.get("failed", 0),
                audit_events=int(conn.execute(select(func.count()).select_from(audit_events))
                                 .scalar_one()),
                oldest_created_at=_as_utc(oldest),
                by_key_id=keys,
            )

        return self._read(read)

    # --- transactions -----------------------------------------------------------------------

    def _now(self) -> dt.datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise InvalidValueError("the store's clock must give aware datetimes")
        return now.astimezone(dt.UTC)

    def _need_keys(self) -> DataKeys:
        if self._keys is None:
            raise KeyMissingError("this store was opened without the data key")
        return self._keys

    def _read(self, work: Callable[[Connection], T]) -> T:
        try:
            with self._engine.connect() as conn, conn.begin():
                return work(conn)
        except DBAPIError as exc:
            raise _translate(exc) from None

    def _write(
        self,
        work: Callable[[Connection], T],
        *,
        on_ticket_clash: tuple[str, dt.date] | None = None,
        one_statement: bool = False,
    ) -> T:
        """Run `work` in one write transaction; retry what a lock or a clash made fail.

        `one_statement`: `work` runs a single statement, which PostgreSQL then runs as its own
        transaction (autocommit), committing in the same round trip.
        """
        delay = 0.005
        for attempt in range(self._retries + 1):
            try:
                with self._engine.connect() as conn:
                    if one_statement and conn.dialect.name == "postgresql":
                        conn.execution_options(isolation_level="AUTOCOMMIT")
                        return work(conn)
                    conn.execution_options(**{IMMEDIATE: True})
                    with conn.begin():
                        return work(conn)
            except IntegrityError as exc:
                clash = _constraint(exc)
                if clash == "slip_id":
                    raise DuplicateSlipError() from None
                if clash == "ticket" and on_ticket_clash and attempt < self._retries:
                    self._repair_counter(*on_ticket_clash)
                    continue
                raise _translate(exc) from None
            except DBAPIError as exc:
                if not _retryable(exc) or attempt == self._retries:
                    raise _translate(exc) from None
            time.sleep(delay * (0.5 + random.random()))  # jitter, not a secret
            delay = min(delay * 2, 1.0)
        raise DatabaseBusyError(f"gave up after {self._retries} retries")


def open_store(
    engine: Engine,
    key_file: Path,
    *,
    create_key: bool = True,
    clock: Callable[[], dt.datetime] = utc_now,
    ticket_prefix: str = "A",
) -> Store:
    """The wiring's way in: check the schema, load (or, on an empty database, make) the key.

    - The schema must be at head (else SchemaOutdatedError: run `kiosk db upgrade`).
    - A missing key file is created only when the database has no sealed rows and no key on
      record (`create_key=False` never creates one); otherwise KeyMissingError.
    - The key file must hold every key that sealed a row still stored, and share a key with
      those on record (else KeyMismatchError): a kiosk with a key of its own is refused before it
      writes rows that the desks cannot open.
    - The current key is put on record, under a lock, so two kiosks that both made a key on an
      empty database cannot both succeed.
    """
    check_schema(engine)
    store = Store(engine, None, clock=clock, ticket_prefix=ticket_prefix)
    in_use, recorded = store._read(_key_ids)
    if not key_file.exists() and (in_use or recorded):
        raise KeyMissingError(f"{key_file}; the database uses key id(s) "
                              f"{', '.join(sorted(in_use | recorded))}")
    keys = load_or_create_key(key_file, create=create_key)
    now = store._now()

    def record(conn: Connection) -> None:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("LOCK TABLE data_keys IN SHARE ROW EXCLUSIVE MODE")
        in_use, recorded = _key_ids(conn)
        _check_keys(keys, key_file, in_use, recorded)
        if keys.current_id not in recorded:
            conn.execute(insert(data_keys).values(key_id=keys.current_id, first_used_at=now))

    store._write(record)
    return Store(engine, keys, clock=clock, ticket_prefix=ticket_prefix)


def _key_ids(conn: Connection) -> tuple[set[str], set[str]]:
    in_use = set(conn.execute(select(applications.c.key_id).distinct()).scalars())
    recorded = set(conn.execute(select(data_keys.c.key_id)).scalars())
    return in_use, recorded


def _check_keys(keys: DataKeys, key_file: Path, in_use: set[str], recorded: set[str]) -> None:
    missing = in_use - keys.ids
    if missing:
        raise KeyMismatchError(f"{key_file} lacks key id(s) {', '.join(sorted(missing))} "
                               "that sealed stored applications")
    if recorded and not recorded & keys.ids:
        raise KeyMismatchError(f"{key_file} has key id(s) {', '.join(sorted(keys.ids))}; this "
                               f"database uses {', '.join(sorted(recorded))}")


def check_transition(old: str, new: str) -> None:
    """Raise the StatusError that says why `old -> new` is not allowed (or return)."""
    if new in _NEXT.get(old, frozenset()):
        return
    if old == "completed":
        raise AlreadyCompletedError()
    if old == "cancelled":
        raise AlreadyCancelledError()
    if old == new == "received":
        raise AlreadyReceivedError()
    if old == "issued" and new == "completed":
        raise NotReceivedError()
    raise StatusError(f"{old}->{new}")


def slip_hex(slip_id: bytes | str) -> str:
    """The slip id as 24 lower-case hex digits (12 bytes, printouts.payload.new_slip_id)."""
    if isinstance(slip_id, bytes) and len(slip_id) == SLIP_ID_BYTES:
        return slip_id.hex()
    if isinstance(slip_id, str) and _HEX24.fullmatch(slip_id.lower()):
        return slip_id.lower()
    raise InvalidValueError("slip_id must be 12 bytes (or 24 hex digits)")


def _aad(slip: str) -> bytes:
    # Binds the sealed blob to its row: a blob copied onto another row does not open.
    return b"kiosk.store applications v1\x00" + slip.encode("ascii")


def _check(pattern: re.Pattern[str], value: str, name: str) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidValueError(f"{name} has the wrong format (expected {pattern.pattern})")


def _clean_error(error: str | None) -> str | None:
    if error is None:
        return None
    text = "".join(ch if ch.isprintable() else " " for ch in error)[:MAX_ERROR_TEXT]
    try:
        refuse_my_number(text)
    except StoreError:
        return "(error text dropped: it held a 12-digit number)"
    return text


def _as_utc(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite's MIN() returns the stored text
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        raise TypeError(type(value).__name__)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _event(row: Row[Any]) -> AuditEvent:
    return AuditEvent(row.id, row.clerk_id, cast(AuditAction, row.action), row.application_id,
                      row.desk_id, row.detail, row.at)


def _stored(row: Row[Any]) -> StoredApplication:
    forms: Sequence[dict[str, Any]] = row.forms
    return StoredApplication(
        id=row.id, ticket=row.ticket, ticket_day=row.ticket_day, office_code=row.office_code,
        kiosk_id=row.kiosk_id, slip_id=row.slip_id, status=cast(Status, row.status),
        created_at=row.created_at, updated_at=row.updated_at,
        forms=tuple(FormRef(str(f["id"]), int(f["version"])) for f in forms), key_id=row.key_id,
    )


# --- database errors ------------------------------------------------------------------------------


def _sqlstate(exc: DBAPIError) -> str:
    return str(getattr(exc.orig, "sqlstate", "") or "")


def _retryable(exc: DBAPIError) -> bool:
    if _sqlstate(exc) in _RETRY_SQLSTATES:
        return True
    name = str(getattr(exc.orig, "sqlite_errorname", ""))
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def _constraint(exc: IntegrityError) -> str | None:
    diag = getattr(exc.orig, "diag", None)
    name = str(getattr(diag, "constraint_name", "") or "") if diag is not None else ""
    text = name or str(exc.orig)
    if "slip_id" in text:
        return "slip_id"
    if "ticket" in text:
        return "ticket"
    return None


def _translate(exc: DBAPIError) -> StoreError:
    """A StoreError that names the failure's kind, never the statement's values."""
    state = _sqlstate(exc)
    if _retryable(exc):
        return DatabaseBusyError(type(exc.orig).__name__)
    # psycopg's OperationalError without an SQLSTATE is a connection that failed or broke.
    lost = (isinstance(exc, OperationalError) and not state
            and not hasattr(exc.orig, "sqlite_errorname"))
    if exc.connection_invalidated or state.startswith("08") or lost:
        return DatabaseUnavailableError(type(exc.orig).__name__)
    state = state or str(getattr(exc.orig, "sqlite_errorname", ""))
    return StoreError(f"{type(exc.orig).__name__} {state}".strip())
