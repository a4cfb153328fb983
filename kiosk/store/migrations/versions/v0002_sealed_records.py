"""Records a kiosk writes but cannot read; ids never reused; refusals in the audit trail.

Revision ID: 0002
Revises: 0001
Created: 2026-12-06

- `data_keys` goes: no symmetric data key exists any more (kiosk/store/sealing.py). Rows
  sealed with it stay and open as `legacy_record` until the retention purge removes them.
- `slip_codes`: the codes printed on each slip, for a desk's reprint (a desk never signs).
- `spent_slips`: purged applications' slip ids, for the slip validity window.
- audit actions `refused` and `number_read`.
- SQLite: applications, print_jobs and audit_events get AUTOINCREMENT, so an id freed by the
  purge is never handed out again (PostgreSQL's sequences never reuse one).

Written by hand, frozen, like 0001.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)
OLD_ACTIONS = "('viewed', 'printed', 'status_changed', 'exported', 'purged')"
NEW_ACTIONS = "('viewed', 'printed', 'status_changed', 'exported', 'purged', 'refused', 'number_read')"
AUTOINCREMENT_TABLES = ("applications", "print_jobs", "audit_events")


def upgrade() -> None:
    op.drop_table("data_keys")
    sqlite = op.get_bind().dialect.name == "sqlite"
    _set_actions(NEW_ACTIONS, OLD_ACTIONS, sqlite=sqlite, autoincrement=True)
    if sqlite:
        for name in ("applications", "print_jobs"):
            with op.batch_alter_table(name, recreate="always",
                                      table_kwargs={"sqlite_autoincrement": True}):
                pass
    op.create_table(
        "slip_codes",
        sa.Column("slip_id", sa.String(24), nullable=False),
        sa.Column("codes", sa.JSON(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("slip_id", name=op.f("pk_slip_codes")),
        sa.ForeignKeyConstraint(["slip_id"], ["applications.slip_id"], ondelete="CASCADE",
                                name=op.f("fk_slip_codes_slip_id_applications")),
    )
    op.create_table(
        "spent_slips",
        sa.Column("slip_id", sa.String(24), nullable=False),
        sa.Column("issued_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("slip_id", name=op.f("pk_spent_slips")),
    )


def downgrade() -> None:
    op.drop_table("spent_slips")
    op.drop_table("slip_codes")
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.execute("DELETE FROM audit_events WHERE action IN ('refused', 'number_read')")
    _set_actions(OLD_ACTIONS, NEW_ACTIONS, sqlite=sqlite, autoincrement=False)
    op.create_table(
        "data_keys",
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("first_used_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_data_keys")),
    )


def _set_actions(actions: str, before: str, *, sqlite: bool, autoincrement: bool) -> None:
    """The CHECK of audit_events.action; on SQLite the table is rebuilt from its definition
    (SQLite cannot alter a constraint), with or without AUTOINCREMENT."""
    name = op.f("ck_audit_events_action")
    if not sqlite:
        op.drop_constraint(name, "audit_events", type_="check")
        op.create_check_constraint(name, "audit_events", f"action IN {actions}")
        return
    with op.batch_alter_table("audit_events", recreate="always", copy_from=_audit_table(before),
                              table_kwargs={"sqlite_autoincrement": autoincrement}) as batch:
        batch.drop_constraint(name, type_="check")
        batch.create_check_constraint(name, f"action IN {actions}")


def _audit_table(actions: str) -> sa.Table:
    return sa.Table(
        "audit_events",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("clerk_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("desk_id", sa.String(64), nullable=True),
        sa.Column("detail", sa.String(200), nullable=True),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.CheckConstraint(f"action IN {actions}", name="ck_audit_events_action"),
        sa.Index("ix_audit_events_application_id", "application_id"),
        sa.Index("ix_audit_events_at", "at"),
    )
