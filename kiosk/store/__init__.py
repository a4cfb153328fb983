"""Storage of applications: SQLAlchemy 2 Core on an SQLite file or a shared PostgreSQL.

Wiring: ``engine = make_engine(config.database.url)``, ``upgrade(engine)`` (or `kiosk db
upgrade`), ``store = open_store(engine, sealer=..., opener=...)`` (sealing.py). Nothing is built at import.
See docs/storage.md.
"""

from kiosk.store.db import make_engine
from kiosk.store.errors import StoreError
from kiosk.store.migrate import upgrade
from kiosk.store.repository import (
    AuditEvent,
    FormRef,
    OpenedApplication,
    PrintJob,
    Store,
    StoredApplication,
    StoreStats,
    open_store,
)
from kiosk.store.sealing import RecordOpener, RecordSealer

__all__ = [
    "AuditEvent",
    "FormRef",
    "OpenedApplication",
    "PrintJob",
    "RecordOpener",
    "RecordSealer",
    "Store",
    "StoreError",
    "StoreStats",
    "StoredApplication",
    "make_engine",
    "open_store",
    "upgrade",
]
