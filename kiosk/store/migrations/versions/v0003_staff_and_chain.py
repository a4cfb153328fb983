"""Staff accounts, and an audit trail chained by hashes.

Revision ID: 0003
Revises: 0002
Created: 2026-12-06

- `staff`: who may sign in, their role, Argon2id hashes of password and kiosk PIN, lockout.
- audit_events gets `seq`, `prev_hash`, `hash`; the events already written are chained here in
  id order, and `audit_heads` holds the last link. Audit actions `signed_in`, `signed_out`,
  `staff_changed`.

Written by hand, frozen: the hash is written out here rather than imported, so a later change
to kiosk/store/audit_chain.py cannot change what this revision did.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

import cbor2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.schema import SchemaItem

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)
GENESIS = "0" * 64
OLD_ACTIONS = "('viewed', 'printed', 'status_changed', 'exported', 'purged', 'refused', 'number_read')"
NEW_ACTIONS = ("('viewed', 'printed', 'status_changed', 'exported', 'purged', 'refused', "
               "'number_read', 'signed_in', 'signed_out', 'staff_changed')")


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("staff_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("pin_hash", sa.String(200), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTC_TIME, nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff")),
        sa.CheckConstraint("role IN ('clerk', 'supervisor', 'admin')", name=op.f("ck_staff_role")),
    )
    op.create_table(
        "audit_heads",
        sa.Column("chain", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_heads")),
    )
    for name, size in (("seq", None), ("prev_hash", 64), ("hash", 64)):
        op.add_column("audit_events", sa.Column(
            name, sa.Integer() if size is None else sa.String(size), nullable=True))
    seq, last = _chain_existing(op.get_bind())
    op.execute(sa.text("INSERT INTO audit_heads (chain, seq, hash) VALUES ('main', :seq, :hash)")
               .bindparams(seq=seq, hash=last))
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("audit_events", recreate="always" if sqlite else "never",
                              copy_from=_audit_table(OLD_ACTIONS) if sqlite else None,
                              table_kwargs={"sqlite_autoincrement": True}) as batch:
        for name in ("seq", "prev_hash", "hash"):
            batch.alter_column(name, nullable=False)
        batch.create_unique_constraint(op.f("uq_audit_events_seq"), ["seq"])
        batch.drop_constraint(op.f("ck_audit_events_action"), type_="check")
        batch.create_check_constraint(op.f("ck_audit_events_action"), f"action IN {NEW_ACTIONS}")


def downgrade() -> None:
    op.execute("DELETE FROM audit_events WHERE action IN ('signed_in', 'signed_out', "
               "'staff_changed')")
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("audit_events", recreate="always" if sqlite else "never",
                              copy_from=_audit_table(NEW_ACTIONS, chained=True) if sqlite else None,
                              table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_constraint(op.f("uq_audit_events_seq"), type_="unique")
        batch.drop_constraint(op.f("ck_audit_events_action"), type_="check")
        batch.create_check_constraint(op.f("ck_audit_events_action"), f"action IN {OLD_ACTIONS}")
        for name in ("seq", "prev_hash", "hash"):
            batch.drop_column(name)
    op.drop_table("audit_heads")
    op.drop_table("staff")


def _chain_existing(conn: sa.Connection) -> tuple[int, str]:
    """Chain the events of earlier revisions in id order: (last number, last hash)."""
    rows = conn.execute(sa.text(
        "SELECT id, clerk_id, action, application_id, desk_id, detail, at FROM audit_events "
        "ORDER BY id")).all()
    prev, seq = GENESIS, 0
    for row in rows:
        seq += 1
        at = row.at if isinstance(row.at, dt.datetime) else dt.datetime.fromisoformat(row.at)
        at = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
        body = cbor2.dumps([seq, row.clerk_id, row.action, row.application_id, row.desk_id,
                            row.detail, at.isoformat(timespec="microseconds")])
        digest = hashlib.sha256(bytes.fromhex(prev) + body).hexdigest()
        conn.execute(sa.text("UPDATE audit_events SET seq = :seq, prev_hash = :prev, "
                             "hash = :hash WHERE id = :id"),
                     {"seq": seq, "prev": prev, "hash": digest, "id": row.id})
        prev = digest
    return seq, prev


def _audit_table(actions: str, *, chained: bool = False) -> sa.Table:
    columns: list[SchemaItem] = [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("clerk_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("desk_id", sa.String(64), nullable=True),
        sa.Column("detail", sa.String(200), nullable=True),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=not chained),
        sa.Column("prev_hash", sa.String(64), nullable=not chained),
        sa.Column("hash", sa.String(64), nullable=not chained),
        sa.CheckConstraint(f"action IN {actions}", name="ck_audit_events_action"),
        sa.Index("ix_audit_events_application_id", "application_id"),
        sa.Index("ix_audit_events_at", "at"),
    ]
    if chained:
        columns.append(sa.UniqueConstraint("seq", name="uq_audit_events_seq"))
    return sa.Table("audit_events", sa.MetaData(), *columns)
