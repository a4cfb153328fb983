"""The store: applications, their status, print jobs and the audit trail, on SQLAlchemy Core.

Wiring builds one `Store` per process with `open_store(engine, sealer=..., opener=...)`;
nothing here is global. `Store` is the one door the kiosk and the desk use; its rooms are modules of their own:

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

from sqlalchemy import Engine

from common.clock import utc_now
from kiosk.application import Status
from kiosk.store.applications import ApplicationWrites
from kiosk.store.audit import AuditLog
from kiosk.store.audit_queries import AuditQueries
from kiosk.store.maintenance import SYSTEM_CLERK, Maintenance
from kiosk.store.migrate import check_schema
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
from kiosk.store.sealing import RecordOpener, RecordSealer
from kiosk.store.staff import StaffAccounts
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


class Store(ApplicationWrites, DeskQueries, AuditLog, Maintenance, StaffAccounts, AuditQueries):
    """The kiosk's and the desk's one door to the database (StoreBase says which keys each
    side holds)."""


def open_store(
    engine: Engine,
    *,
    sealer: RecordSealer | None = None,
    opener: RecordOpener | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
    ticket_prefix: str = "A",
) -> Store:
    """The wiring's way in, once the schema is at head (else SchemaOutdatedError: run
    `kiosk db upgrade`). A kiosk passes its `sealer`, a desk its `opener`, the demo both;
    maintenance passes neither (sealing.py says why the two halves are apart)."""
    check_schema(engine)
    return Store(engine, sealer=sealer, opener=opener, clock=clock, ticket_prefix=ticket_prefix)
