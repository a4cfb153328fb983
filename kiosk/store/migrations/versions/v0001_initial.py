"""The initial schema: applications, print jobs, audit trail, ticket counters, data key ids.

Revision ID: 0001
Revises:
Created: 2026-05-10

Written by hand, frozen: a later change to kiosk/store/models.py gets its own revision, and this
one keeps describing what the first release created.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("ticket", sa.String(16), nullable=False),
        sa.Column("ticket_no", sa.Integer(), nullable=False),
        sa.Column("ticket_day", sa.Date(), nullable=False),
        sa.Column("office_code", sa.String(6), nullable=False),
        sa.Column("kiosk_id", sa.String(8), nullable=False),
        sa.Column("slip_id", sa.String(24), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("slip_id", name=op.f("uq_applications_slip_id")),
        sa.UniqueConstraint("office_code", "ticket_day", "ticket",
                            name=op.f("uq_applications_office_code_ticket_day_ticket")),
        sa.CheckConstraint("status IN ('issued', 'received', 'completed', 'cancelled')",
                           name=op.f("ck_applications_status")),
        sa.CheckConstraint("ticket_no > 0", name=op.f("ck_applications_ticket_no")),
    )
    op.create_index(op.f("ix_applications_created_at"), "applications", ["created_at"])
    op.create_index(op.f("ix_applications_office_code_ticket_day_ticket_no"), "applications",
                    ["office_code", "ticket_day", "ticket_no"])

    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("printer", sa.String(100), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_jobs")),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"], ondelete="CASCADE",
                                name=op.f("fk_print_jobs_application_id_applications")),
        sa.CheckConstraint("kind IN ('slip', 'form', 'assisted')", name=op.f("ck_print_jobs_kind")),
        sa.CheckConstraint("status IN ('ok', 'failed')", name=op.f("ck_print_jobs_status")),
    )
    op.create_index(op.f("ix_print_jobs_application_id"), "print_jobs", ["application_id"])

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("clerk_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("desk_id", sa.String(64), nullable=True),
        sa.Column("detail", sa.String(200), nullable=True),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.CheckConstraint(
            "action IN ('viewed', 'printed', 'status_changed', 'exported', 'purged')",
            name=op.f("ck_audit_events_action"),
        ),
    )
    op.create_index(op.f("ix_audit_events_application_id"), "audit_events", ["application_id"])
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"])

    op.create_table(
        "ticket_counters",
        sa.Column("office_code", sa.String(6), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("office_code", "day", name=op.f("pk_ticket_counters")),
    )

    op.create_table(
        "data_keys",
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("first_used_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_data_keys")),
    )


def downgrade() -> None:
    op.drop_table("data_keys")
    op.drop_table("ticket_counters")
    op.drop_index(op.f("ix_audit_events_at"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_application_id"), table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index(op.f("ix_print_jobs_application_id"), table_name="print_jobs")
    op.drop_table("print_jobs")
    op.drop_index(op.f("ix_applications_office_code_ticket_day_ticket_no"),
                  table_name="applications")
    op.drop_index(op.f("ix_applications_created_at"), table_name="applications")
    op.drop_table("applications")
