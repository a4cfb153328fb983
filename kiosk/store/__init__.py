"""Storage of applications: SQLAlchemy 2 Core on an SQLite file or a shared PostgreSQL.

Wiring: ``engine = make_engine(config.database.url)``, ``upgrade(engine)`` (or `kiosk db
upgrade`), ``store = open_store(engine, config.database.key_file)``. Nothing is built at import.
See docs/storage.md.
"""

from kiosk.store.crypto import DataKeys, load_or_create_key
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

__all__ = [
    "AuditEvent",
    "DataKeys",
    "FormRef",
    "OpenedApplication",
    "PrintJob",
    "Store",
    "StoreError",
    "StoreStats",
    "StoredApplication",
    "load_or_create_key",
    "make_engine",
    "open_store",
    "upgrade",
]
