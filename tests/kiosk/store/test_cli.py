"""`kiosk db upgrade | purge | stats`, through argparse as the kiosk command runs them."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import pytest

from kiosk.cli import db_cmd
from kiosk.config import DatabaseConfig, DeskConfig, KioskConfig, PrinterConfig
from kiosk.store.db import make_engine
from kiosk.store.errors import SchemaOutdatedError
from kiosk.store.migrate import head_revision
from kiosk.store.repository import open_store
from kiosk.store.sealing import RecordSealer
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
    # Printed files and exports under the test's folder: purge removes old files there.
    return KioskConfig(database=DatabaseConfig(url=db_url, retention_days=30),
                       printer=PrinterConfig(out_dir=tmp_path / "print"),
                       desk=DeskConfig(export_dir=tmp_path / "exports"))


def aged(path: Path, days: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4")
    when = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).timestamp()
    os.utime(path, (when, when))
    return path


def test_upgrade_stats_purge(config: KioskConfig, sealer: RecordSealer,
                            capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SchemaOutdatedError):
        kiosk(["db", "stats"], config)
    assert kiosk(["--lang", "en", "db", "upgrade"], config) == 0
    assert f"revision {head_revision()}" in capsys.readouterr().out
    assert kiosk(["db", "upgrade"], config) == 0  # again: nothing to do

    engine = make_engine(config.database.url)
    try:
        old = Clock(START - dt.timedelta(days=40))
        store = open_store(engine, sealer=sealer, clock=old)
        for _ in range(2):
            store.add_application(submission(), office_code="999997", kiosk_id="K01",
                                  slip_id=os.urandom(12))
        fresh = open_store(engine, sealer=sealer)
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

    old_slip = aged(config.printer.out_dir / "slip_A-001.pdf", 40)
    new_slip = aged(config.printer.out_dir / "slip_A-003.pdf", 2)
    old_export = aged(config.desk.export_dir / "desk-export-1.csv", 31)
    outside = aged(config.printer.out_dir.parent / "elsewhere" / "keep.pdf", 400)
    (config.printer.out_dir / "link.pdf").symlink_to(outside)

    assert kiosk(["--lang", "en", "db", "purge", "--dry-run"], config) == 0
    out = capsys.readouterr().out
    assert "2 applications older than 30 days would be removed" in out
    assert "2 printed or exported files older than 30 days would be removed (dry run)" in out
    assert old_slip.exists() and old_export.exists()
    assert kiosk(["--lang", "ja", "db", "purge"], config) == 0
    out = capsys.readouterr().out
    assert "申請 2 件を削除しました" in out
    assert "印刷・書き出しファイル 2 件を削除しました" in out
    assert not old_slip.exists() and not old_export.exists()
    assert new_slip.exists() and outside.exists()
    assert (config.printer.out_dir / "link.pdf").is_symlink()
    assert kiosk(["--lang", "en", "db", "stats"], config) == 0
    assert "Applications: 1" in capsys.readouterr().out


def test_stats_on_a_missing_sqlite_file_makes_no_file(tmp_path: Path) -> None:
    path = tmp_path / "var" / "kiosk.sqlite3"
    config = KioskConfig(database=DatabaseConfig(url=f"sqlite:///{path}"))
    with pytest.raises(SchemaOutdatedError, match="no database file"):
        kiosk(["db", "stats"], config)
    assert not path.exists()
