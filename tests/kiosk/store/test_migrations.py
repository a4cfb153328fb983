"""The Alembic migrations, run from code on both databases."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from kiosk.store.errors import LegacyRecordError, SchemaOutdatedError
from kiosk.store.migrate import check_schema, current_revision, downgrade, head_revision, upgrade
from kiosk.store.models import metadata
from kiosk.store.repository import Store, open_store
from tests.kiosk.store.samples import submission

TABLES = {"applications", "print_jobs", "audit_events", "ticket_counters", "slip_codes",
          "spent_slips", "staff", "audit_heads"}
TABLES_0001 = {"applications", "print_jobs", "audit_events", "ticket_counters", "data_keys"}


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


def test_downgrade_to_base_then_upgrade_to_head(migrated: Engine, store: Store) -> None:
    store.add_application(submission(), office_code="999997", kiosk_id="K01", slip_id=bytes(12))
    store.audit("c1", "refused", detail="tampered")
    downgrade(migrated, "0001")
    assert tables(migrated) == TABLES_0001
    downgrade(migrated, "base")
    assert tables(migrated) == set()
    with migrated.connect() as conn:
        assert current_revision(conn) is None
    upgrade(migrated)
    assert tables(migrated) == TABLES
    assert store.stats().by_status["issued"] == 0


def test_upgrade_from_0001_keeps_old_rows_which_open_as_legacy(engine: Engine, store: Store
                                                               ) -> None:
    """A database of the first release: its rows stay, sealed with the data key that no
    longer exists; the desk says so (legacy_record) instead of failing."""
    upgrade(engine, "0001")
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO applications (ticket, ticket_no, ticket_day, office_code, kiosk_id, "
            "slip_id, status, created_at, updated_at, forms, key_id, payload) VALUES ('A-001', "
            "1, :day, '999997', 'K01', :slip, 'issued', :now, :now, '[]', 'k', :blob)"),
            {"day": now.date(), "slip": "ab" * 12, "now": now.replace(tzinfo=None),
             "blob": b"\x01" + bytes(40)})
        old = conn.execute(text("SELECT id FROM applications")).scalar_one()
    upgrade(engine)
    assert tables(engine) == TABLES
    assert store.get(old).ticket == "A-001"
    with pytest.raises(LegacyRecordError) as caught:
        store.open_for_clerk(old, "c1")
    assert caught.value.code == "legacy_record"
    newer = store.add_application(submission(), office_code="999997", kiosk_id="K01",
                                  slip_id=bytes(12))
    assert newer.id > old


def test_store_refuses_a_database_without_schema(engine: Engine) -> None:
    with pytest.raises(SchemaOutdatedError) as caught:
        open_store(engine)
    assert caught.value.code == "schema_outdated"
    assert "kiosk db upgrade" in str(caught.value)


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
