"""Maintenance: the retention purge and the counts `kiosk db stats` prints. Neither reads
personal data, so a store opened without keys can run both."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, select

from common.clock import JST
from kiosk.application import Status
from kiosk.store.audit import insert_audit
from kiosk.store.db import is_sqlite
from kiosk.store.errors import InvalidValueError
from kiosk.store.models import (
    applications,
    audit_events,
    print_jobs,
    slip_codes,
    spent_slips,
    ticket_counters,
)
from kiosk.store.records import STAFF_ID, StoreStats, as_utc, check
from kiosk.store.transactions import StoreBase

SYSTEM_CLERK = "system"


class Maintenance(StoreBase):
    def purge(self, older_than: dt.timedelta, *, clerk: str = SYSTEM_CLERK,
              slip_valid: dt.timedelta = dt.timedelta(0)) -> int:
        """Remove applications created more than `older_than` ago, with their print jobs and
        slip codes.

        Each removed application leaves a `purged` audit event; its earlier audit events stay
        (they hold no personal data). A removed application whose slip is still valid
        (`slip_valid`, the desk's window) leaves its slip id in `spent_slips` until the slip
        expires, so that slip never registers again. Returns how many applications were removed. On SQLite the
        WAL is checkpointed after, so the removed blobs leave the -wal file too (secure_delete
        overwrites them in the main file).
        """
        if older_than <= dt.timedelta(0):
            raise InvalidValueError("older_than must be positive")
        check(STAFF_ID, clerk, "clerk")
        now = self._now()
        cutoff = now - older_than
        due = select(applications.c.id).where(applications.c.created_at < cutoff)

        def write(conn: Connection) -> int:
            for app_id in conn.execute(due.order_by(applications.c.id)).scalars().all():
                insert_audit(conn, clerk=clerk, action="purged", application_id=app_id,
                             desk=None, detail=None, at=now)
            conn.execute(print_jobs.delete().where(print_jobs.c.application_id.in_(due)))
            conn.execute(slip_codes.delete().where(slip_codes.c.slip_id.in_(
                select(applications.c.slip_id).where(applications.c.created_at < cutoff))))
            conn.execute(insert(spent_slips).from_select(
                ["slip_id", "issued_at"],
                select(applications.c.slip_id, applications.c.created_at).where(
                    applications.c.created_at < cutoff,
                    applications.c.created_at >= now - slip_valid)))
            conn.execute(spent_slips.delete().where(spent_slips.c.issued_at < now - slip_valid))
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
        return self._read(_stats)


def _counts(conn: Connection, column: ColumnElement[Any]) -> dict[str, int]:
    return {str(value): int(count) for value, count in conn.execute(
        select(column, func.count()).group_by(column))}


def _stats(conn: Connection) -> StoreStats:
    by_status = dict.fromkeys((s.value for s in Status), 0)
    by_status.update(_counts(conn, applications.c.status))
    prints = _counts(conn, print_jobs.c.status)
    oldest = conn.execute(select(func.min(applications.c.created_at))).scalar_one()
    return StoreStats(
        by_status=by_status,
        prints_ok=prints.get("ok", 0),
        prints_failed=prints.get("failed", 0),
        audit_events=int(conn.execute(select(func.count()).select_from(audit_events))
                         .scalar_one()),
        oldest_created_at=as_utc(oldest),
        by_key_id=_counts(conn, applications.c.key_id),
    )
