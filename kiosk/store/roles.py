"""The database roles of a city's PostgreSQL: what a kiosk and a desk may do, and no more.

The keys already keep a kiosk from reading what it stored (sealing.py); the grants keep a
stolen kiosk's database login from reading, changing or deleting anything either. A kiosk may
insert applications, their slip codes, print jobs and audit events, and draw ticket numbers;
it may read back only the columns its inserts return and the ticket counter needs (ids, ticket
numbers, office and day), never a payload. A desk reads, records an application from its slip,
changes its status, and inserts print jobs and audit events. Neither may UPDATE or DELETE an
audit event, a print job or a slip code; the purge and the migrations run as the owner. For
signing in, a kiosk reads the staff's PIN hashes and a desk their password hashes, never both,
and either counts wrong tries; staff accounts are added and changed under the owner's login.

`kiosk db roles` prints these statements, and applies them with `--apply`; the login roles
themselves are the city's to create (with their passwords), as docs/security.md shows.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from kiosk.store.errors import InvalidValueError, StoreError
from kiosk.store.transactions import translate

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
TABLES = ("applications", "slip_codes", "print_jobs", "audit_events", "ticket_counters",
          "spent_slips", "alembic_version", "audit_heads", "staff")
# What signing in reads and counts (staff.py); a kiosk reads PIN hashes, a desk passwords'.
_SIGN_IN = "staff_id, role, disabled, failures, locked_until"
SEQUENCES = ("applications_id_seq", "print_jobs_id_seq", "audit_events_id_seq")


def grants(kiosk: str, desk: str) -> list[str]:
    """The statements, in order: take everything away, then give each role its part."""
    for name in (kiosk, desk):
        if not ROLE_NAME.fullmatch(name):
            raise InvalidValueError(f"role name {name!r}: lower-case letters, digits and _")
    both = f"{kiosk}, {desk}"
    sequences = ", ".join(SEQUENCES)
    return [
        f"REVOKE ALL ON {', '.join(TABLES)} FROM PUBLIC, {both}",
        f"REVOKE ALL ON SEQUENCE {sequences} FROM PUBLIC, {both}",
        f"GRANT USAGE ON SCHEMA public TO {both}",
        f"GRANT SELECT ON alembic_version TO {both}",
        f"GRANT USAGE ON SEQUENCE {sequences} TO {both}",
        # Every audit event takes the next link of the chain (audit_chain.py).
        f"GRANT SELECT, UPDATE ON audit_heads TO {both}",
        f"GRANT SELECT ({_SIGN_IN}, pin_hash) ON staff TO {kiosk}",
        f"GRANT SELECT ({_SIGN_IN}, password_hash) ON staff TO {desk}",
        f"GRANT UPDATE (failures, locked_until, updated_at) ON staff TO {both}",
        # The kiosk: writes, and reads back nothing personal.
        f"GRANT INSERT ON applications, slip_codes, print_jobs, audit_events TO {kiosk}",
        f"GRANT SELECT (id, ticket, ticket_no, office_code, ticket_day) ON applications TO "
        f"{kiosk}",
        f"GRANT SELECT (id) ON print_jobs, audit_events TO {kiosk}",
        f"GRANT SELECT, INSERT, UPDATE ON ticket_counters TO {kiosk}",
        # The desk: reads, records from a slip, changes the status; never rewrites the trail.
        f"GRANT SELECT ON applications, slip_codes, print_jobs, audit_events, spent_slips, "
        f"ticket_counters TO {desk}",
        f"GRANT INSERT ON applications, print_jobs, audit_events TO {desk}",
        f"GRANT UPDATE (status, updated_at, payload, forms) ON applications TO {desk}",
    ]


def apply_grants(engine: Engine, statements: list[str]) -> None:
    """Run the statements in one transaction, as the tables' owner (the migrations' login).
    A missing role is a clear error: the city creates its login roles first."""
    if engine.dialect.name != "postgresql":
        raise StoreError("SQLite has no roles: each kiosk keeps its own file; use PostgreSQL "
                         "to share one database between kiosks and desks")
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    except DBAPIError as exc:
        state = str(getattr(exc.orig, "sqlstate", "") or "")
        if state == "42704":  # undefined_object: the role does not exist
            raise InvalidValueError("a role named here does not exist: create it first "
                                    "(CREATE ROLE name LOGIN PASSWORD '...')") from None
        raise translate(exc) from None
