"""The store: applications, their status, print jobs and the audit trail, on SQLAlchemy Core.

Wiring builds one `Store` per process with `open_store(engine, key_file)`; nothing here is
global. `Store` is the one door the kiosk and the desk use; its rooms are modules of their own:

- transactions.py: the write transaction with its lock and retries, database errors;
- applications.py: writing applications and drawing ticket numbers (also for paper forms);
- queries.py: the desk's finding, opening (audited) and status changes (status.py says why a
  change is refused);
- audit.py: the audit trail, the print jobs and the tickets given with paper forms;
- maintenance.py: the retention purge and the counts;
- records.py: what the store hands out, and the format checks of every id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select

from common.clock import utc_now
from kiosk.application import Status
from kiosk.store.applications import ApplicationWrites
from kiosk.store.audit import AuditLog
from kiosk.store.crypto import DataKeys, load_or_create_key
from kiosk.store.errors import KeyMismatchError, KeyMissingError
from kiosk.store.maintenance import SYSTEM_CLERK, Maintenance
from kiosk.store.migrate import check_schema
from kiosk.store.models import applications, data_keys
from kiosk.store.queries import SCAN_DETAIL, DeskQueries
from kiosk.store.records import (
    AuditAction,
    AuditEvent,
    FormRef,
    OpenedApplication,
    PaperTicket,
    PrintJob,
    PrintKind,
    SlipScan,
    StoredApplication,
    StoreStats,
    slip_hex,
)
from kiosk.store.status import check_transition

__all__ = [
    "SCAN_DETAIL",
    "SYSTEM_CLERK",
    "AuditAction",
    "AuditEvent",
    "FormRef",
    "OpenedApplication",
    "PaperTicket",
    "PrintJob",
    "PrintKind",
    "SlipScan",
    "Status",
    "Store",
    "StoreStats",
    "StoredApplication",
    "check_transition",
    "open_store",
    "slip_hex",
    "utc_now",
]


class Store(ApplicationWrites, DeskQueries, AuditLog, Maintenance):
    """The kiosk's and the desk's one door to the database.

    `keys` may be None for maintenance (purge, stats): those never read personal data, and a
    purge job then needs no access to the key file.
    """


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
