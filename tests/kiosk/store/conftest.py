"""Fixtures of the store tests: a real PostgreSQL 15 for the session, an SQLite file per test.

Every test that takes `engine` runs twice, on SQLite and on PostgreSQL (marked integration).
Each PostgreSQL test gets a database of its own, so tests never see each other's rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.store.crypto import DataKeys, load_or_create_key
from kiosk.store.db import make_engine
from kiosk.store.migrate import upgrade
from kiosk.store.repository import Store, open_store
from tests.support.pgserver import PgServer

START = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)  # 10:00 in Japan


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    server: PgServer = request.getfixturevalue("postgres")
    return server.create_database(f"t_{uuid.uuid4().hex[:16]}")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


@pytest.fixture
def migrated(engine: Engine) -> Engine:
    upgrade(engine)
    return engine


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "keys" / "data.key"


@pytest.fixture
def keys(key_file: Path) -> DataKeys:
    return load_or_create_key(key_file)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(migrated: Engine, key_file: Path, clock: Clock) -> Store:
    return open_store(migrated, key_file, clock=clock)
