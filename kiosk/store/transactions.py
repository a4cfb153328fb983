"""The store's transactions: one short write transaction per call, retried on lock contention.

Every write takes its lock first (SQLite: BEGIN IMMEDIATE; PostgreSQL: the row lock of an
upsert or SELECT ... FOR UPDATE) and is retried on a lock timeout, a serialization failure or a
deadlock, with a jittered backoff. Database errors leave as StoreErrors that name the failure's
kind, never the statement's values (the engine hides parameters too).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from common.clock import utc_now
from kiosk.store.db import IMMEDIATE
from kiosk.store.errors import (
    DatabaseBusyError,
    DatabaseUnavailableError,
    DuplicateSlipError,
    InvalidValueError,
    KeyMissingError,
    StoreError,
)
from kiosk.store.models import applications, ticket_counters
from kiosk.store.records import PREFIX
from kiosk.store.sealing import RecordOpener, RecordSealer

T = TypeVar("T")
_RETRY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})  # serialization, deadlock, lock wait


class StoreBase:
    """The engine, the keys, the clock and the transaction runner every part of the store
    shares. A kiosk's store has a `sealer` (it writes, and cannot read), a desk's an `opener`;
    maintenance (purge, stats) needs neither, since it never reads personal data.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        sealer: RecordSealer | None = None,
        opener: RecordOpener | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        ticket_prefix: str = "A",
        retries: int = 8,
    ) -> None:
        if not PREFIX.fullmatch(ticket_prefix):
            raise InvalidValueError("ticket_prefix: 1 to 4 capital letters or digits, e.g. A")
        self._engine = engine
        self._sealer = sealer
        self._opener = opener
        self._clock = clock
        self._prefix = ticket_prefix
        self._retries = retries

    def _now(self) -> dt.datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise InvalidValueError("the store's clock must give aware datetimes")
        return now.astimezone(dt.UTC)

    def _need_sealer(self) -> RecordSealer:
        if self._sealer is None:
            raise KeyMissingError("this store has no kiosk signing key: it cannot store")
        return self._sealer

    def _need_opener(self) -> RecordOpener:
        if self._opener is None:
            raise KeyMissingError("this store has no counter sealing key: it cannot open")
        return self._opener

    def _read(self, work: Callable[[Connection], T]) -> T:
        try:
            with self._engine.connect() as conn, conn.begin():
                return work(conn)
        except DBAPIError as exc:
            raise translate(exc) from None

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
                raise translate(exc) from None
            except DBAPIError as exc:
                if not _retryable(exc) or attempt == self._retries:
                    raise translate(exc) from None
            time.sleep(delay * (0.5 + random.random()))  # jitter, not a secret
            delay = min(delay * 2, 1.0)
        raise DatabaseBusyError(f"gave up after {self._retries} retries")

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


def translate(exc: DBAPIError) -> StoreError:
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
