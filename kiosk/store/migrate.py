"""Running the Alembic migrations from code: `kiosk db upgrade`, the tests and the demo.

The Alembic config is built here (script location = the migrations package next to this file),
so no alembic.ini has to sit in the working directory. The whole upgrade runs in one transaction
that first takes a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level advisory
lock), so a dozen kiosks started at once against one PostgreSQL upgrade it exactly once: the
first does the work, the others wait, then find the schema at head and do nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from kiosk.store.db import IMMEDIATE, make_engine
from kiosk.store.errors import SchemaOutdatedError

MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK_KEY = 0x6B696F736B  # "kiosk": any constant shared by every kiosk of the database


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config for this project's migrations; `url` only for Alembic's own commands."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(target: Engine | str, revision: str = "head") -> None:
    """Bring the database at `target` (an engine or a URL) up to `revision`."""
    _locked(target, lambda config: command.upgrade(config, revision))


def downgrade(target: Engine | str, revision: str) -> None:
    """Step the database back to `revision` ("base" drops every table: tests only)."""
    _locked(target, lambda config: command.downgrade(config, revision))


def _locked(target: Engine | str, run: Callable[[Config], None]) -> None:
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with engine.connect() as conn:
            conn.execution_options(**{IMMEDIATE: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
                config = alembic_config()
                config.attributes["connection"] = conn
                run(config)
    finally:
        if isinstance(target, str):
            engine.dispose()


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migration in {MIGRATIONS}")
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def check_schema(engine: Engine) -> None:
    """Raise SchemaOutdatedError unless the database is at the head revision."""
    with engine.connect() as conn:
        current = current_revision(conn)
    head = head_revision()
    if current != head:
        found = current or "no schema"
        raise SchemaOutdatedError(f"database at {found}, this version needs {head}")
