"""Fixtures of the store tests: a real PostgreSQL 15 for the session, an SQLite file per test.

Every test that takes `engine` runs twice, on SQLite and on PostgreSQL (marked integration).
Each PostgreSQL test gets a database of its own, so tests never see each other's rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.application import Submission
from kiosk.store.db import make_engine
from kiosk.store.migrate import upgrade
from kiosk.store.repository import Store, open_store
from kiosk.store.sealing import RecordMeta, RecordOpener, RecordSealer
from printouts.payload import DeskKeys, KioskKeys, init_keys, load_desk_keys, load_kiosk_keys
from tests.kiosk.store.samples import submission
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
def keys_dir(tmp_path: Path) -> Path:
    """One office's keys, both roles in one folder (as the demo has them)."""
    folder = tmp_path / "keys"
    init_keys(folder, kiosk_id="K01", office_code="999997")
    return folder


@pytest.fixture
def kiosk_keys(keys_dir: Path) -> KioskKeys:
    return load_kiosk_keys(keys_dir)


@pytest.fixture
def desk_keys(keys_dir: Path) -> DeskKeys:
    return load_desk_keys(keys_dir)


@pytest.fixture
def sealer(kiosk_keys: KioskKeys) -> RecordSealer:
    return RecordSealer(kiosk_keys)


def sample_codes(codes: Sequence[str], meta: RecordMeta) -> Submission:
    """Stands in for the desk's opener of slip codes (kiosk/desk/signed.py, tested with real
    codes in tests/kiosk/desk): the store's tests record `samples.submission()` only."""
    assert codes, "a record taken from a slip holds its codes"
    return submission()


@pytest.fixture
def opener(desk_keys: DeskKeys) -> RecordOpener:
    return RecordOpener(desk_keys, sample_codes)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(migrated: Engine, sealer: RecordSealer, opener: RecordOpener, clock: Clock) -> Store:
    """A store that both writes (a kiosk's half) and reads (a desk's half), as the demo's."""
    return open_store(migrated, sealer=sealer, opener=opener, clock=clock)
