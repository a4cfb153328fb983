"""The Alembic migrations, run from code on both databases."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from kiosk.store.errors import SchemaOutdatedError
from kiosk.store.migrate import check_schema, current_revision, downgrade, head_revision, upgrade
from kiosk.store.models import metadata
from kiosk.store.repository import open_store
from tests.kiosk.store.samples import submission

TABLES = {"applications", "print_jobs", "audit_events", "ticket_counters", "data_keys"}


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_creates_the_schema(engine: Engine) -> None:
    assert tables(engine) == set()
    upgrade(engine)
    assert tables(engine) == TABLES
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    check_schema(engine)
    upgrade(engine)  # a second run is a no-op


def test_upgrade_by_url(db_url: str, engine: Engine) -> None:
    upgrade(db_url)
    assert tables(engine) == TABLES


def test_models_and_migrations_agree(migrated: Engine) -> None:
    with migrated.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_downgrade_to_base_then_upgrade_to_head(migrated: Engine, key_file: Path) -> None:
    # Only one revision exists so far: this is the "upgrade from the previous revision" test.
    open_store(migrated, key_file).add_application(
        submission(), office_code="999997", kiosk_id="K01", slip_id=bytes(12))
    downgrade(migrated, "base")
    assert tables(migrated) == set()
    with migrated.connect() as conn:
        assert current_revision(conn) is None
    upgrade(migrated)
    assert tables(migrated) == TABLES
    store = open_store(migrated, key_file)
    assert store.stats().by_status["issued"] == 0


def test_store_refuses_a_database_without_schema(engine: Engine, key_file: Path) -> None:
    with pytest.raises(SchemaOutdatedError) as caught:
        open_store(engine, key_file)
    assert caught.value.code == "schema_outdated"
    assert "kiosk db upgrade" in str(caught.value)
    assert not key_file.exists()


def test_kiosks_starting_at_once_upgrade_once(engine: Engine) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            upgrade(engine)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert tables(engine) == TABLES
