"""Engines: an SQLite file for one kiosk on its own, PostgreSQL for a city's kiosks and desks.

`make_engine(url)` is the one place that knows the backends' settings; nothing here runs at
import time. The URL comes from kiosk.toml (`[database] url`).

SQLite (default): WAL, so the desk can read while the kiosk writes; synchronous=FULL, so an
acknowledged application survives a power cut (NORMAL in WAL mode may lose the last commits);
a busy timeout, so a second writer waits instead of failing; foreign keys on; secure_delete on,
so purged rows are overwritten rather than left in free pages. The file (and its folder) is made
on first connect, mode 0600. Python's sqlite3 module starts transactions on its own terms, so it
is put in autocommit mode and the engine's "begin" emits the BEGIN itself: `BEGIN IMMEDIATE`
for a connection with the `sqlite_immediate` execution option (a write transaction takes the
write lock first, and never fails half way on a lock upgrade), plain deferred `BEGIN` otherwise.

PostgreSQL: ``postgresql+psycopg://user@host/db``; connections are checked before use, so a
server restart costs a reconnect, not an error at the counter.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kiosk.store.errors import InvalidValueError

SQLITE_BUSY_TIMEOUT_S = 30.0
IMMEDIATE = "sqlite_immediate"  # execution option: this connection's transactions write


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url` (sqlite:///path or postgresql+psycopg://...), set up for the kiosk."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidValueError("database url: not a database URL, e.g. sqlite:///var/kiosk.sqlite3"
                                ) from None
    backend = parsed.get_backend_name()
    # Parameters can be personal data: keep them out of logs and exception messages.
    if backend == "sqlite":
        engine = create_engine(
            parsed, echo=echo, hide_parameters=True,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S},
        )
        _sqlite_events(engine)
        return engine
    if backend == "postgresql":
        return create_engine(
            parsed, echo=echo, hide_parameters=True, pool_pre_ping=True,
            connect_args={"application_name": "kiosk"},
        )
    raise InvalidValueError(f"database url: {backend} is not supported; use sqlite or postgresql")


def sqlite_file(engine: Engine) -> Path | None:
    """The database file of an SQLite engine (None for PostgreSQL, :memory: and file: URIs)."""
    database = engine.url.database or ""
    if engine.dialect.name != "sqlite" or database in ("", ":memory:") or database.startswith(
            "file:"):
        return None
    return Path(database)


def _sqlite_events(engine: Engine) -> None:
    path = sqlite_file(engine)

    @event.listens_for(engine, "do_connect")
    def _private_file(*_args: Any) -> None:
        # On first use, make the folder and an empty database file readable by its owner only;
        # SQLite gives its -wal and -shm files the same mode.
        if path is not None and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):  # another process was first: fine
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see _on_begin
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA secure_delete=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"

