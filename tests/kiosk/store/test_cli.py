"""`kiosk db upgrade | purge | stats | new-key`, through argparse as the kiosk command runs them."""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
from pathlib import Path

import pytest

from kiosk.cli import db_cmd
from kiosk.config import DatabaseConfig, KioskConfig
from kiosk.store.db import make_engine
from kiosk.store.errors import SchemaOutdatedError
from kiosk.store.repository import open_store
from tests.kiosk.store.conftest import START, Clock
from tests.kiosk.store.samples import HANAKO, submission


def kiosk(argv: list[str], config: KioskConfig) -> int:
    parser = argparse.ArgumentParser(prog="kiosk")
    parser.add_argument("--lang", choices=("ja", "en"), default=None)
    db_cmd.register(parser.add_subparsers(dest="group", required=True))
    args = parser.parse_args(argv)
    code: int = args.handler(args, config)
    return code


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> KioskConfig:
    return KioskConfig(database=DatabaseConfig(url=db_url, key_file=tmp_path / "data.key",
                                               retention_days=30))


def test_upgrade_stats_purge(config: KioskConfig, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SchemaOutdatedError):
        kiosk(["db", "stats"], config)
    assert kiosk(["--lang", "en", "db", "upgrade"], config) == 0
    assert "revision 0001" in capsys.readouterr().out
    assert kiosk(["db", "upgrade"], config) == 0  # again: nothing to do

    engine = make_engine(config.database.url)
    try:
        old = Clock(START - dt.timedelta(days=40))
        store = open_store(engine, config.database.key_file, clock=old)
        for _ in range(2):
            store.add_application(submission(), office_code="999997", kiosk_id="K01",
                                  slip_id=os.urandom(12))
        fresh = open_store(engine, config.database.key_file)
        app = fresh.add_application(submission(), office_code="999997", kiosk_id="K01",
                                    slip_id=os.urandom(12))
        fresh.set_status(app.id, "received", "clerk01")
    finally:
        engine.dispose()
    capsys.readouterr()

    assert kiosk(["--lang", "en", "db", "stats"], config) == 0
    out = capsys.readouterr().out
    assert "Applications: 3" in out and "issued: 2" in out and "received: 1" in out
    assert HANAKO not in out

    assert kiosk(["--lang", "en", "db", "purge", "--dry-run"], config) == 0
    assert "2 applications older than 30 days would be removed" in capsys.readouterr().out
    assert kiosk(["--lang", "ja", "db", "purge"], config) == 0
    assert "申請 2 件を削除しました" in capsys.readouterr().out
    assert kiosk(["--lang", "en", "db", "stats"], config) == 0
    assert "Applications: 1" in capsys.readouterr().out


def test_new_key_prints_a_usable_line(config: KioskConfig, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    assert kiosk(["db", "new-key"], config) == 0
    line = capsys.readouterr().out.strip()
    assert len(base64.urlsafe_b64decode(line)) == 32


def test_stats_on_a_missing_sqlite_file_makes_no_file(tmp_path: Path) -> None:
    path = tmp_path / "var" / "kiosk.sqlite3"
    config = KioskConfig(database=DatabaseConfig(url=f"sqlite:///{path}"))
    with pytest.raises(SchemaOutdatedError, match="no database file"):
        kiosk(["db", "stats"], config)
    assert not path.exists()
