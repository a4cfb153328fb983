"""The tables, as SQLAlchemy Core metadata. The migrations in migrations/versions are the truth
for a database; tests/kiosk/store/test_migrations.py checks that both say the same.

Only `applications.payload` holds personal data, sealed to the counter and signed by the kiosk
(sealing.py); `slip_codes` holds the slip's codes, sealed the same way. Everything else is what
the counter needs to find, count and route an application without opening it: ticket, office,
kiosk, status, times, which forms. Ids are never reused (SQLite: AUTOINCREMENT), so a new row
never inherits a purged row's audit events. Times are timezone-aware UTC everywhere (SQLite keeps them as
text, so `UtcDateTime` puts the zone back on the way out); `ticket_day` is the day in Japan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

from kiosk.application import Status

# The CHECK constraint of applications.status; a new Status needs a migration (the migration
# test compares this metadata with the migrated schema).
STATUSES = tuple(s.value for s in Status)
PRINT_KINDS = ("slip", "form", "assisted")
PRINT_STATUSES = ("ok", "failed")
AUDIT_ACTIONS = ("viewed", "printed", "status_changed", "exported", "purged", "refused", "number_read",
                 "signed_in", "signed_out", "staff_changed")
STAFF_ROLES = ("clerk", "supervisor", "admin")

# Deterministic constraint names: migrations can name what they alter, on SQLite too.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime in, an aware UTC datetime out, on every backend.

    PostgreSQL stores `timestamptz`. SQLite has no time type: SQLAlchemy writes naive ISO text,
    so the value is turned to UTC first (text order then equals time order, which the retention
    purge relies on) and read back as UTC. A naive datetime is refused: its zone is a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("a naive datetime cannot be stored; give it a time zone")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a datetime from the database, got {type(value).__name__}")
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


metadata = MetaData(naming_convention=NAMING)

applications = Table(
    "applications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket", String(16), nullable=False),
    Column("ticket_no", Integer, nullable=False),
    Column("ticket_day", Date, nullable=False),
    Column("office_code", String(6), nullable=False),
    Column("kiosk_id", String(8), nullable=False),
    # The 12 random bytes of the slip QR, as 24 hex digits: a second scan finds the row.
    Column("slip_id", String(24), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # [{"id": form id, "version": n}, ...]: which procedures, not what was answered.
    Column("forms", JSON, nullable=False),
    # The counter key `payload` is sealed to (16 hex digits), for key rotation and a clear
    # wrong-key error; "slip" for a record a desk took from the slip's codes (sealing.py).
    Column("key_id", String(16), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    UniqueConstraint("slip_id"),
    # The last line of defence behind the ticket counter (repository.Store.add_application).
    UniqueConstraint("office_code", "ticket_day", "ticket"),
    CheckConstraint(_in("status", STATUSES), name="status"),
    CheckConstraint("ticket_no > 0", name="ticket_no"),
    Index(None, "created_at"),
    Index(None, "office_code", "ticket_day", "ticket_no"),
    sqlite_autoincrement=True,
)

print_jobs = Table(
    "print_jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # None for a blank assisted-entry form, which belongs to no application.
    Column(
        "application_id", Integer, ForeignKey("applications.id", ondelete="CASCADE"), nullable=True
    ),
    Column("kind", String(16), nullable=False),
    Column("printer", String(100), nullable=False),
    Column("status", String(8), nullable=False),
    # The printer's own message (queue stopped, paper out): never document content.
    Column("error", Text, nullable=True),
    Column("at", UtcDateTime, nullable=False),
    CheckConstraint(_in("kind", PRINT_KINDS), name="kind"),
    CheckConstraint(_in("status", PRINT_STATUSES), name="status"),
    Index(None, "application_id"),
    sqlite_autoincrement=True,
)

# Not a foreign key on purpose: the trail outlives the application it tells about (retention
# purge), and it holds no personal data to remove.
audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("clerk_id", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("application_id", Integer, nullable=True),
    Column("desk_id", String(64), nullable=True),
    # e.g. "issued->received", "form", "count=3": codes, never personal data.
    Column("detail", String(200), nullable=True),
    Column("at", UtcDateTime, nullable=False),
    # The hash chain (audit_chain.py): this event's number in the chain, the hash of the one
    # before and its own (SHA-256, hex). A changed, removed or inserted event breaks it.
    Column("seq", Integer, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    CheckConstraint(_in("action", AUDIT_ACTIONS), name="action"),
    UniqueConstraint("seq"),
    Index(None, "application_id"),
    Index(None, "at"),
    sqlite_autoincrement=True,
)

ticket_counters = Table(
    "ticket_counters",
    metadata,
    Column("office_code", String(6), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("last_number", Integer, nullable=False),
)

# The codes the kiosk printed on the slip, as printed (each sealed and signed like the slip):
# a desk's reprint renders these, since a desk never signs. [{"counter", "titles", "text"}].
slip_codes = Table(
    "slip_codes",
    metadata,
    Column("slip_id", String(24), ForeignKey("applications.slip_id", ondelete="CASCADE"),
           primary_key=True),
    Column("codes", JSON, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

# The slip ids of purged applications, kept while their slips are still within the validity
# window ([desk] slip_valid_days), so an old slip never registers again at a desk.
spent_slips = Table(
    "spent_slips",
    metadata,
    Column("slip_id", String(24), primary_key=True),
    Column("issued_at", UtcDateTime, nullable=False),
)

# The chain's head: the last event's number and hash, locked by each insert so events chain in
# one order; `kiosk audit verify` checks the events against it (a removed last event shows).
audit_heads = Table(
    "audit_heads",
    metadata,
    Column("chain", String(16), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

# Staff accounts (staff.py): passwords and kiosk PINs as Argon2id hashes, the lockout counter.
staff = Table(
    "staff",
    metadata,
    Column("staff_id", String(64), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("pin_hash", String(200), nullable=True),
    Column("disabled", Boolean, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint(_in("role", STAFF_ROLES), name="role"),
)
