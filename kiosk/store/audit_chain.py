"""The audit trail as a hash chain: each event carries the hash of the one before, so a changed,
removed or inserted event shows (`kiosk audit verify`).

Why a chain in the rows and not only grants: the grants (roles.py) keep the kiosk's and the
desk's logins from UPDATE and DELETE, but the database's owner, a backup restored by hand or a
file-level edit of SQLite can still rewrite rows. The chain does not stop them; it makes the
first rewritten event findable, and the head row (`audit_heads`: the last number and hash)
shows a removed last event. One chain per database: a city's kiosks and desks share one
office's database (docs/security.md).

An event's hash is SHA-256 over the previous hash and the event's CBOR array
``[seq, clerk_id, action, application_id, desk_id, detail, at]`` (`at` as ISO 8601 in UTC to
the microsecond). Migration 0003 chained the events written before it, in id order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import cbor2
from sqlalchemy import Connection, Row, select, update

from kiosk.store.models import audit_events, audit_heads

CHAIN = "main"
GENESIS = "0" * 64


def event_hash(prev_hash: str, seq: int, *, clerk: str, action: str,
               application_id: int | None, desk: str | None, detail: str | None,
               at: dt.datetime) -> str:
    when = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    body = cbor2.dumps([seq, clerk, action, application_id, desk, detail, when])
    return hashlib.sha256(bytes.fromhex(prev_hash) + body).hexdigest()


def next_link(conn: Connection) -> tuple[int, str]:
    """The next event's number and the hash it chains to; the head row stays locked until the
    caller's transaction ends, so two writers never take the same number."""
    head = conn.execute(select(audit_heads).where(audit_heads.c.chain == CHAIN)
                        .with_for_update()).one()
    return int(head.seq) + 1, str(head.hash)


def advance(conn: Connection, seq: int, digest: str) -> None:
    conn.execute(update(audit_heads).where(audit_heads.c.chain == CHAIN)
                 .values(seq=seq, hash=digest))


@dataclass(frozen=True)
class ChainCheck:
    """What `verify` found: `problem` is None when the chain is whole."""

    events: int
    problem: str | None = None  # "changed", "missing" or "head"
    event_id: int | None = None  # the first event concerned (None: after the last one)
    seq: int | None = None

    @property
    def whole(self) -> bool:
        return self.problem is None


def verify(conn: Connection) -> ChainCheck:
    """Walk the chain in order; the first changed or missing event, or a head that does not
    match the last event."""
    result = conn.execution_options(yield_per=1000).execute(
        select(audit_events).order_by(audit_events.c.seq))
    try:
        found, prev = _walk(result)
    finally:
        # Closed here, not when collected: PostgreSQL's server-side cursor, left open by an
        # early answer, would otherwise fail on a closed connection later.
        result.close()
    if not found.whole:
        return found
    expected = found.events + 1
    head = conn.execute(select(audit_heads).where(audit_heads.c.chain == CHAIN)).first()
    if head is None or int(head.seq) != expected - 1 or head.hash != prev:
        kind = "missing" if head is not None and int(head.seq) > expected - 1 else "head"
        return ChainCheck(found.events, kind, None, expected)
    return found


def _walk(rows: Iterable[Row[Any]]) -> tuple[ChainCheck, str]:
    """The first changed or missing event, or the count and the last hash."""
    prev, expected, count = GENESIS, 1, 0
    for row in rows:
        count += 1
        if row.seq != expected:
            return ChainCheck(count, "missing", row.id, expected), prev
        if row.prev_hash != prev or row.hash != _recomputed(row):
            return ChainCheck(count, "changed", row.id, row.seq), prev
        prev, expected = row.hash, expected + 1
    return ChainCheck(count), prev


def _recomputed(row: Row[Any]) -> str:
    try:
        return event_hash(row.prev_hash, row.seq, clerk=row.clerk_id, action=row.action,
                          application_id=row.application_id, desk=row.desk_id,
                          detail=row.detail, at=row.at)
    except ValueError:  # a prev_hash rewritten into something that is not hex
        return ""
